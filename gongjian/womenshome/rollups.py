"""Monthly roll-ups of the figures, kept up to date on write (called by services, never signals).

For every activity, the organiser and each of its ancestors has a `MonthlyFigure` row for the
activity's month and kind, and a `TrainedPerson` row per person trained there in the year. A
township's or county's dashboard then reads a few dozen rows of its own instead of rescanning
every attendance record below it (ADR 0022). The organiser alone has a `TrainedMonth` row per
person trained at its trainings in the month: people trained in any subtree over whole months
(`stats.offered`, asked for roll-ups by the county report) is a distinct count of those rows. The live figures (`stats.figures`) stay the
reference: `rebuild()` recomputes the roll-ups from the records, and a test checks that the
incremental upkeep and the rebuild always agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from gongjian.kernel import access
from gongjian.kernel.models import Organization

from .models import (
    TRAINING_KINDS,
    Activity,
    MonthlyFigure,
    TrainedMonth,
    TrainedPerson,
)
from .models import Attendance as AttendanceModel

Cell = tuple[int, date, str]  # (organisation id, month, kind)


def ancestor_ids(organization: Organization) -> list[int]:
    """The organisation and every organisation above it, top first."""
    steplen = organization.steplen
    paths = [organization.path[: steplen * i] for i in range(1, organization.depth + 1)]
    by_path = dict(Organization.objects.filter(path__in=paths).values_list("path", "id"))
    return [by_path[p] for p in paths if p in by_path]


def cells_of(activity: Activity, ancestors: list[int] | None = None) -> set[Cell]:
    ids = ancestors if ancestors is not None else ancestor_ids(activity.organization)
    return {(org_id, activity.month, activity.kind) for org_id in ids}


def _organizations(org_ids: Iterable[int]) -> dict[int, Organization]:
    return Organization.objects.in_bulk(set(org_ids))


def refresh_cells(cells: set[Cell]) -> None:
    """Recompute the named roll-up cells exactly from the records."""
    if not cells:
        return
    orgs = _organizations(c[0] for c in cells)
    for org_id, month, kind in cells:
        org = orgs.get(org_id)
        if org is None:
            continue
        activities = access.within(Activity.objects.filter(month=month, kind=kind), org)
        totals = activities.aggregate(
            activities=Count("id"), hours=Sum("hours"),
            head_count=Sum("head_count"),
            public_performances=Count("id", filter=Q(is_public_performance=True)),
        )
        attendances = AttendanceModel.objects.filter(activity__in=activities).count()
        if not totals["activities"]:
            MonthlyFigure.objects.filter(organization_id=org_id, month=month, kind=kind).delete()
            continue
        MonthlyFigure.objects.update_or_create(
            organization_id=org_id, month=month, kind=kind,
            defaults={"activities": totals["activities"], "hours": totals["hours"] or Decimal(0),
                      "attendances": attendances, "head_count": totals["head_count"] or 0,
                      "public_performances": totals["public_performances"]},
        )


def refresh_trained(org_ids: Iterable[int], years: Iterable[int], person_ids: Iterable[int]) -> None:
    """Make the trained-people rows for these organisations, years and people match the records."""
    people = set(person_ids)
    if not people:
        return
    orgs = _organizations(org_ids)
    for year in set(years):
        start, end = date(year, 1, 1), date(year, 12, 31)
        for org_id, org in orgs.items():
            present = set(access.within(AttendanceModel.objects.filter(
                person_id__in=people, activity__kind__in=TRAINING_KINDS, activity__date__range=(start, end),
            ), org, via="activity__organization").values_list("person_id", flat=True).distinct())
            stored = set(TrainedPerson.objects.filter(organization_id=org_id, year=year, person_id__in=people)
                         .values_list("person_id", flat=True))
            if stored - present:
                TrainedPerson.objects.filter(organization_id=org_id, year=year,
                                             person_id__in=stored - present).delete()
            TrainedPerson.objects.bulk_create(
                [TrainedPerson(organization_id=org_id, year=year, person_id=p) for p in present - stored],
                ignore_conflicts=True,
            )


def refresh_trained_months(cells: Iterable[tuple[int, date]], person_ids: Iterable[int]) -> None:
    """Make the trained-month rows of these (organiser, month) cells and people match the records."""
    people = set(person_ids)
    if not people:
        return
    for org_id, month in set(cells):
        present = set(AttendanceModel.objects.filter(
            person_id__in=people, activity__organization_id=org_id, activity__month=month,
            activity__kind__in=TRAINING_KINDS,
        ).values_list("person_id", flat=True).distinct())
        stored = set(TrainedMonth.objects.filter(organization_id=org_id, month=month, person_id__in=people)
                     .values_list("person_id", flat=True))
        if stored - present:
            TrainedMonth.objects.filter(organization_id=org_id, month=month, person_id__in=stored - present).delete()
        TrainedMonth.objects.bulk_create(
            [TrainedMonth(organization_id=org_id, month=month, person_id=p) for p in present - stored],
            ignore_conflicts=True,
        )


# --- the hooks services call --------------------------------------------------------------------

def activity_changed(activity: Activity, before: dict[str, Any] | None) -> None:
    """After an activity is created or changed: refresh its old and new cells (and, if its
    training status, year or organiser changed, its attendees' trained-people rows)."""
    new_ancestors = ancestor_ids(activity.organization)
    cells = cells_of(activity, new_ancestors)
    if before is None:
        refresh_cells(cells)
        return
    old_org = Organization.objects.get(pk=before["organization"])
    old_ancestors = ancestor_ids(old_org) if old_org.pk != activity.organization_id else new_ancestors
    old_month = date.fromisoformat(before["month"]) if isinstance(before["month"], str) else before["month"]
    cells |= {(o, old_month, before["kind"]) for o in old_ancestors}
    refresh_cells(cells)
    was_training = before["kind"] in TRAINING_KINDS
    if was_training == activity.is_training and not was_training:
        return
    moved = old_month.year != activity.month.year or old_org.pk != activity.organization_id
    moved_month = old_month != activity.month or old_org.pk != activity.organization_id
    if was_training != activity.is_training or moved_month:
        people = list(activity.attendances.values_list("person_id", flat=True))
        if was_training != activity.is_training or moved:
            refresh_trained(set(old_ancestors) | set(new_ancestors), {old_month.year, activity.month.year}, people)
        refresh_trained_months({(old_org.pk, old_month), (activity.organization_id, activity.month)}, people)


def attendance_added(activity: Activity, person_ids: list[int]) -> None:
    """The hot path (QR sign-in): add to the activity's cells, note newly trained people."""
    if not person_ids:
        return
    ancestors = ancestor_ids(activity.organization)
    updated = MonthlyFigure.objects.filter(
        organization_id__in=ancestors, month=activity.month, kind=activity.kind,
    ).update(attendances=F("attendances") + len(person_ids))
    if updated != len(ancestors):
        refresh_cells(cells_of(activity, ancestors))
    if activity.is_training:
        TrainedPerson.objects.bulk_create(
            [TrainedPerson(organization_id=o, year=activity.month.year, person_id=p)
             for o in ancestors for p in person_ids],
            ignore_conflicts=True,
        )
        TrainedMonth.objects.bulk_create(
            [TrainedMonth(organization_id=activity.organization_id, month=activity.month, person_id=p)
             for p in person_ids],
            ignore_conflicts=True,
        )


def attendance_removed(activity: Activity, person_ids: list[int]) -> None:
    ancestors = ancestor_ids(activity.organization)
    refresh_cells(cells_of(activity, ancestors))
    if activity.is_training:
        refresh_trained(ancestors, [activity.month.year], person_ids)
        refresh_trained_months({(activity.organization_id, activity.month)}, person_ids)


# --- full rebuild -------------------------------------------------------------------------------

@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recompute every roll-up from the records (after a bulk load, or to repair)."""
    MonthlyFigure.objects.all().delete()
    TrainedPerson.objects.all().delete()
    trained_months = rebuild_trained_months()
    orgs = dict(Organization.objects.values_list("id", "path"))
    by_path = {path: pk for pk, path in orgs.items()}
    steplen = Organization.steplen

    def up(org_id: int) -> list[int]:
        path = orgs[org_id]
        return [by_path[path[:i]] for i in range(steplen, len(path) + 1, steplen) if path[:i] in by_path]

    cells: dict[Cell, dict[str, Any]] = defaultdict(lambda: {
        "activities": 0, "hours": Decimal(0), "attendances": 0, "head_count": 0, "public_performances": 0})
    leaf = (Activity.objects.values("organization_id", "month", "kind").order_by()
            .annotate(n=Count("*"), hours=Sum("hours"),
                      head=Sum("head_count"),
                      perf=Count("id", filter=Q(is_public_performance=True))))
    for row in leaf:
        for org_id in up(row["organization_id"]):
            cell = cells[(org_id, row["month"], row["kind"])]
            cell["activities"] += row["n"]
            cell["hours"] += row["hours"] or Decimal(0)
            cell["head_count"] += row["head"] or 0
            cell["public_performances"] += row["perf"]
    seen = (AttendanceModel.objects.values("activity__organization_id", "activity__month", "activity__kind")
            .order_by().annotate(n=Count("*")))
    for row in seen:
        for org_id in up(row["activity__organization_id"]):
            cells[(org_id, row["activity__month"], row["activity__kind"])]["attendances"] += row["n"]
    MonthlyFigure.objects.bulk_create(
        [MonthlyFigure(organization_id=o, month=m, kind=k, **v) for (o, m, k), v in cells.items()],
        batch_size=2000,
    )
    trained = 0
    years = sorted({d.year for d in Activity.objects.filter(kind__in=TRAINING_KINDS)
                    .values_list("month", flat=True).distinct()})
    depths = sorted(set(Organization.objects.values_list("depth", flat=True)))
    tables = {name: connection.ops.quote_name(model._meta.db_table) for name, model in (
        ("trained", TrainedPerson), ("attendance", AttendanceModel), ("activity", Activity),
        ("org", Organization))}
    kinds = ", ".join(["%s"] * len(TRAINING_KINDS))
    with connection.cursor() as cursor:
        for year in years:
            for depth in depths:
                # One set-based statement per year and tree level: each ancestor at this depth
                # is found by its path, the prefix of the organiser's (an indexed equality).
                cursor.execute(
                    f"INSERT INTO {tables['trained']} (organization_id, year, person_id) "  # noqa: S608
                    f"SELECT DISTINCT anc.id, %s, t.person_id FROM {tables['attendance']} t "
                    f"JOIN {tables['activity']} a ON a.id = t.activity_id "
                    f"JOIN {tables['org']} o ON o.id = a.organization_id "
                    f"JOIN {tables['org']} anc ON anc.path = SUBSTR(o.path, 1, %s) "
                    f"WHERE a.kind IN ({kinds}) AND a.date >= %s AND a.date <= %s AND o.depth >= %s",
                    [year, depth * steplen, *TRAINING_KINDS, date(year, 1, 1), date(year, 12, 31), depth])
                trained += max(cursor.rowcount, 0)
    return {"cells": len(cells), "trained": trained, "trained_months": trained_months}


@transaction.atomic
def rebuild_trained_months() -> int:
    """Recompute every `TrainedMonth` row from the records in one set-based statement; returns
    how many rows it made (also called by `rebuild()`; alone after a bulk load of attendance)."""
    TrainedMonth.objects.all().delete()
    qn = connection.ops.quote_name
    kinds = ", ".join(["%s"] * len(TRAINING_KINDS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(TrainedMonth._meta.db_table)} (organization_id, month, person_id) "  # noqa: S608
            f"SELECT DISTINCT a.organization_id, a.month, t.person_id FROM {qn(AttendanceModel._meta.db_table)} t "
            f"JOIN {qn(Activity._meta.db_table)} a ON a.id = t.activity_id WHERE a.kind IN ({kinds})",
            list(TRAINING_KINDS))
        return max(cursor.rowcount, 0)
