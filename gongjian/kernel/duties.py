"""Separation of duties (Z-06, ADR 0025): an account either works in an organisation (positions)
or holds one of the three admin roles, never both.

Every path that gives an admin role or a position asks here first: the role-request services,
`Position.clean()` (the Django admin's form), the demo loader. `User.current_positions()` is the
backstop: an admin-role account acts in no position even if the data say otherwise.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AdminRoleRequest, Position, User


def holds_position(account: User) -> bool:
    """A position that has not ended: a current one, or one that starts later."""
    if account.person_id is None:
        return False
    today = timezone.localdate()
    return Position.objects.filter(person_id=account.person_id).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)).exists()


def check_admin_role(account: User, role: str) -> None:
    """May `account` be given `role` ("" takes the admin role away)? Raises ValidationError."""
    if role not in User.AdminRole.values:
        raise ValidationError(_("无效的管理角色。"))
    if role == account.admin_role:
        raise ValidationError(_("该账户已是此管理角色。"))
    if role and holds_position(account):
        raise ValidationError(_("该账户在组织中担任职务，不能同时担任管理角色（三权分立）。"))


def check_position_holder(person_id: int | None) -> None:
    """May this person hold a position? Not while her account holds an admin role."""
    if person_id is None:
        return
    if User.objects.filter(person_id=person_id).exclude(admin_role="").exists():
        raise ValidationError(_("该人员的账户担任管理角色，不能在组织中任职（三权分立）。"))


def open_role_requests() -> QuerySet[AdminRoleRequest]:
    """Admin-role requests still waiting for a second security admin (the console lists them)."""
    return (AdminRoleRequest.objects.filter(state=AdminRoleRequest.State.PENDING, expires_at__gt=timezone.now())
            .select_related("account", "requested_by").order_by("requested_at", "id"))
