"""Guessing passwords, slowed without locking anyone out (A-02, issue 12; ADR 0031).

django-axes locks an (account, address) pair for 30 minutes after 5 failed logins: the owner,
signing in from her own phone or office, is never locked out by someone guessing elsewhere.
Beside it, two limits of our own, counted in the shared rate-counter table (every app server sees
the same counts):
- one address that fails 30 times in 15 minutes, whatever the accounts, is refused logins for the
  rest of the window (a robot walking through account names);
- an account that failed 5 times in 15 minutes, from all addresses together, takes at most one
  login attempt every 10 seconds (many addresses guessing one account) — slowed, never locked.
Both are checked by `LoginGuardBackend` before any password is; pages and the API token endpoint
go through the same `authenticate`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from . import ratelimit
from .identity import mask_personal_numbers
from .models import RateCounter

ADDRESS_LIMIT = 30
ADDRESS_WINDOW = 15 * 60
ACCOUNT_SLOW_AFTER = 5
ACCOUNT_WINDOW = 15 * 60
ACCOUNT_SLOT_SECONDS = 10

REFUSALS = {
    "address": _("这个网络地址登录失败次数过多，请15分钟后再试。"),
    "slow": _("这个账户最近多次登录失败，为了安全，请10秒后再试。"),
}


def _address_key(ip: str) -> str:
    return f"login-fail-addr:{ip}"


def stored_username(username: str) -> str:
    """The account name as the lock-out records keep it (django-axes, `AXES_USERNAME_CALLABLE`): an ID
    number or a mobile typed as the name is masked (L-06, issue 12). Real account names are kept
    as they are; a masked one only ever shares a lock with another such name from the same address."""
    return mask_personal_numbers(str(username or ""))[:150]


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    if credentials and credentials.get("username"):
        return stored_username(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return stored_username(data.get("username", ""))


def _name(username: str) -> str:
    # The counters are keyed by a keyed hash of the name, never the name typed (L-06).
    return salted_hmac("gongjian.loginguard", username.strip().lower()).hexdigest()[:40]


def _account_key(username: str) -> str:
    return f"login-fail-account:{_name(username)}"


def _count(key: str, window: int) -> int:
    start = ratelimit.window_start(timezone.now(), window)
    return RateCounter.objects.filter(key=key[:200], window_start=start).values_list("count", flat=True).first() or 0


def failed(username: str, ip: str | None) -> None:
    """Count one failed login (called for every failure, whatever refused it)."""
    if ip:
        ratelimit.hit(_address_key(ip), limit=ADDRESS_LIMIT, window_seconds=ADDRESS_WINDOW)
    if username:
        ratelimit.hit(_account_key(username), limit=ACCOUNT_SLOW_AFTER, window_seconds=ACCOUNT_WINDOW)


def refusal(username: str, ip: str | None) -> str | None:
    """Why this attempt is refused before its password is looked at, or None."""
    if ip and _count(_address_key(ip), ADDRESS_WINDOW) >= ADDRESS_LIMIT:
        return "address"
    if username and _count(_account_key(username), ACCOUNT_WINDOW) >= ACCOUNT_SLOW_AFTER:
        slot = f"login-slot:{_name(username)}"
        if not ratelimit.hit(slot, limit=1, window_seconds=ACCOUNT_SLOT_SECONDS):
            return "slow"
    return None


def refusal_message(request: HttpRequest | None) -> str | None:
    reason = getattr(request, "login_refusal", None)
    return str(REFUSALS[reason]) if reason in REFUSALS else None


class LoginGuardBackend:
    """First after axes: refuses (PermissionDenied stops `authenticate`) while a limit holds. It
    has no `get_user`: it never signs anyone in, so no session names it."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        from .middleware import client_ip

        ip = client_ip(request) if request is not None else None
        reason = refusal(str(username or ""), ip)
        if reason is not None:
            if request is not None:
                request.login_refusal = reason  # type: ignore[attr-defined]
            raise PermissionDenied(reason)
        return None
