"""Typed requests: what a view or API operation behind the kernel's decorators may rely on."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthedRequest(HttpRequest):
    """A request that passed `staff_view` or `requires`: a signed-in, active account (anyone
    else was turned away before the view ran), with `user.acting` set."""

    user: User


def account_of(request: HttpRequest) -> User | None:
    """The signed-in account of any request, or None (anonymous)."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None
