"""党务公开's figures source (issue 14): the numbers a 情况汇报 and the county report quote are
those the disclosure pages show for the same organisation and period, in constant queries."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.disclosure import selectors, services
from gongjian.disclosure.figures import CODES, provide
from gongjian.kernel import figures
from gongjian.kernel.deadlines import DueStatus, due_status
from gongjian.kernel.models import Organization

from .factories import published, republish

pytestmark = pytest.mark.django_db

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def year_2025(acting, org):
    """小留村's 2025: a quarterly item (on time, then late, then overdue) corrected once, a fixed
    item, one published at 23:30 on New Year's Eve and one half an hour into 2026; suggestions
    answered in time, late and not at all."""
    branch = org("中共小留村支部委员会")
    made = {}
    with time_machine.travel("2025-02-10 10:00 +0800", tick=False):
        made["regular"], _ = published(acting)
    with time_machine.travel("2025-03-01 10:00 +0800", tick=False):
        published(acting, title="小留村党支部2025年工作计划", category="policy", timing="fixed", period="")
    with time_machine.travel("2025-07-05 10:00 +0800", tick=False):
        republish(acting, made["regular"], body="第二季度党费收缴情况", note="第二季度更新")
    with time_machine.travel("2025-12-31 23:30 +0800", tick=False):
        published(acting, title="年终慰问困难党员", category="other", timing="temporary", period="")
    with time_machine.travel("2026-01-01 00:30 +0800", tick=False):
        published(acting, title="元旦走访安排", category="other", timing="temporary", period="")
    with time_machine.travel("2025-03-03 10:00 +0800", tick=False):
        s1, _ = services.suggestion_submit(organization=branch, content="公开栏的字太小。")
    with time_machine.travel("2025-03-05 10:00 +0800", tick=False):
        services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=s1, reply="已更换。", public=True)
    with time_machine.travel("2025-04-01 11:00 +0800", tick=False):
        s2, _ = services.suggestion_submit(organization=branch, content="道路硬化请考虑南组。")
        services.suggestion_submit(organization=branch, content="希望公开党费使用情况。")
    with time_machine.travel("2025-05-30 10:00 +0800", tick=False):
        services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=s2, reply="已纳入方案。", public=True)
    return made


def ask(organizations, start=Y2025[0], end=Y2025[1], codes=None):
    return figures.Ask(organizations=organizations, start=start, end=end, codes=codes)


def test_the_source_is_offered_with_its_codes():
    assert {code for code, _label in figures.catalogue()} >= {f"disclosure.{code}" for code in CODES}
    assert figures.label_of("disclosure.published_on_time") == "按时公开"


def test_the_branchs_2025(org, year_2025):
    branch = org("中共小留村支部委员会")
    got = provide(ask([branch]))[branch.pk]
    # Three items published in 2025 (the corrected one once; New Year's Eve at 23:30 counts, half
    # past midnight does not); due 31 March (on time), 30 June (late), 30 September (open).
    assert got == {"published": 3, "regular_due": 3, "published_on_time": 1, "suggestions": 3,
                   "suggestions_answered_in_time": 1}
    assert provide(ask([branch], date(2026, 1, 1), date(2026, 1, 1)))[branch.pk]["published"] == 1


def test_the_figures_are_what_the_disclosure_pages_show(acting, org, year_2025):
    """The calendar roll-up (按时 per organisation and year), the list of items with their
    versions and the suggestion box, read for the same organisation and period."""
    committee, branch = acting("taihua_party"), org("中共小留村支部委员会")
    since = timezone.make_aware(datetime.combine(Y2025[0], time.min))
    until = timezone.make_aware(datetime.combine(date(2026, 1, 1), time.min))
    for organization in (branch, org("中共太华路街道委员会")):
        got = figures.read(user=committee, organizations=[organization], start=Y2025[0], end=Y2025[1],
                           codes=[f"disclosure.{c}" for c in CODES])[organization.pk]
        _buckets, rows = selectors.rollup_for(user=committee, year=2025)
        mine = [r for r in rows if r["org"].path.startswith(organization.path)]
        assert got["disclosure.published_on_time"] == sum(r["total"]["on_time"] for r in mine) == 1
        assert got["disclosure.regular_due"] == sum(sum(r["total"].values()) for r in mine) == 3
        items = selectors.disclosure_list_visible_to(user=committee, organization_id=organization.pk)
        shown = [item for item in items
                 if any(since <= v.published_at < until for v in selectors.versions_of(disclosure=item))]
        assert got["disclosure.published"] == len(shown) == 3
        box = [s for s in selectors.suggestion_list_visible_to(user=acting("xiaoliu_branch"))
               if since <= s.created_at < until and s.organization.path.startswith(organization.path)]
        assert got["disclosure.suggestions"] == len(box) == 3
        in_time = [s for s in box if s.answered_at is not None
                   and due_status(s.due_on, timezone.localdate(s.answered_at)) == DueStatus.ON_TIME]
        assert got["disclosure.suggestions_answered_in_time"] == len(in_time) == 1


def test_each_subtree_counts_its_own(org, year_2025):
    branch, committee = org("中共小留村支部委员会"), org("中共太华路街道委员会")
    sibling, county, other = org("中共罗敷镇委员会"), org("中共华阴市委员会"), org("中共灵沙乡委员会")
    got = provide(ask([branch, committee, sibling, county, other]))
    assert got[committee.pk] == got[branch.pk] == got[county.pk]
    assert got[sibling.pk] == got[other.pk] == dict.fromkeys(CODES, 0)


def test_constant_queries_however_many_organisations(org, year_2025):
    branch = org("中共小留村支部委员会")
    party = list(Organization.objects.filter(kind__in=Organization.PARTY_KINDS))
    assert len(party) > 30
    with CaptureQueriesContext(connection) as one:
        provide(ask([branch]))
    with CaptureQueriesContext(connection) as many:
        answer = provide(ask(party))
    assert len(one) == len(many) <= 4
    assert answer[branch.pk]["published"] == 3 and len(answer) == len(party)
    with CaptureQueriesContext(connection) as narrowed:
        only = provide(ask(party, codes=frozenset({"published"})))
    assert len(narrowed) == 2 and set(only[branch.pk]) == {"published"}


def test_nothing_asked_nothing_read():
    with CaptureQueriesContext(connection) as none:
        assert provide(ask([])) == {}
    assert len(none) == 0
