"""The oversight board of rights cases (support.view_case_board): for the federations above, how
many cases each organisation below handles — open, overdue, at risk and open, received this month —
counted in SQL from the "oversight" reach (`Subtree`), never a case row, never content (Z-07).

Two aggregate queries whatever the number of cases: the open cases through the partial index on
`due_on` (an open case always has the time limit of its step, a closed one none), the cases received
this month through the (organisation, received_at) index; each grouped by the branch of the tree a
case's handling organisation lies in (the first characters of its materialized path)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from gongjian.kernel import access
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization

from ..models.case import OPEN_CASE_STATES, Case

AUDIENCE = "oversight"


@dataclass
class BoardRow:
    organization: Organization
    own: bool = False  # the organisation's own cases only (not its subtree)
    open: int = 0
    overdue: int = 0
    risk_open: int = 0
    received_this_month: int = 0

    @property
    def drill(self) -> bool:
        return not self.own and self.organization.numchild > 0


@dataclass
class Board:
    organization: Organization
    rows: list[BoardRow]
    total: BoardRow
    today: date


def oversight_cases(user: Reader) -> QuerySet[Case]:
    """Every case of the acting subtree, for counting only."""
    return access.visible(user, Case.objects.order_by(), audience=AUDIENCE)


def board_organization(*, user: Reader, organization_id: Any = None) -> Organization:
    """The organisation the board is drawn for: one in her reach (Http404 otherwise), her own by default."""
    if organization_id:
        return access.get(user, Organization.objects.all(), organization_id)
    return access.acting_organization_required(user)


def month_start(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def open_counts_query(cases: QuerySet[Case], organization: Organization, today: date) -> QuerySet[Any]:
    """Open, overdue and risk cases per branch below `organization` (one aggregate row per branch)."""
    width = (organization.depth + 1) * organization.steplen
    return (access.within(cases, organization).filter(due_on__isnull=False, state__in=OPEN_CASE_STATES)
            .annotate(branch=Substr("organization__path", 1, width)).values("branch")
            .annotate(n_open=Count("id"), n_overdue=Count("id", filter=Q(due_on__lt=today)),
                      n_risk=Count("id", filter=Q(risk=True))).order_by())


def received_counts_query(cases: QuerySet[Case], organization: Organization, since: datetime) -> QuerySet[Any]:
    """Cases received since `since` per branch below `organization`."""
    width = (organization.depth + 1) * organization.steplen
    # The organisations of the subtree as a list to seek in the (organisation, received_at) index,
    # one range per organisation, instead of reading the whole index of a county's cases.
    subtree = access.within(Organization.objects.all(), organization, via="").values("pk")
    return (access.within(cases, organization).filter(received_at__gte=since, organization__in=subtree)
            .annotate(branch=Substr("organization__path", 1, width)).values("branch")
            .annotate(n=Count("id")).order_by())


def federations_below(organization: Organization) -> QuerySet[Organization]:
    """The federations directly below (only federations handle cases; a leading group does not)."""
    return access.children(organization).filter(kind__in=Organization.FEDERATION_KINDS)


def case_board(*, user: Reader, organization: Organization, today: date | None = None) -> Board:
    """One row for the organisation's own cases and one per organisation directly below it (its
    whole subtree), with the total. Four queries however many cases and organisations."""
    today = today or timezone.localdate()
    cases = oversight_cases(user)
    opened = {row["branch"]: row for row in open_counts_query(cases, organization, today)}
    received = {row["branch"]: row["n"] for row in received_counts_query(cases, organization, month_start(today))}
    own = BoardRow(organization=organization, own=True)
    rows = [own] + [BoardRow(organization=child) for child in federations_below(organization)]
    for row in rows:
        key = organization.path if row.own else row.organization.path
        got = opened.get(key, {})
        row.open, row.overdue, row.risk_open = got.get("n_open", 0), got.get("n_overdue", 0), got.get("n_risk", 0)
        row.received_this_month = received.get(key, 0)
    total = BoardRow(organization=organization,
                     open=sum(r.open for r in rows), overdue=sum(r.overdue for r in rows),
                     risk_open=sum(r.risk_open for r in rows),
                     received_this_month=sum(r.received_this_month for r in rows))
    return Board(organization=organization, rows=rows, total=total, today=today)


def busy_first(rows: list[BoardRow]) -> tuple[list[BoardRow], list[BoardRow]]:
    """The rows with something to look at (own row first, then most overdue, most open) and the quiet ones."""
    own = [row for row in rows if row.own]
    busy = sorted((row for row in rows if not row.own and (row.open or row.received_this_month)),
                  key=lambda row: (-row.overdue, -row.risk_open, -row.open, row.organization.path))
    quiet = [row for row in rows if not row.own and not (row.open or row.received_this_month)]
    return own + busy, quiet
