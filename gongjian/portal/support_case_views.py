"""Public pages of 维权 (no login): a woman asks for help online, and follows her case with the
tracking code and query password. The hotlines to call when in danger head every page; every answer
is `Cache-Control: no-store` (a shared phone must not keep it); both forms are rate-limited per
address (I-07); a wrong code and a wrong password get the same calm answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjian.kernel import ratelimit
from gongjian.kernel.decorators import public_view
from gongjian.kernel.forms import add_service_errors
from gongjian.kernel.models import Organization
from gongjian.support.forms.case_public import OnlineHelpForm, TrackCaseForm
from gongjian.support.selectors import case_public as selectors
from gongjian.support.services.case_public import (
    HELP_PER_HOUR,
    LOOKUPS_PER_HOUR,
    HelpRequest,
    case_submit_online,
    client_key,
)

MAX_BODY_BYTES = 64 * 1024


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _message(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return _private(render(request, "portal/support/case/message.html", {
        "title": title, "message": message, "hotlines": selectors.hotlines()}, status=status))


def _chosen(raw: object) -> Organization | None:
    try:
        return selectors.help_organization_get(organization_id=raw) if raw else None
    except Http404:
        return None


@public_view
def help_request(request: HttpRequest) -> HttpResponse:
    """Ask for help: the hotlines first, then a short form; the code and password once, at the end."""
    if request.method != "POST":
        org = _chosen(request.GET.get("org"))
        form = OnlineHelpForm(initial={"organization": org.pk} if org else None)
        return _private(render(request, "portal/support/case/help.html", {
            "form": form, "hotlines": selectors.hotlines(org)}))
    try:
        too_large = int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        too_large = True
    if too_large:
        return _message(request, _("内容太长"), _("写的内容太长，请精简后再提交，或直接拨打12338。"), 413)
    if not ratelimit.hit(client_key("help"), limit=HELP_PER_HOUR, window_seconds=3600):
        return _message(request, _("提交过于频繁"),
                        _("同一网络一小时内最多提交10次求助，请稍后再试。情况紧急请直接拨打110或12338。"), 429)
    form = OnlineHelpForm(request.POST)
    org = _chosen(request.POST.get("organization"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if org is None:
                raise ValidationError({"organization": _("请选择您所在的乡镇（街道）或村（社区）妇联。")})
            case, password = case_submit_online(request=HelpRequest(
                organization=org, category=data["category"], summary=data["summary"],
                narrative=data["narrative"], contact_name=data["contact_name"],
                contact_mobile=data["contact_mobile"], call_note=data["call_note"],
                anonymous=data["anonymous"], risk=data["risk"], consent=data["consent"]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _private(render(request, "portal/support/case/done.html", {
                "code": case.tracking_code, "password": password, "hotlines": selectors.hotlines(org)},
                status=201))
    return _private(render(request, "portal/support/case/help.html", {
        "form": form, "hotlines": selectors.hotlines(org)}, status=400))


@public_view
def track(request: HttpRequest) -> HttpResponse:
    """Her case by code and password (POST, so neither lands in an address bar or a log)."""
    form = TrackCaseForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST":
        if not ratelimit.hit(client_key("track"), limit=LOOKUPS_PER_HOUR, window_seconds=3600):
            return _message(request, _("查询过于频繁"), _("查询次数过多，请一小时后再试。"), 429)
        if form.is_valid():
            found = selectors.case_status(code=form.cleaned_data["code"], password=form.cleaned_data["password"])
            if found is None:
                form.add_error(None, _("没有查到。请核对查询码和查询密码后再试；如果忘记了，可以拨打12338或直接联系当地妇联。"))
                status = 404
        else:
            status = 400
    return _private(render(request, "portal/support/case/track.html", {
        "form": form, "case": found, "hotlines": selectors.hotlines()}, status=status))
