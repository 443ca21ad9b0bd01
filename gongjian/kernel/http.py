"""Typed requests: what a view or API operation behind the kernel's decorators may rely on."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User

#: Whoever reads a public page or asks a public-facing selector: a signed-in account, an
#: anonymous visitor, or no one at all (a caller outside a request).
Reader: TypeAlias = User | AnonymousUser | None


class AuthedRequest(HttpRequest):
    """A request that passed `staff_view` or `requires`: a signed-in, active account (anyone
    else was turned away before the view ran), with `user.acting` set."""

    user: User
    # Set on every request by django_htmx's HtmxMiddleware (config/settings/base.py).
    htmx: HtmxDetails


def account_of(request: HttpRequest) -> User | None:
    """The signed-in account of any request, or None (anonymous)."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None
