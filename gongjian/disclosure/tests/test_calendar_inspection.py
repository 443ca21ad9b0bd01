"""The calendar (due, overdue, on time; roll-up by month and quarter) and inspections (six
points, findings, deadline, follow-up, ranking)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjian.disclosure import selectors, services
from gongjian.disclosure.models import DueItem, Inspection
from gongjian.kernel.context import Acting
from gongjian.kernel.models import User

from .factories import published, republish

pytestmark = pytest.mark.django_db

SCORES = {"content": 9, "procedure": 8, "form": 9, "rules": 7, "execution": 8, "effect": 9}


@pytest.fixture
def inspector():
    user = User.objects.get(username="taihua_party")
    user.positions = list(user.current_positions())
    user.acting = Acting(next(p for p in user.positions if p.organization.kind == "leading_group"))
    return user


def test_a_missed_period_shows_as_overdue_and_a_late_publication_as_late(acting, org):
    with time_machine.travel("2026-05-10 10:00 +0800", tick=False):
        item, _ = published(acting)
    groups = selectors.calendar_for(user=None, organization=item.organization, today=date(2026, 10, 5))
    assert [r.item.due_on for r in groups["overdue"]] == [date(2026, 9, 30)]
    with time_machine.travel("2026-10-05 10:00 +0800", tick=False):
        republish(acting, item, body="第三季度党费收缴情况", note="第三季度更新")
    statuses = {str(d.due_on): d.done_on for d in DueItem.objects.filter(disclosure=item)}
    assert statuses == {"2026-06-30": date(2026, 5, 10), "2026-09-30": date(2026, 10, 5), "2026-12-31": None}


def test_the_superior_sees_the_roll_up_of_its_subtree_by_quarter(acting):
    with time_machine.travel("2026-05-10 10:00 +0800", tick=False):
        published(acting)
    committee = acting("taihua_party")
    buckets, rows = selectors.rollup_for(user=committee, year=2026, by="quarter", today=date(2026, 10, 5))
    assert buckets == ["一季度", "二季度", "三季度", "四季度"]
    xiaoliu = next(r for r in rows if r["org"].name == "中共小留村支部委员会")
    assert xiaoliu["cells"][1]["on_time"] == 1 and xiaoliu["cells"][2]["overdue"] == 1
    _, monthly = selectors.rollup_for(user=committee, year=2026, by="month", today=date(2026, 10, 5))
    assert next(r for r in monthly if r["org"].name == "中共小留村支部委员会")["cells"][5]["on_time"] == 1
    # The branch's own roll-up does not include its neighbours.
    _, own = selectors.rollup_for(user=acting("xiaoliu_branch"), year=2026)
    assert {r["org"].name for r in own} == {"中共小留村支部委员会"}


def test_an_inspector_scores_six_points_and_the_township_is_ranked(inspector, org):
    a = services.inspection_create(actor=inspector, organization=org("中共小留村支部委员会"),
                                   data={**SCORES, "inspected_on": "2026-11-20"})
    b = services.inspection_create(actor=inspector, organization=org("中共郭家村支部委员会"),
                                   data={**SCORES, "content": 10, "inspected_on": "2026-11-21",
                                         "findings": "意见箱未按时开箱", "rectification_deadline": "2026-12-20"})
    assert a.total == 50 and b.total == 51 and b.status == "open" and a.status == "closed"
    ranking = selectors.ranking_for(user=inspector, year=2026)
    assert [(r["rank"], r["organization"].name) for r in ranking][:2] == [(1, "中共郭家村支部委员会"),
                                                                          (2, "中共小留村支部委员会")]


def test_bad_scores_get_chinese_messages_and_nothing_is_saved(inspector, org):
    before = Inspection.objects.count()
    with pytest.raises(ValidationError) as err:
        services.inspection_create(actor=inspector, organization=org("中共小留村支部委员会"),
                                   data={**SCORES, "content": 11, "findings": "有问题"})
    assert set(err.value.message_dict) == {"content", "rectification_deadline"}
    assert Inspection.objects.count() == before


def test_only_the_leading_group_inspects_and_only_within_its_committee(acting, inspector, org):
    with pytest.raises(PermissionDenied):
        services.inspection_create(actor=acting("taihua_party"), organization=org("中共小留村支部委员会"), data=SCORES)
    with pytest.raises(PermissionDenied):
        services.inspection_create(actor=inspector, organization=org("中共灵沙村支部委员会"), data=SCORES)


def test_an_inspection_can_require_rectification_and_is_followed_up_until_closed(inspector, acting, org):
    item, _ = published(acting)
    # Inspected today (the default): the deadline falls a month later, whatever day the suite runs.
    deadline = timezone.localdate() + timedelta(days=30)
    inspection = services.inspection_create(
        actor=inspector, organization=item.organization,
        data={**SCORES, "findings": "党费公开缺少明细", "rectification_deadline": deadline.isoformat()},
        rectify=[item])
    assert (inspection.inspected_on, inspection.rectification_deadline) == (timezone.localdate(), deadline)
    item.refresh_from_db()
    assert item.state == "rectifying"
    services.inspection_follow_up(actor=inspector, inspection=inspection, note="已补充明细", closes=True)
    inspection.refresh_from_db()
    assert inspection.status == "closed"
    with pytest.raises(ValidationError):
        services.inspection_follow_up(actor=inspector, inspection=inspection, note="再次", closes=False)


def test_the_inspection_pages_work_for_the_leading_group(login, org):
    from gongjian.kernel.models import Position

    client = login("taihua_party")
    group = Position.objects.get(person__user__username="taihua_party", organization__kind="leading_group")
    client.post("/work/switch/", {"position": str(group.pk)})
    branch = org("中共小留村支部委员会")
    response = client.post("/work/disclosure/inspections/new/", {
        "organization": branch.pk, "inspected_on": "2026-11-20", **SCORES, "findings": "公开不及时",
        "rectification_deadline": "2026-12-20"})
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(organization=branch, findings="公开不及时")
    assert client.get(f"/work/disclosure/inspections/{inspection.pk}/").status_code == 200
    assert "中共小留村支部委员会" in client.get("/work/disclosure/inspections/ranking/?year=2026").content.decode()
    response = client.post("/work/disclosure/inspections/new/", {"organization": branch.pk, "inspected_on": "x"})
    assert response.status_code == 400


def test_the_branch_drafts_and_submits_through_the_pages(login, org):
    client = login("xiaoliu_branch")
    response = client.post("/work/disclosure/new/", {
        "title": "2026年度党组织工作计划", "category": "self_building", "body": "一、加强学习。",
        "channels": ["board", "web"], "timing": "fixed", "scope": "public", "stage": "final"})
    assert response.status_code == 302
    from gongjian.disclosure.models import Disclosure

    item = Disclosure.objects.get(title="2026年度党组织工作计划")
    assert client.post(f"/work/disclosure/{item.pk}/submit/").status_code == 302
    item.refresh_from_db()
    assert item.state == "submitted"
    response = client.post("/work/disclosure/new/", {"title": "", "category": "self_building", "timing": "regular",
                                                     "scope": "public", "stage": "final", "channels": ["web"]})
    assert response.status_code == 400 and "请填写" in response.content.decode()
    assert client.get(f"/work/disclosure/{item.pk}/").status_code == 200
    assert client.get(f"/work/disclosure/calendar/?org={org('中共小留村支部委员会').pk}").status_code == 200
    assert client.get(f"/work/disclosure/calendar/?org={org('中共郭家村支部委员会').pk}").status_code == 404
