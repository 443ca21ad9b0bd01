"""The public's writes of this body of work (no account): QR sign-in at an activity, objections to
an honour on public notice, following an objection with its code.

They live in the app, not in the portal, because the portal reads through selectors only; the
portal's URLconf mounts them. Each is guarded by rate limits (I-07), a size cap on the text, and
for sign-in by the short-lived signed code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian.kernel import context, idempotency, notices, public_objections, ratelimit
from gongjian.kernel.decorators import public_view

from . import selectors, services
from .forms import SignInForm
from .models import Honour

SIGNIN_LIMIT = 30  # per source address per 10 minutes: a family may share one phone network


def _ip() -> str:
    return context.current().ip or "unknown"


_private = public_objections.private


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    return _private(render(request, "portal/womenshome/message.html",
                           {"title": _("请求过于频繁"), "message": message}, status=429))


@public_view
def signin(request: HttpRequest, code: str) -> HttpResponse:
    """The page an attendee's phone opens from the QR code: name and mobile, nothing else."""
    max_age = services.signin_max_age(code, request.POST.get("signin_page", "")) if request.method == "POST" \
        else services.SIGNIN_CODE_SECONDS
    try:
        activity = services.signin_activity(code, max_age=max_age)
    except ValidationError as exc:
        return _private(render(request, "portal/womenshome/message.html",
                               {"title": _("无法签到"), "message": exc.messages[0]}, status=400))
    if idempotency.already_sent(request, scope=f"womenshome.signin:{activity.pk}") is not None:
        # Sent again by a phone that had lost its signal: the same answer, no second sign-in.
        return _private(render(request, "portal/womenshome/signin_done.html", {"activity": activity}))
    form = SignInForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.hit(f"womenshome.signin:{_ip()}", limit=SIGNIN_LIMIT, window_seconds=600):
            return _too_many(request, _("签到太频繁，请稍后再试。"))
        if form.is_valid():
            try:
                facts = form.cleaned_data
                idempotency.once(request, scope=f"womenshome.signin:{activity.pk}",
                                 action=lambda: services.signin_submit(code=code, name=facts["name"],
                                                                       mobile=facts["mobile"], gender=facts["gender"],
                                                                       max_age=max_age))
            except ValidationError as exc:
                if getattr(exc, "code", None) != "duplicate":
                    public_objections.service_errors(form, exc)
                else:  # signing twice is no mistake of hers: a calm answer, not a red error
                    return _private(render(request, "portal/womenshome/signin_done.html",
                                           {"activity": activity, "already": True}))
            else:
                # The same answer whether or not she is on the roster: the page reveals nothing.
                return _private(render(request, "portal/womenshome/signin_done.html", {"activity": activity}))
    return _private(render(request, "portal/womenshome/signin.html", {
        "activity": activity, "form": form,
        # A late send shown again keeps its own token: a late page never makes a fresh one.
        "page_token": request.POST["signin_page"] if max_age != services.SIGNIN_CODE_SECONDS
        else services.signin_page_token(code)},
        status=400 if form.errors else 200))


@public_view
def objection(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Object to an honour on public notice; the answer is a tracking code and a password."""
    notice = notices.notice_get_public(notice_id=notice_id, model=Honour)
    return public_objections.objection_page(
        request, notice, scope="womenshome", template="portal/womenshome/objection.html",
        done_template="portal/womenshome/objection_done.html", message_template="portal/womenshome/message.html",
        extra={"honour": selectors.honour_of_notice(notice)})


@public_view
def objection_track(request: HttpRequest) -> HttpResponse:
    """Follow an objection with its code and password."""
    return public_objections.track_page(request, scope="womenshome", template="portal/womenshome/objection_track.html",
                                        message_template="portal/womenshome/message.html")
