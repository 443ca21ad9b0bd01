"""The county report answered from the monthly roll-ups equals `figures.read` live — for random
organisations and periods, on the demo's records of every body of work and on a test source with
random events, before and after records are entered late into past months (ADR county-roll-ups:
the last closed months are recomputed each night, the rest by the weekly rebuild)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from gongjian.kernel import access, figures
from gongjian.kernel.models import Organization

from ..models import FigureMonth, RolledMonth
from ..selectors import county as selectors
from ..services import county as services

pytestmark = pytest.mark.django_db

#: The test source's events: (recording organisation, day, how many).
EVENTS: list[tuple[int, date, int]] = []


def _provide(ask: figures.Ask) -> figures.Answer:
    counts: dict[int, dict[str, figures.Number]] = defaultdict(lambda: defaultdict(int))
    for org_id, day, n in EVENTS:
        if day <= ask.end:
            counts[org_id]["stock"] += n  # everything up to the period's end: not additive
        if ask.start <= day <= ask.end:
            counts[org_id]["events"] += n
            counts[org_id]["calls"] += 1
    answer = figures.rollup_many({k: dict(v) for k, v in counts.items()}, list(ask.organizations))
    return {pk: {code: v for code, v in values.items() if ask.wants(code)} for pk, values in answer.items()}


@pytest.fixture
def test_source():
    EVENTS.clear()
    figures.offer(figures.Source("countytest", "测试来源", {"events": "事件", "calls": "来电", "stock": "累计"},
                                 _provide, additive=frozenset({"events", "calls"}), suppress_below=5))
    yield
    figures.withdraw("countytest")
    EVENTS.clear()


def _orgs_of(root: Organization) -> list[Organization]:
    return list(Organization.objects.filter(path__startswith=root.path))


def _live(user, organization, start, end, codes):
    return figures.read(user=user, organizations=[organization, *selectors.below(organization)],
                        start=start, end=end, codes=codes)


def _kept(user, organization, start, end, codes):
    organizations = [organization, *selectors.below(organization)]
    values, kept_months, _ranges = selectors.raw_figures(organizations=organizations, start=start, end=end,
                                                         codes=codes)
    shown = {org.pk: {code: figures.shown(user, org, code, values[org.pk][code]) for code in codes}
             for org in organizations}
    return shown, kept_months


def _as_text(answer):
    # Suppressed reads "<5" and equals 0: compare whether a value is hidden, and the numbers (a kept
    # Decimal may carry more places than the live one: 12.0000 == 12.0).
    return {org: {code: (isinstance(v, figures.Suppressed), str(v) if isinstance(v, figures.Suppressed) else v)
                  for code, v in values.items()} for org, values in answer.items()}


def _random_period(rng: random.Random, today: date) -> tuple[date, date]:
    first = today - timedelta(days=3 * 365)
    start = first + timedelta(days=rng.randrange(3 * 365))
    end = min(start + timedelta(days=rng.randrange(20, 900)), date(today.year, 12, 31))
    if rng.random() < 0.4:  # whole months too, the kept path's best case
        start, end = start.replace(day=1), services.month_end(end)
    return start, end


def _compare(rng, acting, readers, codes, today, rounds=6):
    used = 0
    for _round in range(rounds):
        username = rng.choice(readers)
        user = acting(username)
        reach = list(access.visible(user, Organization.objects.all()))
        organization = rng.choice(reach)
        start, end = _random_period(rng, today)
        kept, months = _kept(user, organization, start, end, codes)
        assert _as_text(kept) == _as_text(_live(user, organization, start, end, codes)), (
            username, organization.name, start, end)
        used += months
    return used


def test_the_report_from_roll_ups_equals_the_live_figures_of_every_body_of_work(acting):
    today = timezone.localdate()
    services.rebuild(today=today, since=date(today.year - 3, 1, 1))
    assert FigureMonth.objects.exists() and RolledMonth.objects.exists()
    codes = [code for code, _label in figures.catalogue()]
    used = _compare(random.Random(14), acting, ["huayin_fed", "taihua_fed", "taihua_party", "xiaoliu_women"],
                    codes, today, rounds=10)
    assert used > 0  # the roll-ups were used, not only the live path


def test_random_events_and_late_records_are_caught_by_the_nightly_and_weekly_jobs(acting, test_source):
    today = timezone.localdate()
    rng = random.Random(1414)
    county = Organization.objects.get(name="华阴市妇联")
    places = _orgs_of(county)
    for _i in range(400):
        day = today - timedelta(days=rng.randrange(3 * 365))
        EVENTS.append((rng.choice(places).pk, day, rng.randrange(1, 4)))
    call_command("reports_county_rollup", "--rebuild", "--since", f"{today.year - 3}-01")
    codes = ["countytest.events", "countytest.calls", "countytest.stock", "womenshome.activities",
             "womenshome.person_times", "cases.received"]
    assert _compare(rng, acting, ["huayin_fed", "taihua_fed"], codes, today) > 0

    # Late into last month (and into the month before): the nightly job catches them.
    last_month = services.month_start(services.month_start(today) - timedelta(days=1))
    for _i in range(30):
        EVENTS.append((rng.choice(places).pk, last_month + timedelta(days=rng.randrange(27)), 2))
    activity = apps.get_model("womenshome", "Activity")
    village = Organization.objects.get(name="小留村妇联")
    late_day = last_month + timedelta(days=3)
    activity.objects.create(organization=village, kind="lecture", title="补录的讲座", date=late_day,
                            month=late_day.replace(day=1), head_count=12, attendance_mode="headcount")
    user = acting("huayin_fed")
    period = (date(today.year - 2, 1, 1), services.month_end(last_month))
    stale, _months = _kept(user, county, *period, codes)
    assert _as_text(stale) != _as_text(_live(user, county, *period, codes))  # not caught yet
    call_command("reports_county_rollup")
    fresh, months = _kept(user, county, *period, codes)
    assert months > 12
    assert _as_text(fresh) == _as_text(_live(user, county, *period, codes))

    # Late into a month the nightly job no longer recomputes: the weekly rebuild catches it.
    old = services.month_start(today - timedelta(days=300))
    EVENTS.append((village.pk, old + timedelta(days=5), 3))
    call_command("reports_county_rollup")
    stale, _months = _kept(user, county, *period, codes)
    assert _as_text(stale) != _as_text(_live(user, county, *period, codes))
    call_command("reports_county_rollup", "--rebuild", "--since", f"{today.year - 3}-01")
    fresh, _months = _kept(user, county, *period, codes)
    assert _as_text(fresh) == _as_text(_live(user, county, *period, codes))
    assert _compare(rng, acting, ["huayin_fed", "taihua_fed", "xiaoliu_women"], codes, today) > 0


def test_a_source_offered_after_the_roll_ups_is_read_live_until_it_is_rolled_up(acting, test_source):
    today = timezone.localdate()
    figures.withdraw("countytest")
    services.rebuild(today=today, since=date(today.year - 1, 1, 1))
    figures.offer(figures.Source("countytest", "测试来源", {"events": "事件", "calls": "来电", "stock": "累计"},
                                 _provide, additive=frozenset({"events", "calls"}), suppress_below=5))
    village = Organization.objects.get(name="小留村妇联")
    EVENTS.append((village.pk, date(today.year - 1, 3, 10), 7))
    user = acting("huayin_fed")
    county = Organization.objects.get(name="华阴市妇联")
    period = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    kept, _months = _kept(user, county, *period, ["countytest.events"])
    assert kept[county.pk]["countytest.events"] == 7  # no kept month of this source: read live
    # A source whose additive codes changed since is read live too.
    services.rebuild(today=today, since=date(today.year - 1, 1, 1))
    figures.offer(figures.Source("countytest", "测试来源", {"events": "事件", "calls": "来电", "stock": "累计"},
                                 _provide, additive=frozenset({"events"}), suppress_below=5))
    EVENTS.append((village.pk, date(today.year - 1, 4, 10), 2))
    kept, _months = _kept(user, county, *period, ["countytest.events", "countytest.calls"])
    assert kept[county.pk]["countytest.events"] == 9


def test_an_open_month_is_never_kept():
    today = timezone.localdate()
    services.rollup_months([services.month_start(today)], today=today)
    assert not RolledMonth.objects.filter(month=services.month_start(today)).exists()


def test_suppression_is_applied_when_read_never_stored(acting, test_source):
    today = timezone.localdate()
    village = Organization.objects.get(name="小留村妇联")
    month = services.month_start(services.month_start(today) - timedelta(days=40))
    EVENTS.append((village.pk, month + timedelta(days=1), 1))
    EVENTS.append((village.pk, month + timedelta(days=2), 1))
    services.rollup_months([month], today=today)
    assert FigureMonth.objects.get(organization=village, month=month, code="countytest.calls").value == 2
    period = (month, services.month_end(month))
    above, _m = _kept(acting("taihua_fed"), village, *period, ["countytest.calls"])
    own, _m = _kept(acting("xiaoliu_women"), village, *period, ["countytest.calls"])
    assert str(above[village.pk]["countytest.calls"]) == "<5"
    assert own[village.pk]["countytest.calls"] == 2
