"""The public's writes on commendation (no account): an objection to a nomination on public notice,
and following it with its code. They live in the app because the portal reads through selectors
only; the portal's URLconf mounts them. The objection machinery is the kernel's (kernel.notices),
guarded by rate limits (I-07) and a size cap, exactly as womenshome's honours use it."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian.kernel import context, notices, ratelimit
from gongjian.kernel.decorators import public_view

from .forms.commendation import ObjectionForm, TrackForm
from .selectors import commendation as selectors

OBJECTION_LIMIT = 10  # per source address per hour
TRACK_LIMIT = 20  # per source address per hour


def _ip() -> str:
    return context.current().ip or "unknown"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    return _private(render(request, "portal/campaigns/commendation/message.html",
                           {"title": _("请求过于频繁"), "message": message}, status=429))


def _service_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@public_view
def objection(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Object to a nomination on public notice; the answer is a tracking code and a password."""
    notice, nomination = selectors.notice_public_get(notice_id=notice_id)
    form = ObjectionForm(request.POST or None, initial={"key": secrets.token_urlsafe(24)})
    if request.method == "POST" and notice.is_running():
        if not ratelimit.hit(f"campaigns.objection:{_ip()}", limit=OBJECTION_LIMIT, window_seconds=3600):
            return _too_many(request, _("提交太频繁，请一小时后再试。"))
        if form.is_valid():
            try:
                found, password = notices.objection_submit(
                    notice=notice, content=form.cleaned_data["content"], contact=form.cleaned_data["contact"],
                    submission_key=form.cleaned_data["key"])
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                return _private(render(request, "portal/campaigns/commendation/objection_done.html",
                                       {"notice": notice, "objection": found, "password": password}))
    return _private(render(request, "portal/campaigns/commendation/objection.html",
                           {"notice": notice, "nomination": nomination, "form": form, "running": notice.is_running()},
                           status=400 if form.errors else 200))


@public_view
def objection_track(request: HttpRequest) -> HttpResponse:
    """Follow an objection with its code and password."""
    form = TrackForm(request.POST or None)
    found = None
    if request.method == "POST":
        if not ratelimit.hit(f"campaigns.track:{_ip()}", limit=TRACK_LIMIT, window_seconds=3600):
            return _too_many(request, _("查询太频繁，请一小时后再试。"))
        if form.is_valid():
            found = notices.objection_find(form.cleaned_data["code"], form.cleaned_data["password"])
            if found is None:
                form.add_error(None, _("查询码或查询密码不正确。"))
    return _private(render(request, "portal/campaigns/commendation/objection_track.html",
                           {"form": form, "objection": found}, status=400 if form.errors else 200))
