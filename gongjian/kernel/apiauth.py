"""API plumbing every app's api.py uses: bearer tokens, declared permissions, Chinese errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import audit
from .context import Acting
from .decorators import Objects
from .http import account_of
from .models import ApiToken, AuditEvent, User
from .permissions import can


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record = (
            ApiToken.objects.select_related("user", "position__organization")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, expires_at__gt=timezone.now())
            .first()
        )
        if record is None or not record.user.is_active:
            return None
        user = record.user
        positions = list(user.current_positions())
        # The token acts for the position it was issued under; if that ended, it acts for none.
        position = next((p for p in positions if p.pk == record.position_id), None)
        user.positions = positions
        user.acting = Acting(position) if position is not None else None
        request.user = user
        return user


token_auth = TokenAuth()


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
