"""Statistics of rights cases: by category, channel, outcome and time to close; small counts shown as
"<5" once the figures leave the handling organisation; no names, ID numbers or phone numbers (Z-07);
the same through the API and through kernel.figures (source "cases", `suppress_below`)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from gongjian.kernel import figures
from gongjian.kernel.models import Organization
from gongjian.support.models import Case, CaseState, CaseStep, StepKind
from gongjian.support.selectors.case_stats import case_stats

from .factories import help_requested

pytestmark = pytest.mark.django_db

# A year no demo record lives in, so the counts are exactly the ones made here.
START, END = date(2020, 1, 1), date(2020, 12, 31)
PERIOD = {"start": "2020-01-01", "end": "2020-12-31"}
NAMES = ("王女士", "李女士", "赵秀兰")
MOBILE = re.compile(r"1[3-9]\d{9}|1[3-9]\d\*{4}\d{4}")
ID_NUMBER = re.compile(r"\d{17}[\dXx]|\d{4}\*{10}\d{3}[\dXx]")


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _case(org: Organization, received: date, *, closed: date | None = None, **overrides: object) -> Case:
    case, _p = help_requested(org, contact_name=NAMES[0], contact_mobile="13912345678", **overrides)
    fields: dict[str, object] = {"received_at": _at(received)}
    if closed is not None:
        fields.update(state=CaseState.CLOSED, due_on=None, closed_at=_at(closed), outcome="mediated")
    Case.objects.filter(pk=case.pk).update(**fields)
    return case


@pytest.fixture
def cases_2020(org):
    """Three cases at 小留村 (one closed after 4 days, one after 10), six at 郭家村 (all 婚姻家庭)."""
    xiaoliu, guojia = org("小留村妇联"), org("郭家村妇联")
    _case(xiaoliu, date(2020, 3, 2), closed=date(2020, 3, 6), category="domestic_violence", risk=True)
    _case(xiaoliu, date(2020, 4, 1), closed=date(2020, 4, 11))
    referred = _case(xiaoliu, date(2020, 5, 5))
    CaseStep.objects.create(case=referred, kind=StepKind.REFERRED, at=_at(date(2020, 5, 6)), organization=xiaoliu,
                            to_organization=org("太华路街道妇联"))
    for day in range(6):
        _case(guojia, date(2020, 6, 1 + day))


def _shown(lines, code):
    return next(line.value.shown for line in lines if line.code == code)


def test_the_township_sees_small_counts_as_under_five(acting, org, cases_2020):
    stats = case_stats(user=acting("taihua_fed"), organization=org("太华路街道妇联"), start=START, end=END)
    assert stats.suppressed
    assert _shown(stats.totals, "received") == "9"
    assert _shown(stats.totals, "closed") == "<5" and _shown(stats.totals, "risk") == "<5"
    assert _shown(stats.totals, "referred") == "<5"
    assert _shown(stats.by_category, "marriage_family") == "8" and _shown(stats.by_category, "domestic_violence") == "<5"
    assert _shown(stats.by_category, "property") == "0"
    assert _shown(stats.by_channel, "online") == "9"
    assert _shown(stats.by_outcome, "mediated") == "<5"
    assert stats.median_days == stats.average_days == "—"  # two closed cases: too few to tell
    rows = {row.organization.name: row for row in stats.per_organization if not row.own}
    assert rows["小留村妇联"].received.shown == "<5" and rows["郭家村妇联"].received.shown == "6"


def test_the_village_reads_its_own_figures_in_full(acting, org, cases_2020):
    stats = case_stats(user=acting("xiaoliu_women"), organization=org("小留村妇联"), start=START, end=END)
    assert not stats.suppressed
    assert _shown(stats.totals, "received") == "3" and _shown(stats.totals, "closed") == "2"
    assert _shown(stats.totals, "risk") == "1" and _shown(stats.totals, "referred") == "1"
    assert _shown(stats.by_category, "domestic_violence") == "1"
    assert _shown(stats.by_outcome, "mediated") == "2"
    assert stats.median_days == "7.0" and stats.average_days == "7.0"


def test_the_county_reading_a_village_still_sees_under_five(acting, org, cases_2020):
    stats = case_stats(user=acting("huayin_fed"), organization=org("小留村妇联"), start=START, end=END)
    assert stats.suppressed and _shown(stats.totals, "received") == "<5"


def test_the_statistics_page_shows_no_names_id_numbers_or_phone_numbers(login, org, cases_2020):
    for username, target in (("taihua_fed", ""), ("huayin_fed", ""), ("xiaoliu_women", "")):
        response = login(username).get("/work/support/cases/stats/", {**PERIOD, **({"org": target} if target else {})})
        assert response.status_code == 200
        page = response.content.decode()
        assert not MOBILE.search(page) and not ID_NUMBER.search(page)
        assert not any(name in page for name in NAMES)
        assert "丈夫长期不给家用" not in page
    township = login("taihua_fed").get("/work/support/cases/stats/", PERIOD).content.decode()
    assert "&lt;5" in township and "郭家村妇联" in township


@pytest.mark.parametrize("username", ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women",
                                      "taihua_party", "xiaoliu_branch", "auditor", "secadmin", "sysadmin"])
def test_who_opens_the_statistics(login, username):
    status = login(username).get("/work/support/cases/stats/").status_code
    assert status == (200 if username in {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women",
                                          "guojia_women"} else 403)


def test_the_statistics_api_answers_counts_with_small_ones_hidden(api_client, org, cases_2020):
    taihua = org("太华路街道妇联")
    response = api_client("taihua_fed").get("/api/v1/stats/cases", {"org": taihua.pk, "from": "2020-01-01",
                                                                    "to": "2020-12-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["suppressed"] is True and body["organization_name"] == "太华路街道妇联"
    totals = {cell["code"]: cell for cell in body["totals"]}
    assert totals["received"] == {"code": "received", "label": "收到求助", "count": 9, "shown": "9"}
    assert totals["closed"]["count"] is None and totals["closed"]["shown"] == "<5"
    orgs = {row["organization_name"]: row for row in body["per_organization"]}
    assert orgs["小留村妇联"]["received"] == "<5" and orgs["郭家村妇联"]["received"] == "6"
    text = response.content.decode()
    assert not MOBILE.search(text) and not ID_NUMBER.search(text) and not any(n in text for n in NAMES)


def test_the_statistics_api_refuses_an_organisation_out_of_reach(api_client, org):
    assert api_client("taihua_fed").get("/api/v1/stats/cases", {"org": org("灵沙乡妇联").pk}).status_code == 404
    assert api_client("xiaoliu_women").get("/api/v1/stats/cases", {"org": org("太华路街道妇联").pk}).status_code == 404
    assert api_client("taihua_party").get("/api/v1/stats/cases").status_code == 403
    assert api_client("taihua_fed").get("/api/v1/stats/cases", {"from": "2020-02-01", "to": "2020-01-01"}
                                        ).status_code == 400


def test_the_village_api_reads_its_own_counts(api_client, cases_2020):
    body = api_client("xiaoliu_women").get("/api/v1/stats/cases", {"from": "2020-01-01", "to": "2020-12-31"}).json()
    assert body["suppressed"] is False
    assert {c["code"]: c["count"] for c in body["totals"]}["received"] == 3
    assert body["median_days_to_close"] == "7.0"


def test_the_page_refuses_an_organisation_out_of_reach(login, org):
    assert login("taihua_fed").get("/work/support/cases/stats/", {"org": org("灵沙乡妇联").pk}).status_code == 404


# ------------------------------------------------------------------------------ kernel.figures


def test_the_cases_source_hides_small_counts_from_readers_above(acting, org, cases_2020):
    taihua, xiaoliu, guojia = org("太华路街道妇联"), org("小留村妇联"), org("郭家村妇联")
    above = figures.read(user=acting("taihua_fed"), organizations=[taihua, xiaoliu, guojia], start=START, end=END,
                         codes=["cases.received", "cases.closed", "cases.risk", "cases.referred"])
    assert above[taihua.pk]["cases.received"] == 9
    assert isinstance(above[taihua.pk]["cases.closed"], figures.Suppressed)
    assert str(above[xiaoliu.pk]["cases.received"]) == "<5" and above[xiaoliu.pk]["cases.received"] == 0
    assert above[guojia.pk]["cases.received"] == 6
    own = figures.read(user=acting("xiaoliu_women"), organizations=[xiaoliu], start=START, end=END,
                       codes=["cases.received", "cases.closed", "cases.risk", "cases.referred"])
    assert own[xiaoliu.pk] == {"cases.received": 3, "cases.closed": 2, "cases.risk": 1, "cases.referred": 1}
    assert not any(isinstance(v, figures.Suppressed) for v in own[xiaoliu.pk].values())


def test_the_cases_source_counts_overdue_cases_now(acting, org):
    xiaoliu = org("小留村妇联")
    before = figures.read(user=acting("xiaoliu_women"), organizations=[xiaoliu], start=START, end=END,
                          codes=["cases.overdue"])[xiaoliu.pk]["cases.overdue"]
    case, _p = help_requested(xiaoliu)
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    after = figures.read(user=acting("xiaoliu_women"), organizations=[xiaoliu], start=START, end=END,
                         codes=["cases.overdue"])[xiaoliu.pk]["cases.overdue"]
    assert after == before + 1


def test_a_source_with_suppress_below_hides_counts_from_one_to_below(acting, org):
    taihua, xiaoliu = org("太华路街道妇联"), org("小留村妇联")
    values = {taihua.pk: 3, xiaoliu.pk: 0}
    figures.offer(figures.Source("suppressed_test", "测试", {"n": "件数"},
                                 lambda ask: {o.pk: {"n": values.get(o.pk, 0)} for o in ask.organizations},
                                 suppress_below=5))
    figures.offer(figures.Source("plain_test", "测试", {"n": "件数"},
                                 lambda ask: {o.pk: {"n": 3} for o in ask.organizations}))
    try:
        got = figures.read(user=acting("taihua_fed"), organizations=[taihua, xiaoliu], start=START, end=END,
                           codes=["suppressed_test.n", "plain_test.n"])
        hidden = got[taihua.pk]["suppressed_test.n"]
        assert isinstance(hidden, figures.Suppressed) and str(hidden) == "<5" and f"{hidden}" == "<5"
        assert hidden + 1 == 1  # arithmetic never reveals it
        assert got[xiaoliu.pk]["suppressed_test.n"] == 0 and not isinstance(got[xiaoliu.pk]["suppressed_test.n"],
                                                                            figures.Suppressed)
        assert got[taihua.pk]["plain_test.n"] == 3
        values[taihua.pk] = 5
        assert figures.read(user=acting("taihua_fed"), organizations=[taihua], start=START, end=END,
                            codes=["suppressed_test.n"])[taihua.pk]["suppressed_test.n"] == 5
        values[xiaoliu.pk] = 2
        own = figures.read(user=acting("xiaoliu_women"), organizations=[xiaoliu], start=START, end=END,
                           codes=["suppressed_test.n"])
        assert own[xiaoliu.pk]["suppressed_test.n"] == 2 and not isinstance(own[xiaoliu.pk]["suppressed_test.n"],
                                                                            figures.Suppressed)
        rows = figures.read_one(user=acting("taihua_fed"), organization=xiaoliu, start=START, end=END,
                                codes=["suppressed_test.n"])
        assert [str(r.value) for r in rows] == ["<5"]
    finally:
        figures.withdraw("suppressed_test")
        figures.withdraw("plain_test")


def test_the_period_ends_with_its_last_day(acting, org):
    xiaoliu = org("小留村妇联")
    _case(xiaoliu, date(2021, 12, 31))
    in_year = case_stats(user=acting("xiaoliu_women"), organization=xiaoliu, start=date(2021, 1, 1),
                         end=date(2021, 12, 31))
    before = case_stats(user=acting("xiaoliu_women"), organization=xiaoliu, start=date(2021, 1, 1),
                        end=date(2021, 12, 31) - timedelta(days=1))
    assert _shown(in_year.totals, "received") == "1" and _shown(before.totals, "received") == "0"


@pytest.mark.parametrize("username", ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women",
                                      "taihua_party", "xiaoliu_branch"])
def test_who_reads_the_statistics_through_the_api(api_client, username):
    status = api_client(username).get("/api/v1/stats/cases").status_code
    assert status == (403 if username in {"taihua_party", "xiaoliu_branch"} else 200)
