"""The one access policy (Z-01, Z-07): who may see which record.

Each record type declares its *reach* once, in its app's `rules.py`:

    access.declare(Activity, Subtree())                         # the acting subtree
    access.declare(Person, Subtree(via=("organization", "party_organization")))
    access.declare(Case, Handlers("handlers") | Granted("support.view_case"))

From that one declaration come both answers, the way Wagtail's permission policies answer the
list and the instance from one definition:
- `visible(user, queryset)` filters in SQL, so out-of-reach rows never load;
- `may(user, obj)` checks one object (rules predicates use it through `reaches`);
- `get(user, queryset, pk)` fetches one visible row or raises Http404 — never fetch-then-check.

A reach is built from a small vocabulary: `Own` (the acting organisation's own records), `Subtree` (the acting subtree, or the subtree of
another root such as the committee a leading group belongs to, optionally strictly below it),
`PartyMembers` (党内: party members whose 党组织关系 lies in the record's subtree, ADR 0007),
`Handlers` (named handlers plus the lead of the handling organisation: need-to-know), `Mine`
(the account's own records: her API tokens), and `Granted` (an explicit, time-limited grant, never wider than the acting subtree). `a | b` is a
reach too. A model may also declare a second, named reach for another audience (the portal's
`"reader"`), used with `audience=`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import rules
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from .context import Acting
from .http import Reader
from .models import Organization, Position

M = TypeVar("M", bound=models.Model)
Root = Callable[[Reader], Organization | None]

STAFF = "staff"
# A URL parameter naming a record of the admin console (an account, a grant): reached by the
# admin roles' permissions across the whole installation, not through an organisation.
SYSTEM_WIDE = "system-wide"


# ------------------------------------------------------------------------------ roots


def acting_of(user: Reader) -> Acting | None:
    """The position she acts in right now. An admin-role account never acts in the workspace
    (Z-06), whatever `.acting` says."""
    if getattr(user, "admin_role", ""):
        return None
    return getattr(user, "acting", None)


def acting_organization(user: Reader) -> Organization | None:
    """The organisation of the position she acts in right now (None without one)."""
    acting = acting_of(user)
    return acting.organization if acting is not None else None


def acting_organization_required(user: Reader) -> Organization:
    """The acting organisation of someone a permission check already let through; without a
    position nothing may be done in an organisation's name."""
    org = acting_organization(user)
    if org is None:
        raise PermissionDenied
    return org


def acting_of_kinds(*kinds: str) -> Root:
    """A root: the acting organisation, when it is of one of these kinds."""

    def root(user: Reader) -> Organization | None:
        org = acting_organization(user)
        return org if org is not None and org.kind in kinds else None

    root.__name__ = f"acting_of_kinds({','.join(kinds)})"
    return root


def ancestor_paths(path: str, steplen: int) -> list[str]:
    """The materialized paths of every ancestor of `path` and of `path` itself, top first."""
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def nearest_ancestor_of_kind(org: Organization, kind: str) -> Organization | None:
    """The closest organisation above `org` of `kind` (one indexed query)."""
    paths = ancestor_paths(org.path, org.steplen)[:-1]
    return Organization.objects.filter(path__in=paths, kind=kind).order_by("-depth").first()


def _owners(obj: Any, via: str) -> Organization | None:
    """Follow `via` ("organization", "activity__organization", "" for the object itself)."""
    if isinstance(obj, Organization):
        return obj  # an organisation owns itself, whatever the record type's `via`
    if not via:
        return None
    current = obj
    for name in via.split("__"):
        current = getattr(current, name, None)
        if current is None:
            return None
    return current if isinstance(current, Organization) else None


def _path_lookup(via: str) -> str:
    return f"{via}__path__startswith" if via else "path__startswith"


def _pk_lookup(via: str) -> str:
    return f"{via}__pk" if via else "pk"


# ---------------------------------------------------------------------------- reaches


class Reach:
    """How far a record type reaches. `condition` and `test` answer the same question, one in
    SQL and one for a loaded object; every subclass keeps them in step (tested per class)."""

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        """The rows this user reaches, or None for none at all."""
        raise NotImplementedError

    def test(self, user: Reader, obj: Any) -> bool:
        raise NotImplementedError

    def disjuncts(self, user: Reader, model: type[models.Model]) -> list[Q]:
        """The condition as alternatives each an index can serve alone (`visible_page` runs them
        one by one: a database cannot walk one index for "A OR B")."""
        condition = self.condition(user, model)
        return [] if condition is None else [condition]

    def __or__(self, other: Reach) -> Reach:
        return AnyOf((*_parts(self), *_parts(other)))


def _parts(reach: Reach) -> tuple[Reach, ...]:
    return reach.parts if isinstance(reach, AnyOf) else (reach,)


@dataclass(frozen=True)
class AnyOf(Reach):
    parts: tuple[Reach, ...]

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        found = [q for q in (part.condition(user, model) for part in self.parts) if q is not None]
        if not found:
            return None
        combined = found[0]
        for q in found[1:]:
            combined |= q
        return combined

    def test(self, user: Reader, obj: Any) -> bool:
        return any(part.test(user, obj) for part in self.parts)

    def disjuncts(self, user: Reader, model: type[models.Model]) -> list[Q]:
        return [q for part in self.parts for q in part.disjuncts(user, model)]


@dataclass(frozen=True)
class Subtree(Reach):
    """Records whose owning organisation (through any of `via`) lies in the subtree of the
    user's root — by default the organisation she acts for. `strictly_below` leaves the root's
    own records out (the superior committee reviews what lies below it)."""

    via: tuple[str, ...] = ("organization",)
    root: Root = acting_organization
    strictly_below: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.via, str):  # one path given as a plain string
            object.__setattr__(self, "via", (self.via,))

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        root = self.root(user)
        if root is None:
            return None
        combined: Q | None = None
        for via in self.via:
            term = Q(**{_path_lookup(via): root.path})
            if self.strictly_below:
                term &= ~Q(**{_pk_lookup(via): root.pk})
            # No empty Q() to start from: combining with it copies the term, on every list page.
            combined = term if combined is None else combined | term
        return combined

    def test(self, user: Reader, obj: Any) -> bool:
        root = self.root(user)
        if root is None:
            return False
        for via in self.via:
            owner = _owners(obj, via)
            if owner is None or not root.contains(owner):
                continue
            if self.strictly_below and owner.pk == root.pk:
                continue
            return True
        return False


def _many(model: type[models.Model], via: str) -> bool:
    return bool(via) and "__" not in via and bool(model._meta.get_field(via).many_to_many)


@dataclass(frozen=True)
class Below(Reach):
    """Records issued downward (a campaign to its targets): the acting organisation is the
    record's organisation, through any of `via` (a foreign key or a many-to-many such as
    co-issuers), or lies below it. `only` = (field, values) limits it to records in some state
    (issued, not drafts)."""

    via: tuple[str, ...] = ("organization",)
    only: tuple[str, tuple[Any, ...]] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.via, str):
            object.__setattr__(self, "via", (self.via,))

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        acting = acting_organization(user)
        if acting is None:
            return None
        paths = ancestor_paths(acting.path, acting.steplen)
        combined = Q()
        for via in self.via:
            lookup = {f"{via}__path__in" if via else "path__in": paths}
            if _many(model, via):
                # A subquery, not a join: a record with several co-issuers must not come back twice.
                combined |= Q(pk__in=model._default_manager.filter(**lookup).values("pk"))
            else:
                combined |= Q(**lookup)
        if self.only is not None:
            combined &= Q(**{f"{self.only[0]}__in": self.only[1]})
        return combined

    def test(self, user: Reader, obj: Any) -> bool:
        acting = acting_organization(user)
        if acting is None:
            return False
        if self.only is not None:
            value = obj
            for name in self.only[0].split("__"):
                value = getattr(value, name, None)
            if value not in self.only[1]:
                return False
        for via in self.via:
            if _many(type(obj), via):
                owners = list(getattr(obj, via).all())
            else:
                owner = _owners(obj, via)
                owners = [owner] if owner is not None else []
            if any(owner.contains(acting) for owner in owners):
                return True
        return False


@dataclass(frozen=True)
class Own(Reach):
    """Records of the very organisation she acts for, not of those below it (her reminders;
    the items her organisation drafts and publishes)."""

    via: str = "organization"
    root: Root = acting_organization

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        root = self.root(user)
        return None if root is None else Q(**{_pk_lookup(self.via): root.pk})

    def test(self, user: Reader, obj: Any) -> bool:
        root = self.root(user)
        owner = _owners(obj, self.via)
        return root is not None and owner is not None and owner.pk == root.pk


def party_organization_of(user: Reader) -> Organization | None:
    """The 党组织关系 of a signed-in party member (正式 or 预备), else None (ADR 0007)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    person = getattr(user, "person", None)
    if person is None or not person.is_party_member or person.party_organization_id is None:
        return None
    return person.party_organization


@dataclass(frozen=True)
class PartyMembers(Reach):
    """党内: party members whose 党组织关系 lies in the subtree of the record's organisation."""

    via: str = "organization"

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        party_org = party_organization_of(user)
        if party_org is None:
            return None
        prefix = f"{self.via}__" if self.via else ""
        return Q(**{f"{prefix}path__in": ancestor_paths(party_org.path, party_org.steplen)})

    def test(self, user: Reader, obj: Any) -> bool:
        party_org = party_organization_of(user)
        owner = _owners(obj, self.via)
        return party_org is not None and owner is not None and owner.contains(party_org)


@dataclass(frozen=True)
class Handlers(Reach):
    """Need-to-know: the users named in `users` (a foreign key or many-to-many to the user), and
    the lead or deputy acting for the organisation named by `lead_of`."""

    users: str
    lead_of: str = "organization"

    def _lead_org(self, user: Reader) -> Organization | None:
        acting = acting_of(user)
        if acting is None or acting.role not in (Position.Role.LEAD, Position.Role.DEPUTY):
            return None
        return acting.organization

    def _named(self, user: Reader, model: type[models.Model]) -> Q | None:
        if user is None or not user.is_authenticated:
            return None
        field = model._meta.get_field(self.users)
        if field.many_to_many:
            # A subquery, not a join: a record with several handlers must not come back twice.
            through = model._default_manager.filter(**{self.users: user.pk}).values("pk")
            return Q(pk__in=through)
        return Q(**{self.users: user.pk})

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        named = self._named(user, model)
        if named is None:
            return None
        lead = self._lead_org(user)
        return named | Q(**{self.lead_of: lead.pk}) if lead is not None else named

    def disjuncts(self, user: Reader, model: type[models.Model]) -> list[Q]:
        """Her named records, and the lead's organisation's: each walks its own index."""
        named = self._named(user, model)
        if named is None:
            return []
        lead = self._lead_org(user)
        return [named, Q(**{self.lead_of: lead.pk})] if lead is not None else [named]

    def test(self, user: Reader, obj: Any) -> bool:
        if user is None or not user.is_authenticated:
            return False
        field = obj._meta.get_field(self.users)
        if field.many_to_many:
            named = getattr(obj, self.users).filter(pk=user.pk).exists()
        else:
            named = getattr(obj, field.attname) == user.pk
        lead = self._lead_org(user)
        return bool(named or (lead is not None and getattr(obj, f"{self.lead_of}_id") == lead.pk))


@dataclass(frozen=True)
class Mine(Reach):
    """Records of the signed-in account itself (her API tokens): whatever position she acts in,
    and nobody else's."""

    field: str = "user"

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        if user is None or not user.is_authenticated:
            return None
        return Q(**{self.field: user.pk})

    def test(self, user: Reader, obj: Any) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return bool(getattr(obj, f"{self.field}_id", None) == user.pk)


@dataclass(frozen=True)
class Granted(Reach):
    """An explicit, time-limited grant of `permission` (kernel.Grant) covering the acting
    organisation reaches the records of the acting subtree that lie under the grant's
    organisation; a grant never widens what she sees beyond the position she acts in."""

    permission: str
    via: str = "organization"

    def _roots(self, user: Reader) -> list[Organization]:
        from .permissions import current_grants

        acting = acting_organization(user)
        if acting is None:
            return []
        # The grant must cover the acting organisation; what it reaches is the acting subtree.
        return [acting] if any(g.permission == self.permission and g.organization.contains(acting)
                               for g in current_grants(user)) else []

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        roots = self._roots(user)
        return Q(**{_path_lookup(self.via): roots[0].path}) if roots else None

    def test(self, user: Reader, obj: Any) -> bool:
        owner = _owners(obj, self.via)
        return owner is not None and any(root.contains(owner) for root in self._roots(user))


# ---------------------------------------------------------------------------- registry


_declared: dict[type, dict[str, Reach]] = {}


def declare(model: type[models.Model], reach: Reach, *, audience: str = STAFF) -> None:
    """The model's reach for an audience (staff by default); declared once, in its app's rules.py."""
    _declared.setdefault(model, {})[audience] = reach


def reach_of(model: type[models.Model], *, audience: str = STAFF) -> Reach:
    for klass in model.__mro__:
        found = _declared.get(klass, {}).get(audience)
        if found is not None:
            return found
    raise ImproperlyConfigured(f"{model.__name__} declares no reach for {audience!r} (kernel.access)")


def declared_models(*, audience: str = STAFF) -> list[type[models.Model]]:
    return [model for model, reaches in _declared.items() if audience in reaches]


def condition(user: Reader, model: type[models.Model], *, audience: str = STAFF,
              reach: Reach | None = None) -> Q | None:
    """The SQL condition of the rows of `model` the user reaches, or None for none at all: what
    `visible` filters by (and what keys a compiled read, kernel.compiled)."""
    return (reach or reach_of(model, audience=audience)).condition(user, model)


def visible(user: Reader, queryset: models.QuerySet[M], *, audience: str = STAFF,
            reach: Reach | None = None) -> models.QuerySet[M]:
    """Only the rows the user reaches, filtered in SQL."""
    where = condition(user, queryset.model, audience=audience, reach=reach)
    return queryset.none() if where is None else queryset.filter(where)


def may(user: Reader, obj: Any, *, audience: str = STAFF, reach: Reach | None = None) -> bool:
    """The same answer as `visible`, for one loaded object."""
    chosen = reach or reach_of(type(obj), audience=audience)
    return chosen.test(user, obj)


def visible_ids(user: Reader, queryset: models.QuerySet[M], *, order_by: tuple[str, ...], limit: int,
                audience: str = STAFF) -> list[Any]:
    """The primary keys of the first `limit` visible rows in `order_by`, found alternative by
    alternative (`Reach.disjuncts`): each one an ordered, limited walk of its own index, merged
    here. For lists whose reach is an OR a database would otherwise answer by reading every row
    (a lead's cases: her organisation's OR the ones she is named on)."""
    reach = reach_of(queryset.model, audience=audience)
    found: set[Any] = set()
    for part in reach.disjuncts(user, queryset.model):
        found.update(queryset.filter(part).order_by(*order_by).values_list("pk", flat=True)[:limit])
    return list(found)


def get(user: Reader, queryset: models.QuerySet[M], pk: Any, *, audience: str = STAFF,
        reach: Reach | None = None) -> M:
    """One row the user reaches, or Http404: another organisation's object does not exist."""
    try:
        return visible(user, queryset, audience=audience, reach=reach).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def system_record(queryset: models.QuerySet[M], pk: Any) -> M:
    """A record of the admin console (`SYSTEM_WIDE`: an account, a grant, a role request), which
    the admin roles' permissions reach across the installation; Http404 for anything else, a
    malformed or huge id included. The caller's route checked the permission already."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def reaches(reach: Reach | None = None, *, audience: str = STAFF) -> rules.Predicate:
    """A rules predicate from a reach (the model's declared one by default): true without an
    object, so `can(user, perm)` asks only about the role."""

    def check(user: Reader, obj: Any) -> bool:
        if obj is None:
            return True
        return may(user, obj, audience=audience, reach=reach)

    name = "reaches" if reach is None else f"reaches({type(reach).__name__})"
    return rules.predicate(check, name=name)


def within(queryset: models.QuerySet[M], organization: Organization, *,
           via: str | Iterable[str] = "organization") -> models.QuerySet[M]:
    """Narrow rows already visible to one organisation's subtree (a drill-down, not a check:
    `organization` must itself have come through `get`)."""
    return queryset.filter(within_condition(organization.path, via=via))


def within_condition(path: str, *, via: str | Iterable[str] = "organization") -> Q:
    """The condition of `within`, from the path of an organisation that came through `get`."""
    vias = (via,) if isinstance(via, str) else tuple(via)
    combined: Q | None = None
    for name in vias:
        term = Q(**{_path_lookup(name): path})
        combined = term if combined is None else combined | term
    return combined if combined is not None else Q()


def children(organization: Organization) -> models.QuerySet[Organization]:
    """The organisations directly below `organization`, in tree order."""
    return Organization.objects.filter(
        path__startswith=organization.path, depth=organization.depth + 1).order_by("path")
