"""The public writes of the app: the suggestion box (意见箱) and following a suggestion with its
tracking code. Mounted by gongjian/portal/disclosure_urls.py; no login (P-04, I-07)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian.kernel import ratelimit
from gongjian.kernel.context import current
from gongjian.kernel.decorators import public_view
from gongjian.kernel.forms import add_service_errors

from . import captcha, selectors, services
from .forms import SuggestionPublicForm, TrackForm

MAX_BODY_BYTES = 100 * 1024
SUGGESTIONS_PER_HOUR = 10
LOOKUPS_PER_HOUR = 30


def too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True


def client_key(prefix: str) -> str:
    return f"{prefix}:{current().ip or 'unknown'}"


@public_view
def suggest(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.public_organization_get(organization_id=org_id)
    disclosure = None
    about = request.GET.get("item") or request.POST.get("item")
    if about:
        disclosure = selectors.public_disclosure_get(disclosure_id=about, user=request.user)
        if disclosure.organization_id != org.pk:
            disclosure = None
    key = client_key("suggestion")
    if request.method != "POST":
        form = SuggestionPublicForm(initial={"idempotency_key": secrets.token_urlsafe(24)})
        challenge = captcha.new_challenge() if captcha.hits_this_hour(key) >= captcha.THRESHOLD else None
        return render(request, "portal/disclosure/suggest.html", {
            "org": org, "form": form, "item": disclosure, "challenge": challenge})
    if too_large(request):
        return render(request, "portal/disclosure/message.html", {
            "title": _("内容太长"), "message": _("提交的内容太长，请精简后再提交。")}, status=413)
    if not ratelimit.hit(key, limit=SUGGESTIONS_PER_HOUR, window_seconds=3600):
        return render(request, "portal/disclosure/message.html", {
            "title": _("提交过于频繁"), "message": _("同一网络一小时内最多提交10条意见，请稍后再试。")}, status=429)
    form = SuggestionPublicForm(request.POST)
    needs_challenge = captcha.hits_this_hour(key) > captcha.THRESHOLD
    if needs_challenge and not captcha.solved(request.POST.get("captcha_token", ""),
                                              request.POST.get("captcha_answer", "")):
        form.is_valid()
        form.add_error(None, _("请正确回答计算题后再提交。"))
    elif form.is_valid():
        try:
            suggestion, password = services.suggestion_submit(
                organization=org, disclosure=disclosure, content=form.cleaned_data["content"],
                contact=form.cleaned_data["contact"], idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "portal/disclosure/suggest_done.html", {
                "org": org, "s": suggestion, "password": password}, status=201 if password else 200)
    challenge = captcha.new_challenge() if captcha.hits_this_hour(key) >= captcha.THRESHOLD else None
    return render(request, "portal/disclosure/suggest.html", {
        "org": org, "form": form, "item": disclosure, "challenge": challenge}, status=400)


@public_view
def track(request: HttpRequest) -> HttpResponse:
    """Look a suggestion up by tracking code and query password (POST, so neither is logged in URLs)."""
    form = TrackForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST":
        if not ratelimit.hit(client_key("suggestion-track"), limit=LOOKUPS_PER_HOUR, window_seconds=3600):
            return render(request, "portal/disclosure/message.html", {
                "title": _("查询过于频繁"), "message": _("查询次数过多，请一小时后再试。")}, status=429)
        if form.is_valid():
            found = selectors.suggestion_for_public(code=form.cleaned_data["code"],
                                                    password=form.cleaned_data["password"])
            if found is None:
                form.add_error(None, _("查询码或查询密码不正确。"))
                status = 404
        else:
            status = 400
    return render(request, "portal/disclosure/track.html", {"form": form, "s": found}, status=status)
