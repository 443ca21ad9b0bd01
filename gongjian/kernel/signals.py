"""Authentication events into the audit chain (L-01): logins, failures, lock-outs, logouts."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from . import audit
from .identity import mask_personal_numbers
from .middleware import LAST_SEEN_KEY, LOGIN_AT_KEY
from .models import AuditEvent, User


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT_KEY] = now
        request.session[LAST_SEEN_KEY] = now
    audit.record(user, "kernel.auth.login", actor=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "kernel.auth.logout", actor=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    # The username is recorded as typed, one line, so a crafted name can't forge a log line.
    username = username.replace("\r", " ").replace("\n", " ")
    user = get_user_model().objects.filter(username=username).first()
    from .loginguard import failed
    from .middleware import client_ip

    failed(username, client_ip(request) if request is not None else None)
    # Someone who types her ID number or mobile as the account name leaves it masked (L-06).
    audit.record(
        user, "kernel.auth.login_failed", actor=None, username=mask_personal_numbers(username),
        result=AuditEvent.Result.FAILURE,
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    username = (username or "").replace("\r", " ").replace("\n", " ")[:150]
    user = get_user_model().objects.filter(username=username).first()
    audit.record(
        user, "kernel.auth.locked_out", actor=None, username=mask_personal_numbers(username),
        result=AuditEvent.Result.FAILURE,
    )
