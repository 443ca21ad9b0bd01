"""The county report page, its drill-down, its downloads and its API (issue 14): the figures of
every source on offer, for an organisation in the reader's reach, small counts suppressed the same
way everywhere (figures.Suppressed, "<5", and a second cell withheld so the total does not give it
away)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongjian.kernel import figures
from gongjian.kernel.models import AuditEvent, Organization

from ..selectors import county as selectors
from ..services import county as services
from ..services import county_export

pytestmark = pytest.mark.django_db

URL = "/work/reports/county/"
API = "/api/v1/reports/county"
EVENTS: list[tuple[int, date]] = []


def _provide(ask: figures.Ask) -> figures.Answer:
    counts: dict[int, dict[str, figures.Number]] = defaultdict(lambda: defaultdict(int))
    for org_id, day in EVENTS:
        if ask.start <= day <= ask.end:
            counts[org_id]["calls"] += 1
            counts[org_id]["visits"] += 2
    return figures.rollup_many({k: dict(v) for k, v in counts.items()}, list(ask.organizations))


@pytest.fixture
def small_source():
    """A source not named in the layout, suppressing counts below 5: 3 calls at 小留村, 8 at 郭家村
    (last month), all of it additive."""
    EVENTS.clear()
    figures.offer(figures.Source("countytest", "测试热线", {"calls": "来电", "visits": "回访"}, _provide,
                                 suppress_below=5, additive=frozenset({"calls", "visits"})))
    last_month = services.month_start(services.month_start(timezone.localdate()) - timedelta(days=1))
    for name, n in (("小留村妇联", 3), ("郭家村妇联", 8)):
        org = Organization.objects.get(name=name)
        EVENTS.extend((org.pk, last_month + timedelta(days=i)) for i in range(n))
    yield last_month
    figures.withdraw("countytest")
    EVENTS.clear()


def _period(month: date) -> str:
    return f"from={month.isoformat()}&to={services.month_end(month).isoformat()}"


def test_the_county_federation_sees_her_townships_and_every_body_of_work(login):
    response = login("huayin_fed").get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("太华路街道妇联", "罗敷镇妇联", 'id="county-cards"', 'data-code="womenshome.activities"',
                 'data-code="cases.received"', 'data-code="pledges.made"', 'data-code="loans.loans"',
                 "下载 Excel", "下载 PDF"):
        assert text in body, text
    report = response.context["report"]
    assert [g.source for g in report.groups][:3] == ["coverage", "womenshome", "commendations"]
    today = timezone.localdate()
    assert (report.start, report.end) == (date(today.year, 1, 1), date(today.year, 12, 31))


def test_a_township_row_drills_down_to_its_villages(login, org):
    taihua = org("太华路街道妇联")
    client = login("huayin_fed")
    report = client.get(URL).context["report"]
    row = next(r for r in report.rows if r.organization == taihua)
    assert row.drill
    response = client.get(f"{URL}?org={taihua.pk}&from=2026-01-01&to=2026-12-31")
    assert response.status_code == 200
    names = [r.organization.name for r in response.context["report"].rows]
    assert "小留村妇联" in names and "郭家村妇联" in names and "罗敷镇妇联" not in names
    assert [o.name for o in response.context["trail"]] == ["华阴市妇联", "太华路街道妇联"]


@pytest.mark.parametrize(("username", "target"), [
    ("taihua_fed", "华阴市妇联"), ("taihua_fed", "罗敷镇妇联"), ("xiaoliu_women", "郭家村妇联"),
    ("huayin_fed", "平罗县妇联"), ("taihua_party", "太华路街道妇联"), ("xiaoliu_branch", "中共太华路街道委员会"),
])
def test_an_organisation_out_of_reach_is_not_found_on_the_page_the_downloads_and_the_api(
        login, api_client, org, username, target):
    pk = org(target).pk
    client = login(username)
    for path in (URL, f"{URL}excel/", f"{URL}pdf/"):
        assert client.get(f"{path}?org={pk}").status_code == 404
    response = api_client(username).get(f"{API}?org={pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到。"


@pytest.mark.parametrize("query", ["org=abc", "org=987654321", "org=-1"])
def test_a_bad_organisation_id_is_not_found(login, query):
    assert login("huayin_fed").get(f"{URL}?{query}").status_code == 404


@pytest.mark.parametrize(("query", "sentence"), [
    ("from=2026-13-01", "不是有效的日期"),
    ("from=2026-05-01&to=2026-04-01", "起始日期不能晚于截止日期"),
    ("to=yesterday", "不是有效的日期"),
    ("from=1990-01-01&to=1990-02-01", "统计期间应在2000年至明年之间"),
    ("month=2026-00", "月份"),
])
def test_a_bad_or_reversed_period_is_a_chinese_sentence_on_the_page_and_in_the_api(
        login, api_client, query, sentence):
    response = login("huayin_fed").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert sentence in response.content.decode()
    assert response.context["report"] is None
    if not query.startswith("month"):
        answer = api_client("huayin_fed").get(f"{API}?{query}")
        assert answer.status_code == 400
        assert sentence in answer.json()["errors"]["from"][0]
    assert login("huayin_fed").get(f"{URL}excel/?{query}").status_code == 400


def test_a_month_picked_is_that_month(login):
    report = login("huayin_fed").get(f"{URL}?month=2026-02").context["report"]
    assert (report.start, report.end) == (date(2026, 2, 1), date(2026, 2, 28))


def test_quick_picks_cover_this_year_last_year_this_quarter_and_months():
    picks = {p.label: (p.start, p.end) for p in selectors.quick_picks(date(2026, 8, 15))}
    assert picks["今年"] == (date(2026, 1, 1), date(2026, 12, 31))
    assert picks["去年"] == (date(2025, 1, 1), date(2025, 12, 31))
    assert picks["本季度"] == (date(2026, 7, 1), date(2026, 9, 30))
    assert picks["本月"] == (date(2026, 8, 1), date(2026, 8, 31))
    assert picks["上月"] == (date(2026, 7, 1), date(2026, 7, 31))


def test_small_counts_read_below_five_and_a_second_cell_is_withheld(login, org, small_source):
    taihua = org("太华路街道妇联")
    response = login("taihua_fed").get(f"{URL}?org={taihua.pk}&{_period(small_source)}")
    report = response.context["report"]
    at = [c.code for c in report.columns].index("countytest.calls")
    cells = {r.organization.name: r.cells[at] for r in report.rows}
    assert cells["小留村妇联"].shown == "<5" and cells["小留村妇联"].value is None
    # 11 in all and 8 at 郭家村 would give the 3 away: 郭家村's is withheld.
    assert cells["郭家村妇联"].shown == "*" and cells["郭家村妇联"].value is None
    assert report.total.cells[at].value == 11
    # 回访 (6 and 16) are not small: nothing hidden there.
    visits = [c.code for c in report.columns].index("countytest.visits")
    assert {r.organization.name: r.cells[visits].value for r in report.rows}["小留村妇联"] == 6
    body = response.content.decode()
    assert "&lt;5" in body and "1至4件显示为" in body


def test_the_village_itself_sees_her_own_small_count(login, org, small_source):
    xiaoliu = org("小留村妇联")
    report = login("xiaoliu_women").get(f"{URL}?{_period(small_source)}").context["report"]
    assert report.organization == xiaoliu and report.rows == []
    at = [c.code for c in report.columns].index("countytest.calls")
    assert report.total.cells[at].value == 3


def test_one_small_row_and_nothing_else_withholds_the_total(login, org, small_source):
    EVENTS[:] = [e for e in EVENTS if e[0] == org("小留村妇联").pk]
    huayin = org("华阴市妇联")
    report = login("huayin_fed").get(f"{URL}?org={huayin.pk}&{_period(small_source)}").context["report"]
    at = [c.code for c in report.columns].index("countytest.calls")
    # The township's 3 is small; with no other row to withhold, the total (3, small itself) stays hidden.
    assert {r.organization.name: r.cells[at].shown for r in report.rows}["太华路街道妇联"] == "<5"
    assert report.total.cells[at].shown in ("<5", "*")


def test_a_source_not_in_the_layout_follows_with_all_its_codes():
    offered = [figures.Source("zz", "后来的工作", {"a": "甲", "b": "乙"}, lambda ask: {}),
               figures.Source("cases", "维权案件", {"received": "收到", "closed": "结案", "extra": "未列"},
                              lambda ask: {})]
    groups = selectors.layout(offered)
    assert [g.source for g in groups] == ["cases", "zz"]
    assert [c.code for c in groups[0].columns] == ["cases.received", "cases.closed"]
    assert [c.code for c in groups[1].columns] == ["zz.a", "zz.b"]


def test_the_excel_holds_the_same_figures_with_hidden_counts_as_text(login, org, small_source):
    taihua = org("太华路街道妇联")
    client = login("taihua_fed")
    query = f"org={taihua.pk}&{_period(small_source)}"
    report = client.get(f"{URL}?{query}").context["report"]
    response = client.get(f"{URL}excel/?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[0] == "组织" and "妇女之家：活动次数" in header and "测试热线：来电" in header
    at = header.index("测试热线：来电")
    by_name = {r[0]: r for r in rows[3:] if r and r[0]}
    assert by_name["小留村妇联"][at] == "<5" and by_name["郭家村妇联"][at] == "*"
    total = next(r for name, r in by_name.items() if str(name).startswith("合计"))
    assert total[at] == 11
    activities = header.index("妇女之家：活动次数")
    codes = [c.code for c in report.columns]
    assert total[activities] == report.total.cells[codes.index("womenshome.activities")].value
    # 本级 (the township's own records) and its villages add up to the total; a column with a
    # hidden count has no 本级, so it cannot give the hidden count back.
    villages = [r for name, r in by_name.items() if name not in ("本级", "合计") and isinstance(r[activities], int)]
    assert sum(r[activities] for r in villages) + by_name["本级"][activities] == total[activities]
    assert by_name["本级"][at] is None
    assert rows[0][0] == "太华路街道妇联工作统计表" and rows[1][0].startswith("填报单位：太华路街道妇联　　统计期间：")
    assert sheet.print_title_rows == "$3:$3" and sheet.page_setup.fitToWidth == 1
    event = AuditEvent.objects.filter(event="reports.county.exported").latest("chain_index")
    assert event.changes["format"] == "xlsx"


def test_the_pdf_is_made_from_a_document_with_tables_a_portrait_page_can_hold(login, org):
    client = login("huayin_fed")
    report = client.get(URL).context["report"]
    content = county_export.content(report)
    tables = [s.table for s in content.sections if s.table is not None]
    assert len(tables) > 1 and all(len(t.header) <= county_export.PDF_COLUMNS + 1 for t in tables)
    assert all([row[0] for row in t.rows] == ["太华路街道妇联", "罗敷镇妇联", "合计"] for t in tables)
    # Every figure of the page is in exactly one table, in the page's order.
    shown = [cell for t in tables for cell in t.rows[-1][1:]]
    assert shown == [c.shown for c in report.total.cells]
    assert content.sections[1].heading.startswith("一、妇女之家覆盖")
    response = client.get(f"{URL}pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event="reports.county.exported", changes__format="pdf").exists()


def test_the_api_answers_codes_labels_and_the_same_suppressed_figures(api_client, login, org, small_source):
    taihua = org("太华路街道妇联")
    query = f"org={taihua.pk}&{_period(small_source)}"
    answer = api_client("taihua_fed").get(f"{API}?{query}")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    columns = {c["code"]: c for c in data["columns"]}
    assert columns["womenshome.activities"]["label"] == "活动次数"
    assert columns["countytest.calls"]["suppressing"] is True
    rows = {r["organization_name"]: {v["code"]: v for v in r["values"]} for r in data["rows"]}
    assert rows["小留村妇联"]["countytest.calls"] == {"code": "countytest.calls", "value": None, "shown": "<5"}
    assert rows["郭家村妇联"]["countytest.calls"]["shown"] == "*"
    totals = {v["code"]: v for v in data["total"]["values"]}
    assert totals["countytest.calls"]["value"] == 11
    page = login("taihua_fed").get(f"{URL}?{query}").context["report"]
    for row in page.rows:
        assert [c.shown for c in row.cells] == [v["shown"] for v in
                                                 next(r for r in data["rows"] if r["organization_id"] == row.organization.pk)["values"]]


def test_the_report_uses_the_roll_ups_for_closed_months(login, small_source):
    today = timezone.localdate()
    services.rollup_months([small_source], today=today)
    response = login("taihua_fed").get(f"{URL}?{_period(small_source)}")
    report = response.context["report"]
    assert report.kept_months == 1 and report.kept_until is not None and report.live_ranges == [
        (small_source, services.month_end(small_source))]  # only the codes never summed are read live
    assert "已结束的月份取自月度汇总" in response.content.decode()


def test_coverage_is_the_villages_and_their_built_sites_as_they_stand(login, org):
    from django.apps import apps

    huayin = org("华阴市妇联")
    report = login("huayin_fed").get(URL).context["report"]
    codes = [c.code for c in report.columns]
    units = Organization.objects.filter(path__startswith=huayin.path, kind="village_fed").count()
    covered = apps.get_model("womenshome", "WomensHome").objects.filter(
        organization__path__startswith=huayin.path, organization__kind="village_fed",
        status__in=["built", "standard", "model"]).count()
    assert units > 0 and covered > 0
    assert report.total.cells[codes.index("coverage.units")].value == units
    assert report.total.cells[codes.index("coverage.covered")].value == covered
    assert report.total.cells[codes.index("coverage.rate")].shown == f"{covered * 100 / units:.1f}".rstrip("0").rstrip(".")
