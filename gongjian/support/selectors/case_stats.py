"""Statistics of rights cases (support.view_case_stats): by category, channel and outcome, and the
time to close, for an organisation's subtree and a period — counted in SQL from the "oversight"
reach, never a case row, never content.

Small counts are suppressed (any cell from 1 to 4 shown as "<5") wherever the figures leave the
handling organisation: unless the reader acts for the only organisation the figures cover (a
village federation reading its own figures, or the own-cases row of her organisation), a count
that small could point at one woman. The public sees none of it.

`provide_figures` offers the same counts to the other bodies of work through `kernel.figures`
(source "cases", `suppress_below=SMALL`: `figures.read` hides the small ones the same way)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization

from ..models.case import (
    OPEN_CASE_STATES,
    Case,
    CaseCategory,
    CaseChannel,
    CaseOutcome,
    CaseStep,
    StepKind,
)
from .case_oversight import AUDIENCE, federations_below

#: Counts below this are shown as "<5" once they leave the handling organisation.
SMALL = 5


@dataclass(frozen=True)
class Cell:
    """One count as shown: `count` is None when suppressed, `shown` is what a reader sees."""

    count: int | None
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.count is None


def cell(n: int, *, suppress: bool) -> Cell:
    if suppress and 0 < n < SMALL:
        return Cell(None, f"<{SMALL}")
    return Cell(n, str(n))


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    value: Cell


@dataclass(frozen=True)
class OrgLine:
    organization: Organization
    own: bool
    received: Cell
    closed: Cell
    overdue: Cell


@dataclass(frozen=True)
class CaseStats:
    organization: Organization
    start: date
    end: date
    suppressed: bool  # small counts are hidden on this page
    totals: list[Line]
    by_category: list[Line]
    by_channel: list[Line]
    by_outcome: list[Line]
    median_days: str
    average_days: str
    per_organization: list[OrgLine]


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as [first moment, moment after the last day) in the current time zone."""
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))


def stats_organization(*, user: Reader, organization_id: Any = None) -> Organization:
    if organization_id:
        return access.get(user, Organization.objects.all(), organization_id)
    return access.acting_organization_required(user)


def _grouped(qs: QuerySet[Case], field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by()}


def case_stats(*, user: Reader, organization: Organization, start: date, end: date,
               today: date | None = None) -> CaseStats:
    """The figures of the organisation's subtree (already fetched through `access.get`) for the
    period: received (by category and channel), closed (by outcome, time to close), per
    organisation directly below. A constant number of aggregate queries."""
    today = today or timezone.localdate()
    suppress = not figures.covers_only_acting(user, organization)
    since, until = bounds(start, end)
    cases = access.within(access.visible(user, Case.objects.order_by(), audience=AUDIENCE), organization)
    received = cases.filter(received_at__gte=since, received_at__lt=until)
    closed = cases.filter(closed_at__gte=since, closed_at__lt=until)
    width = (organization.depth + 1) * organization.steplen

    head = received.aggregate(received=Count("id"), risk=Count("id", filter=Q(risk=True)))
    closed_n = closed.count()
    referred = (CaseStep.objects.filter(kind=StepKind.REFERRED, at__gte=since, at__lt=until, case__in=cases)
                .values("case").distinct().count())
    overdue = cases.filter(due_on__isnull=False, due_on__lt=today, state__in=OPEN_CASE_STATES).count()

    def line(code: str, label: Any, n: int) -> Line:
        return Line(code, str(label), cell(n, suppress=suppress))

    totals = [line("received", _("收到求助"), head["received"]), line("closed", _("结案"), closed_n),
              line("risk", _("高风险"), head["risk"]), line("referred", _("转介"), referred),
              line("overdue", _("目前超期"), overdue)]
    categories = _grouped(received, "category")
    channels = _grouped(received, "channel")
    outcomes = _grouped(closed.exclude(outcome=""), "outcome")

    durations = [d.total_seconds() / 86400 for d in closed.annotate(
        took=ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField()))
        .values_list("took", flat=True) if d is not None]
    if not durations or (suppress and len(durations) < SMALL):
        median = average = "—"
    else:
        median, average = f"{statistics.median(durations):.1f}", f"{statistics.fmean(durations):.1f}"

    by_branch_received = {r["branch"]: r["n"] for r in received.annotate(
        branch=Substr("organization__path", 1, width)).values("branch").annotate(n=Count("id")).order_by()}
    by_branch_closed = {r["branch"]: r["n"] for r in closed.annotate(
        branch=Substr("organization__path", 1, width)).values("branch").annotate(n=Count("id")).order_by()}
    by_branch_overdue = {r["branch"]: r["n"] for r in cases.filter(
        due_on__isnull=False, due_on__lt=today, state__in=OPEN_CASE_STATES).annotate(
        branch=Substr("organization__path", 1, width)).values("branch").annotate(n=Count("id")).order_by()}
    acting = access.acting_organization(user)
    per_org = []
    for org, own in [(organization, True), *((child, False) for child in federations_below(organization))]:
        # The own-cases row of the reader's own organisation stays with the handling organisation.
        hide = suppress and not (own and acting is not None and acting.pk == organization.pk)
        per_org.append(OrgLine(org, own, cell(by_branch_received.get(org.path, 0), suppress=hide),
                               cell(by_branch_closed.get(org.path, 0), suppress=hide),
                               cell(by_branch_overdue.get(org.path, 0), suppress=hide)))
    return CaseStats(
        organization=organization, start=start, end=end, suppressed=suppress, totals=totals,
        by_category=[line(v, label, categories.get(v, 0)) for v, label in CaseCategory.choices],
        by_channel=[line(v, label, channels.get(v, 0)) for v, label in CaseChannel.choices],
        by_outcome=[line(v, label, outcomes.get(v, 0)) for v, label in CaseOutcome.choices],
        median_days=median, average_days=average, per_organization=per_org)


# ------------------------------------------------------------------------------ kernel.figures


def provide_figures(ask: figures.Ask) -> dict[int, dict[str, int]]:
    """The "cases" source: per asked organisation's subtree, the cases received, closed, at risk
    and referred in the period, and those overdue now. Counts grouped by handling organisation in
    SQL (five queries), rolled up with one query of paths. `figures.read` suppresses small ones."""
    since, until = bounds(ask.start, ask.end)
    cases = figures.within_asked(Case.objects.order_by(), ask)
    counts: dict[int, dict[str, int]] = {}

    def add(code: str, qs: QuerySet[Any], key: str = "organization_id") -> None:
        if not ask.wants(code):
            return
        for org_id, n in qs.values_list(key).annotate(n=Count("id", distinct=True)).order_by():
            counts.setdefault(org_id, {})[code] = n

    add("received", cases.filter(received_at__gte=since, received_at__lt=until))
    add("closed", cases.filter(closed_at__gte=since, closed_at__lt=until))
    add("risk", cases.filter(received_at__gte=since, received_at__lt=until, risk=True))
    add("referred", cases.filter(steps__kind=StepKind.REFERRED, steps__at__gte=since, steps__at__lt=until))
    add("overdue", cases.filter(due_on__isnull=False, due_on__lt=timezone.localdate(), state__in=OPEN_CASE_STATES))
    rolled = figures.rollup_many(counts, list(ask.organizations))
    return {pk: {code: int(v) for code, v in values.items()} for pk, values in rolled.items()}


FIGURE_CODES: Sequence[str] = ("received", "closed", "risk", "referred", "overdue")
