"""The second sign-in step and enrolment of an authenticator (A-05; logic in `twofactor`)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import twofactor
from .decorators import public_view, staff_view
from .http import AuthedRequest
from .middleware import client_ip
from .models import User


@public_view
def login_code(request: HttpRequest) -> HttpResponse:
    """After the password: the code from her authenticator or a recovery code. The session is not
    signed in until the code is right."""
    pending = request.session.get(twofactor.PENDING_KEY)
    user = None
    if isinstance(pending, dict) and time.time() - pending.get("at", 0) < twofactor.PENDING_SECONDS:
        user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None or not isinstance(pending, dict):
        request.session.pop(twofactor.PENDING_KEY, None)
        messages.info(request, _("请重新输入用户名和密码。"))
        return redirect("kernel:login")
    error = ""
    if request.method == "POST":
        outcome = twofactor.second_factor_check(user=user, code=request.POST.get("code", ""),
                                                ip=client_ip(request))
        if outcome in (twofactor.Outcome.TOTP, twofactor.Outcome.RECOVERY):
            factor = twofactor.factor_of(user)
            assert factor is not None  # noqa: S101 - the check just matched it
            del request.session[twofactor.PENDING_KEY]
            login(request, user, backend=pending["backend"])
            twofactor.mark_verified(request, factor)
            if outcome == twofactor.Outcome.RECOVERY:
                left = factor.recovery_codes.filter(used_at__isnull=True).count()
                messages.warning(request, _("您使用了一个恢复码，还剩 %(left)d 个。") % {"left": left})
            response = redirect(pending.get("next") or "kernel:home")
            if request.POST.get("remember"):
                twofactor.remember_device(response, user, factor)
            return response
        if outcome == twofactor.Outcome.LOCKED:
            del request.session[twofactor.PENDING_KEY]
            messages.error(request, _("验证码错误次数过多，请5分钟后重新登录。"))
            return redirect("kernel:login")
        error = _("验证码不正确或已使用过，请输入手机上显示的新验证码。")
    # 200 with the error, as the password step answers a wrong password.
    return render(request, "kernel/login_code.html", {"error": error, "remember_days": twofactor.REMEMBER_DAYS})


@staff_view("kernel.change_own_password")
def second_factor(request: AuthedRequest) -> HttpResponse:
    """Her two-step verification: its state, or enrolment by QR code (or the secret typed in)
    confirmed by a first code, after which the recovery codes are shown once."""
    user = request.user
    factor = twofactor.factor_of(user)
    if factor is not None:
        left = factor.recovery_codes.filter(used_at__isnull=True).count()
        return render(request, "kernel/second_factor.html", {"factor": factor, "left": left})
    error = ""
    if request.method == "POST":
        try:
            factor, codes = twofactor.second_factor_confirm(actor=user, code=request.POST.get("code", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            twofactor.mark_verified(request, factor)
            response = render(request, "kernel/second_factor_codes.html", {"codes": codes})
            response["Cache-Control"] = "no-store"
            return response
    pending = twofactor.second_factor_begin(actor=user)
    response = render(request, "kernel/second_factor.html", {
        "required": twofactor.required_now(user), "error": error,
        "qr": twofactor.qr_svg(twofactor.provisioning_uri(user, pending.secret)),
        "secret": twofactor.secret_for_display(pending.secret),
    })
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@staff_view("kernel.change_own_password")
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes, asked for with a current code from her authenticator; the old ones stop
    working and the new ones are shown once."""
    user = request.user
    factor = twofactor.factor_of(user)
    if factor is None:
        return redirect("kernel:second-factor")
    error = ""
    if request.method == "POST":
        try:
            codes = twofactor.recovery_codes_renew(actor=user, code=request.POST.get("code", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            response = render(request, "kernel/second_factor_codes.html", {"codes": codes, "renewed": True})
            response["Cache-Control"] = "no-store"
            return response
    left = factor.recovery_codes.filter(used_at__isnull=True).count()
    return render(request, "kernel/recovery_codes.html", {"left": left, "error": error})
