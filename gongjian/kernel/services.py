"""Kernel writes: one use case each, one transaction, the actor named, an audit row left."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, duties, people
from .models import AdminRoleRequest, AuditEvent, Grant, Organization, Person, User
from .people import PERSON_FIELDS
from .permissions import ensure_can


def _save_person(person: Person, *, jurisdiction: people.Jurisdiction) -> None:
    people.ensure_id_number_free(id_number=person.id_number, organization=person.organization,
                                 jurisdiction=jurisdiction, person_pk=person.pk)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # registered in this county a moment ago
        raise ValidationError({"id_number": ValidationError(
            _("该身份证号码已在本县登记，请勿重复录入。"), code="registered")}) from exc


@transaction.atomic
def person_create(*, actor: User, data: Mapping[str, Any]) -> Person:
    """Register a person under an organisation in the actor's jurisdiction; `data` is checked by the
    rule book (kernel.people), ID numbers once per county."""
    reach = people.jurisdiction_of(actor)
    cleaned = people.person_clean(data, jurisdiction=reach)
    person = Person(**{**people.DEFAULTS, **cleaned})
    ensure_can(actor, "kernel.add_person", person)
    _save_person(person, jurisdiction=reach)
    audit.record(person, "kernel.person.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(person, PERSON_FIELDS)))
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, data: Mapping[str, Any]) -> Person:
    """Change the fields in `data` (checked by the rule book); the others keep their values.
    The new organisation must be in her jurisdiction too (Z-02)."""
    stored = (Person.objects.select_for_update().select_related("organization__region")
              .get(pk=person.pk))
    ensure_can(actor, "kernel.change_person", stored)
    before = audit.snapshot(stored, PERSON_FIELDS)
    reach = people.jurisdiction_of(actor)
    cleaned = people.person_clean(data, jurisdiction=reach, instance=stored)
    for key, value in cleaned.items():
        setattr(stored, key, value)
    ensure_can(actor, "kernel.change_person", stored)
    changes = audit.diff(before, audit.snapshot(stored, PERSON_FIELDS))
    if changes:
        _save_person(stored, jurisdiction=reach)
        audit.record(stored, "kernel.person.updated", actor=actor, changes=changes)
    for key in cleaned:
        setattr(person, key, getattr(stored, key))
    return stored


REVEALABLE = {"id_number": "person.id_number", "mobile": "person.mobile"}


@transaction.atomic
def person_reveal(*, actor: User, person: Person, field: str, reason: str) -> str:
    """The full value of a masked field, for someone allowed to see it, with the reason on record."""
    reason = (reason or "").strip()
    if field not in REVEALABLE:
        raise ValidationError(_("不能查看该字段。"))
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写查看原因。")})
    ensure_can(actor, "kernel.reveal_pii", person)
    audit.record(person, "kernel.person.revealed", actor=actor,
                 changes={"field": field, "reason": reason[:200]})
    return str(getattr(person, field))


# --- admin roles: two security administrators, one asks and another decides (Z-06, ADR 0025) ---

ADMIN_ROLE_REQUEST_TTL = timedelta(days=3)


def _expire(request: AdminRoleRequest, now: datetime) -> bool:
    """Close a pending request whose time is up; True if it was (or already is) closed."""
    if request.state != AdminRoleRequest.State.PENDING:
        return True
    if request.expires_at > now:
        return False
    request.state = AdminRoleRequest.State.EXPIRED
    request.decided_at = now
    request.save(update_fields=["state", "decided_at"])
    audit.record(request, "kernel.admin_role_request.expired", actor=None, username="system",
                 changes={"account": request.account.username, "role": [request.previous_role, request.role]})
    return True


@transaction.atomic
def admin_role_request_create(*, actor: User, account: User, role: str, reason: str) -> AdminRoleRequest:
    """A security admin asks to give, change or take away an account's admin role; it waits for a
    second security admin. Never for oneself, never for an account that holds a position."""
    ensure_can(actor, "kernel.manage_accounts")
    if account.pk == actor.pk:
        raise ValidationError(_("不能修改自己的管理角色。"))
    account = User.objects.select_for_update().get(pk=account.pk)
    duties.check_admin_role(account, role)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写申请原因。")})
    now = timezone.now()
    for stale in AdminRoleRequest.objects.select_for_update().filter(
            account=account, state=AdminRoleRequest.State.PENDING):
        if not _expire(stale, now):
            raise ValidationError(_("该账户已有一项待确认的管理角色申请。"))
    request = AdminRoleRequest.objects.create(
        account=account, role=role, previous_role=account.admin_role, reason=reason[:200],
        requested_by=actor, requested_at=now, expires_at=now + ADMIN_ROLE_REQUEST_TTL)
    audit.record(request, "kernel.admin_role_request.created", actor=actor, changes={
        "account": account.username, "role": [account.admin_role, role], "reason": reason[:200]})
    return request


def _lock_request(request: AdminRoleRequest, actor: User) -> AdminRoleRequest:
    ensure_can(actor, "kernel.manage_accounts")
    request = AdminRoleRequest.objects.select_for_update().select_related("account").get(pk=request.pk)
    if request.account_id == actor.pk:
        raise ValidationError(_("不能处理关于自己账户的申请。"))
    return request


CLOSED = gettext_lazy("该申请已处理或已过期。")


def admin_role_request_confirm(*, actor: User, request: AdminRoleRequest) -> User:
    """A second security admin confirms: the role changes now, if the account still may have it."""
    with transaction.atomic():
        request = _lock_request(request, actor)
        if request.requested_by_id == actor.pk:
            raise ValidationError(_("不能确认自己提出的申请，须由另一名安全管理员确认。"))
        if not _expire(request, timezone.now()):
            account = User.objects.select_for_update().get(pk=request.account_id)
            # The account may have changed since the request: judge it as it is now.
            duties.check_admin_role(account, request.role)
            before = account.admin_role
            account.admin_role = request.role
            account.save(update_fields=["admin_role"])
            _decide(request, actor, AdminRoleRequest.State.CONFIRMED)
            audit.record(account, "kernel.account.role_changed", actor=actor, changes={
                "admin_role": [before, request.role], "requested_by": request.requested_by.username,
                "request": request.pk})
            return account
    # Outside the block, so an expiry just recorded is kept.
    raise ValidationError(CLOSED)


def admin_role_request_reject(*, actor: User, request: AdminRoleRequest) -> AdminRoleRequest:
    """Another security admin rejects a pending request; the requester may withdraw her own."""
    with transaction.atomic():
        request = _lock_request(request, actor)
        if not _expire(request, timezone.now()):
            own = request.requested_by_id == actor.pk
            _decide(request, actor, AdminRoleRequest.State.WITHDRAWN if own else AdminRoleRequest.State.REJECTED)
            return request
    raise ValidationError(CLOSED)


def _decide(request: AdminRoleRequest, actor: User, state: str) -> None:
    request.state = state
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(request, f"kernel.admin_role_request.{state}", actor=actor, changes={
        "account": request.account.username, "role": [request.previous_role, request.role],
        "requested_by": request.requested_by.username})


@transaction.atomic
def account_unlock(*, actor: User, account: User) -> None:
    """Lift a lock-out before its 30 minutes are up."""
    from axes.utils import reset

    ensure_can(actor, "kernel.manage_accounts")
    reset(username=account.username)
    audit.record(account, "kernel.account.unlocked", actor=actor)


@transaction.atomic
def account_set_active(*, actor: User, account: User, active: bool) -> User:
    ensure_can(actor, "kernel.manage_accounts")
    if account.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账户。"))
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record(account, "kernel.account.activated" if active else "kernel.account.deactivated",
                 actor=actor)
    return account


@transaction.atomic
def grant_create(*, actor: User, account: User, permission: str, organization: Organization, reason: str,
                 days: int) -> Grant:
    """Hand one account an extra permission within an organisation's subtree, for a time."""
    from .permissions import grantable_permissions

    ensure_can(actor, "kernel.manage_accounts")
    if account.pk == actor.pk:
        raise ValidationError(_("不能给自己授权。"))
    if account.admin_role:
        # A grant works only in a position, which an admin-role account never acts in (Z-06).
        raise ValidationError(_("管理角色账户不在工作台办理业务，不能授予业务权限。"))
    if permission not in grantable_permissions():
        raise ValidationError({"permission": _("该权限不能单独授予。")})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写授权原因。")})
    if not 1 <= days <= 365:
        raise ValidationError({"days": _("授权期限应在1到365天之间。")})
    grant = Grant.objects.create(user=account, permission=permission, organization=organization,
                                 reason=reason[:200], granted_by=actor,
                                 expires_at=timezone.now() + timedelta(days=days))
    audit.record(grant, "kernel.grant.created", actor=actor, changes={
        "account": account.username, "permission": permission, "organization": organization.pk,
        "days": days, "reason": reason[:200]})
    return grant


@transaction.atomic
def grant_revoke(*, actor: User, grant: Any) -> None:
    ensure_can(actor, "kernel.manage_accounts")
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit.record(grant, "kernel.grant.revoked", actor=actor)


@transaction.atomic
def reminder_mark_read(*, actor: User, organization: Any, reminder_id: int) -> None:
    """Mark one of the organisation's reminders as handled; another organisation's is a 404."""

    from . import access
    from .models import Notification

    reminder = access.get(actor, Notification.objects.filter(organization=organization), reminder_id)
    updated = Notification.objects.filter(pk=reminder.pk, read_at__isnull=True).update(read_at=timezone.now())
    if updated:
        audit.record(None, "kernel.reminder.read", actor=actor, object_type="kernel.notification",
                     object_id=str(reminder_id))


def record_failure(event: str, *, actor: User | None, detail: str) -> None:
    audit.record(None, event, actor=actor, result=AuditEvent.Result.FAILURE, changes={"detail": detail})
