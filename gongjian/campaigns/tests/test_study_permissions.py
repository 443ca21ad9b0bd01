"""Every study and supervision permission walked over every demo role, without an object (may she
open the page at all) and on the demo's records (docs/permissions.md ## campaigns: study &
supervision)."""

from __future__ import annotations

from typing import Any

import pytest

from gongjian.campaigns.demo import HUAYIN_TITLE, STUDY_TITLE, demo_campaign
from gongjian.campaigns.models import (
    FollowUp,
    Meeting,
    ResearchReport,
    StudyDocument,
    StudyNote,
    SupervisionVisit,
)
from gongjian.kernel.permissions import can

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
STAFF = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch"}

# permission -> roles that hold it without an object: every cadre of either line, no admin role.
GLOBAL = dict.fromkeys(("campaigns.view_study", "campaigns.issue_study_document", "campaigns.write_study_note", "campaigns.view_supervision", "campaigns.record_visit", "campaigns.answer_followup", "campaigns.confirm_followup", "campaigns.record_meeting", "campaigns.write_report"), STAFF)

# (record, permission) -> roles that hold it on the demo's record.
ON_RECORD = {
    # 华阴市妇联's study document: its subtree reads it (down the federation line only).
    ("document", "campaigns.view_study"): {"huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women"},
    ("document", "campaigns.issue_study_document"): {"huayin_fed"},
    # A 学习心得 of 小留村: the village and those above it.
    ("note", "campaigns.view_study"): {"huayin_fed", "taihua_fed", "xiaoliu_women"},
    ("note", "campaigns.write_study_note"): {"xiaoliu_women"},
    # The county's visit to 太华路街道妇联: the two sides, not the villages below the visited one.
    ("visit", "campaigns.view_supervision"): {"huayin_fed", "taihua_fed"},
    ("visit", "campaigns.record_visit"): {"huayin_fed"},
    ("followup", "campaigns.view_supervision"): {"huayin_fed", "taihua_fed"},
    ("followup", "campaigns.answer_followup"): {"taihua_fed"},
    ("followup", "campaigns.confirm_followup"): {"huayin_fed"},
    # The county's 推进会 and 太华路街道's 调研报告: their subtrees.
    ("meeting", "campaigns.view_supervision"): {"huayin_fed"},
    ("meeting", "campaigns.record_meeting"): {"huayin_fed"},
    ("report", "campaigns.view_supervision"): {"huayin_fed", "taihua_fed"},
    ("report", "campaigns.write_report"): {"taihua_fed"},
}


def records() -> dict[str, Any]:
    campaign = demo_campaign(HUAYIN_TITLE)
    visit = SupervisionVisit.objects.get(campaign=campaign, visited__name="太华路街道妇联")
    return {
        "document": StudyDocument.objects.get(title=STUDY_TITLE),
        "note": StudyNote.objects.filter(organization__name="小留村妇联").first(),
        "visit": visit,
        "followup": FollowUp.objects.filter(visit=visit).first(),
        "meeting": Meeting.objects.get(campaign=campaign, organization__name="华阴市妇联"),
        "report": ResearchReport.objects.get(campaign=campaign, organization__name="太华路街道妇联"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_study_and_supervision_permission_for_the_role(acting, role):
    user = acting(role)
    for permission, holders in GLOBAL.items():
        assert can(user, permission) == (role in holders), (permission, role)
    found = records()
    for (name, permission), holders in ON_RECORD.items():
        assert can(user, permission, found[name]) == (role in holders), (name, permission, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_answer_each_role_as_the_table_says(login, role):
    client = login(role)
    found = records()
    expected_home = 200 if role in STAFF else 403
    assert client.get("/work/campaigns/study/").status_code == expected_home
    assert client.get("/work/campaigns/supervision/").status_code == expected_home
    for name, permission in (("document", "campaigns.view_study"), ("visit", "campaigns.view_supervision"),
                             ("followup", "campaigns.view_supervision"), ("report", "campaigns.view_supervision")):
        status = client.get(found[name].get_absolute_url()).status_code
        if role not in STAFF:
            assert status == 403, (name, role)
        else:
            assert status == (200 if role in ON_RECORD[(name, permission)] else 404), (name, role, status)
