"""API of 党员推荐培养: `GET/POST /api/v1/recommendations`, `POST /api/v1/recommendations/{id}/steps`.
Same reach and rules as the pages: federation staff recommend and follow, the party side decides."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import ensure_can
from gongjian.kernel.selectors import paginate

from ..models import CultivationStage, CultivationStep, Recommendation, StepKind
from ..selectors import cultivation as selectors
from ..services import cultivation as services

router = Router(auth=token_auth)


class StepOut(Schema):
    id: int
    step: Choice[StepKind]
    step_label: str
    decided_on: date
    note: str
    decided_by_organization_name: str

    @staticmethod
    def resolve_step_label(obj: CultivationStep) -> str:
        return str(obj.get_step_display())

    @staticmethod
    def resolve_decided_by_organization_name(obj: CultivationStep) -> str:
        return obj.decided_by_organization.name


class RecommendationOut(Schema):
    id: int
    person_id: int
    person_name: str
    organization_id: int
    organization_name: str
    party_organization_id: int
    party_organization_name: str
    recommended_on: date
    reason: str
    stage: Choice[CultivationStage]
    stage_label: str
    stage_on: date
    steps: list[StepOut]

    @staticmethod
    def resolve_person_name(obj: Recommendation) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organization_name(obj: Recommendation) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_party_organization_name(obj: Recommendation) -> str:
        return obj.party_organization.name

    @staticmethod
    def resolve_stage_label(obj: Recommendation) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_steps(obj: Recommendation) -> list[CultivationStep]:
        return list(selectors.steps_of(obj))


@router.get("/recommendations", response=list[RecommendationOut])
@requires("development.view_recommendation", objects={"org": Organization})
def recommendation_list(request: AuthedRequest, org: int | None = None,
                        stage: OptionalChoice[CultivationStage] = None, q: str = "", page: int = 1,
                        per_page: int = 20) -> list[Recommendation]:
    """Women recommended for party cultivation that the caller reaches (either line), with their steps."""
    rows = selectors.recommendation_list_visible_to(user=request.user, organization_id=org, stage=stage or "", q=q)
    return paginate(rows.prefetch_related("steps__decided_by_organization"), page=page, per_page=per_page).rows


class RecommendationIn(Schema):
    person_id: int
    party_organization_id: int | None = None
    recommended_on: date | None = None
    reason: str


@router.post("/recommendations", response={201: RecommendationOut})
@requires("development.recommend")
def recommendation_create(request: AuthedRequest, payload: RecommendationIn) -> Status:
    """The acting federation organisation recommends a woman in its reach to the party organisation
    of her village (chosen by the server when her village has one)."""
    try:
        person = selectors.candidate_get(user=request.user, person_id=payload.person_id)
    except Http404 as exc:
        raise ValidationError({"person_id": _("请选择您管辖范围内的人员。")}) from exc
    made = services.recommendation_create(actor=request.user, person=person,
                                          party_organization_id=payload.party_organization_id,
                                          recommended_on=payload.recommended_on, reason=payload.reason)
    return Status(201, made)


class StepIn(Schema):
    step: Choice[StepKind]
    decided_on: date
    note: str = ""


@router.post("/recommendations/{recommendation_id}/steps", response={201: RecommendationOut})
@requires("development.decide_cultivation", objects={"recommendation_id": Recommendation})
def recommendation_step(request: AuthedRequest, recommendation_id: int, payload: StepIn) -> Status:
    """The party side decides the next step (or ends the cultivation with a reason in `note`)."""
    recommendation = selectors.recommendation_get_for_user(user=request.user, recommendation_id=recommendation_id)
    ensure_can(request.user, "development.decide_cultivation", recommendation)
    services.cultivation_decide(actor=request.user, recommendation=recommendation, step=payload.step,
                                decided_on=payload.decided_on, note=payload.note)
    return Status(201, recommendation)
