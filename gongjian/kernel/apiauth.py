"""API plumbing every app's api.py uses: bearer tokens, declared permissions, Chinese errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import audit
from .context import Acting
from .decorators import Objects
from .http import account_of
from .models import ApiToken, AuditEvent, User
from .permissions import can


def account_locked(user: User, ip: str | None) -> bool:
    """The account is locked out now from this address (too many failed logins within the cool-off,
    A-02: a lock holds an account and an address together, ADR 0031)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    from .loginguard import stored_username

    return AccessAttempt.objects.filter(username=stored_username(user.username), ip_address=ip, attempt_time__gte=since,
                                        failures_since_start__gte=settings.AXES_FAILURE_LIMIT).exists()


def token_refusal(record: ApiToken, now: datetime, ip: str | None = None) -> str | None:
    """Why a live, unrevoked token may not act for its account now — None if it may. A token obeys
    the account as a session does (issue 12): it stops when the account is deactivated or locked
    out, when its password has expired or was changed after the token was issued, and when the
    token was left unused for the idle limit."""
    from .middleware import needs_password_change

    user = record.user
    if not user.is_active:
        return "inactive"
    if needs_password_change(user):
        return "password_expired"
    if not constant_time_compare(record.password_stamp, user.get_session_auth_hash()):
        return "password_changed"
    if now - (record.last_used_at or record.created_at) > settings.GONGJIAN_API_TOKEN_IDLE:
        return "idle"
    if account_locked(user, ip):
        return "locked"
    return None


class TokenState(models.TextChoices):
    """What the owner reads about each of her tokens."""

    ACTIVE = "active", _lazy("可以使用")
    REVOKED = "revoked", _lazy("已吊销")
    EXPIRED = "expired", _lazy("已过期")
    IDLE = "idle", _lazy("长时间未使用，已失效")
    PASSWORD_CHANGED = "password_changed", _lazy("密码修改后已失效")
    PASSWORD_EXPIRED = "password_expired", _lazy("密码过期，暂停使用")
    INACTIVE = "inactive", _lazy("账户已停用")
    LOCKED = "locked", _lazy("账户被锁定，暂停使用")


def token_state(record: ApiToken, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if record.revoked:
        return "revoked"
    if record.expires_at <= now:
        return "expired"
    return token_refusal(record, now) or "active"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        record = (
            ApiToken.objects.select_related("user", "position__organization")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, expires_at__gt=now)
            .first()
        )
        from .middleware import client_ip

        if record is None or token_refusal(record, now, client_ip(request)) is not None:
            return None
        if record.last_used_at is None or now - record.last_used_at >= USE_GRANULARITY:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.auth_token_id = record.pk  # type: ignore[attr-defined]  # "this token" in the token list
        user = record.user
        positions = list(user.current_positions())
        # The token acts for the position it was issued under; if that ended, it acts for none.
        position = next((p for p in positions if p.pk == record.position_id), None)
        user.positions = positions
        user.acting = Acting(position) if position is not None else None
        request.user = user
        return user


token_auth = TokenAuth()

#: `last_used_at` is written at most this often (a write per request would cost more than it tells).
USE_GRANULARITY = timedelta(minutes=1)


def requires(permission: str, *, objects: Objects | None = None
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and check an operation's permission (the route walker insists on it); `objects`
    names the record type behind each path or query parameter (see `staff_view`)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not can(request.user, permission):
                audit.record(None, "kernel.access.denied", actor=account_of(request),
                             result=AuditEvent.Result.DENIED,
                             changes={"permission": permission, "path": request.path[:200]})
                raise HttpError(403, _("没有权限执行此操作。"))
            return func(request, *args, **kwargs)

        # What the route walkers read (kernel/tests/test_routes.py, test_matrix.py).
        wrapper.__dict__.update(required_permission=permission, objects=dict(objects or {}))
        return wrapper

    return decorator


def public(func: Callable[..., Any]) -> Callable[..., Any]:
    func.__dict__["public"] = True
    return func
