"""API of 维权案件 (staff): GET/POST /api/v1/cases, GET /api/v1/cases/{id} (an audited read, the
content for the handlers and the lead), POST /api/v1/cases/{id}/accept, /not-accept, /assign,
/steps, /refer (`to_organization_id` or `to_partner`), /resolve, /follow-up and /close. Same reach
as the pages (need-to-know). A list and every move answer with `CaseOut`: no narrative, the callback
number masked, an anonymous case's contact withheld from all but a named handler. POST /cases
answers with the tracking code and the query password, once."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest

from ..forms.case import RecordForm
from ..models.case import (
    Case,
    CaseCategory,
    CaseChannel,
    CaseOutcome,
    CaseState,
    CaseStep,
    LegalBasis,
    Partner,
    Satisfaction,
    StepKind,
)
from ..selectors import case as selectors
from ..services import case as services

router = Router(auth=token_auth)


class CaseOut(Schema):
    """A case as a list shows it: no narrative, the summary cut short, the contact masked."""

    id: int
    tracking_code: str
    organization_id: int
    organization_name: str
    channel: Choice[CaseChannel]
    category: Choice[CaseCategory]
    state: Choice[CaseState]
    state_label: str
    risk: bool
    anonymous: bool
    involves_minor: bool
    sensitive: bool
    summary: str
    contact_mobile: str
    received_at: datetime
    due_on: date | None
    overdue: bool
    referred_partner: OptionalChoice[Partner] = None
    outcome: OptionalChoice[CaseOutcome] = None
    satisfaction: OptionalChoice[Satisfaction] = None

    @staticmethod
    def resolve_organization_name(obj: Case) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_state_label(obj: Case) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_summary(obj: Case) -> str:
        return selectors.summary_excerpt(obj)

    @staticmethod
    def resolve_contact_mobile(obj: Case) -> str:
        return selectors.contact_shown(obj, full=False).mobile

    @staticmethod
    def resolve_referred_partner(obj: Case) -> str | None:
        return obj.referred_partner or None

    @staticmethod
    def resolve_outcome(obj: Case) -> str | None:
        return obj.outcome or None

    @staticmethod
    def resolve_satisfaction(obj: Case) -> str | None:
        return obj.satisfaction or None


class StepOut(Schema):
    kind: Choice[StepKind]
    note: str
    at: datetime
    organization_id: int
    to_organization_id: int | None
    to_partner: OptionalChoice[Partner] = None

    @staticmethod
    def resolve_to_partner(obj: CaseStep) -> str | None:
        return obj.to_partner or None


class CaseDetailOut(CaseOut):
    """One case in full, for its handlers and the lead (the read is audited)."""

    summary_full: str
    narrative: str
    contact_name: str
    contact_mobile_full: str
    address: str
    legal_basis: Choice[LegalBasis]
    consent_at: datetime | None
    not_accepted_reason: str
    public_reply: str
    handler_ids: list[int]
    steps: list[StepOut]

    @staticmethod
    def resolve_summary_full(obj: Case) -> str:
        return obj.summary

    @staticmethod
    def resolve_contact_name(obj: Case) -> str:
        return selectors.contact_shown(obj, full=True).name

    @staticmethod
    def resolve_contact_mobile_full(obj: Case) -> str:
        return selectors.contact_shown(obj, full=True).mobile

    @staticmethod
    def resolve_address(obj: Case) -> str:
        return selectors.contact_shown(obj, full=True).address

    @staticmethod
    def resolve_handler_ids(obj: Case) -> list[int]:
        return [h.pk for h in selectors.handlers_of(obj)]

    @staticmethod
    def resolve_steps(obj: Case) -> list[CaseStep]:
        return list(selectors.steps_of(obj))


class CaseCreatedOut(CaseOut):
    """The new case, with the code and the password to read to the caller (given once)."""

    password: str


class ErrorOut(Schema):
    detail: str


class CaseIn(Schema):
    channel: Choice[CaseChannel] = CaseChannel.HOTLINE_12338
    category: Choice[CaseCategory]
    summary: str
    narrative: str = ""
    risk: bool = False
    contact_name: str = ""
    contact_mobile: str = ""
    address: str = ""
    anonymous: bool = False
    involves_minor: bool = False
    legal_basis: Choice[LegalBasis] = LegalBasis.STATUTORY
    consent_at: datetime | None = None


@router.get("/cases", response=list[CaseOut])
@requires("support.view_case")
def case_list(request: AuthedRequest, state: OptionalChoice[CaseState] = None,
              category: OptionalChoice[CaseCategory] = None, overdue: bool = False, risk: bool = False,
              page: int = 1, per_page: int = 20) -> list[Case]:
    """The cases the caller handles (all of her organisation's if she is its lead), newest first."""
    return selectors.case_page_for(user=request.user, state=state or "", category=category or "", overdue=overdue,
                                   risk=risk, page=page, per_page=per_page).rows


@router.post("/cases", response={201: CaseCreatedOut})
@requires("support.record_case")
def case_create(request: AuthedRequest, payload: CaseIn) -> Status:
    """来电登记: her organisation handles it and she is its first handler."""
    data = payload.dict()
    form = RecordForm(data={"channel": data["channel"], "category": data["category"], "summary": data["summary"],
                            "contact_mobile": data["contact_mobile"], "risk": data["risk"],
                            "anonymous": data["anonymous"]})
    if not form.is_valid():
        raise form_invalid(form)
    made = services.case_record(actor=request.user, data={**data, **form.cleaned_data})
    case = made.case
    case.mine = True  # type: ignore[attr-defined]
    case.password = made.password
    return Status(201, case)


@router.get("/cases/{case_id}", response={200: CaseDetailOut, 503: ErrorOut})
@requires("support.view_case", objects={"case_id": Case})
def case_get(request: AuthedRequest, case_id: int) -> Case | Status:
    """One case in full; the read is audited, and without its audit record nothing is returned (503)."""
    try:
        return selectors.case_read(request.user, case_id)
    except selectors.CaseReadUnavailable:
        return Status(503, {"detail": _("查看记录暂时无法保存，为保护当事人，案件内容不予显示。请稍后再试。")})


def _case(request: AuthedRequest, case_id: int) -> Case:
    return selectors.case_get(user=request.user, case_id=case_id)


def _out(request: AuthedRequest, case: Case) -> Case:
    case.mine = case.handlers.filter(pk=request.user.pk).exists()  # type: ignore[attr-defined]
    return case


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str


class AssignIn(Schema):
    handler_ids: list[int]


class StepIn(Schema):
    kind: Choice[StepKind]
    note: str


class ReferIn(Schema):
    to_organization_id: int | None = None
    to_partner: OptionalChoice[Partner] = None
    partner_name: str = ""
    note: str = ""


class ResolveIn(Schema):
    outcome: Choice[CaseOutcome]
    public_reply: str
    note: str = ""


class FollowUpIn(Schema):
    satisfaction: Choice[Satisfaction]
    note: str = ""
    reopen: bool = False


@router.post("/cases/{case_id}/accept", response=CaseOut)
@requires("support.handle_case", objects={"case_id": Case})
def case_accept(request: AuthedRequest, case_id: int, payload: NoteIn) -> Case:
    """受理 (a new case, or one referred up to the caller's organisation)."""
    return _out(request, services.case_accept(actor=request.user, case=_case(request, case_id), note=payload.note))


@router.post("/cases/{case_id}/not-accept", response=CaseOut)
@requires("support.handle_case", objects={"case_id": Case})
def case_not_accept(request: AuthedRequest, case_id: int, payload: ReasonIn) -> Case:
    """不予受理, with the reason she is told."""
    return _out(request, services.case_not_accept(actor=request.user, case=_case(request, case_id),
                                                  reason=payload.reason))


@router.post("/cases/{case_id}/assign", response=CaseOut)
@requires("support.assign_case", objects={"case_id": Case})
def case_assign(request: AuthedRequest, case_id: int, payload: AssignIn) -> Case:
    """指派承办人 (the lead): users holding a current position in the handling organisation."""
    return _out(request, services.case_assign(actor=request.user, case=_case(request, case_id),
                                              handlers=payload.handler_ids))


@router.post("/cases/{case_id}/steps", response={201: StepOut})
@requires("support.handle_case", objects={"case_id": Case})
def case_step(request: AuthedRequest, case_id: int, payload: StepIn) -> Status:
    """A handling step (call, visit, mediation, legal aid, shelter, counselling, note)."""
    step = services.case_step_add(actor=request.user, case=_case(request, case_id), kind=payload.kind,
                                  note=payload.note)
    return Status(201, step)


@router.post("/cases/{case_id}/refer", response=CaseOut)
@requires("support.handle_case", objects={"case_id": Case})
def case_refer(request: AuthedRequest, case_id: int, payload: ReferIn) -> Case:
    """转介: `to_organization_id` (a federation above the handling one) or `to_partner`."""
    case = _case(request, case_id)
    target = None
    if payload.to_organization_id is not None:
        target = services.refer_targets(case).filter(pk=payload.to_organization_id).first()
        if target is None:
            raise ValidationError({"to_organization_id": _("只能转介到上级妇联（村→乡镇→县）。")})
    return _out(request, services.case_refer(actor=request.user, case=case, to_organization=target,
                                             to_partner=payload.to_partner or "", partner_name=payload.partner_name,
                                             note=payload.note))


@router.post("/cases/{case_id}/resolve", response=CaseOut)
@requires("support.handle_case", objects={"case_id": Case})
def case_resolve(request: AuthedRequest, case_id: int, payload: ResolveIn) -> Case:
    """办结: the outcome and the reply she reads with her code."""
    return _out(request, services.case_resolve(actor=request.user, case=_case(request, case_id),
                                               outcome=payload.outcome, public_reply=payload.public_reply,
                                               note=payload.note))


@router.post("/cases/{case_id}/follow-up", response=CaseOut)
@requires("support.handle_case", objects={"case_id": Case})
def case_follow_up(request: AuthedRequest, case_id: int, payload: FollowUpIn) -> Case:
    """回访 (satisfaction; an unsatisfied one may reopen the case)."""
    return _out(request, services.case_follow_up(actor=request.user, case=_case(request, case_id),
                                                 satisfaction=payload.satisfaction, note=payload.note,
                                                 reopen=payload.reopen))


@router.post("/cases/{case_id}/close", response=CaseOut)
@requires("support.close_case", objects={"case_id": Case})
def case_close(request: AuthedRequest, case_id: int, payload: NoteIn) -> Case:
    """结案 (the lead of the handling organisation)."""
    return _out(request, services.case_close(actor=request.user, case=_case(request, case_id), note=payload.note))
