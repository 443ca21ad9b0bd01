"""API of campaigns: GET/POST /api/v1/campaigns, GET /api/v1/campaigns/{id} (and the plans)."""

from datetime import date

from ninja import Router, Schema

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.selectors import paginate

from ..models import Campaign, CampaignState, Theme
from ..selectors import campaign as selectors

router = Router(auth=token_auth)


class PhaseOut(Schema):
    name: str
    starts_on: date
    ends_on: date | None


class CampaignOut(Schema):
    id: int
    title: str
    theme: Choice[Theme]
    organization_id: int
    state: Choice[CampaignState]
    starts_on: date
    ends_on: date | None
    plan_due: date | None
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj: Campaign) -> list[PhaseOut]:
        return [PhaseOut(name=p.name, starts_on=p.starts_on, ends_on=p.ends_on) for p in obj.phases.all()]


@router.get("/campaigns", response=list[CampaignOut])
@requires("campaigns.view")
def campaign_list(request: AuthedRequest, page: int = 1) -> list[Campaign]:
    return paginate(selectors.campaign_list_visible_to(user=request.user), page=page, per_page=100).rows


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
@requires("campaigns.view", objects={"campaign_id": Campaign})
def campaign_get(request: AuthedRequest, campaign_id: int) -> Campaign:
    return selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)
