"""Reads of 示范 and 转移 through the access policy: staff see their subtree's demonstrations and
placements; the portal's readers (`audience="reader"`) see designated demonstrations only — never
a household head's name, ID number or mobile. Figures for `kernel.figures` in constant queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, Person, StoredFile

from ..models import (
    Demonstration,
    DemonstrationReview,
    DemonstrationState,
    Placement,
    PlacementScope,
)

READER = "reader"


# --- staff ---------------------------------------------------------------------------------------

def demonstration_list_visible_to(*, user: Reader, organization_id: Any = None, kind: str = "",
                                  state: str = "") -> QuerySet[Demonstration]:
    rows = access.visible(user, Demonstration.objects.select_related("organization", "proposed_by_organization"))
    if organization_id:
        rows = access.within(rows, access.get(user, Organization.objects.all(), organization_id))
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-proposed_on", "-id")


def demonstration_get_for_user(*, user: Reader, demonstration_id: Any) -> Demonstration:
    return access.get(user, Demonstration.objects.select_related(
        "organization", "person", "photo", "proposed_by_organization", "designated_by_organization"),
        demonstration_id)


def reviews_of(demonstration: Demonstration) -> QuerySet[DemonstrationReview]:
    return demonstration.reviews.select_related("reviewed_by_organization").order_by("-year", "-id")


def demonstration_photo_get_for_user(*, user: Reader, demonstration_id: Any) -> StoredFile:
    found = demonstration_get_for_user(user=user, demonstration_id=demonstration_id)
    if found.photo is None:
        raise Http404
    return found.photo


def village_choices(*, user: Reader) -> QuerySet[Organization]:
    """The village federations the user reaches (a demonstration belongs to one)."""
    return access.visible(user, Organization.objects.filter(
        kind=Organization.Kind.VILLAGE_FEDERATION, is_active=True)).order_by("path")


def federation_choices(*, user: Reader) -> QuerySet[Organization]:
    return access.visible(user, Organization.objects.filter(
        kind__in=Organization.FEDERATION_KINDS, is_active=True)).order_by("path")


def women_choices(*, user: Reader) -> QuerySet[Person]:
    """Women the user reaches (a household head, a placed woman, a pairing's pair)."""
    return access.visible(user, Person.objects.filter(gender="F")).order_by("name", "id")


def placement_list_visible_to(*, user: Reader, start: date | None = None, end: date | None = None,
                              scope: str = "") -> QuerySet[Placement]:
    rows = access.visible(user, Placement.objects.select_related("organization", "person"))
    if start:
        rows = rows.filter(placed_on__gte=start)
    if end:
        rows = rows.filter(placed_on__lte=end)
    if scope:
        rows = rows.filter(scope=scope)
    return rows.order_by("-placed_on", "-id")


def placement_counts(rows: QuerySet[Placement]) -> dict[str, int]:
    """How many placements, local and away, among these rows (one query)."""
    found = rows.aggregate(total=Count("pk"), local=Count("pk", filter=Q(scope=PlacementScope.LOCAL)),
                           away=Count("pk", filter=Q(scope=PlacementScope.AWAY)))
    return {key: found[key] or 0 for key in ("total", "local", "away")}


# --- the portal ----------------------------------------------------------------------------------

def public_demonstrations(*, kind: str = "") -> QuerySet[Demonstration]:
    """Designated demonstrations, newest designation first."""
    rows = access.visible(None, Demonstration.objects.select_related("organization", "organization__region"),
                          audience=READER)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-designated_on", "-id")


def public_demonstration_get(*, demonstration_id: Any) -> Demonstration:
    return access.get(None, Demonstration.objects.select_related("organization", "organization__region", "photo"),
                      demonstration_id, audience=READER)


def public_photo_get(*, token: str) -> StoredFile:
    """A demonstration's photo marked public, of a designated demonstration."""
    found = (access.visible(None, Demonstration.objects.select_related("photo"), audience=READER)
             .filter(photo__token=token, photo_is_public=True).first())
    if found is None or found.photo is None:
        raise Http404
    return found.photo


# --- figures (kernel.figures) --------------------------------------------------------------------

def provide_figures(ask: figures.Ask) -> figures.Answer:
    """示范 and 转移 per asked organisation's subtree: demonstrations designated and in force at the
    end of the period, the women they bring along, and placements in the period (all, away).
    Two queries of rows plus one of paths, however many organisations are asked."""
    per_org: dict[int, dict[str, int]] = defaultdict(dict)
    if ask.wants("designated") or ask.wants("women"):
        in_force = (Demonstration.objects.filter(designated_on__lte=ask.end)
                    .filter(Q(state=DemonstrationState.DESIGNATED)
                            | Q(state=DemonstrationState.REVOKED, revoked_on__gt=ask.end)))
        for row in figures.within_asked(in_force, ask).values("organization").annotate(
                n=Count("pk"), women=Sum("women_count")):
            per_org[row["organization"]]["designated"] = row["n"]
            per_org[row["organization"]]["women"] = row["women"] or 0
    if ask.wants("placements") or ask.wants("placed_away"):
        placed = Placement.objects.filter(placed_on__gte=ask.start, placed_on__lte=ask.end)
        for row in figures.within_asked(placed, ask).values("organization").annotate(
                n=Count("pk"), away=Count("pk", filter=Q(scope=PlacementScope.AWAY))):
            per_org[row["organization"]]["placements"] = row["n"]
            per_org[row["organization"]]["placed_away"] = row["away"]
    return figures.rollup_many(per_org, ask.organizations)
