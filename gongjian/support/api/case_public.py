"""The woman's own API: `POST /api/v1/public/cases` asks for help (the answer carries the tracking
code and the query password, once) and `GET /api/v1/public/cases/{code}?password=` tells her where
her case stands — the state, the next step, the handler's public reply, the reason if it was not
accepted and the date of the last change; never the narrative, the handlers or anyone else. No
account; rate-limited per address like the portal's pages; never cached."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongjian.kernel import ratelimit
from gongjian.kernel.apiauth import public, token_auth
from gongjian.kernel.apischema import Choice

from ..models.case import CaseCategory, CaseState
from ..selectors import case_public as selectors
from ..services.case_public import (
    HELP_PER_HOUR,
    LOOKUPS_PER_HOUR,
    HelpRequest,
    case_submit_online,
    client_key,
)

router = Router(auth=token_auth)


class HotlineOut(Schema):
    label: str
    number: str


class PublicCaseIn(Schema):
    organization_id: int
    category: Choice[CaseCategory]
    summary: str
    narrative: str = ""
    contact_name: str = ""
    contact_mobile: str = ""
    call_note: str = ""
    anonymous: bool = False
    risk: bool = False
    consent: bool = False


class PublicCaseCreatedOut(Schema):
    tracking_code: str
    password: str
    hotlines: list[HotlineOut]


class PublicCaseOut(Schema):
    """Where her case stands: all she is told, nothing about anyone else."""

    tracking_code: str
    state: Choice[CaseState]
    state_label: str
    next_step: str
    public_reply: str
    not_accepted_reason: str
    updated_on: date


@router.post("/public/cases", response={201: PublicCaseCreatedOut}, auth=None)
@public
def public_case_create(request: HttpRequest, response: HttpResponse, payload: PublicCaseIn) -> Status:
    """Ask for help; keep the tracking code and the password (shown once). In danger, call 110."""
    response["Cache-Control"] = "no-store"
    if len(request.body) > 64 * 1024:
        raise HttpError(413, _("写的内容太长，请精简后再提交，或直接拨打12338。"))
    if not ratelimit.hit(client_key("help"), limit=HELP_PER_HOUR, window_seconds=3600):
        raise HttpError(429, _("同一网络一小时内最多提交10次求助，请稍后再试。情况紧急请直接拨打110或12338。"))
    try:
        org = selectors.help_organization_get(organization_id=payload.organization_id)
    except Http404 as exc:
        raise ValidationError({"organization_id": _("请选择您所在的乡镇（街道）或村（社区）妇联。")}) from exc
    case, password = case_submit_online(request=HelpRequest(
        organization=org, category=payload.category, summary=payload.summary, narrative=payload.narrative,
        contact_name=payload.contact_name, contact_mobile=payload.contact_mobile, call_note=payload.call_note,
        anonymous=payload.anonymous, risk=payload.risk, consent=payload.consent))
    return Status(201, PublicCaseCreatedOut(
        tracking_code=case.tracking_code, password=password,
        hotlines=[HotlineOut(label=line.label, number=line.number) for line in selectors.hotlines(org)]))


@router.get("/public/cases/{code}", response=PublicCaseOut, auth=None)
@public
def public_case_status(request: HttpRequest, response: HttpResponse, code: str, password: str = "") -> object:
    """Her case by tracking code and query password; a wrong code and a wrong password are one answer."""
    response["Cache-Control"] = "no-store"
    if not ratelimit.hit(client_key("track"), limit=LOOKUPS_PER_HOUR, window_seconds=3600):
        raise HttpError(429, _("查询次数过多，请一小时后再试。"))
    found = selectors.case_status(code=code, password=password)
    if found is None:
        raise HttpError(404, _("没有查到。请核对查询码和查询密码后再试。"))
    return found
