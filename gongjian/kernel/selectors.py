"""Kernel reads, scoped in SQL: whatever is out of the acting subtree is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connections, models, router
from django.db.models import Count, Q

from . import access
from .fields import blind_index
from .identity import normalize_id_number, normalize_mobile
from .models import ApiToken, Organization, Person, Position, User

MAX_PER_PAGE = 100

__all__ = [
    "Page",
    "organization_get_for_user",
    "organization_tree_for_user",
    "paginate",
    "paginate_fetched",
    "person_get_for_user",
    "person_list_visible_to",
    "visible_organizations",
    "women_to_pick",
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
    return paginate_fetched(lambda offset, limit: list(queryset[offset : offset + limit]), page=page,
                            per_page=per_page)


def paginate_fetched(fetch: Callable[[int, int], list[Any]], *, page: Any, per_page: Any = 20) -> Page:
    """`paginate` for a read that fetches its own rows: `fetch(offset, limit)`."""
    number = clamp_int(page, 1, 1, 10_000)
    size = clamp_int(per_page, 20, 1, MAX_PER_PAGE)
    rows = fetch((number - 1) * size, size + 1)
    return Page(rows=rows[:size], number=number, per_page=size, has_next=len(rows) > size)


def paginate_visible(user: Any, queryset: models.QuerySet[Any], *, order_by: tuple[str, ...], page: Any,
                     per_page: Any = 20, finish: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = None
                     ) -> Page:
    """One page of the rows `user` reaches in `queryset`, for a reach that is an OR (a lead's cases:
    her organisation's, or the ones she is named on): each alternative is an ordered, limited walk
    of its own index (`access.visible_ids`), then one query fetches the page among the keys found —
    still through `access.visible`. `finish` adds what the page shows (select_related, annotations).
    Three queries whatever the table's size; the same rows as `paginate(access.visible(...))`."""
    number = clamp_int(page, 1, 1, 10_000)
    size = clamp_int(per_page, 20, 1, MAX_PER_PAGE)
    start = (number - 1) * size
    ids = access.visible_ids(user, queryset, order_by=order_by, limit=start + size + 1)
    chosen = access.visible(user, queryset.filter(pk__in=ids))
    rows = list((finish(chosen) if finish else chosen).order_by(*order_by)[start : start + size + 1])
    return Page(rows=rows[:size], number=number, per_page=size, has_next=len(rows) > size)


# Z-05: the only orderings a list accepts; anything else falls back to the default.
PERSON_ORDERINGS = {"name": ("name", "id"), "-name": ("-name", "-id"), "recent": ("-id",)}


#: A subtree of at most this many organisations is "small" for the people list (issue 12 §7).
SMALL_SUBTREE = 12


_subtree_sql: dict[tuple[str, str], str] = {}


def _small_subtree_ids(path: str) -> list[int] | None:
    """The ids of the organisations under `path` when there are few of them, else None. Asked on
    every people list, so its SQL is compiled once per database (ADR 0033's reasoning)."""
    alias = router.db_for_read(Organization)
    connection = connections[alias]
    key = (alias, connection.vendor)
    sql = _subtree_sql.get(key)
    if sql is None:
        query = (Organization.objects.filter(path__startswith="x").order_by()
                 .values_list("pk", flat=True)[:SMALL_SUBTREE + 1])
        sql, params = query.query.get_compiler(alias).as_sql()
        assert list(params) == ["x%"], params  # the prefix is the one parameter (LIKE 'x%')
        _subtree_sql[key] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.prep_for_like_query(path) + "%"])
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= SMALL_SUBTREE else None


def person_list_visible_to(
    *, user: User, q: str = "", organization_id: Any = None, ordering: str = "name"
) -> models.QuerySet[Person]:
    """People in the acting subtree, optionally under one visible organisation, searched by
    name (contains) or by an exact ID or mobile number (blind index)."""
    qs = access.visible(user, Person.objects.all())
    acting = access.acting_of(user)
    root = acting.organization if acting is not None else None
    if organization_id:
        root = organization_get_for_user(user=user, organization_id=organization_id)
        qs = access.within(qs, root, via=("organization", "party_organization"))
    # Both databases answer "the first 20 by name whose organisation's path starts with P" by
    # walking the name index and testing every row's organisation: right for a county (a row in
    # most matches), but a village's list then reads nearly the whole table for its 20 rows. For
    # a small subtree, the same rows are named by their organisations' ids too, which the
    # (organisation, name) and party-organisation indexes serve; the reach above still applies.
    ids = _small_subtree_ids(root.path) if root is not None else None
    if ids is not None:
        qs = qs.filter(Q(organization_id__in=ids) | Q(party_organization_id__in=ids))
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



def women_to_pick(*, user: User, q: str, picked: Person | None = None, limit: int = 20) -> list[Person]:
    """A person picker's choices: the women of the acting subtree found by `q` (name, ID or
    mobile), with the one already picked first (a page re-shown after an error keeps her)."""
    query = q.strip()
    people = list(person_list_visible_to(user=user, q=query).filter(gender="F")[:limit]) if query else []
    if picked is not None and picked not in people:
        people.insert(0, picked)
    return people

def api_tokens_of(user: User, *, limit: int = 50) -> list[ApiToken]:
    """Her own API tokens, newest first (the live ones and the recent dead ones)."""
    qs = access.visible(user, ApiToken.objects.select_related("user", "position__organization"))
    return list(qs.order_by("-created_at", "-id")[:limit])


def push_channels_of(user: User) -> list[Any]:
    """Where her 待办 are pushed: one channel per kind at most."""
    from .models import PushChannel

    return list(access.visible(user, PushChannel.objects.all()).order_by("kind"))


def push_channel_get(*, user: User, channel_id: Any) -> Any:
    from .models import PushChannel

    return access.get(user, PushChannel.objects.select_related("user"), channel_id)


def api_token_get(*, user: User, token_id: Any) -> ApiToken:
    return access.get(user, ApiToken.objects.select_related("user"), token_id)


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


def positions_of_organization(*, organization: Organization, on: date | None = None
                              ) -> models.QuerySet[Position]:
    """The positions held on `on` (today by default); a closed unit's, those its closing ended
    (one set up on the very day it closed included)."""
    from django.utils import timezone

    held = Q(end_date__isnull=True) | Q(end_date__gte=on or timezone.localdate())
    start = on or timezone.localdate()
    if on is None and organization.closed_on is not None:
        start = organization.closed_on
        held = Q(end_date__gte=organization.closed_on - timedelta(days=1))
    return (
        Position.objects.filter(organization=organization, start_date__lte=start)
        .filter(held)
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


def ancestors_of(*, organization: Organization) -> models.QuerySet[Organization]:
    """The organisations above `organization`, top first (one indexed query)."""
    paths = access.ancestor_paths(organization.path, organization.steplen)[:-1]
    return Organization.objects.filter(path__in=paths).order_by("depth")


def offices_of(*, organization: Organization) -> models.QuerySet[Organization]:
    """What a leading group's name list prints below it (领导小组下设办公室, its work groups): the
    units it had on the day the list is for — none for any other kind of organisation."""
    if organization.kind != Organization.Kind.LEADING_GROUP:
        return Organization.objects.none()
    units = access.children(organization).filter(
        kind__in=(Organization.Kind.OFFICE, Organization.Kind.WORK_GROUP))
    return units if not organization.is_active else units.filter(is_active=True)


# --- the organisation tree maintained in the app (issue 9) ---------------------------------------

def position_get_for_user(*, user: User, position_id: Any) -> Position:
    return access.get(user, Position.objects.select_related("organization", "person"), position_id)


def position_candidates(*, user: User, organization: Organization, q: str = "", limit: int = 30
                        ) -> list[Person]:
    """People in the actor's reach to appoint in `organization`: found by name or by an exact ID
    or mobile number, else the people registered in the unit and the organisations above it."""
    if (q or "").strip():
        qs = person_list_visible_to(user=user, q=q)
    else:
        paths = access.ancestor_paths(organization.path, organization.steplen)
        qs = access.visible(user, Person.objects.filter(organization__path__in=paths)).order_by("name", "id")
    return list(qs.select_related(None).select_related("organization")
                .only("name", "organization__name")[:limit])


def person_in_reach(*, user: User, person_id: Any) -> Person | None:
    """A person the user reaches, or None (a form's choice, not a page: no 404)."""
    try:
        return access.visible(user, Person.objects.select_related("organization")).filter(pk=int(person_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def open_organizations(user: User) -> models.QuerySet[Organization]:
    """The organisations of the acting subtree still in use: what a new record may name."""
    return visible_organizations(user).filter(is_active=True)


def console_organizations(*, q: str = "", page: Any = None) -> Page:
    """The system admin's list of every organisation (SYSTEM_WIDE), searched by name."""
    qs = Organization.objects.select_related("region").order_by("path")
    q = (q or "").strip()[:50]
    # Without a search: the counties and their townships (what a new unit usually goes under).
    qs = qs.filter(name__contains=q) if q else qs.filter(depth__lte=2)
    return paginate(qs, page=page, per_page=50)
