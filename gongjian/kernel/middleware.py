"""Request-wide concerns: request id and source address, session limits, acting organisation."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import context
from .context import Acting
from .http import account_of

Handler = Callable[[HttpRequest], HttpResponse]

ACTING_SESSION_KEY = "gongjian_acting_position"
LOGIN_AT_KEY = "gongjian_login_at"
LAST_SEEN_KEY = "gongjian_last_seen"


def client_ip(request: HttpRequest) -> str | None:
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


API_PREFIX = "/api/v1/"


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = context.RequestContext(ip=client_ip(request), request_id=secrets.token_hex(8))
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = ctx.request_id
        if request.path.startswith(API_PREFIX) and not response.has_header("Cache-Control"):
            # API answers carry personal data more often than not (a roster, a case, a loan): no
            # browser or proxy keeps them (P-07, issue 12); the public endpoints lose nothing by it.
            response["Cache-Control"] = "private, no-store"
        return response


class SessionLimitsMiddleware:
    """A-03: 30 minutes idle or 12 hours in all, then the session ends."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            login_at = request.session.get(LOGIN_AT_KEY, now)
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            idle = settings.GONGJIAN_IDLE_TIMEOUT.total_seconds()
            total = settings.GONGJIAN_SESSION_MAX_AGE.total_seconds()
            if now - last_seen > idle or now - login_at > total:
                logout(request)
                messages.info(request, _("长时间未操作，已自动退出，请重新登录。"))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            request.session.setdefault(LOGIN_AT_KEY, now)
            # Rewriting the session on every click costs a write; a minute's granularity is enough.
            if now - last_seen >= 60 or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def attach_acting(request: HttpRequest) -> None:
    user = account_of(request)
    if user is None:
        return
    loaded = getattr(user, "principal_positions", None)
    positions = list(loaded) if loaded is not None else list(user.current_positions())
    wanted = request.session.get(ACTING_SESSION_KEY) if hasattr(request, "session") else None
    chosen = next((p for p in positions if p.pk == wanted), positions[0] if positions else None)
    user.positions = positions
    user.acting = Acting(chosen) if chosen is not None else None


class ActingOrganizationMiddleware:
    """Puts the position the user acts in (chosen by the switcher) on `request.user.acting`."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            attach_acting(request)
        return self.get_response(request)


PASSWORD_EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")


class PasswordChangeRequiredMiddleware:
    """A-01: an initial or expired password allows only the change-password page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and needs_password_change(user):
            allowed = {reverse("kernel:password-change"), reverse("kernel:logout")}
            if request.path not in allowed and not request.path.startswith(PASSWORD_EXEMPT_PREFIXES):
                return redirect("kernel:password-change")
        return self.get_response(request)


def needs_password_change(user: object) -> bool:
    if getattr(user, "must_change_password", False):
        return True
    changed = getattr(user, "password_changed_at", None)
    return changed is not None and timezone.now() - changed > settings.GONGJIAN_PASSWORD_MAX_AGE
