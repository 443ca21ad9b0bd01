"""The figures the reports quote, counted from the records (never typed).

`figures()` is the report path: any organisation (site, village, township, county) and any
period, straight from `Activity` and `Attendance`, grouped by the stored `month` column (no
`TruncMonth`: on SQLite Django evaluates it in Python row by row). `dashboard()` answers the
same questions for calendar years from the roll-ups (`rollups.py`) in a handful of rows.

Definitions (docs/glossary.md):
* training sessions (培训场次) = activities of the training kinds (农用技术培训, 职业技能培训);
* people trained (参训人数) = distinct named attendees of those sessions; a training recorded only
  by head count adds to person-times but cannot be de-duplicated, so it is reported beside it
  (`training_head_count`), never silently added;
* person-times (参加人次) = named attendance records + typed head counts (an activity may have both:
  the people who signed in or were named are added to the head count, ADR 0045);
* public performances (公益演出) = activities flagged as public performances;
* hours = the sum of the activities' hours; coverage = built sites / villages and communities.

`offered()` answers the same figures to the other bodies of work through `kernel.figures` (source
"womenshome", registered in `apps.py`): many organisations at once, each for its subtree, and
optionally only the activities tagged to one 创先争优 line (`Activity.line`). Asked with
`Ask.rolled` (the county report), people trained over the whole months of the period is counted
from `TrainedMonth` (kept in step on write, `rollups.py`) and only the partial months at either end
from the attendance records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.kernel import access
from gongjian.kernel import figures as kernel_figures
from gongjian.kernel.models import Organization, User

from .models import (
    TRAINING_KINDS,
    Activity,
    ActivityKind,
    Attendance,
    MonthlyFigure,
    TrainedMonth,
    TrainedPerson,
    WomensHome,
)
from .selectors import CoverageRow, coverage_board, coverage_totals


@dataclass
class KindRow:
    kind: str
    label: str
    activities: int = 0
    hours: Decimal = Decimal(0)
    attendances: int = 0
    head_count: int = 0
    public_performances: int = 0
    url: str = ""  # the figures page's drill-down link to these activities

    @property
    def person_times(self) -> int:
        return self.attendances + self.head_count


@dataclass
class MonthRow:
    month: date
    activities: int = 0
    training_sessions: int = 0
    person_times: int = 0
    public_performances: int = 0


@dataclass
class Figures:
    organization: Organization
    date_from: date
    date_to: date
    site: WomensHome | None = None
    by_kind: list[KindRow] = field(default_factory=list)
    monthly: list[MonthRow] = field(default_factory=list)
    people_trained: int = 0
    coverage: CoverageRow | None = None

    @property
    def activities(self) -> int:
        return sum(r.activities for r in self.by_kind)

    @property
    def training_sessions(self) -> int:
        return sum(r.activities for r in self.by_kind if r.kind in TRAINING_KINDS)

    @property
    def training_person_times(self) -> int:
        return sum(r.person_times for r in self.by_kind if r.kind in TRAINING_KINDS)

    @property
    def training_head_count(self) -> int:
        return sum(r.head_count for r in self.by_kind if r.kind in TRAINING_KINDS)

    @property
    def person_times(self) -> int:
        return sum(r.person_times for r in self.by_kind)

    @property
    def public_performances(self) -> int:
        return sum(r.public_performances for r in self.by_kind)

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.by_kind), Decimal(0))

    def headline(self) -> list[tuple[str, Any, str]]:
        """(label, value, drill-down key) of the figures a report quotes, in order."""
        rows: list[tuple[str, Any, str]] = [
            (_("活动总数"), self.activities, "activities"),
            (_("培训场次"), self.training_sessions, "training"),
            (_("参训人数（去重）"), self.people_trained, "trained"),
            (_("参训人次"), self.training_person_times, "training_attendance"),
            (_("参加人次"), self.person_times, "attendance"),
            (_("公益演出"), self.public_performances, "performance"),
            (_("活动时长（小时）"), format_hours(self.hours), "activities"),
        ]
        if self.coverage is not None and self.site is None:
            rows.append((_("妇女之家覆盖"), f"{self.coverage.covered}/{self.coverage.units}", "coverage"))
        return rows

    def chart_data(self) -> dict[str, Any]:
        """The data block the page's ECharts options are built from (JSON, no markup)."""
        return {
            "kinds": [str(r.label) for r in self.by_kind],
            "kindActivities": [r.activities for r in self.by_kind],
            "kindPersonTimes": [r.person_times for r in self.by_kind],
            "months": [m.month.strftime("%Y-%m") for m in self.monthly],
            "monthActivities": [m.activities for m in self.monthly],
            "monthTraining": [m.training_sessions for m in self.monthly],
            "monthPersonTimes": [m.person_times for m in self.monthly],
            "labels": {"activities": _("活动"), "training": _("培训场次"), "personTimes": _("参加人次")},
        }


def _activity_sums() -> dict[str, Any]:
    """Per group of activities: count, training sessions, hours, typed head counts, of which at
    trainings, and public performances."""
    return {"n": Count("*"), "training": Count("id", filter=Q(kind__in=TRAINING_KINDS)), "hours": Sum("hours"),
            "head": Sum("head_count"),
            "training_head": Sum("head_count", filter=Q(kind__in=TRAINING_KINDS)),
            "perf": Count("id", filter=Q(is_public_performance=True))}


def format_hours(value: Decimal) -> str:
    """12.0 → "12", 12.5 → "12.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _activities(organization: Organization, date_from: date, date_to: date,
                site: WomensHome | None) -> QuerySet[Activity]:
    qs = access.within(Activity.objects.filter(date__gte=date_from, date__lte=date_to), organization)
    if site is not None:
        qs = qs.filter(site=site)
    return qs


def _attendance(organization: Organization, date_from: date, date_to: date,
                site: WomensHome | None) -> QuerySet[Attendance]:
    qs = access.within(Attendance.objects.filter(activity__date__gte=date_from, activity__date__lte=date_to),
                       organization, via="activity__organization")
    if site is not None:
        qs = qs.filter(activity__site=site)
    return qs


def _months(date_from: date, date_to: date) -> list[date]:
    out: list[date] = []
    cursor = date_from.replace(day=1)
    while cursor <= date_to and len(out) < 240:
        out.append(cursor)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return out


def _ensure_reach(user: User, organization: Organization, site: WomensHome | None = None) -> None:
    """Figures are read for someone: an organisation (or site) outside her reach does not exist."""
    if not access.may(user, organization) or (site is not None and not access.may(user, site)):
        raise Http404


def figures(*, user: User, organization: Organization, date_from: date, date_to: date,
            site: WomensHome | None = None, with_coverage: bool = True) -> Figures:
    """Every figure for an organisation's subtree (or one site) and a period, from the records."""
    _ensure_reach(user, organization, site)
    result = Figures(organization=organization, date_from=date_from, date_to=date_to, site=site)
    rows = {k: KindRow(kind=k, label=str(label)) for k, label in ActivityKind.choices}
    activities = _activities(organization, date_from, date_to, site)
    for row in (activities.values("kind").order_by()
                .annotate(n=Count("*"), hours=Sum("hours"),
                          head=Sum("head_count"),
                          perf=Count("id", filter=Q(is_public_performance=True)))):
        kind = rows[row["kind"]]
        kind.activities, kind.hours = row["n"], row["hours"] or Decimal(0)
        kind.head_count, kind.public_performances = row["head"] or 0, row["perf"]
    attendance = _attendance(organization, date_from, date_to, site)
    for kind_code, n in attendance.values_list("activity__kind").order_by().annotate(n=Count("*")):
        rows[kind_code].attendances = n
    result.by_kind = list(rows.values())
    result.people_trained = (attendance.filter(activity__kind__in=TRAINING_KINDS)
                             .aggregate(n=Count("person_id", distinct=True))["n"])
    months = {m: MonthRow(month=m) for m in _months(date_from, date_to)}
    for row in (activities.values("month").order_by()
                .annotate(n=Count("*"), training=Count("id", filter=Q(kind__in=TRAINING_KINDS)),
                          head=Sum("head_count"),
                          perf=Count("id", filter=Q(is_public_performance=True)))):
        month = months.setdefault(row["month"], MonthRow(month=row["month"]))
        month.activities, month.training_sessions = row["n"], row["training"]
        month.person_times += row["head"] or 0
        month.public_performances = row["perf"]
    for month_start, n in attendance.values_list("activity__month").order_by().annotate(n=Count("*")):
        months.setdefault(month_start, MonthRow(month=month_start)).person_times += n
    result.monthly = [months[m] for m in sorted(months)]
    if with_coverage and site is None:
        result.coverage = coverage_totals(organization=organization)
    return result


def dashboard(*, user: User, organization: Organization, year: int) -> Figures:
    """The same figures for a calendar year, read from the roll-ups (kept up to date on write)."""
    _ensure_reach(user, organization)
    start, end = date(year, 1, 1), date(year, 12, 31)
    result = Figures(organization=organization, date_from=start, date_to=end)
    rows = {k: KindRow(kind=k, label=str(label)) for k, label in ActivityKind.choices}
    months = {m: MonthRow(month=m) for m in _months(start, end)}
    for fig in MonthlyFigure.objects.filter(organization=organization, month__gte=start, month__lte=end):
        kind = rows[fig.kind]
        kind.activities += fig.activities
        kind.hours += fig.hours
        kind.attendances += fig.attendances
        kind.head_count += fig.head_count
        kind.public_performances += fig.public_performances
        month = months[fig.month]
        month.activities += fig.activities
        month.training_sessions += fig.activities if fig.kind in TRAINING_KINDS else 0
        month.person_times += fig.attendances + fig.head_count
        month.public_performances += fig.public_performances
    result.by_kind = list(rows.values())
    result.monthly = [months[m] for m in sorted(months)]
    result.people_trained = TrainedPerson.objects.filter(organization=organization, year=year).count()
    result.coverage = coverage_totals(organization=organization)
    return result


@dataclass
class BreakdownRow:
    organization: Organization
    activities: int = 0
    training_sessions: int = 0
    people_trained: int = 0
    person_times: int = 0
    public_performances: int = 0
    hours: Decimal = Decimal(0)
    coverage: CoverageRow | None = None


def breakdown(*, user: User, organization: Organization, date_from: date, date_to: date) -> list[BreakdownRow]:
    """The headline figures of each federation one level down (a township's villages, a county's
    townships), in a fixed number of queries however many there are."""
    _ensure_reach(user, organization)
    children = list(access.children(organization).filter(
        kind__in=Organization.FEDERATION_KINDS).select_related("region").order_by("region__code", "path"))
    rows = {c.path: BreakdownRow(organization=c) for c in children}
    size = organization.steplen * (organization.depth + 1)

    def row_of(path: str) -> BreakdownRow | None:
        return rows.get(path[:size])

    activities = _activities(organization, date_from, date_to, None)
    for sums in activities.values("organization__path").order_by().annotate(**_activity_sums()):
        row = row_of(sums["organization__path"])
        if row is None:
            continue
        row.activities += sums["n"]
        row.training_sessions += sums["training"]
        row.hours += sums["hours"] or Decimal(0)
        row.person_times += sums["head"] or 0
        row.public_performances += sums["perf"]
    attendance = _attendance(organization, date_from, date_to, None)
    for path, n in attendance.values_list("activity__organization__path").order_by().annotate(n=Count("*")):
        row = row_of(path)
        if row is not None:
            row.person_times += n
    trained: dict[str, set[int]] = {}
    for path, person_id in (attendance.filter(activity__kind__in=TRAINING_KINDS)
                            .values_list("activity__organization__path", "person_id").distinct().order_by()):
        trained.setdefault(path[:size], set()).add(person_id)
    for key, people in trained.items():
        if key in rows:
            rows[key].people_trained = len(people)
    _, coverage = coverage_board(organization=organization)
    by_org = {c.organization.pk: c for c in coverage}
    for row in rows.values():
        row.coverage = by_org.get(row.organization.pk)
    return list(rows.values())


def is_calendar_year(date_from: date, date_to: date) -> bool:
    return (date_from.year == date_to.year and (date_from.month, date_from.day) == (1, 1)
            and (date_to.month, date_to.day) == (12, 31))


def breakdown_year(*, user: User, organization: Organization, year: int) -> list[BreakdownRow]:
    """`breakdown()` for a calendar year, read from the roll-ups of each organisation one level
    down (their own rows: no rescan of the records below them)."""
    _ensure_reach(user, organization)
    children = list(access.children(organization).filter(
        kind__in=Organization.FEDERATION_KINDS).select_related("region").order_by("region__code", "path"))
    rows = {c.pk: BreakdownRow(organization=c) for c in children}
    start, end = date(year, 1, 1), date(year, 12, 31)
    for fig in MonthlyFigure.objects.filter(organization_id__in=rows, month__gte=start, month__lte=end):
        row = rows[fig.organization_id]
        row.activities += fig.activities
        row.training_sessions += fig.activities if fig.kind in TRAINING_KINDS else 0
        row.hours += fig.hours
        row.person_times += fig.attendances + fig.head_count
        row.public_performances += fig.public_performances
    for org_id, n in (TrainedPerson.objects.filter(organization_id__in=rows, year=year)
                      .values_list("organization_id").order_by().annotate(n=Count("*"))):
        rows[org_id].people_trained = n
    _, coverage = coverage_board(organization=organization)
    by_org = {c.organization.pk: c for c in coverage}
    for row in rows.values():
        row.coverage = by_org.get(row.organization.pk)
    return list(rows.values())


# --- figures offered to the other bodies of work (kernel.figures) ---------------------------------

#: The codes of the "womenshome" source, with the definitions of this module's docstring.
OFFERED = {
    "activities": gettext_lazy("活动次数"),
    "trainings": gettext_lazy("培训场次"),
    "people_trained": gettext_lazy("参训人数（去重）"),
    "training_person_times": gettext_lazy("参训人次"),
    "person_times": gettext_lazy("参加人次"),
    "performances": gettext_lazy("公益演出"),
    "hours": gettext_lazy("活动时长（小时）"),
}
_FROM_ACTIVITIES = {"activities", "trainings", "training_person_times", "person_times", "performances", "hours"}
_FROM_ATTENDANCE = {"training_person_times", "person_times"}


def offered(ask: kernel_figures.Ask) -> kernel_figures.Answer:
    """Answer the kernel's figures question for any number of organisations in at most five
    queries: activity sums and attendance counts grouped by the recording organisation, rolled up
    to the asked subtrees; distinct people trained from (organisation, person) pairs."""
    organizations = list(ask.organizations)
    if not organizations:
        return {}
    activities = kernel_figures.within_asked(
        Activity.objects.filter(date__gte=ask.start, date__lte=ask.end), ask)
    attendance = kernel_figures.within_asked(
        Attendance.objects.filter(activity__date__gte=ask.start, activity__date__lte=ask.end), ask,
        via="activity__organization")
    if ask.tag:
        activities = activities.filter(line=ask.tag)
        attendance = attendance.filter(activity__line=ask.tag)
    counts: dict[int, dict[str, kernel_figures.Number]] = {}
    if any(ask.wants(code) for code in _FROM_ACTIVITIES):
        for sums in activities.values("organization_id").order_by().annotate(**_activity_sums()):
            counts[sums["organization_id"]] = {
                "activities": sums["n"], "trainings": sums["training"], "performances": sums["perf"],
                "hours": sums["hours"] or Decimal(0), "person_times": sums["head"] or 0,
                "training_person_times": sums["training_head"] or 0}
    if any(ask.wants(code) for code in _FROM_ATTENDANCE):
        for org_id, n, training in (attendance.values_list("activity__organization_id").order_by()
                                    .annotate(n=Count("*"), training=Count("id", filter=Q(
                                        activity__kind__in=TRAINING_KINDS)))):
            row = counts.setdefault(org_id, {})
            row["person_times"] = row.get("person_times", 0) + n
            row["training_person_times"] = row.get("training_person_times", 0) + training
    answer = kernel_figures.rollup_many(counts, organizations)
    if ask.wants("people_trained"):
        for org_id, n in kernel_figures.rollup_distinct(_trained_pairs(ask, attendance), organizations).items():
            answer[org_id]["people_trained"] = n
    return answer


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and the last whole month (their first days) within [start, end], or None."""
    first = start if start.day == 1 else date(start.year + start.month // 12, start.month % 12 + 1, 1)
    after = end + timedelta(days=1)
    last = after.replace(day=1) - timedelta(days=1)  # the last day of the last whole month
    last = last.replace(day=1)
    return (first, last) if first <= last else None


def _trained_pairs(ask: kernel_figures.Ask, attendance: QuerySet[Attendance]) -> list[tuple[int, int]]:
    """(organiser, person) pairs of the training attendance in the period. With `ask.rolled` and
    no tag, the whole months come from `TrainedMonth` and only the partial months at either end
    from the records (one query each); the pairs overlap freely, `rollup_distinct` counts each
    person once per subtree."""
    whole = whole_months(ask.start, ask.end) if ask.rolled and not ask.tag else None
    if whole is None:
        return list(attendance.filter(activity__kind__in=TRAINING_KINDS)
                    .values_list("activity__organization_id", "person_id").distinct().order_by())
    kept = kernel_figures.within_asked(TrainedMonth.objects.filter(month__gte=whole[0], month__lte=whole[1]), ask)
    pairs = list(kept.values_list("organization_id", "person_id").distinct().order_by())
    edges = Q()
    if ask.start < whole[0]:
        edges |= Q(activity__date__lt=whole[0])
    after = date(whole[1].year + whole[1].month // 12, whole[1].month % 12 + 1, 1)
    if ask.end >= after:
        edges |= Q(activity__date__gte=after)
    if edges:
        pairs.extend(attendance.filter(edges, activity__kind__in=TRAINING_KINDS)
                     .values_list("activity__organization_id", "person_id").distinct().order_by())
    return pairs


# --- coverage offered to the county report (issue 14, reports: county) -----------------------------

COVERAGE_OFFERED = {
    "units": gettext_lazy("村（社区）数"),
    "covered": gettext_lazy("已建妇女之家"),
    "rate": gettext_lazy("覆盖率（%）"),
}


def coverage_offered(ask: kernel_figures.Ask) -> kernel_figures.Answer:
    """妇女之家 coverage of each asked subtree as it stands (the dashboard's definition: built sites /
    villages and communities; the period does not change it): one query of units, one of paths."""
    from .models import COVERED_STATUSES
    from .selectors import UNIT_KINDS

    units = kernel_figures.within_asked(Organization.objects.filter(kind__in=UNIT_KINDS), ask, via="")
    counts: dict[int, dict[str, kernel_figures.Number]] = {
        pk: {"units": 1, "covered": int(covered)} for pk, covered in units.annotate(
            covered=Count("womens_home", filter=Q(womens_home__status__in=COVERED_STATUSES))).values_list(
            "pk", "covered")}
    answer = kernel_figures.rollup_many(counts, list(ask.organizations))
    out: dict[int, dict[str, kernel_figures.Number]] = {}
    for pk, values in answer.items():
        made, covered = values.get("units", 0), values.get("covered", 0)
        rate: kernel_figures.Number = (Decimal(covered) * 100 / made).quantize(Decimal("0.1")) if made else 0
        out[pk] = {code: value for code, value in (("units", made), ("covered", covered), ("rate", rate))
                   if ask.wants(code)}
    return out
