"""The campaign pages: list, form with phases, detail with the current phase and plan summary,
the board (table and phone list), a plan submitted, returned and resubmitted from the pages."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.campaigns.demo import HUAYIN_PHASES, HUAYIN_TITLE, PINGLUO_TITLE, YEAR, demo_campaign
from gongjian.campaigns.models import Campaign, CampaignState, PlanStatus
from gongjian.campaigns.tests.factories import issued_campaign, plan_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A day inside the demo campaign's second phase (the demo keeps its own year: on the real day the
#: campaign may have ended or not begun, and the pages rightly show no current phase).
IN_THE_DEMO_CAMPAIGN = f"{YEAR}-06-15 10:00 +0800"


def _form(**extra):
    data = {"title": "页面发起的活动", "theme": "strong_org", "lines": ["study"], "target_kinds": ["township_fed"],
            "starts_on": "2026-03-01", "ends_on": "2026-12-31", "plan_due": "2026-03-20",
            "phases-TOTAL_FORMS": "3", "phases-INITIAL_FORMS": "0", "phases-MIN_NUM_FORMS": "0",
            "phases-MAX_NUM_FORMS": "12",
            "phases-0-name": "广泛发动，安排部署", "phases-0-starts_on": "2026-03-01", "phases-0-ends_on": "2026-03-31",
            "phases-0-tasks": "成立领导小组", "phases-1-name": "全面争创，扎实推进", "phases-1-starts_on": "2026-04-01",
            "phases-1-ends_on": "2026-12-31"}
    data.update(extra)
    return data


def test_the_list_shows_the_campaigns_with_their_current_phase(login):
    with time_machine.travel(IN_THE_DEMO_CAMPAIGN, tick=False):
        page = login("huayin_fed").get("/work/campaigns/")
    assert page.status_code == 200
    text = page.content.decode()
    assert HUAYIN_TITLE in text and "当前阶段" in text
    assert f"当前阶段：<strong>{HUAYIN_PHASES[1][0]}</strong>" in text


def test_a_township_sees_its_countys_campaign_and_its_own_plan_button(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    page = login("taihua_fed").get(f"/work/campaigns/{campaign.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "本组织的活动方案" in text and "按时报送" in text


def test_the_county_drafts_a_campaign_on_the_form_and_issues_it(login, org):
    client = login("huayin_fed")
    response = client.post("/work/campaigns/new/", _form(co_organizations=[org("中共华阴市委员会").pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(title="页面发起的活动")
    assert campaign.phases.count() == 2 and campaign.state == CampaignState.DRAFT
    client.post(f"/work/campaigns/{campaign.pk}/issue/")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.ISSUED and campaign.plans.count() == 2


def test_a_bad_form_says_why_in_chinese_and_saves_nothing(login):
    before = Campaign.objects.count()
    response = login("huayin_fed").post("/work/campaigns/new/", _form(title="", ends_on="2026-01-01"))
    assert response.status_code == 400
    assert "请填写活动名称" in response.content.decode()
    assert Campaign.objects.count() == before


def test_a_phase_row_without_a_date_is_refused(login):
    response = login("huayin_fed").post("/work/campaigns/new/", _form(**{"phases-1-starts_on": ""}))
    assert response.status_code == 400
    assert "第2个阶段" in response.content.decode()


def test_the_edit_form_keeps_the_phases(login, acting):
    campaign = issued_campaign(acting("huayin_fed"))
    page = login("huayin_fed").get(f"/work/campaigns/{campaign.pk}/edit/")
    assert page.status_code == 200
    assert "树立典型，巩固提高" in page.content.decode()


def test_the_detail_marks_the_current_phase_and_counts_the_plans(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    assert campaign is not None
    with time_machine.travel(IN_THE_DEMO_CAMPAIGN, tick=False):
        text = login("huayin_fed").get(f"/work/campaigns/{campaign.pk}/").content.decode()
        current = campaign.current_phase()
    assert current is not None and current.name == HUAYIN_PHASES[1][0] and current.name in text
    assert current.name in text.split('aria-current="step"')[1].split("</li>")[0]
    assert 'id="plans"' in text and 'id="figures"' in text


def test_the_board_lists_every_target_with_its_status_and_filters(login):
    campaign = demo_campaign(PINGLUO_TITLE)
    client = login("lingsha_fed")
    text = client.get(f"/work/campaigns/{campaign.pk}/plans/").content.decode()
    assert "灵沙乡妇联" in text and "逾期报送" in text
    huayin = demo_campaign(HUAYIN_TITLE)
    board = login("huayin_fed").get(f"/work/campaigns/{huayin.pk}/plans/?status=missing").content.decode()
    rows = board.split('id="board"')[1]
    assert 'data-org="罗敷镇妇联"' in rows and 'data-org="太华路街道妇联"' not in rows


def test_a_township_submits_from_its_plan_page_is_returned_and_resubmits(login, acting):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    plan = plan_of(campaign, "太华路街道妇联")
    township, county = login("taihua_fed"), login("huayin_fed")
    assert "报送活动方案" in township.get(plan.get_absolute_url()).content.decode()
    response = township.post(f"{plan.get_absolute_url()}submit/", {
        "title": "太华路方案", "body": "内容", "attachments": SimpleUploadedFile("方案.pdf", PDF)})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.LATE and plan.revisions.get().attachments.count() == 1
    token = plan.revisions.get().attachments.get().file.token
    assert county.get(f"/work/campaigns/plans/files/{token}/").status_code == 200
    assert login("lingsha_fed").get(f"/work/campaigns/plans/files/{token}/").status_code == 404
    assert county.post(f"{plan.get_absolute_url()}return/", {"reason": ""}).status_code == 400
    county.post(f"{plan.get_absolute_url()}return/", {"reason": "请补充分阶段安排"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert "请补充分阶段安排" in township.get(plan.get_absolute_url()).content.decode()
    township.post(f"{plan.get_absolute_url()}submit/", {"title": "太华路方案（修改稿）", "body": "内容"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.LATE and plan.revision == 2


def test_a_sibling_township_gets_a_404_for_anothers_plan(login, acting):
    campaign = issued_campaign(acting("huayin_fed"))
    plan = plan_of(campaign, "罗敷镇妇联")
    assert login("taihua_fed").get(plan.get_absolute_url()).status_code == 404
    assert login("taihua_fed").post(f"{plan.get_absolute_url()}submit/", {"title": "x"}).status_code == 404


def test_a_plan_of_another_campaign_is_a_404_under_this_one(login, acting):
    one = issued_campaign(acting("huayin_fed"))
    other = issued_campaign(acting("huayin_fed"), title="另一个活动")
    plan = plan_of(other, "太华路街道妇联")
    assert login("huayin_fed").get(f"/work/campaigns/{one.pk}/plans/{plan.pk}/").status_code == 404


def test_a_draft_is_not_seen_below_its_issuer(login, acting):
    from gongjian.campaigns.tests.factories import draft_campaign

    campaign = draft_campaign(acting("huayin_fed"))
    assert login("taihua_fed").get(f"/work/campaigns/{campaign.pk}/").status_code == 404
    assert login("huayin_fed").get(f"/work/campaigns/{campaign.pk}/").status_code == 200


def test_the_campaign_page_shows_per_line_only_the_figures_that_count_something(login):
    from gongjian.campaigns.demo import HUAYIN_TITLE, demo_campaign

    campaign = demo_campaign(HUAYIN_TITLE)
    assert campaign is not None
    body = login("huayin_fed").get(campaign.get_absolute_url()).content.decode()
    by_line = body[body.index("data-figures-by-line"):]
    by_line = by_line[:by_line.index("</details>")]
    assert "典型示范" in by_line and "暂无记录" in by_line  # no demo record is tagged 典型示范
    assert "：<strong>0</strong>" not in by_line
    assert "素质提升" in by_line and "培训场次" in by_line
