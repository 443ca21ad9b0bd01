"""The year's counts of 信息报送: the `news` figures source (submitted, adopted per organisation's
subtree) read through kernel.figures in a constant number of queries, and the ranking page of the
receiving federation (ranked by adopted, then submitted; a year picker; Excel)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from gongjian.kernel import figures
from gongjian.kernel.models import AuditEvent, Organization
from gongjian.kernel.tests.matrix import persona
from gongjian.reports.models import NewsSubmission
from gongjian.reports.selectors import news as selectors
from gongjian.reports.services import news as services

from .news_factories import adopt, send_back, submit

pytestmark = pytest.mark.django_db

CODES = ["news.submitted", "news.adopted"]


def _year() -> tuple[date, date]:
    year = timezone.localdate().year
    return date(year, 1, 1), date(year, 12, 31)


def _read(username: str, names: list[str]) -> dict[str, dict[str, int]]:
    orgs = [Organization.objects.get(name=name) for name in names]
    start, end = _year()
    got = figures.read(user=persona(username), organizations=orgs, start=start, end=end, codes=CODES)
    return {org.name: {code.split(".")[1]: int(value) for code, value in got[org.pk].items()} for org in orgs}


def test_the_news_source_counts_submitted_and_adopted_per_subtree():
    names = ["华阴市妇联", "太华路街道妇联", "小留村妇联", "郭家村妇联", "罗敷镇妇联"]
    before = _read("huayin_fed", names)
    adopt("taihua_fed", submit("xiaoliu_women", title="小留村第一篇"))
    send_back("taihua_fed", submit("xiaoliu_women", title="小留村第二篇"))
    submit("guojia_women", title="郭家村第一篇")
    services.news_withdraw(actor=persona("guojia_women"), submission=submit("guojia_women", title="郭家村撤回的"))
    after = _read("huayin_fed", names)
    delta = {name: {code: after[name][code] - before[name][code] for code in after[name]} for name in names}
    assert delta["小留村妇联"] == {"submitted": 2, "adopted": 1}
    assert delta["郭家村妇联"] == {"submitted": 1, "adopted": 0}  # a withdrawn piece is no piece sent
    assert delta["太华路街道妇联"] == {"submitted": 3, "adopted": 1}
    assert delta["华阴市妇联"] == delta["太华路街道妇联"]
    assert delta["罗敷镇妇联"] == {"submitted": 0, "adopted": 0}


def test_a_returned_and_resubmitted_piece_is_one_piece():
    before = _read("taihua_fed", ["小留村妇联"])["小留村妇联"]
    piece = send_back("taihua_fed", submit("xiaoliu_women"))
    services.news_revise(actor=persona("xiaoliu_women"), submission=piece, title=piece.title, body=piece.body,
                         byline=piece.byline)
    adopt("taihua_fed", piece)
    after = _read("taihua_fed", ["小留村妇联"])["小留村妇联"]
    assert after == {"submitted": before["submitted"] + 1, "adopted": before["adopted"] + 1}


def test_a_piece_counts_in_the_year_it_was_sent_and_the_year_it_was_adopted():
    piece = submit("xiaoliu_women", title="去年年底报送的稿件")
    last_year = timezone.now().replace(month=12, day=30) - timedelta(days=366)
    NewsSubmission.objects.filter(pk=piece.pk).update(first_submitted_at=last_year, submitted_at=last_year)
    before = _read("taihua_fed", ["小留村妇联"])["小留村妇联"]
    adopt("taihua_fed", NewsSubmission.objects.get(pk=piece.pk))
    after = _read("taihua_fed", ["小留村妇联"])["小留村妇联"]
    assert after == {"submitted": before["submitted"], "adopted": before["adopted"] + 1}


def test_figures_for_many_organisations_take_as_few_queries_as_for_one():
    for username in ("xiaoliu_women", "guojia_women"):
        adopt("taihua_fed", submit(username))
    few = [Organization.objects.get(name="小留村妇联")]
    many = list(Organization.objects.filter(kind__in=Organization.FEDERATION_KINDS,
                                            path__startswith=Organization.objects.get(name="华阴市妇联").path))
    assert len(many) > 20
    source = next(s for s in figures.sources() if s.name == "news")
    start, end = _year()
    counts = []
    for orgs in (few, many):
        with CaptureQueriesContext(connection) as queries:
            source.provide(figures.Ask(organizations=orgs, start=start, end=end))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2


def test_figures_refuse_an_organisation_out_of_reach():
    from django.http import Http404

    with pytest.raises(Http404):
        _read("xiaoliu_women", ["郭家村妇联"])


def test_the_ranking_puts_adopted_first_then_submitted_and_shares_ranks():
    start, _end = _year()
    adopt("taihua_fed", submit("guojia_women", title="郭家村被采用的"))
    adopt("taihua_fed", submit("guojia_women", title="郭家村又被采用的"))
    for n in range(3):
        submit("xiaoliu_women", title=f"小留村报送的{n}")
    rows = selectors.ranking(user=persona("taihua_fed"), organization=Organization.objects.get(name="太华路街道妇联"),
                             year=start.year)
    names = [row.organization.name for row in rows]
    assert names[0] == "郭家村妇联" and names.index("郭家村妇联") < names.index("小留村妇联")
    assert all(row.organization.kind == "village_fed" for row in rows)
    assert len(rows) == Organization.objects.filter(kind="village_fed", path__startswith=rows[0].organization.path[:8]).count()
    silent = [row for row in rows if row.submitted == 0]
    assert silent and len({row.rank for row in silent}) == 1  # equal counts share a rank
    ordered = [(row.adopted, row.submitted) for row in rows]
    assert ordered == sorted(ordered, reverse=True)


def test_the_ranking_page_the_year_picker_and_the_excel(login):
    adopt("taihua_fed", submit("guojia_women", title="排名页测试稿件"))
    client = login("taihua_fed")
    year = timezone.localdate().year
    page = client.get(f"/work/reports/news/ranking/?year={year}").content.decode()
    assert "郭家村妇联" in page and f"{year}年信息报送排名" in page
    assert "小留村妇联" in client.get("/work/reports/news/ranking/?year=1999").content.decode()  # falls back
    response = client.get(f"/work/reports/news/ranking.xlsx?year={year}")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[3]]
    assert header == ["名次", "单位", "报送篇数", "采用篇数", "采用率（%）"]
    first = [cell.value for cell in sheet[4]]
    assert first[1] == "郭家村妇联" and int(first[3]) >= 1
    assert AuditEvent.objects.filter(event="reports.news.ranking_exported").exists()


def test_the_county_ranks_townships_and_villages_by_their_own_pieces():
    adopt("huayin_fed", submit("taihua_fed", title="街道自己报送的"))
    rows = selectors.ranking(user=persona("huayin_fed"), organization=Organization.objects.get(name="华阴市妇联"),
                             year=_year()[0].year)
    by_name = {row.organization.name: row for row in rows}
    assert by_name["太华路街道妇联"].adopted >= 1 and "罗敷镇妇联" in by_name and "华阴市妇联" not in by_name
