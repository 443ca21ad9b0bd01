"""Every view declares what it needs: `staff_view("perm")` or `public_view`. A test walks all
URL patterns and fails on a view that declares neither (Z-03)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

from . import audit
from .http import account_of
from .models import AuditEvent
from .permissions import can

View = Callable[..., HttpResponseBase]


def record_denied(request: HttpRequest, permission: str) -> None:
    audit.record(
        None, "kernel.access.denied", actor=account_of(request),
        result=AuditEvent.Result.DENIED, changes={"permission": permission, "path": request.path[:200]},
    )


Objects = Mapping[str, "type[Model] | str | None"]


def staff_view(permission: str, *, handles_pii: bool = False, objects: Objects | None = None
               ) -> Callable[[View], View]:
    """Login required, then `permission` without an object; object checks happen in selectors,
    through the kernel's access policy.

    `objects` names the record type behind each URL parameter (and each query parameter that
    names a record): the role x route matrix test (kernel/tests/test_matrix.py) asks every
    persona for another village's, township's and county's record through it, and fails on a
    parameter that is not declared. `None` marks a parameter that names no record (a choice
    from a fixed list); `access.SYSTEM_WIDE` a record of the admin console's.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, permission):
                record_denied(request, permission)
                raise PermissionDenied(permission)
            try:
                response = view(request, *args, **kwargs)
            except PermissionDenied:
                record_denied(request, permission)
                raise
            if handles_pii:
                # P-07: pages with personal data are never cached by the browser or a proxy.
                response["Cache-Control"] = "no-store"
            return response

        # What the route walkers read (kernel/tests/test_routes.py, test_matrix.py).
        wrapper.__dict__.update(required_permission=permission, handles_pii=handles_pii,
                                objects=dict(objects or {}))
        return wrapper

    return decorator


def public_view(view: View) -> View:
    """Open to anyone, logged in or not: the portal, login, health check."""
    view.__dict__["public"] = True
    return view
