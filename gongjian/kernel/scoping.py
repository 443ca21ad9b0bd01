"""Scoping selectors: every staff read goes through these, so out-of-scope rows never load."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from .models import Organization
from .permissions import acting_of, owning_path_q

M = TypeVar("M", bound=models.Model)


def acting_organization(user: Any) -> Organization | None:
    acting = acting_of(user)
    return acting.organization if acting is not None else None


def scoped(
    queryset: models.QuerySet[M], user: Any, *, via: str | tuple[str, ...] = "organization"
) -> models.QuerySet[M]:
    """Only rows whose owning organisation (via the named FK(s)) lies in the acting subtree."""
    org = acting_organization(user)
    if org is None:
        return queryset.none()
    return queryset.filter(owning_path_q(org.path, via))


def get_scoped(
    queryset: models.QuerySet[M], user: Any, pk: Any, *, via: str | tuple[str, ...] = "organization"
) -> M:
    """One row in scope, or Http404: another subtree's object does not exist for this user."""
    try:
        return scoped(queryset, user, via=via).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_organizations(user: Any) -> models.QuerySet[Organization]:
    org = acting_organization(user)
    if org is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=org.path)


def organization_get_for_user(*, user: Any, organization_id: Any) -> Organization:
    try:
        return visible_organizations(user).get(pk=organization_id)
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
