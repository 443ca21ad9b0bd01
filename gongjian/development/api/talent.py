"""API of the talent pool: GET/POST /api/v1/talents, POST /api/v1/talents/{id}/forward, /return,
/accept (and /report, the village's own step). Same reach and errors as the pages: a POST goes
through the page's form and the service; ID numbers and mobiles are never in the answer."""

from datetime import datetime
from decimal import Decimal

from ninja import Router, Schema, Status

from gongjian.kernel import access
from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from ..forms.talent import ReturnForm, TalentForm
from ..models import Talent, TalentKind, TalentState
from ..selectors import talent as selectors
from ..selectors.talent import TalentList
from ..services import talent as services

router = Router(auth=token_auth)


class TalentOut(Schema):
    id: int
    person_id: int
    person_name: str
    mobile_masked: str
    kind: Choice[TalentKind]
    kind_label: str
    trade: str
    skills: str
    enterprise: str
    income: Decimal | None
    jobs: int
    deeds: str
    organization_id: int
    organization_name: str
    holder_id: int
    holder_name: str
    state: Choice[TalentState]
    state_label: str
    return_reason: str
    reported_at: datetime | None
    accepted_at: datetime | None

    @staticmethod
    def resolve_person_name(obj: Talent) -> str:
        return obj.person.name

    @staticmethod
    def resolve_mobile_masked(obj: Talent) -> str:
        return obj.person.mobile_masked

    @staticmethod
    def resolve_kind_label(obj: Talent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Talent) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_organization_name(obj: Talent) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_holder_name(obj: Talent) -> str:
        return obj.holder.name


@router.get("/talents", response=list[TalentOut])
@requires("development.view_talent", objects={"place": Organization})
def talent_list(request: AuthedRequest, show: OptionalChoice[TalentList] = None, kind: OptionalChoice[TalentKind] = None,
                q: str = "", trade: str = "", place: int | None = None, state: OptionalChoice[TalentState] = None,
                page: int = 1, per_page: int = 20) -> list[Talent]:
    """The pool (`show=pool`, the default: accepted entries of the acting subtree), the review
    queue (`queue`), the acting organisation's own entries (`mine`) or all in reach (`all`);
    searched by kind, skill (`q`), trade and place (an organisation id of the subtree)."""
    rows = selectors.talent_list_visible_to(
        user=request.user, scope=show or TalentList.POOL, kind=kind or "", q=q, trade=trade,
        place=selectors.place_of(user=request.user, organization_id=place), state=state or "")
    return paginate(rows, page=page, per_page=per_page).rows


class TalentIn(Schema):
    person_id: int
    kind: Choice[TalentKind]
    trade: str
    skills: str = ""
    enterprise: str = ""
    income: Decimal | None = None
    jobs: int = 0
    deeds: str = ""
    report: bool = False


@router.post("/talents", response={201: TalentOut})
@requires("development.collect_talent")
def talent_create(request: AuthedRequest, payload: TalentIn) -> Status:
    """Collect an entry for the acting organisation (and report it upward at once with `report`)."""
    data = payload.dict()
    form = TalentForm(data={
        "person": data["person_id"], "kind": data["kind"], "trade": data["trade"], "skills": data["skills"],
        "enterprise": data["enterprise"], "income": "" if data["income"] is None else data["income"],
        "jobs": data["jobs"], "deeds": data["deeds"]}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    talent = services.talent_create(actor=request.user, data={
        **form.to_data(), "organization": access.acting_organization_required(request.user)})
    if data["report"]:
        talent = services.talent_report(actor=request.user, talent=talent)
    return Status(201, talent)


@router.post("/talents/{talent_id}/report", response=TalentOut)
@requires("development.collect_talent", objects={"talent_id": Talent})
def talent_report(request: AuthedRequest, talent_id: int) -> Talent:
    """The reporting organisation sends a draft or a returned entry to the federation above."""
    talent = selectors.talent_get_for_user(user=request.user, talent_id=talent_id)
    return services.talent_report(actor=request.user, talent=talent)


@router.post("/talents/{talent_id}/forward", response=TalentOut)
@requires("development.review_talent", objects={"talent_id": Talent})
def talent_forward(request: AuthedRequest, talent_id: int) -> Talent:
    """The township forwards a reported entry to the county."""
    talent = selectors.talent_get_for_user(user=request.user, talent_id=talent_id)
    return services.talent_forward(actor=request.user, talent=talent)


class ReturnIn(Schema):
    reason: str


@router.post("/talents/{talent_id}/return", response=TalentOut)
@requires("development.review_talent", objects={"talent_id": Talent})
def talent_return(request: AuthedRequest, talent_id: int, payload: ReturnIn) -> Talent:
    """Return an entry waiting here (or out of the county pool) to its reporter, with a reason."""
    form = ReturnForm(data={"reason": payload.reason})
    if not form.is_valid():
        raise form_invalid(form)
    talent = selectors.talent_get_for_user(user=request.user, talent_id=talent_id)
    return services.talent_return(actor=request.user, talent=talent, reason=form.cleaned_data["reason"])


@router.post("/talents/{talent_id}/accept", response=TalentOut)
@requires("development.review_talent", objects={"talent_id": Talent})
def talent_accept(request: AuthedRequest, talent_id: int) -> Talent:
    """The county accepts an entry into the county pool."""
    talent = selectors.talent_get_for_user(user=request.user, talent_id=talent_id)
    return services.talent_accept(actor=request.user, talent=talent)
