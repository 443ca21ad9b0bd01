"""Login, logout, the lock-out page, password change, switching the acting organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit
from .decorators import public_view, staff_view
from .forms import LoginForm
from .http import AuthedRequest
from .middleware import ACTING_SESSION_KEY
from .models import ApiToken, PushChannel


class LoginView(auth_views.LoginView):
    template_name = "kernel/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """The password is right; an account with a second factor is held for its code (A-05)
        unless this device was remembered for it."""
        from . import twofactor

        user = form.get_user()
        factor = twofactor.factor_of(user)
        if factor is not None and not twofactor.device_remembered(self.request, user, factor):
            return twofactor_hold(self.request, user, self.get_success_url())
        response = super().form_valid(form)
        if factor is not None:
            twofactor.mark_verified(self.request, factor)
            audit.record(user, "kernel.auth.remembered_device_used", actor=user)
        return response


login_view = public_view(LoginView.as_view())


def twofactor_hold(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """Keep who passed the password in the (still anonymous) session and ask for the code."""
    import time

    from .twofactor import PENDING_KEY

    request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time(),
                                    "next": next_url}
    return redirect("kernel:login-code")


@public_view
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("kernel:login")


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What axes shows once an account is locked: the login page with a plain message, 429."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("登录失败次数过多，账户已锁定30分钟。")}, status=429)
    form = LoginForm(request)
    return render(
        request, "kernel/login.html",
        {"form": form, "locked": True}, status=429,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "kernel/password_change.html"
    form_class = PasswordChangeForm
    success_url = "/"

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = form.save(commit=False)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save()
        # Keep this session, end every other one.
        update_session_auth_hash(self.request, user)
        audit.record(user, "kernel.auth.password_changed", actor=user)
        messages.success(self.request, _("密码已修改。"))
        return redirect("kernel:home")


password_change_view = staff_view("kernel.change_own_password")(PasswordChangeView.as_view())


@staff_view("kernel.change_own_password")
@require_POST
def switch_organization(request: AuthedRequest) -> HttpResponse:
    wanted = request.POST.get("position", "")
    positions = getattr(request.user, "positions", [])
    match = next((p for p in positions if str(p.pk) == wanted), None)
    if match is None:
        messages.error(request, _("您在该组织没有任职。"))
    else:
        request.session[ACTING_SESSION_KEY] = match.pk
        audit.record(match.organization, "kernel.auth.switched_organization", actor=request.user,
                     organization=match.organization)
        messages.success(request, _("已切换到：%(org)s") % {"org": match.organization.name})
    return redirect("kernel:home")


@staff_view("kernel.manage_own_tokens")
def token_list(request: AuthedRequest) -> HttpResponse:
    """Her API tokens (the programs that act in her name), each with its state; revoke any."""
    from .apiauth import TokenState, token_state
    from .selectors import api_tokens_of

    now = timezone.now()
    rows = [(token, TokenState(token_state(token, now))) for token in api_tokens_of(request.user)]
    return render(request, "kernel/token_list.html", {"rows": rows, "active": TokenState.ACTIVE})


@staff_view("kernel.manage_own_tokens", objects={"pk": ApiToken})
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    from . import services
    from .selectors import api_token_get

    token = api_token_get(user=request.user, token_id=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("已吊销这个令牌，使用它的程序将无法再访问。"))
    return redirect("kernel:token-list")


@staff_view("kernel.manage_own_pushes")
def push_settings(request: AuthedRequest) -> HttpResponse:
    """Where her 待办 are pushed beyond the page (钉钉/企业微信 group robots, SMS), each shown masked."""
    from . import services
    from .forms import PushChannelForm, run_service
    from .selectors import push_channels_of

    form = PushChannelForm(request.POST or None)
    done = run_service(request, form, lambda: services.push_channel_set(actor=request.user, **form.cleaned_data),
                       _("推送设置已保存。"), then=lambda _channel: redirect("kernel:push-settings"))
    if done is not None:
        return done
    return render(request, "kernel/push_settings.html", {"form": form, "channels": push_channels_of(request.user)},
                  status=400 if form.is_bound else 200)


@staff_view("kernel.manage_own_pushes", objects={"pk": PushChannel})
@require_POST
def push_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    from . import services
    from .selectors import push_channel_get

    channel = push_channel_get(user=request.user, channel_id=pk)
    services.push_channel_remove(actor=request.user, channel=channel)
    messages.success(request, _("已停止这项推送。"))
    return redirect("kernel:push-settings")
