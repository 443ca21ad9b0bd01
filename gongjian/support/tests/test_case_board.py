"""The oversight board: counts per organisation below, from the "oversight" reach, never content,
in a constant number of queries; and who opens it (docs/permissions.md, support)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.support.models import Case, CaseState
from gongjian.support.selectors.case_oversight import case_board

from .factories import help_requested

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
SECRET = "邻居听见他砸门"


def _rows(board):
    return {row.organization.name + ("/本级" if row.own else ""): row for row in board.rows}


def _counts(row):
    return row.open, row.overdue, row.risk_open, row.received_this_month


def _some_cases(org):
    today = timezone.localdate()
    overdue, _p = help_requested(org("小留村妇联"), narrative=SECRET, contact_mobile="13912345678")
    Case.objects.filter(pk=overdue.pk).update(due_on=today - timedelta(days=3))
    risky, _p = help_requested(org("小留村妇联"), category="domestic_violence", risk=True)
    closed, _p = help_requested(org("小留村妇联"))
    Case.objects.filter(pk=closed.pk).update(state=CaseState.CLOSED, due_on=None, closed_at=timezone.now())
    old, _p = help_requested(org("郭家村妇联"))
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=70))
    own, _p = help_requested(org("太华路街道妇联"))
    return overdue


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", ["support.view_case_board", "support.view_case_stats"])
def test_who_may_see_the_board_and_the_statistics(acting, username, permission):
    assert can(acting(username), permission) == (username in FEDERATION)


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_board(login, username):
    status = login(username).get("/work/support/cases/board/").status_code
    assert status == (200 if username in FEDERATION else 403)


def test_the_board_counts_each_organisation_below_and_its_own_cases(acting, org):
    taihua = org("太华路街道妇联")
    reader = acting("taihua_fed")
    before = _rows(case_board(user=reader, organization=taihua))
    before_total = case_board(user=reader, organization=taihua).total
    _some_cases(org)
    board = case_board(user=reader, organization=taihua)
    after = _rows(board)

    def delta(name):
        return tuple(a - b for a, b in zip(_counts(after[name]), _counts(before[name]), strict=True))

    assert delta("小留村妇联") == (2, 1, 1, 3)  # open, overdue, risk open, received this month
    assert delta("郭家村妇联") == (1, 0, 0, 0)  # received 70 days ago
    assert delta("太华路街道妇联/本级") == (1, 0, 0, 1)
    assert delta("岳庙社区妇联") == (0, 0, 0, 0)
    assert board.total.open - before_total.open == 4
    villages = Organization.objects.filter(path__startswith=taihua.path, depth=taihua.depth + 1,
                                           kind__in=Organization.FEDERATION_KINDS).count()
    assert list(after)[0] == "太华路街道妇联/本级" and len(after) == 1 + villages
    assert "太华路街道妇联创先争优活动领导小组" not in after  # only federations handle cases


def test_the_county_sees_its_townships_and_a_village_only_its_own_row(acting, org):
    _some_cases(org)
    county = _rows(case_board(user=acting("huayin_fed"), organization=org("华阴市妇联")))
    assert set(county) == {"华阴市妇联/本级", "太华路街道妇联", "罗敷镇妇联"}
    assert county["太华路街道妇联"].open >= 4 and county["太华路街道妇联"].overdue >= 1
    village = _rows(case_board(user=acting("xiaoliu_women"), organization=org("小留村妇联")))
    assert list(village) == ["小留村妇联/本级"] and village["小留村妇联/本级"].open >= 2


def test_the_board_page_shows_counts_and_no_content(login, org):
    case = _some_cases(org)
    response = login("taihua_fed").get("/work/support/cases/board/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "小留村妇联" in page and "超期" in page
    # The organisations with cases come first; the quiet ones are folded away.
    assert page.index("小留村妇联") < page.index("board-quiet") < page.index("岳庙社区妇联")
    for secret in (SECRET, "丈夫长期不给家用", case.tracking_code, "13912345678", "139****5678", "王女士"):
        assert secret not in page


def test_the_board_drills_down_only_within_reach(login, org):
    taihua, lingsha = org("太华路街道妇联"), org("灵沙乡妇联")
    assert login("huayin_fed").get(f"/work/support/cases/board/?org={taihua.pk}").status_code == 200
    assert login("taihua_fed").get(f"/work/support/cases/board/?org={lingsha.pk}").status_code == 404
    assert login("xiaoliu_women").get(f"/work/support/cases/board/?org={taihua.pk}").status_code == 404
    assert login("taihua_fed").get("/work/support/cases/board/?org=abc").status_code == 404


def test_the_board_takes_the_same_number_of_queries_for_few_and_many_cases(login, org):
    client = login("huayin_fed")
    client.get("/work/support/cases/board/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/work/support/cases/board/").status_code == 200
    for name in ("小留村妇联", "郭家村妇联", "罗敷村妇联", "太华路街道妇联"):
        for _ in range(3):
            help_requested(org(name))
    with CaptureQueriesContext(connection) as many:
        client.get("/work/support/cases/board/")
    assert len(many.captured_queries) == len(few.captured_queries)
    case_queries = [q["sql"] for q in many.captured_queries if "support_case" in q["sql"]]
    assert len(case_queries) == 2 and all("COUNT(" in sql.upper() for sql in case_queries)
