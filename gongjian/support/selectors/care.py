"""Reads of 关爱: the registry of care recipients in the user's reach (masked where P-05 asks), the
爱心妈妈 pairings (kernel pairings of purpose `care`) with their recipients, and the figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongjian.kernel import access, figures, pairings
from gongjian.kernel.http import Reader
from gongjian.kernel.models import (
    Organization,
    Pairing,
    PairingMeeting,
    PairingPurpose,
    Person,
    User,
)
from gongjian.kernel.permissions import can

from ..models.care import CareRecipient, RecipientCategory

PURPOSE = PairingPurpose.CARE
SENSITIVE = "support.view_sensitive_recipient"

#: What the list shows: the current registry (default), those who left it, or both.
SHOW_CURRENT, SHOW_ENDED, SHOW_ALL = "current", "ended", "all"


def recipient_list_visible_to(*, user: Reader, category: str = "", organization: Organization | None = None,
                              show: str = SHOW_CURRENT, minors: bool = False) -> QuerySet[CareRecipient]:
    """Recipients of the user's subtree (of one organisation's subtree, one category), newest first."""
    rows = access.visible(user, CareRecipient.objects.select_related("organization", "person"))
    if organization is not None:
        rows = access.within(rows, organization)
    if category in RecipientCategory.values:
        rows = rows.filter(category=category)
    if show == SHOW_ENDED:
        rows = rows.filter(ended_on__isnull=False)
    elif show != SHOW_ALL:
        rows = rows.filter(ended_on__isnull=True)
    if minors:
        rows = rows.filter(minor_under_14=True)
    return rows.order_by("-registered_on", "-id")


def recipient_get(*, user: Reader, recipient_id: Any) -> CareRecipient:
    return access.get(user, CareRecipient.objects.select_related("organization", "person", "created_by"),
                      recipient_id)


def details_shown(user: Reader, recipient: CareRecipient) -> bool:
    """P-05: a minor's or a sensitive record's details only with the elevated permission."""
    return not recipient.restricted or can(user, SENSITIVE, recipient)


def with_shown(user: Reader, recipients: Iterable[CareRecipient]) -> list[CareRecipient]:
    """Each row with `.shown` (details visible) and `.display_name` (her name, or masked)."""
    out = []
    for r in recipients:
        r.shown = details_shown(user, r)
        r.display_name = r.person.name if r.shown else r.name_masked
        out.append(r)
    return out


def current_recipient_choices(*, user: Reader) -> list[CareRecipient]:
    """Current recipients the user may pair (the new pairing's select), masked where required."""
    return with_shown(user, recipient_list_visible_to(user=user)[:500])


def place_choices(*, user: Reader) -> QuerySet[Organization]:
    """The federations of the user's subtree (the list's filter, the form's keeping organisation)."""
    return access.visible(user, Organization.objects.filter(kind__in=Organization.FEDERATION_KINDS,
                                                            closed_on__isnull=True)).order_by("path")


def place_of(*, user: Reader, organization_id: Any) -> Organization | None:
    if organization_id in (None, ""):
        return None
    return access.get(user, Organization.objects.all(), organization_id)


def people_to_pick(*, user: User, q: str, picked: Person | None = None, limit: int = 20) -> list[Person]:
    """A person picker's choices (children and men too): the people of the acting subtree found by
    `q` (name, ID or mobile), the one already picked first."""
    from gongjian.kernel.selectors import person_list_visible_to

    query = (q or "").strip()
    people = list(person_list_visible_to(user=user, q=query)[:limit]) if query else []
    if picked is not None and picked not in people:
        people.insert(0, picked)
    return people


# --- 爱心妈妈 pairings -----------------------------------------------------------------------------

def pairing_list_visible_to(*, user: Reader, open_only: bool = True) -> QuerySet[Pairing]:
    return pairings.pairings_visible_to(user=user, purpose=PURPOSE, open_only=open_only)


def pairings_overdue(*, user: Reader, today: date | None = None) -> QuerySet[Pairing]:
    """The board: open pairings with no visit within their interval (one indexed query)."""
    return pairings.pairings_overdue(user=user, purpose=PURPOSE, today=today)


def pairing_get(*, user: Reader, pairing_id: Any) -> Pairing:
    return pairings.pairing_get(user=user, purpose=PURPOSE, pairing_id=pairing_id)


def recipients_of_mentees(pairs: Iterable[Pairing]) -> dict[tuple[int, int], CareRecipient]:
    """The care record behind each pairing's mentee, by (organisation, person): one query."""
    pairs = list(pairs)
    if not pairs:
        return {}
    rows = (CareRecipient.objects.filter(person_id__in={p.mentee_id for p in pairs})
            .select_related("person", "organization").order_by("ended_on", "-id"))
    found: dict[tuple[int, int], CareRecipient] = {}
    by_person: dict[int, CareRecipient] = {}
    for r in rows:
        found.setdefault((r.organization_id, r.person_id), r)
        by_person.setdefault(r.person_id, r)
    return {(p.organization_id, p.mentee_id): found.get((p.organization_id, p.mentee_id)) or by_person[p.mentee_id]
            for p in pairs if (p.organization_id, p.mentee_id) in found or p.mentee_id in by_person}


def with_recipients(user: Reader, pairs: Iterable[Pairing], *, today: date | None = None) -> list[Pairing]:
    """Each pairing with `.recipient`, `.shown` (the mentee's details visible), `.mentee_label`
    (her name or masked) and `.overdue`: two queries whatever the number of rows."""
    pairs = list(pairs)
    today = today or timezone.localdate()
    records = recipients_of_mentees(pairs)
    for p in pairs:
        recipient = records.get((p.organization_id, p.mentee_id))
        shown = True if recipient is None else details_shown(user, recipient)
        if recipient is None and pairs:
            # Not (or no longer) in the registry: a child is protected all the same.
            from ..models.care import under_14

            shown = not under_14(p.mentee) or can(user, SENSITIVE, p)
        p.recipient = recipient  # type: ignore[attr-defined]
        p.shown = shown  # type: ignore[attr-defined]
        p.mentee_label = p.mentee.name if shown else recipient.name_masked if recipient else "*"  # type: ignore[attr-defined]
        p.overdue = p.ended_on is None and p.due_on < today  # type: ignore[attr-defined]
    return pairs


def pairings_of_recipient(*, user: Reader, recipient: CareRecipient) -> list[Pairing]:
    rows = pairings.pairings_visible_to(user=user, purpose=PURPOSE).filter(
        mentee=recipient.person, organization=recipient.organization)
    return with_recipients(user, rows)


def visits_of(pairing: Pairing) -> QuerySet[PairingMeeting]:
    return pairings.meetings_of(pairing)


def visit_photo_get(*, user: Reader, visit_id: Any) -> Any:
    """A visit's photo, for those who see the pairing's details (never public)."""
    return pairings.meeting_photo_get(user=user, purpose=PURPOSE, meeting_id=visit_id)


def visit_of(*, user: Reader, visit_id: Any) -> PairingMeeting:
    return access.get(user, PairingMeeting.objects.filter(pairing__kind=PURPOSE).select_related(
        "pairing__organization", "pairing__mentee", "pairing__mentor"), visit_id)


# --- figures ---------------------------------------------------------------------------------------

def provide_figures(ask: figures.Ask) -> figures.Answer:
    """关爱 per asked organisation's subtree: recipients on the registry at the end of the period
    (all and by category), pairings open at its end, visits in it, and pairings overdue at its end
    (or today, for a period not over yet). Three queries of rows plus one of paths."""
    per_org: dict[int, dict[str, int]] = defaultdict(dict)
    category_codes = set(RecipientCategory.values)
    if ask.wants("recipients") or any(ask.wants(c) for c in category_codes):
        on_roll = CareRecipient.objects.filter(registered_on__lte=ask.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=ask.end))
        for row in figures.within_asked(on_roll, ask).values("organization", "category").annotate(n=Count("pk")):
            values = per_org[row["organization"]]
            values["recipients"] = values.get("recipients", 0) + row["n"]
            values[row["category"]] = values.get(row["category"], 0) + row["n"]
    if ask.wants("pairings") or ask.wants("overdue"):
        until = min(ask.end, timezone.localdate())
        open_at_end = Pairing.objects.filter(kind=PURPOSE, started_on__lte=ask.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=ask.end))
        for row in figures.within_asked(open_at_end, ask).values("organization").annotate(
                n=Count("pk"), late=Count("pk", filter=Q(ended_on__isnull=True, due_on__lt=until))):
            per_org[row["organization"]]["pairings"] = row["n"]
            per_org[row["organization"]]["overdue"] = row["late"]
    if ask.wants("visits"):
        visits = PairingMeeting.objects.filter(pairing__kind=PURPOSE, date__gte=ask.start, date__lte=ask.end)
        for row in figures.within_asked(visits, ask, via="pairing__organization").values(
                "pairing__organization").annotate(n=Count("pk")):
            per_org[row["pairing__organization"]]["visits"] = row["n"]
    answer = figures.rollup_many(per_org, ask.organizations)
    codes = ["recipients", *RecipientCategory.values, "pairings", "overdue", "visits"]
    return {pk: {code: values.get(code, 0) for code in codes if ask.wants(code)} for pk, values in answer.items()}
