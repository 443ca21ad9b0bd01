"""Reads of 维权案件 through the access policy (need-to-know: the named handlers and the lead of the
handling organisation, `rules.py`). The list is one query a page whatever it holds (the handler
flag is a subquery, not a query per row) and never carries the narrative; every read of a case's
content is audited and fails closed (L-07): no audit record, no content."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from gongjian.kernel import access, audit
from gongjian.kernel.http import Reader
from gongjian.kernel.identity import mask_mobile, mask_name
from gongjian.kernel.models import User
from gongjian.kernel.selectors import Page, paginate_visible

from ..models.case import Case, CaseCategory, CaseState, CaseStep

log = logging.getLogger(__name__)

LIST_RELATED = ("organization",)
SUMMARY_SHOWN = 12  # characters of the summary a list shows


class CaseReadUnavailable(Exception):
    """The read could not be audited (L-07): nothing is shown; the page answers 503."""


def _uid(user: Reader) -> int:
    return int(getattr(user, "pk", None) or 0)


def _handled_by(user: Reader) -> Exists:
    through = Case.handlers.through.objects.filter(case_id=OuterRef("pk"), user_id=_uid(user))
    return Exists(through)


def case_list_for(*, user: Reader, state: str = "", category: str = "", overdue: bool = False,
                  risk: bool = False) -> QuerySet[Case]:
    """维权案件 of the handler: the cases she handles, and all of her organisation's if she is its
    lead; newest first; narrowed by state, category, overdue (the step's time limit has passed) or
    risk. Each row carries `mine` (she is a named handler), for what an anonymous case shows."""
    rows = access.visible(user, Case.objects.select_related(*LIST_RELATED)).annotate(mine=_handled_by(user))
    return _narrowed(rows, state=state, category=category, overdue=overdue, risk=risk).order_by(*ORDER)


ORDER = ("-received_at", "-id")
#: What a list never shows, left undecrypted (the narrative, the address, the password's hash).
NOT_LISTED = ("narrative", "address", "query_password_hash", "not_accepted_reason", "public_reply")


def _narrowed(rows: QuerySet[Case], *, state: str, category: str, overdue: bool, risk: bool) -> QuerySet[Case]:
    if state in CaseState.values:
        rows = rows.filter(state=state)
    if category in CaseCategory.values:
        rows = rows.filter(category=category)
    if overdue:
        rows = rows.filter(due_on__lt=timezone.localdate())
    if risk:
        rows = rows.filter(risk=True)
    return rows


def case_page_for(*, user: Reader, state: str = "", category: str = "", overdue: bool = False, risk: bool = False,
                  page: Any = None, per_page: Any = 30) -> Page:
    """One page of `case_list_for`, found the fast way: a lead's reach is "her organisation's cases OR
    the ones she is named on", which no single index serves; each part walks its own index
    (`case_org_received`, the handlers' `user_id`) for just the rows a page needs (bench:
    bench_support_cases.py). Same rows, same order as `case_list_for`."""
    rows = _narrowed(Case.objects.all(), state=state, category=category, overdue=overdue, risk=risk)
    return paginate_visible(user, rows, order_by=ORDER, page=page, per_page=per_page,
                            finish=lambda qs: qs.select_related(*LIST_RELATED).defer(*NOT_LISTED)
                            .annotate(mine=_handled_by(user)))


def my_overdue(*, user: Reader) -> QuerySet[Case]:
    """我的超期案件: the cases in her reach whose step's time limit has passed, the longest first."""
    return (access.visible(user, Case.objects.select_related(*LIST_RELATED))
            .annotate(mine=_handled_by(user)).filter(due_on__lt=timezone.localdate()).order_by("due_on", "id"))


def my_overdue_count(*, user: Reader) -> int:
    return access.visible(user, Case.objects.filter(due_on__lt=timezone.localdate())).count()


def case_get(*, user: Reader, case_id: Any) -> Case:
    """One case in reach (else 404), without auditing: for the writes, which audit themselves."""
    return access.get(user, Case.objects.select_related("organization", "intake_organization", "person"), case_id)


def case_read(user: Reader, pk: Any) -> Case:
    """One case with its content, the read audited ("support.case.read"). If the audit record
    cannot be written, nothing is returned (L-07): CaseReadUnavailable."""
    case = case_get(user=user, case_id=pk)
    try:
        with transaction.atomic():
            audit.record(case, "support.case.read", actor=user if isinstance(user, User) else None)
    except Exception as exc:  # noqa: BLE001  (whatever broke the audit write, the content stays hidden)
        log.error("support.case.read not audited for case %s: %s", case.pk, type(exc).__name__)
        raise CaseReadUnavailable from exc
    case.mine = case.handlers.filter(pk=_uid(user)).exists()  # type: ignore[attr-defined]
    return case


def steps_of(case: Case) -> QuerySet[CaseStep]:
    return case.steps.select_related("actor__person", "organization", "to_organization").order_by("at", "id")


def handlers_of(case: Case) -> list[Any]:
    return list(case.handlers.select_related("person").order_by("person__name", "id"))


# ------------------------------------------------------------------------------ what a list shows


def summary_excerpt(case: Case) -> str:
    text = (case.summary or "").replace("\n", " ")
    return text if len(text) <= SUMMARY_SHOWN else text[:SUMMARY_SHOWN] + "…"


@dataclass(frozen=True)
class Shown:
    """Who she is and how to reach her, as a given reader may see it."""

    name: str
    mobile: str
    address: str
    hidden: bool  # anonymous, and the reader is not a named handler


def contact_shown(case: Case, *, full: bool) -> Shown:
    """An anonymous case shows no name or contact to anyone but a named handler (`case.mine`);
    otherwise a list masks them (`full=False`) and the detail shows them to the handler and lead."""
    mine = bool(getattr(case, "mine", False))
    if case.anonymous and not mine:
        return Shown("", "", "", hidden=True)
    if full:
        return Shown(case.contact_name, case.contact_mobile, case.address, hidden=False)
    return Shown(mask_name(case.contact_name), mask_mobile(case.contact_mobile)
                 if case.contact_mobile and case.contact_mobile.startswith("1") and len(case.contact_mobile) == 11
                 else _mask_phone(case.contact_mobile), "", hidden=False)


def _mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 5, 1) + value[-2:] if len(value) > 5 else "*" * len(value)
