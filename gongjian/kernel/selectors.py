"""Kernel reads, scoped in SQL: whatever is out of the acting subtree is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q

from . import access
from .fields import blind_index
from .identity import normalize_id_number, normalize_mobile
from .models import Organization, Person, Position, User

MAX_PER_PAGE = 100

__all__ = [
    "Page",
    "organization_get_for_user",
    "organization_tree_for_user",
    "paginate",
    "person_get_for_user",
    "person_list_visible_to",
    "visible_organizations",
]


@dataclass(frozen=True)
class Page:
    """A page of rows without a COUNT over the table: one extra row tells if there is more."""

    rows: list[Any]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def clamp_int(raw: Any, default: int, lo: int, hi: int) -> int:
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return default
    return max(lo, min(hi, value))


def paginate(queryset: models.QuerySet[Any], *, page: Any, per_page: Any = 20) -> Page:
    number = clamp_int(page, 1, 1, 10_000)
    size = clamp_int(per_page, 20, 1, MAX_PER_PAGE)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows=rows[:size], number=number, per_page=size, has_next=len(rows) > size)


# Z-05: the only orderings a list accepts; anything else falls back to the default.
PERSON_ORDERINGS = {"name": ("name", "id"), "-name": ("-name", "-id"), "recent": ("-id",)}


def person_list_visible_to(
    *, user: User, q: str = "", organization_id: Any = None, ordering: str = "name"
) -> models.QuerySet[Person]:
    """People in the acting subtree, optionally under one visible organisation, searched by
    name (contains) or by an exact ID or mobile number (blind index)."""
    qs = access.visible(user, Person.objects.all())
    if organization_id:
        org = organization_get_for_user(user=user, organization_id=organization_id)
        qs = access.within(qs, org, via=("organization", "party_organization"))
    q = (q or "").strip()[:50]
    if q:
        id_number = normalize_id_number(q)
        mobile = normalize_mobile(q)
        if len(id_number) == 18 and id_number[:17].isdigit():
            qs = qs.filter(id_number_index=blind_index(id_number, "person.id_number"))
        elif len(mobile) == 11 and mobile.isdigit():
            qs = qs.filter(mobile_index=blind_index(mobile, "person.mobile"))
        else:
            qs = qs.filter(name__contains=q)
    order = PERSON_ORDERINGS.get(ordering, PERSON_ORDERINGS["name"])
    return qs.select_related("organization", "home_region").order_by(*order)


def person_get_for_user(*, user: User, person_id: Any) -> Person:
    return access.get(user, Person.objects.select_related("organization", "home_region", "party_organization"),
                      person_id)


def visible_organizations(user: User) -> models.QuerySet[Organization]:
    """The organisations of the acting subtree."""
    return access.visible(user, Organization.objects.all())


def organization_get_for_user(*, user: User, organization_id: Any) -> Organization:
    return access.get(user, Organization.objects.all(), organization_id)


def organization_tree_for_user(*, user: User) -> list[Organization]:
    """The acting subtree in tree order, each with its people count, depth relative to the top."""
    orgs = list(
        visible_organizations(user)
        .select_related("region")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("path")
    )
    if orgs:
        top = orgs[0].depth
        for org in orgs:
            org.relative_depth = org.depth - top
    return orgs


def positions_of_organization(*, organization: Organization) -> models.QuerySet[Position]:
    from django.utils import timezone

    today = timezone.localdate()
    return (
        Position.objects.filter(organization=organization, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person")
        .order_by("sort_order", "id")
    )


def reminders_for(*, organization: Organization, limit: int = 20) -> list[Any]:
    """Unread reminders addressed to exactly this organisation, newest first."""
    from .models import Notification

    return list(Notification.objects.filter(organization=organization, read_at__isnull=True)
                .order_by("-created_at")[:limit])


def children_of(*, organization: Organization) -> models.QuerySet[Organization]:
    return access.children(organization)
