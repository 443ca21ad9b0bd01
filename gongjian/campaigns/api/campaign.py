"""API of campaigns: GET/POST /api/v1/campaigns, GET /api/v1/campaigns/{id}, the plans of a
campaign (GET/POST …/plans, POST …/plans/{plan_id}/return and /accept). Same reach and errors
as the pages: another organisation's campaign or plan is a 404, a refusal a Chinese 400."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status

from gongjian.kernel import access
from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice
from gongjian.kernel.figures import Line
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from ..models import Campaign, CampaignState, PlanStatus, PlanSubmission, Theme
from ..selectors import campaign as selectors
from ..services import campaign as services

router = Router(auth=token_auth)


class TargetKind(models.TextChoices):
    """The kinds of organisation a campaign may be sent to (by level)."""

    TOWNSHIP_FEDERATION = Organization.Kind.TOWNSHIP_FEDERATION.value, gettext_lazy("乡镇（街道）妇联")
    VILLAGE_FEDERATION = Organization.Kind.VILLAGE_FEDERATION.value, gettext_lazy("村（社区）妇联")


class PhaseOut(Schema):
    name: str
    starts_on: date
    ends_on: date | None
    tasks: str


class PhaseIn(Schema):
    name: str
    starts_on: date
    ends_on: date | None = None
    tasks: str = ""


class CampaignOut(Schema):
    id: int
    title: str
    theme: Choice[Theme]
    goals: str
    body: str
    lines: list[Choice[Line]]
    organization_id: int
    organization_name: str
    co_organization_ids: list[int]
    target_kinds: list[Choice[TargetKind]]
    target_organization_ids: list[int]
    state: Choice[CampaignState]
    starts_on: date
    ends_on: date | None
    plan_due: date | None
    issued_at: datetime | None
    current_phase: str | None
    phases: list[PhaseOut]

    @staticmethod
    def resolve_organization_name(obj: Campaign) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_co_organization_ids(obj: Campaign) -> list[int]:
        return [o.pk for o in obj.co_organizations.all()]

    @staticmethod
    def resolve_target_organization_ids(obj: Campaign) -> list[int]:
        return [o.pk for o in obj.target_organizations.all()]

    @staticmethod
    def resolve_current_phase(obj: Campaign) -> str | None:
        phase = obj.current_phase()
        return phase.name if phase is not None else None

    @staticmethod
    def resolve_phases(obj: Campaign) -> list[PhaseOut]:
        return [PhaseOut(name=p.name, starts_on=p.starts_on, ends_on=p.ends_on, tasks=p.tasks)
                for p in obj.phases.all()]


class CampaignIn(Schema):
    title: str
    theme: Choice[Theme] = Theme.STRONG_ORGANIZATION
    goals: str = ""
    body: str = ""
    lines: list[Choice[Line]] = []
    organization_id: int | None = None
    co_organization_ids: list[int] = []
    target_kinds: list[Choice[TargetKind]] = []
    target_organization_ids: list[int] = []
    starts_on: date
    ends_on: date | None = None
    plan_due: date | None = None
    phases: list[PhaseIn] = []
    issue: bool = False


@router.get("/campaigns", response=list[CampaignOut])
@requires("campaigns.view")
def campaign_list(request: AuthedRequest, state: OptionalChoice[CampaignState] = None, page: int = 1,
                  per_page: int = 50) -> list[Campaign]:
    found = selectors.campaign_list_visible_to(user=request.user, state=state or "").prefetch_related(
        "co_organizations", "target_organizations")
    return paginate(found, page=page, per_page=per_page).rows


def _organizations(request: AuthedRequest, payload: CampaignIn) -> tuple[list[Organization], list[Organization]]:
    """The co-issuers (party committees, named by id: the service checks they fit) and the named
    targets (which must lie in the caller's reach)."""
    errors: dict[str, str] = {}
    acting = access.acting_organization_required(request.user)
    if payload.organization_id is not None and payload.organization_id != acting.pk:
        errors["organization_id"] = _("只能以当前所在组织的名义发起活动。")
    co = list(Organization.objects.filter(pk__in=set(payload.co_organization_ids)))
    if len(co) != len(set(payload.co_organization_ids)):
        errors["co_organization_ids"] = _("联合发文组织不存在。")
    wanted = set(payload.target_organization_ids)
    targets = list(access.visible(request.user, Organization.objects.filter(pk__in=wanted)))
    if len(targets) != len(wanted):
        errors["target_organization_ids"] = _("指定参加的组织不存在或不在管辖范围内。")
    if errors:
        raise ValidationError(errors)
    return co, targets


@router.post("/campaigns", response={201: CampaignOut})
@requires("campaigns.manage_campaign")
def campaign_create(request: AuthedRequest, payload: CampaignIn) -> Status:
    co, targets = _organizations(request, payload)
    data = {"title": payload.title, "theme": str(payload.theme), "goals": payload.goals, "body": payload.body,
            "lines": [str(v) for v in payload.lines], "target_kinds": [str(v) for v in payload.target_kinds],
            "starts_on": payload.starts_on, "ends_on": payload.ends_on, "plan_due": payload.plan_due}
    campaign = services.campaign_create(actor=request.user, data=data, co_issuers=co, targets=targets,
                                        phases=[p.dict() for p in payload.phases])
    if payload.issue:
        services.campaign_issue(actor=request.user, campaign=campaign)
    return Status(201, selectors.campaign_get_for_user(campaign_id=campaign.pk, user=request.user))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
@requires("campaigns.view", objects={"campaign_id": Campaign})
def campaign_get(request: AuthedRequest, campaign_id: int) -> Campaign:
    return selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)


# --- plans --------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    status: Choice[PlanStatus]
    submitted_at: datetime | None
    first_submitted_on: date | None
    title: str
    leading_group_id: int | None
    revision: int

    @staticmethod
    def resolve_organization_name(obj: PlanSubmission | dict[str, Any]) -> str:
        # The board's rows are plain values (selectors.plan_board); one plan is an instance.
        return str(obj["organization_name"]) if isinstance(obj, dict) else obj.organization.name


class PlanDetailOut(PlanOut):
    body: str
    review_reason: str


class PlanIn(Schema):
    title: str
    body: str = ""
    leading_group_id: int | None = None


class ReturnIn(Schema):
    reason: str


class AcceptIn(Schema):
    comment: str = ""


@router.get("/campaigns/{campaign_id}/plans", response=list[PlanOut])
@requires("campaigns.view", objects={"campaign_id": Campaign})
def plan_list(request: AuthedRequest, campaign_id: int, status: OptionalChoice[PlanStatus] = None,
              page: int = 1, per_page: int = 100) -> list[dict[str, Any]]:
    campaign = selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)
    rows = selectors.plan_board(user=request.user, campaign=campaign, status=status or "")
    return paginate(rows, page=page, per_page=per_page).rows


@router.post("/campaigns/{campaign_id}/plans", response={201: PlanDetailOut})
@requires("campaigns.submit_plan", objects={"campaign_id": Campaign})
def plan_submit(request: AuthedRequest, campaign_id: int, payload: PlanIn) -> Status:
    campaign = selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)
    plan = selectors.own_plan(user=request.user, campaign=campaign)
    if plan is None:
        raise ValidationError(_("本组织不在该活动的参加组织之列，无需报送方案。"))
    group = None
    if payload.leading_group_id is not None:
        group = services.leading_group_choices(plan.organization).filter(pk=payload.leading_group_id).first()
        if group is None:
            raise ValidationError({"leading_group_id": _("领导小组须为本组织下设的领导小组。")})
    saved = services.plan_submit(actor=request.user, plan=plan, title=payload.title, body=payload.body,
                                 leading_group=group)
    return Status(201, saved)


@router.post("/campaigns/{campaign_id}/plans/{plan_id}/return", response=PlanDetailOut)
@requires("campaigns.review_plan", objects={"campaign_id": Campaign, "plan_id": PlanSubmission})
def plan_return(request: AuthedRequest, campaign_id: int, plan_id: int, payload: ReturnIn) -> PlanSubmission:
    campaign = selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)
    plan = selectors.plan_get_for_user(user=request.user, campaign=campaign, plan_id=plan_id)
    return services.plan_return(actor=request.user, plan=plan, reason=payload.reason)


@router.post("/campaigns/{campaign_id}/plans/{plan_id}/accept", response=PlanDetailOut)
@requires("campaigns.review_plan", objects={"campaign_id": Campaign, "plan_id": PlanSubmission})
def plan_accept(request: AuthedRequest, campaign_id: int, plan_id: int, payload: AcceptIn) -> PlanSubmission:
    campaign = selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)
    plan = selectors.plan_get_for_user(user=request.user, campaign=campaign, plan_id=plan_id)
    return services.plan_accept(actor=request.user, plan=plan, comment=payload.comment)
