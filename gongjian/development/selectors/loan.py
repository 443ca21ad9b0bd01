"""Reads of 小额贷款 through the access policy: a loan is reached from its village federation
upward. The overdue board is one indexed query per page (`next_due_on` is kept by the services)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from gongjian.kernel import access, compiled, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, Person, Position
from gongjian.kernel.selectors import Page, paginate_fetched

from ..models import Instalment, InterestSubsidy, Loan, LoanState

LIST_RELATED = ("applicant", "organization")


def loan_list_visible_to(*, user: Reader, organization_id: Any = None, state: str = "",
                         overdue: bool = False) -> QuerySet[Loan]:
    """Loans of the user's subtree, newest first; narrowed to one organisation's subtree, a state,
    or the overdue ones (an organisation out of reach is a 404)."""
    rows = access.visible(user, Loan.objects.select_related(*LIST_RELATED))
    if organization_id:
        org = access.get(user, Organization.objects.all(), organization_id)
        rows = access.within(rows, org)
    if overdue:
        rows = rows.filter(next_due_on__lt=timezone.localdate())
    elif state in LoanState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-applied_on", "-id")


@dataclass(frozen=True)
class BoardRow:
    """One row of the overdue board: what it shows, nothing encrypted."""

    today: date
    id: int
    state: str
    purpose: str
    amount: Decimal
    term_months: int
    next_due_on: date
    outstanding: Decimal
    applicant_name: str
    organization_name: str
    cadre_name: str | None

    def get_absolute_url(self) -> str:
        return reverse("development:loan-detail", args=[self.id])

    def get_state_display(self) -> str:
        return str(LoanState(self.state).label)

    @property
    def overdue(self) -> bool:
        return self.next_due_on < self.today

    @property
    def overdue_days(self) -> int:
        return (self.today - self.next_due_on).days


BOARD_COLUMNS = ("id", "state", "purpose", "amount", "term_months", "next_due_on", "outstanding", "applicant__name",
                 "organization__name", "cadre__name")


def overdue_board(*, user: Reader, organization_id: Any = None, today: date | None = None) -> QuerySet[Any]:
    """逾期贷款: loans whose earliest unpaid instalment is past due, the longest overdue first, as
    plain rows (`board_rows` turns a page of them into `BoardRow`s). One indexed query a page."""
    today = today or timezone.localdate()
    return _board(access.visible(user, Loan.objects.all()), today=today, within=_within(user, organization_id))


def overdue_board_page(*, user: Reader, organization_id: Any = None, page: Any = 1, per_page: Any = 30,
                       today: date | None = None) -> Page:
    """A page of the board as the page shows it (`BoardRow`s): the same rows as `overdue_board`, its
    SQL compiled once per reach, place, day and page (kernel.compiled, ADR 0033)."""
    today = today or timezone.localdate()
    within = _within(user, organization_id)

    def fetch(offset: int, limit: int) -> list[BoardRow]:
        return BOARD_READ(user, partial(BoardRow, today), today=today, within=within, offset=offset, limit=limit)

    return paginate_fetched(fetch, page=page, per_page=per_page)


def _within(user: Reader, organization_id: Any) -> str | None:
    """The path of the organisation a board is narrowed to (a 404 out of reach), or None."""
    if not organization_id:
        return None
    return access.get(user, Organization.objects.all(), organization_id).path


def _board(rows: QuerySet[Loan], *, today: date, within: str | None) -> QuerySet[Any]:
    """The board over loans already in reach (`within`: an organisation's path that came through
    `access.get`)."""
    where = [Q(next_due_on__lt=today)]
    if within is not None:
        where.append(access.within_condition(within))
    return rows.filter(*where).order_by("next_due_on", "id").values_list(*BOARD_COLUMNS)


def _board_page(rows: QuerySet[Loan], *, today: date, within: str | None, offset: int, limit: int) -> QuerySet[Any]:
    return _board(rows, today=today, within=within)[offset : offset + limit]


BOARD_READ = compiled.CompiledRead(Loan, _board_page)


def board_rows(rows: Iterable[tuple[Any, ...]], *, today: date | None = None) -> list[BoardRow]:
    today = today or timezone.localdate()
    return [BoardRow(today, *row) for row in rows]


def loan_get_for_user(*, user: Reader, loan_id: Any) -> Loan:
    return access.get(user, Loan.objects.select_related(
        "applicant", "organization", "cadre", "cadre_organization", "plan_file", "decision_file"), loan_id)


def instalments_of(loan: Loan) -> QuerySet[Instalment]:
    return loan.instalments.order_by("number")


def subsidies_of(loan: Loan) -> QuerySet[InterestSubsidy]:
    return loan.subsidies.order_by("period_start", "id")


def applicant_choices(*, user: Reader) -> QuerySet[Person]:
    """Women of the user's subtree, kept by a federation (the village's roster)."""
    return access.visible(user, Person.objects.filter(
        gender="F", organization__kind__in=Organization.FEDERATION_KINDS).select_related("organization")
    ).order_by("organization__path", "name", "id")


def cadre_choices(*, user: Reader) -> QuerySet[Person]:
    """Cadres in office in the user's subtree (federation or party), for the reminders."""
    today = timezone.localdate()
    held = Position.objects.filter(start_date__lte=today).exclude(end_date__lt=today)
    return access.visible(user, Person.objects.filter(pk__in=held.values("person_id"))).order_by("name", "id")


def counts_by_state(*, user: Reader) -> dict[str, int]:
    rows = access.visible(user, Loan.objects.all()).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def overdue_count(*, user: Reader) -> int:
    return access.visible(user, Loan.objects.filter(next_due_on__lt=timezone.localdate())).count()


# --- figures (kernel.figures Source "loans") -----------------------------------------------------

LOAN_CODES = ("applied", "loans", "amount", "jobs", "overdue", "overdue_rate", "subsidy")


def loan_figures(ask: figures.Ask) -> dict[int, dict[str, figures.Number]]:
    """Per asked organisation's subtree, for the period: applications (by date applied), loans
    disbursed, their amount and jobs created, how many of those are overdue today and the share
    (逾期率, %), and 贴息 whose period ends in it. Three grouped queries and one of paths."""
    today = timezone.localdate()
    counts: dict[int, dict[str, figures.Number]] = defaultdict(dict)
    loans = figures.within_asked(Loan.objects.all(), ask)
    for row in (loans.filter(applied_on__range=(ask.start, ask.end)).values("organization_id")
                .annotate(n=Count("id"))):
        counts[row["organization_id"]]["applied"] = row["n"]
    for row in (loans.filter(disbursed_on__range=(ask.start, ask.end)).values("organization_id")
                .annotate(n=Count("id"), amount=Sum("amount"), jobs=Sum("jobs_created"),
                          late=Count("id", filter=Q(next_due_on__lt=today)))):
        counts[row["organization_id"]].update(loans=row["n"], amount=row["amount"] or Decimal(0),
                                              jobs=row["jobs"] or 0, overdue=row["late"])
    subsidies = figures.within_asked(InterestSubsidy.objects.all(), ask, via="loan__organization")
    for row in (subsidies.filter(period_end__range=(ask.start, ask.end)).values("loan__organization_id")
                .annotate(amount=Sum("amount"))):
        counts[row["loan__organization_id"]]["subsidy"] = row["amount"] or Decimal(0)
    out = figures.rollup_many(counts, ask.organizations)
    for values in out.values():
        for code in LOAN_CODES:
            values.setdefault(code, 0)
        made = values["loans"]
        values["overdue_rate"] = (Decimal(values["overdue"]) * 100 / made).quantize(Decimal("0.1")) if made else 0
    return out
