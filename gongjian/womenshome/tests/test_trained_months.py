"""People trained per organiser and month (`TrainedMonth`), kept in step on write: asked with
`Ask.rolled` (the county report) people trained over whole months is a distinct count of those
rows, the partial months at either end are counted from the records, and the answer always equals
the live count from the attendance records — a person trained in two months is one person."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjian.kernel import figures
from gongjian.kernel.figures import Ask
from gongjian.kernel.models import Organization, Person
from gongjian.womenshome import rollups, services, stats
from gongjian.womenshome.models import ActivityKind, Attendance, TrainedMonth

from .factories import activity_data, make_activity, residents

pytestmark = pytest.mark.django_db

NAMES = ["华阴市妇联", "太华路街道妇联", "罗敷镇妇联", "小留村妇联", "郭家村妇联", "太华社区妇联"]


def trained(organizations: list[Organization], start: date, end: date, *, rolled: bool) -> dict[int, int]:
    answer = stats.offered(Ask(organizations=organizations, start=start, end=end, rolled=rolled,
                               codes=frozenset({"people_trained"})))
    return {pk: values["people_trained"] for pk, values in answer.items()}


def both(organizations: list[Organization], start: date, end: date) -> dict[int, int]:
    """The rolled answer, after checking it equals the live one."""
    rolled = trained(organizations, start, end, rolled=True)
    assert rolled == trained(organizations, start, end, rolled=False), (start, end)
    return rolled


def rows_of(person: Person) -> set[tuple[str, date]]:
    return {(name, month) for name, month in
            TrainedMonth.objects.filter(person=person).values_list("organization__name", "month")}


def test_whole_months_of_a_period():
    assert stats.whole_months(date(2026, 1, 1), date(2026, 12, 31)) == (date(2026, 1, 1), date(2026, 12, 1))
    assert stats.whole_months(date(2026, 1, 15), date(2026, 4, 29)) == (date(2026, 2, 1), date(2026, 3, 1))
    assert stats.whole_months(date(2025, 12, 2), date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 2, 1))
    assert stats.whole_months(date(2026, 3, 2), date(2026, 3, 30)) is None
    assert stats.whole_months(date(2026, 3, 2), date(2026, 4, 30)) == (date(2026, 4, 1), date(2026, 4, 1))


def test_a_person_trained_in_two_months_counts_once_and_every_change_is_kept_in_step(acting, org):
    director, street_lead = acting("xiaoliu_women"), acting("taihua_fed")
    village, street, county = org("小留村妇联"), org("太华路街道妇联"), org("华阴市妇联")
    asked = [county, street, village]
    person = Person.objects.create(name="两月学员", gender="F", organization=village)
    spring = (date(2025, 3, 1), date(2025, 4, 30))
    before = both(asked, *spring)
    march = make_activity(director, village, title="三月培训", date=date(2025, 3, 20))
    april = make_activity(director, village, title="四月培训", kind=ActivityKind.VOCATIONAL_TRAINING,
                          date=date(2025, 4, 8))
    first = services.attendance_add(actor=director, activity=march, person=person)
    second = services.attendance_add(actor=director, activity=april, person=person)
    assert rows_of(person) == {("小留村妇联", date(2025, 3, 1)), ("小留村妇联", date(2025, 4, 1))}
    after = both(asked, *spring)
    assert after == {pk: n + 1 for pk, n in before.items()}  # two months, one person
    # A period not aligned to months: 15 March (a partial month, live) to 30 April (a whole one).
    assert both(asked, date(2025, 3, 15), date(2025, 4, 30))[village.pk] >= 1
    assert both(asked, date(2025, 3, 21), date(2025, 4, 7))[village.pk] == before[village.pk]

    # A second training in March: removing one of the two March attendances keeps the row.
    again = make_activity(director, village, title="三月第二次培训", date=date(2025, 3, 27))
    third = services.attendance_add(actor=director, activity=again, person=person)
    services.attendance_remove(actor=street_lead, attendance=first)
    assert ("小留村妇联", date(2025, 3, 1)) in rows_of(person)
    services.attendance_remove(actor=street_lead, attendance=third)
    assert rows_of(person) == {("小留村妇联", date(2025, 4, 1))}
    assert both(asked, *spring) == after  # still trained, in April

    # The April training moves to May, then becomes a meeting, then a training of the street's.
    services.activity_update(actor=street_lead, activity=april, data=activity_data(
        village, title="四月培训", kind=ActivityKind.VOCATIONAL_TRAINING, date=date(2025, 5, 6)))
    assert rows_of(person) == {("小留村妇联", date(2025, 5, 1))}
    assert both(asked, *spring) == before
    services.activity_update(actor=street_lead, activity=april, data=activity_data(
        village, title="四月培训", kind=ActivityKind.MEETING, date=date(2025, 5, 6)))
    assert rows_of(person) == set()
    services.activity_update(actor=street_lead, activity=april, data=activity_data(
        street, title="四月培训", kind=ActivityKind.AGRI_TRAINING, date=date(2025, 5, 6)))
    assert rows_of(person) == {("太华路街道妇联", date(2025, 5, 1))}
    may = both(asked, date(2025, 5, 1), date(2025, 5, 31))
    assert may[street.pk] >= 1
    services.attendance_remove(actor=street_lead, attendance=second)
    assert rows_of(person) == set()
    assert both(asked, date(2025, 5, 1), date(2025, 5, 31))[street.pk] == may[street.pk] - 1


def test_the_rolled_answer_reads_the_roll_up_and_a_rebuild_repairs_it(acting, org):
    """Attendance deleted behind the services' back: the whole months still count it (they are
    read from the roll-up), the partial months do not (they are read live); the rebuild repairs it."""
    director = acting("xiaoliu_women")
    village, county = org("小留村妇联"), org("华阴市妇联")
    person = Person.objects.create(name="绕过服务", gender="F", organization=village)
    training = make_activity(director, village, title="六月培训", date=date(2025, 6, 10))
    services.attendance_add(actor=director, activity=training, person=person)
    whole, partial = (date(2025, 6, 1), date(2025, 6, 30)), (date(2025, 6, 2), date(2025, 6, 30))
    counted = trained([county, village], *whole, rolled=True)
    Attendance.objects.filter(person=person).delete()
    assert trained([county, village], *whole, rolled=True) == counted
    assert trained([county, village], *whole, rolled=False) == {pk: n - 1 for pk, n in counted.items()}
    assert trained([county, village], *partial, rolled=True) == trained([county, village], *partial, rolled=False)
    made = rollups.rebuild_trained_months()
    assert made == TrainedMonth.objects.count() > 0
    both([county, village], *whole)


def test_random_writes_and_periods_keep_the_rolled_answer_equal_to_the_live_count(acting, org):
    rng = random.Random(1404)
    users = {"小留村妇联": acting("xiaoliu_women"), "郭家村妇联": acting("guojia_women")}
    lead = acting("taihua_fed")
    people = residents("小留村妇联", 6) + residents("郭家村妇联", 6)
    kinds = [ActivityKind.AGRI_TRAINING, ActivityKind.VOCATIONAL_TRAINING, ActivityKind.MEETING]
    made = []
    for _step in range(40):
        step = rng.choice(["create", "attend", "attend", "unattend", "change"] if made else ["create"])
        if step == "create":
            where = rng.choice(list(users))
            made.append(make_activity(users[where], org(where), kind=rng.choice(kinds),
                                      date=date(2025, rng.randint(1, 12), rng.randint(1, 28))))
        elif step == "attend":
            activity = rng.choice(made)
            activity.refresh_from_db()
            person = rng.choice([p for p in people if activity.organization.contains(p.organization)] or [None])
            if person and not Attendance.objects.filter(activity=activity, person=person).exists():
                services.attendance_add(actor=lead, activity=activity, person=person)
        elif step == "unattend":
            row = Attendance.objects.filter(activity__in=made).order_by("?").first()
            if row:
                services.attendance_remove(actor=lead, attendance=row)
        else:
            activity = rng.choice(made)
            activity.refresh_from_db()
            services.activity_update(actor=lead, activity=activity, data=activity_data(
                activity.organization, kind=rng.choice(kinds), title=activity.title,
                date=date(2025, rng.randint(1, 12), rng.randint(1, 28))))
    asked = [org(name) for name in NAMES]
    for _period in range(12):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(330))
        end = start + timedelta(days=rng.randrange(1, 400))
        if rng.random() < 0.5:
            start, end = start.replace(day=1), stats.whole_months(start.replace(day=1), end + timedelta(days=31))[1]
            end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        both(asked, start, end)
    kept = set(TrainedMonth.objects.values_list("organization_id", "month", "person_id"))
    rollups.rebuild_trained_months()
    assert set(TrainedMonth.objects.values_list("organization_id", "month", "person_id")) == kept


def test_the_kernel_passes_rolled_to_the_source_and_the_count_matches_the_figures_page(acting, org):
    user = acting("huayin_fed")
    street = org("太华路街道妇联")
    start, end = date(2026, 1, 1), date(2026, 11, 30)
    answer = figures.answer(organizations=[street], start=start, end=end, codes=["womenshome.people_trained"],
                            rolled=True)
    page = stats.figures(user=user, organization=street, date_from=start, date_to=end)
    assert answer[street.pk]["womenshome.people_trained"] == page.people_trained > 0
    with CaptureQueriesContext(connection) as queries:
        figures.answer(organizations=[street], start=start, end=end, codes=["womenshome.people_trained"],
                       rolled=True)
    assert any("womenshome_trainedmonth" in q["sql"] for q in queries.captured_queries)


def test_the_rolled_answer_takes_the_same_number_of_queries_for_one_village_or_the_county(org):
    period = (date(2025, 12, 15), date(2026, 11, 20))  # both ends partial: the most queries

    def count(names: list[str]) -> int:
        organizations = [org(n) for n in names]
        with CaptureQueriesContext(connection) as queries:
            trained(organizations, *period, rolled=True)
        return len(queries.captured_queries)

    assert count(["小留村妇联"]) == count(NAMES)


def test_the_command_rebuilds_the_roll_ups_from_the_records_and_is_audited(acting, org):
    from django.core.management import call_command

    from gongjian.kernel.models import AuditEvent

    director = acting("xiaoliu_women")
    village = org("小留村妇联")
    person = Person.objects.create(name="命令重算", gender="F", organization=village)
    training = make_activity(director, village, title="七月培训", date=date(2025, 7, 10))
    services.attendance_add(actor=director, activity=training, person=person)
    kept = set(TrainedMonth.objects.values_list("organization_id", "month", "person_id"))
    TrainedMonth.objects.filter(person=person).delete()
    call_command("womenshome_rollups", "--trained-months", stdout=io.StringIO())
    assert set(TrainedMonth.objects.values_list("organization_id", "month", "person_id")) == kept
    TrainedMonth.objects.all().delete()
    call_command("womenshome_rollups", stdout=io.StringIO())
    assert set(TrainedMonth.objects.values_list("organization_id", "month", "person_id")) == kept
    assert AuditEvent.objects.filter(event="womenshome.rollups.rebuilt").count() == 2


def test_the_migration_fills_the_roll_up_from_the_records_already_there(acting, org):
    from types import SimpleNamespace

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    director = acting("xiaoliu_women")
    village = org("小留村妇联")
    training = make_activity(director, village, title="迁移前的培训", date=date(2025, 8, 10))
    services.attendance_add(actor=director, activity=training, person=residents("小留村妇联", 1)[0])
    kept = set(TrainedMonth.objects.values_list("organization_id", "month", "person_id"))
    TrainedMonth.objects.all().delete()
    loader = MigrationLoader(connection)
    (migration,) = [m for (app, name), m in loader.disk_migrations.items()
                    if app == "womenshome" and name.endswith("trained_month")]
    fill = next(op for op in migration.operations if op.__class__.__name__ == "RunPython").code
    fill(apps, SimpleNamespace(connection=connection))
    assert set(TrainedMonth.objects.values_list("organization_id", "month", "person_id")) == kept
