"""The public side of a notice (公示): the objection form and following an objection with its code.

Every body of work that puts records on notice (womenshome's honours, campaigns' commendations, …)
mounts two public pages on the portal. The pages are the app's (the portal only reads), but what
they do is the same everywhere, so it is written once here: the forms, the rate limits per source
address (I-07), the size cap, the idempotent submission key, `no-store` answers. An app passes its
own templates, its rate-limit scope and the record the notice is about.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import context, notices, ratelimit
from .forms import style_fields
from .models import PublicNotice

OBJECTION_LIMIT = 10  # per source address per hour
TRACK_LIMIT = 20  # per source address per hour


class ObjectionForm(forms.Form):
    content = forms.CharField(label=gettext_lazy("异议内容（请写明事实和理由）"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"required": gettext_lazy("请写明异议的事实和理由。"),
                                              "max_length": gettext_lazy("内容太长：不能超过 2000 个字。")})
    contact = forms.CharField(label=gettext_lazy("联系方式（选填）"), max_length=100, required=False,
                              help_text=gettext_lazy("留下电话便于核实；可以不填，不填也会答复，用查询码查看。"))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class TrackForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
                           error_messages={"required": gettext_lazy("请填写查询码。")})
    password = forms.CharField(label=gettext_lazy("查询密码"), max_length=20, widget=forms.PasswordInput,
                               error_messages={"required": gettext_lazy("请填写查询密码。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["password"].widget.attrs["inputmode"] = "numeric"


def private(response: HttpResponse) -> HttpResponse:
    """A public answer that must not be cached or indexed (it may carry a code and password)."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def too_many(request: HttpRequest, template: str, message: str) -> HttpResponse:
    return private(render(request, template, {"title": _("请求过于频繁"), "message": message}, status=429))


def _source() -> str:
    return context.current().ip or "unknown"


def service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal onto the form: field by field where the form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def objection_page(request: HttpRequest, notice: PublicNotice, *, scope: str, template: str,
                   done_template: str, message_template: str, extra: Mapping[str, Any]) -> HttpResponse:
    """Object to a record on notice (only while it runs); the answer is a tracking code and a
    password, shown once. `notice` came through `notices.notice_get_public`."""
    form = ObjectionForm(request.POST or None, initial={"key": secrets.token_urlsafe(24)})
    if request.method == "POST" and notice.is_running():
        if not ratelimit.hit(f"{scope}.objection:{_source()}", limit=OBJECTION_LIMIT, window_seconds=3600):
            return too_many(request, message_template, _("提交太频繁，请一小时后再试。"))
        if form.is_valid():
            try:
                found, password = notices.objection_submit(
                    notice=notice, content=form.cleaned_data["content"], contact=form.cleaned_data["contact"],
                    submission_key=form.cleaned_data["key"])
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                return private(render(request, done_template,
                                      {"notice": notice, "objection": found, "password": password}))
    return private(render(request, template, {"notice": notice, "form": form, "running": notice.is_running(),
                                              **extra}, status=400 if form.errors else 200))


def track_page(request: HttpRequest, *, scope: str, template: str, message_template: str) -> HttpResponse:
    """Follow an objection with its code and password (rate-limited: codes are not guessable, and
    guessing must stay slow)."""
    form = TrackForm(request.POST or None)
    found = None
    if request.method == "POST":
        if not ratelimit.hit(f"{scope}.track:{_source()}", limit=TRACK_LIMIT, window_seconds=3600):
            return too_many(request, message_template, _("查询太频繁，请一小时后再试。"))
        if form.is_valid():
            found = notices.objection_find(form.cleaned_data["code"], form.cleaned_data["password"])
            if found is None:
                form.add_error(None, _("查询码或查询密码不正确。"))
    return private(render(request, template, {"form": form, "objection": found},
                          status=400 if form.errors else 200))
