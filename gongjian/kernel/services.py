"""Kernel writes: one use case each, one transaction, the actor named, an audit row left."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, audit, duties, people
from . import organizations as orgrules
from .models import (
    AdminRoleRequest,
    ApiToken,
    AuditEvent,
    Grant,
    Organization,
    Person,
    Position,
    User,
)
from .people import PERSON_FIELDS
from .permissions import can, ensure_can


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


#: What a decision of the party line may change of a person it does not otherwise reach.
PARTY_STANDING_FIELDS = frozenset({"political_status", "party_organization"})


def _ensure_may_change(actor: User, person: Person, data: Mapping[str, Any],
                       authority: tuple[str, Any] | None) -> None:
    if authority is None:
        ensure_can(actor, "kernel.change_person", person)
        return
    permission, record = authority
    if set(data) - PARTY_STANDING_FIELDS or getattr(record, "person_id", None) != person.pk:
        raise PermissionDenied("authority covers the political standing of the record's person only")
    ensure_can(actor, permission, record)


@transaction.atomic
def person_update(*, actor: User, person: Person, data: Mapping[str, Any],
                  authority: tuple[str, Any] | None = None) -> Person:
    """Change the fields in `data` (checked by the rule book); the others keep their values.
    The new organisation must be in her jurisdiction too (Z-02).

    `authority` — (permission, record): a decision of the party line about this person (a
    cultivation step of development) lets the actor who holds `permission` on `record` change her
    political status and party organisation only, although she is registered on the federation
    line out of the actor's reach (record.person must be her)."""
    stored = (Person.objects.select_for_update().select_related("organization__region")
              .get(pk=person.pk))
    _ensure_may_change(actor, stored, data, authority)
    before = audit.snapshot(stored, PERSON_FIELDS)
    reach = people.jurisdiction_of(actor)
    cleaned = people.person_clean(data, jurisdiction=reach, instance=stored)
    for key, value in cleaned.items():
        setattr(stored, key, value)
    _ensure_may_change(actor, stored, data, authority)
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
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """She revokes one of her API tokens (a lost phone, a script retired); audited, idempotent."""
    ensure_can(actor, "kernel.manage_own_tokens", token)
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not locked.revoked:
        locked.revoked, locked.revoked_at = True, timezone.now()
        locked.save(update_fields=["revoked", "revoked_at"])
        audit.record(locked, "kernel.api.token_revoked", actor=actor)
    return locked


@transaction.atomic
def push_channel_set(*, actor: User, kind: str, cadence: str, address: str, secret: str = "") -> Any:
    """She sets where her 待办 go for one kind (钉钉, 企业微信, SMS): a new one, or the one she had
    replaced. Checked (https to the robot's host, a mobile number), stored encrypted, audited masked."""
    from . import pushes
    from .models import PushChannel

    errors: dict[str, Any] = {}
    if kind not in PushChannel.Kind.values:
        errors["kind"] = _("请选择推送方式。")
    if cadence not in PushChannel.Cadence.values:
        errors["cadence"] = _("请选择推送频率。")
    if errors:
        raise ValidationError(errors)
    address = pushes.check_address(kind, address)
    secret = pushes.check_secret(kind, secret)
    channel = PushChannel.objects.select_for_update().filter(user=actor, kind=kind).first()
    created = channel is None
    if channel is None:
        channel = PushChannel(user=actor, kind=kind, pushed_through=pushes.cursor_now())
    ensure_can(actor, "kernel.manage_own_pushes", channel)
    before = {"cadence": channel.cadence, "address": channel.masked_address, "secret": bool(channel.secret)}
    moved = channel.address != address or channel.secret != secret
    channel.cadence, channel.address, channel.secret = cadence, address, secret
    if not created:  # a new address gets a fresh start: no backoff left from the old one
        channel.failures, channel.retry_at, channel.last_error = 0, None, ""
    channel.save()
    after = {"cadence": channel.cadence, "address": channel.masked_address, "secret": bool(channel.secret)}
    changes = {k: [before[k], after[k]] for k in after if created or before[k] != after[k]}
    if moved:  # the same host and last characters still mean a new secret: say it changed
        changes.setdefault("address", [before["address"], after["address"]])
    audit.record(channel, "kernel.push.created" if created else "kernel.push.changed", actor=actor,
                 changes={"kind": kind, **changes})
    return channel


@transaction.atomic
def push_channel_remove(*, actor: User, channel: Any) -> None:
    """She stops a push; audited with its masked address."""
    ensure_can(actor, "kernel.manage_own_pushes", channel)
    audit.record(channel, "kernel.push.removed", actor=actor,
                 changes={"kind": channel.kind, "address": channel.masked_address})
    channel.delete()


@transaction.atomic
def account_unlock(*, actor: User, account: User) -> None:
    """Lift a lock-out before its 30 minutes are up."""
    from axes.utils import reset

    ensure_can(actor, "kernel.manage_accounts")
    from .loginguard import stored_username

    reset(username=stored_username(account.username))
    audit.record(account, "kernel.account.unlocked", actor=actor)


@transaction.atomic
def account_set_active(*, actor: User, account: User, active: bool) -> User:
    ensure_can(actor, "kernel.manage_accounts")
    if account.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账户。"))
    account.is_active = active
    if active:
        account.activated_at = timezone.now()
    account.save(update_fields=["is_active", "activated_at"])
    audit.record(account, "kernel.account.activated" if active else "kernel.account.deactivated",
                 actor=actor)
    return account


def dormant_accounts(*, now: datetime | None = None) -> QuerySet[User]:
    """Active accounts nobody used for `GONGJIAN_DORMANT_DAYS` (90): no sign-in, no API token, no
    (re)activation, no creation within the period (A-06)."""
    since = (now or timezone.now()) - settings.GONGJIAN_DORMANT_AFTER
    used = Q(last_login__gte=since) | Q(date_joined__gte=since) | Q(activated_at__gte=since)
    return User.objects.filter(is_active=True).exclude(used)


@transaction.atomic
def accounts_deactivate_dormant(*, now: datetime | None = None) -> list[str]:
    """The dormant-account job: deactivate each dormant account, one audit row each (the system as
    actor); a security admin turns one back on from 账户与锁定 — so the security admins are kept
    when all of them are dormant."""
    names = []
    dormant = list(dormant_accounts(now=now).select_for_update())
    security = User.AdminRole.SECURITY
    keep_security = not User.objects.filter(is_active=True, admin_role=security).exclude(
        pk__in=[a.pk for a in dormant]).exists()
    for account in dormant:
        if keep_security and account.admin_role == security:
            # The last security admins stay on: nobody else could turn an account back on.
            continue
        account.is_active = False
        account.save(update_fields=["is_active"])
        audit.record(account, "kernel.account.deactivated_dormant", actor=None,
                     changes={"last_login": account.last_login.isoformat() if account.last_login else None})
        names.append(account.username)
    return names


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


# --- the organisation tree maintained in the app (issue 9): closed, never deleted ----------------

ORGANIZATION_FIELDS = ("name", "kind", "region", "is_active", "closed_on")
POSITION_FIELDS = ("person", "organization", "title", "role", "note", "sort_order", "start_date", "end_date")


def _ensure_may_add_under(actor: User, parent: Organization | None) -> None:
    """The system admin maintains the whole tree; an organisation's lead adds units under it."""
    if can(actor, "kernel.manage_system"):
        return
    if parent is None:
        raise PermissionDenied("kernel.manage_system")
    ensure_can(actor, "kernel.add_unit", parent)


def _ensure_may_manage(actor: User, unit: Organization) -> None:
    """The system admin, or the lead of an organisation the unit lies strictly below."""
    if not can(actor, "kernel.manage_system"):
        ensure_can(actor, "kernel.manage_unit", unit)


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().select_related("region").get(pk=organization.pk)


@transaction.atomic
def organization_create(*, actor: User, parent: Organization | None, kind: str, name: str,
                        place: orgrules.NewPlace | None = None) -> Organization:
    """Set up a unit under `parent` (None: a root, the system admin's): a leading group, an office,
    a work group, a 妇委会, or a federation or party organisation with its new place (`place`)."""
    _ensure_may_add_under(actor, parent)
    if parent is not None:
        parent = _locked(parent)
        orgrules.check_open(parent)
    orgrules.check_kind(kind, parent)
    name = orgrules.clean_name(name)
    region = orgrules.place_for(kind, parent, place)
    orgrules.check_one_per_place(kind, region)
    orgrules.check_name_free(name, region)
    values = {"name": name, "kind": kind, "region": region}
    unit = (Organization.objects.add_child(parent, values) if parent is not None
            else Organization.objects.add_root(values))
    audit.record(unit, "kernel.organization.created", actor=actor, changes={
        **audit.diff({}, audit.snapshot(unit, ORGANIZATION_FIELDS)),
        "parent": parent.pk if parent is not None else None})
    return unit


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, name: str) -> Organization:
    """Rename a unit (a leading group renamed for a new campaign, a village renamed)."""
    _ensure_may_manage(actor, organization)
    unit = _locked(organization)
    orgrules.check_open(unit)
    before = audit.snapshot(unit, ORGANIZATION_FIELDS)
    unit.name = orgrules.clean_name(name)
    orgrules.check_name_free(unit.name, unit.region, exclude=unit.pk)
    changes = audit.diff(before, audit.snapshot(unit, ORGANIZATION_FIELDS))
    if changes:
        unit.save(update_fields=["name"])
        audit.record(unit, "kernel.organization.updated", actor=actor, changes=changes)
    organization.name = unit.name
    return unit


@transaction.atomic
def organization_close(*, actor: User, organization: Organization, closed_on: date | None = None
                       ) -> Organization:
    """Close a unit: it drops out of every choice for new records, its current positions end the
    day before, and whatever refers to it stays readable. Units below it must be closed first."""
    _ensure_may_manage(actor, organization)
    unit = _locked(organization)
    orgrules.check_open(unit)
    today = timezone.localdate()
    day = closed_on or today
    if day > today:
        raise ValidationError({"closed_on": _("撤销日期不能晚于今天。")})
    below = orgrules.open_children(unit)
    if below:
        raise ValidationError(_("请先撤销其下级组织：%(names)s。") % {"names": "、".join(o.name for o in below[:5])})
    before = audit.snapshot(unit, ORGANIZATION_FIELDS)
    ended = []
    for position in Position.objects.select_for_update().filter(orgrules.current_or_future(unit, day)):
        position.end_date = orgrules.end_day(position, day)
        position.save(update_fields=["end_date"])
        ended.append(position.pk)
    unit.is_active = False
    unit.closed_on = day
    unit.save(update_fields=["is_active", "closed_on"])
    audit.record(unit, "kernel.organization.closed", actor=actor, changes={
        **audit.diff(before, audit.snapshot(unit, ORGANIZATION_FIELDS)), "positions_ended": ended})
    organization.is_active, organization.closed_on = unit.is_active, unit.closed_on
    return unit


@transaction.atomic
def position_create(*, actor: User, organization: Organization, person: Person, title: str,
                    role: str = "", note: str = "", start_date: date | None = None) -> Position:
    """Appoint someone in the actor's reach (组长, 副组长, 成员, 办公室主任 …) to a unit the actor
    manages; the role follows the title unless given."""
    _ensure_may_manage(actor, organization)
    unit = _locked(organization)
    orgrules.check_open(unit)
    if not can(actor, "kernel.manage_system") and not access.may(actor, person):
        raise ValidationError({"person": _("请选择您管辖范围内的人员。")})
    duties.check_position_holder(person.pk)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("请填写职务，如组长、副组长、成员、办公室主任。")})
    if len(title) > 50:
        raise ValidationError({"title": _("职务不能超过50个字。")})
    role = role or orgrules.role_for_title(title)
    if role not in Position.Role.values:
        raise ValidationError({"role": _("请选择角色。")})
    note = " ".join((note or "").split())
    if len(note) > 100:
        raise ValidationError({"note": _("兼任/说明不能超过100个字。")})
    start = start_date or timezone.localdate()
    if Position.objects.filter(orgrules.current_or_future(unit, start), person=person, title=title).exists():
        raise ValidationError({"person": _("%(name)s已担任%(org)s%(title)s。") % {
            "name": person.name, "org": unit.name, "title": title}})
    position = Position(person=person, organization=unit, title=title, role=role, note=note,
                        sort_order=orgrules.SORT_BY_ROLE[role], start_date=start)
    position.save()
    audit.record(position, "kernel.position.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(position, POSITION_FIELDS)))
    return position


@transaction.atomic
def position_end(*, actor: User, position: Position) -> Position:
    """End a term now (from today on she no longer holds it); the position stays on record."""
    stored = Position.objects.select_for_update().select_related("organization", "person").get(pk=position.pk)
    _ensure_may_manage(actor, stored.organization)
    today = timezone.localdate()
    if stored.end_date is not None and stored.end_date < today:
        raise ValidationError(_("该职务任期已结束。"))
    before = audit.snapshot(stored, POSITION_FIELDS)
    stored.end_date = orgrules.end_day(stored, today)
    stored.save(update_fields=["end_date"])
    audit.record(stored, "kernel.position.ended", actor=actor,
                 changes=audit.diff(before, audit.snapshot(stored, POSITION_FIELDS)))
    position.end_date = stored.end_date
    return stored
