"""The one permission policy: named rules predicates, checked by views, API and templates alike.

Django's superuser shortcut is deliberately not used: `policy` is a plain rule set, so the
separation of the three admin roles (Z-06) holds even for a superuser account.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from . import access
from .access import acting_of
from .http import Reader

policy = rules.RuleSet()


@rules.predicate
def is_authenticated(user: Reader) -> bool:
    return user is not None and user.is_authenticated and user.is_active


@rules.predicate
def has_acting_position(user: Reader) -> bool:
    return acting_of(user) is not None


@rules.predicate
def acts_as_staff(user: Reader) -> bool:
    from .models import Position

    acting = acting_of(user)
    return acting is not None and acting.role in Position.STAFF_ROLES


@rules.predicate
def acts_as_lead(user: Reader) -> bool:
    from .models import Position

    acting = acting_of(user)
    return acting is not None and acting.role in (Position.Role.LEAD, Position.Role.DEPUTY)


@rules.predicate
def acts_as_chief(user: Reader) -> bool:
    """She acts as the lead (主要负责人: 主席, 书记, 组长, 主任) of her organisation, not a deputy."""
    from .models import Position

    acting = acting_of(user)
    return acting is not None and acting.role == Position.Role.LEAD


def acts_for_kind(*kinds: str) -> rules.Predicate:
    """The acting organisation is of one of these kinds."""

    def check(user: Reader) -> bool:
        acting = acting_of(user)
        return acting is not None and acting.organization.kind in kinds

    return rules.predicate(check, name=f"acts_for_kind({','.join(kinds)})")


# The object lies within the record type's declared reach (kernel.access); true without one.
reaches = access.reaches()


def _admin_role(role: str) -> rules.Predicate:
    def check(user: Reader) -> bool:
        return bool(is_authenticated(user) and getattr(user, "admin_role", "") == role)

    return rules.predicate(check, name=f"admin_role_{role}")


is_system_admin = _admin_role("system")
is_security_admin = _admin_role("security")
is_auditor = _admin_role("auditor")

staff_in_scope = is_authenticated & acts_as_staff & reaches
lead_in_scope = is_authenticated & acts_as_lead & reaches


# Powers of the three admin roles are never handed out by a grant (Z-06).
# Nor is the organisation tree: its lead's or the system admin's, nobody else's (issue 9).
NOT_GRANTABLE = frozenset({"kernel.view_audit", "kernel.manage_accounts", "kernel.manage_system",
                           "kernel.use_console", "kernel.change_own_password", "kernel.use_workspace",
                           "kernel.add_unit", "kernel.manage_unit"})


def grantable_permissions() -> list[str]:
    return sorted(name for name in policy if name not in NOT_GRANTABLE)


def current_grants(user: Any) -> list[Any]:
    """Her unrevoked, unexpired grants: from the signed-in account's snapshot when there is one
    (kernel.principal; renewed whenever a grant of hers changes), else from the database."""
    from django.utils import timezone

    snapshot = getattr(user, "principal_grants", None)
    if snapshot is not None:
        now = timezone.now()
        return [g for g in snapshot if g.expires_at > now]
    cached = getattr(user, "_gongjian_grants", None)
    if cached is None:
        from .models import Grant

        cached = list(
            Grant.objects.filter(user_id=user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now())
            .select_related("organization")
        )
        user._gongjian_grants = cached
    return cached


def has_grant(user: Reader, permission: str, obj: Any = None) -> bool:
    """An explicit grant covering the acting organisation; the object must still be in scope."""
    if permission in NOT_GRANTABLE or not is_authenticated(user):
        return False
    acting = acting_of(user)
    if acting is None:
        return False
    if obj is not None and not access.may(user, obj):
        return False
    return any(g.permission == permission and g.organization.contains(acting.organization)
               for g in current_grants(user))


def can(user: Reader, permission: str, obj: Any = None) -> bool:
    if not policy.rule_exists(permission):
        raise KeyError(f"unknown permission {permission!r}")
    return bool(policy.test_rule(permission, user, obj)) or has_grant(user, permission, obj)


def ensure_can(user: Reader, permission: str, obj: Any = None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied(permission)


def register(permissions: dict[str, rules.Predicate]) -> None:
    """Each app's rules.py adds its table of permissions here."""
    for name, predicate in permissions.items():
        policy.set_rule(name, predicate)
