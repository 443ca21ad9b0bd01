"""The public's writes of this body of work (no account): QR sign-in at an activity, objections to
an honour on public notice, following an objection with its code.

They live in the app, not in the portal, because the portal reads through selectors only; the
portal's URLconf mounts them. Each is guarded by rate limits (I-07), a size cap on the text, and
for sign-in by the short-lived signed code."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian.kernel import context, notices, ratelimit
from gongjian.kernel.decorators import public_view

from . import selectors, services
from .forms import ObjectionForm, SignInForm, TrackForm
from .models import Honour

SIGNIN_LIMIT = 30  # per source address per 10 minutes: a family may share one phone network
OBJECTION_LIMIT = 10  # per source address per hour
TRACK_LIMIT = 20  # per source address per hour


def _ip() -> str:
    return context.current().ip or "unknown"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    return _private(render(request, "portal/womenshome/message.html",
                           {"title": _("请求过于频繁"), "message": message}, status=429))


@public_view
def signin(request: HttpRequest, code: str) -> HttpResponse:
    """The page an attendee's phone opens from the QR code: name and mobile, nothing else."""
    try:
        activity = services.signin_activity(code)
    except ValidationError as exc:
        return _private(render(request, "portal/womenshome/message.html",
                               {"title": _("无法签到"), "message": exc.messages[0]}, status=400))
    form = SignInForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.hit(f"womenshome.signin:{_ip()}", limit=SIGNIN_LIMIT, window_seconds=600):
            return _too_many(request, _("签到太频繁，请稍后再试。"))
        if form.is_valid():
            try:
                services.signin_submit(code=code, name=form.cleaned_data["name"],
                                       mobile=form.cleaned_data["mobile"], gender=form.cleaned_data["gender"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                # The same answer whether or not she is on the roster: the page reveals nothing.
                return _private(render(request, "portal/womenshome/signin_done.html", {"activity": activity}))
    return _private(render(request, "portal/womenshome/signin.html", {"activity": activity, "form": form},
                           status=400 if form.errors else 200))


@public_view
def objection(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Object to an honour on public notice; the answer is a tracking code and a password."""
    notice = notices.notice_get_public(notice_id=notice_id, model=Honour)
    honour = selectors.honour_of_notice(notice)
    form = ObjectionForm(request.POST or None, initial={"key": secrets.token_urlsafe(24)})
    if request.method == "POST" and notice.is_running():
        if not ratelimit.hit(f"womenshome.objection:{_ip()}", limit=OBJECTION_LIMIT, window_seconds=3600):
            return _too_many(request, _("提交太频繁，请一小时后再试。"))
        if form.is_valid():
            try:
                found, password = notices.objection_submit(
                    notice=notice, content=form.cleaned_data["content"], contact=form.cleaned_data["contact"],
                    submission_key=form.cleaned_data["key"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                return _private(render(request, "portal/womenshome/objection_done.html",
                                       {"notice": notice, "objection": found, "password": password}))
    return _private(render(request, "portal/womenshome/objection.html",
                           {"notice": notice, "honour": honour, "form": form, "running": notice.is_running()},
                           status=400 if form.errors else 200))


@public_view
def objection_track(request: HttpRequest) -> HttpResponse:
    """Follow an objection with its code and password."""
    form = TrackForm(request.POST or None)
    found = None
    if request.method == "POST":
        if not ratelimit.hit(f"womenshome.track:{_ip()}", limit=TRACK_LIMIT, window_seconds=3600):
            return _too_many(request, _("查询太频繁，请一小时后再试。"))
        if form.is_valid():
            found = notices.objection_find(form.cleaned_data["code"], form.cleaned_data["password"])
            if found is None:
                form.add_error(None, _("查询码或查询密码不正确。"))
    return _private(render(request, "portal/womenshome/objection_track.html", {"form": form, "objection": found},
                           status=400 if form.errors else 200))
