"""The figures come from the records: counted live for any organisation and period, kept in
monthly roll-ups for the dashboards, and the two always agree."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjian.kernel.models import Person
from gongjian.kernel.tests.matrix import persona
from gongjian.womenshome import rollups, services, stats
from gongjian.womenshome.models import (
    Activity,
    ActivityKind,
    Attendance,
    MonthlyFigure,
    TrainedMonth,
    TrainedPerson,
)

from .factories import activity_data, make_activity, residents

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def taihua_figures(org, site=None):
    return stats.figures(user=persona("taihua_fed"), organization=org("太华路街道妇联"), date_from=YEAR[0],
                         date_to=YEAR[1], site=site)


def test_the_demo_street_reports_what_the_seed_quotes(org):
    """第一篇: 26 of 26 sites, trainings 10余次 with 500余人, 公益演出二十多次."""
    figures = taihua_figures(org)
    assert (figures.coverage.covered, figures.coverage.units) == (26, 26)
    assert figures.training_sessions >= 10
    assert figures.people_trained >= 500
    assert figures.public_performances >= 20


def test_a_training_with_three_people_moves_the_figures_by_one_session_and_three_people(acting, org):
    before = taihua_figures(org)
    director = acting("xiaoliu_women")
    activity = make_activity(director, org("小留村妇联"), title="新增培训")
    newcomers = [Person.objects.create(name=f"新学员{i}", gender="F", organization=org("小留村妇联")) for i in range(3)]
    for person in newcomers:
        services.attendance_add(actor=director, activity=activity, person=person)
    after = taihua_figures(org)
    assert after.training_sessions == before.training_sessions + 1
    assert after.people_trained == before.people_trained + 3
    assert after.person_times == before.person_times + 3
    assert after.hours == before.hours + Decimal("3")
    dashboard = stats.dashboard(user=acting("huayin_fed"), organization=org("太华路街道妇联"), year=2026)
    assert (dashboard.training_sessions, dashboard.people_trained) == (after.training_sessions, after.people_trained)


def test_a_head_count_training_adds_person_times_but_not_distinct_people(acting, org):
    before = taihua_figures(org)
    make_activity(acting("xiaoliu_women"), org("小留村妇联"), attendance_mode="headcount", head_count=40)
    after = taihua_figures(org)
    assert after.training_sessions == before.training_sessions + 1
    assert after.people_trained == before.people_trained
    assert after.training_head_count == before.training_head_count + 40
    assert after.training_person_times == before.training_person_times + 40


def test_each_figure_drills_down_to_its_records(login, org):
    figures = taihua_figures(org)
    client = login("taihua_fed")
    query = {"org": org("太华路街道妇联").pk, "from": "2026-01-01", "to": "2026-12-31", "per_page": 100}
    trained, page = 0, 1
    while True:
        body = client.get("/work/womenshome/trained/", {**query, "page": page}).content.decode()
        trained += body.count("参训 ")
        if "下一页" not in body:
            break
        page += 1
    assert trained == figures.people_trained
    rows = client.get("/work/womenshome/activities/", {**query, "training": "1"}).content.decode()
    assert rows.count('class="list-row') == figures.training_sessions
    performances = client.get("/work/womenshome/activities/", {**query, "performance": "1"}).content.decode()
    assert performances.count('class="list-row') == figures.public_performances


def test_the_figures_page_shows_the_numbers_and_the_chart_data(login, org):
    figures = taihua_figures(org)
    page = login("taihua_fed").get("/work/womenshome/figures/", {"from": "2026-01-01", "to": "2026-12-31"})
    body = page.content.decode()
    assert page.status_code == 200
    assert f'<span class="wh-figure-value">{figures.people_trained}</span>' in body
    assert 'id="wh-chart-data" type="application/json"' in body and "monthTraining" in body
    assert "/static/vendor/echarts/echarts.min.js" in body and "cdn" not in body.lower()
    assert "小留村妇联" in body  # the breakdown by village


def test_the_api_gives_the_same_figures(api_client, org):
    figures = taihua_figures(org)
    data = api_client("taihua_fed").get("/api/v1/stats/activities", {
        "org": org("太华路街道妇联").pk, "from": "2026-01-01", "to": "2026-12-31"}).json()
    assert data["training_sessions"] == figures.training_sessions
    assert data["people_trained"] == figures.people_trained
    assert data["public_performances"] == figures.public_performances
    assert data["sites_built"] == 26 and data["units"] == 26


def test_the_report_groups_by_the_stored_month_not_trunc_month(acting, org):
    """On SQLite Django evaluates TruncMonth in Python for every row; the figures never use it."""
    with CaptureQueriesContext(connection) as small:
        taihua_figures(org)
    sql = " ".join(q["sql"] for q in small.captured_queries)
    assert "django_date_trunc" not in sql and "DATE_TRUNC" not in sql.upper()
    with CaptureQueriesContext(connection) as county:
        stats.figures(user=acting("huayin_fed"), organization=org("华阴市妇联"), date_from=YEAR[0], date_to=YEAR[1])
    assert len(county.captured_queries) == len(small.captured_queries)


def test_the_breakdown_by_village_takes_a_fixed_number_of_queries_and_adds_up(acting, org, django_assert_max_num_queries):
    reader, street = acting("huayin_fed"), org("太华路街道妇联")
    with django_assert_max_num_queries(8):
        rows = stats.breakdown(user=reader, organization=street, date_from=YEAR[0], date_to=YEAR[1])
    total = taihua_figures(org)
    own = Activity.objects.filter(organization=org("太华路街道妇联"), date__year=2026).count()
    assert sum(r.activities for r in rows) + own == total.activities


def rollup_state() -> tuple[set, set, set]:
    figures = set(MonthlyFigure.objects.values_list("organization_id", "month", "kind", "activities", "hours",
                                                    "attendances", "head_count", "public_performances"))
    trained = set(TrainedPerson.objects.values_list("organization_id", "year", "person_id"))
    months = set(TrainedMonth.objects.values_list("organization_id", "month", "person_id"))
    return figures, trained, months


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_roll_ups_kept_on_write_always_equal_a_rebuild_from_the_records(acting, org, seed):
    rng = random.Random(seed)
    users = {"小留村妇联": acting("xiaoliu_women"), "郭家村妇联": acting("guojia_women"),
             "太华路街道妇联": acting("taihua_fed")}
    people = residents("小留村妇联", 5) + residents("郭家村妇联", 5)
    kinds = [ActivityKind.AGRI_TRAINING, ActivityKind.VOCATIONAL_TRAINING, ActivityKind.HEALTH, ActivityKind.MEETING]
    made: list[Activity] = []
    for _ in range(12):
        step = rng.choice(["create", "attend", "unattend", "change"] if made else ["create"])
        if step == "create":
            where = rng.choice(list(users))
            made.append(make_activity(users[where], org(where), kind=rng.choice(kinds),
                                      date=date(rng.choice([2025, 2026]), rng.randint(1, 12), 15)))
        elif step == "attend":
            activity = rng.choice(made)
            person = rng.choice([p for p in people if activity.organization.contains(p.organization)] or [None])
            if person and not Attendance.objects.filter(activity=activity, person=person).exists():
                services.attendance_add(actor=users["太华路街道妇联"], activity=activity, person=person)
        elif step == "unattend":
            row = Attendance.objects.filter(activity__in=made).first()
            if row:
                services.attendance_remove(actor=users["太华路街道妇联"], attendance=row)
        else:
            activity = rng.choice(made)
            activity.refresh_from_db()
            data = activity_data(activity.organization, kind=rng.choice(kinds),
                                 date=date(rng.choice([2025, 2026]), rng.randint(1, 12), 3), hours=Decimal("1.5"),
                                 site=None, title=activity.title)
            if rng.random() < 0.3 and activity.organization.name != "太华路街道妇联":
                data["organization"] = org("太华路街道妇联")  # the street takes it over
            services.activity_update(actor=users["太华路街道妇联"], activity=activity, data=data)
    kept = rollup_state()
    rollups.rebuild()
    rebuilt = rollup_state()
    assert rebuilt[0] ^ kept[0] == set() and rebuilt[1] ^ kept[1] == set(), (rebuilt[0] - kept[0], kept[0] - rebuilt[0], rebuilt[1] - kept[1], kept[1] - rebuilt[1])
    assert rebuilt[2] == kept[2] and rebuilt[2], (rebuilt[2] - kept[2], kept[2] - rebuilt[2])
    for year in (2025, 2026):
        for name in ("太华路街道妇联", "小留村妇联", "华阴市妇联"):
            live = stats.figures(user=acting("huayin_fed"), organization=org(name), date_from=date(year, 1, 1), date_to=date(year, 12, 31))
            board = stats.dashboard(user=acting("huayin_fed"), organization=org(name), year=year)
            assert [(r.kind, r.activities, r.person_times, r.hours) for r in live.by_kind] == \
                   [(r.kind, r.activities, r.person_times, r.hours) for r in board.by_kind]
            assert live.people_trained == board.people_trained


def test_a_calendar_year_breakdown_from_the_roll_ups_equals_the_live_one(acting, org):
    make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="又一次培训")
    live = stats.breakdown(user=acting("huayin_fed"), organization=org("太华路街道妇联"), date_from=YEAR[0], date_to=YEAR[1])
    kept = stats.breakdown_year(user=acting("huayin_fed"), organization=org("太华路街道妇联"), year=2026)
    fields = ("activities", "training_sessions", "people_trained", "person_times", "public_performances", "hours")
    assert [[getattr(r, f) for f in fields] for r in live] == [[getattr(r, f) for f in fields] for r in kept]


def test_a_period_that_is_not_a_calendar_year_is_counted_live(acting, login, org):
    import re

    body = login("taihua_fed").get("/work/womenshome/figures/", {"from": "2026-03-01", "to": "2026-06-30"}).content
    live = stats.figures(user=acting("huayin_fed"), organization=org("太华路街道妇联"), date_from=date(2026, 3, 1), date_to=date(2026, 6, 30))
    shown = re.search(r'data-figure="training" href="[^"]*"><span class="wh-figure-value">(\d+)<', body.decode())
    assert shown and int(shown.group(1)) == live.training_sessions < taihua_figures(org).training_sessions


def test_figures_are_never_read_for_an_organisation_out_of_the_readers_reach(acting, org):
    from django.http import Http404

    village = acting("xiaoliu_women")
    for read in (lambda: stats.figures(user=village, organization=org("太华路街道妇联"), date_from=YEAR[0],
                                       date_to=YEAR[1]),
                 lambda: stats.dashboard(user=village, organization=org("郭家村妇联"), year=2026),
                 lambda: stats.breakdown(user=village, organization=org("华阴市妇联"), date_from=YEAR[0],
                                         date_to=YEAR[1]),
                 lambda: stats.breakdown_year(user=acting("lingsha_fed"), organization=org("太华路街道妇联"),
                                              year=2026)):
        with pytest.raises(Http404):
            read()
    assert stats.dashboard(user=village, organization=org("小留村妇联"), year=2026).organization.name == "小留村妇联"


def test_the_period_presets_are_this_month_this_quarter_and_this_year():
    from gongjian.womenshome.exports import period_presets

    presets = period_presets(date(2026, 11, 17), start=date(2026, 10, 1), end=date(2026, 12, 31))
    assert [(p["label"], p["from"], p["to"], p["active"]) for p in presets] == [
        ("本月", "2026-11-01", "2026-11-30", False),
        ("本季度", "2026-10-01", "2026-12-31", True),
        ("本年", "2026-01-01", "2026-12-31", False),
    ]
    february = period_presets(date(2028, 2, 10))
    assert (february[0]["to"], february[1]["from"], february[1]["to"]) == ("2028-02-29", "2028-01-01", "2028-03-31")


def test_the_figures_page_offers_one_tap_periods_and_says_what_counts_as_training(login):
    import re

    from django.utils import timezone

    client = login("taihua_fed")
    today = timezone.localdate()
    page = client.get("/work/womenshome/figures/", {"from": today.replace(day=1).isoformat(),
                                                     "to": exports_month_end(today).isoformat()}).content.decode()
    month = re.search(r'<a class="btn btn-lg ([\w-]+)" aria-current="true" data-preset="month" href="([^"]+)"', page)
    assert month and month.group(1) == "btn-gj"
    assert f"from={today.replace(day=1).isoformat()}" in month.group(2)
    assert 'data-preset="quarter"' in page and 'data-preset="year"' in page
    assert "只计类型为农用技术培训、职业技能培训的活动" in page
    dashboard = client.get("/work/womenshome/").content.decode()
    assert "只计类型为农用技术培训、职业技能培训的活动" in dashboard
    assert re.search(r'data-preset="quarter" href="/work/womenshome/figures/\?org=\d+&amp;from=', dashboard)


def exports_month_end(day: date) -> date:
    from datetime import timedelta

    return date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)
