"""API of 承诺机制: GET/POST /api/v1/pledges, POST /api/v1/pledges/{id}/progress, and the public
GET /api/v1/public/pledges?org= (no login: published public pledges, no personal data)."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import public, requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import ensure_can
from gongjian.kernel.selectors import paginate

from ..forms.pledge import PledgeForm, ProgressForm
from ..models import Campaign, Pledge, PledgeCategory, PledgeRating, PledgeState, PledgeUpdate
from ..selectors import pledge as selectors
from ..services import pledge as services

router = Router(auth=token_auth)


class PledgeUpdateOut(Schema):
    id: int
    pledge_id: int
    date: date
    text: str
    percent: int | None
    has_photo: bool

    @staticmethod
    def resolve_has_photo(obj: PledgeUpdate) -> bool:
        return obj.photo_id is not None


class PledgePublicFields(Schema):
    """What staff and the portal both read of a pledge: the organisation, the cadre's title (never
    her name), the text, the state and the rating, with their labels."""

    id: int
    organization_id: int
    organization_name: str
    cadre_title: str
    category: Choice[PledgeCategory]
    category_label: str
    title: str
    content: str
    measures: str
    due_on: date
    state: Choice[PledgeState]
    state_label: str
    published_at: datetime | None
    rating: OptionalChoice[PledgeRating]
    rating_label: str
    evaluation: str

    @staticmethod
    def resolve_organization_name(obj: Pledge) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_category_label(obj: Pledge) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_state_label(obj: Pledge) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_rating(obj: Pledge) -> str | None:
        return obj.rating or None

    @staticmethod
    def resolve_rating_label(obj: Pledge) -> str:
        return str(obj.get_rating_display()) if obj.rating else ""


class PledgeOut(PledgePublicFields):
    cadre_id: int | None
    campaign_id: int | None
    is_public: bool
    evaluated_at: datetime | None


@router.get("/pledges", response=list[PledgeOut])
@requires("campaigns.view_pledge", objects={"org": Organization, "campaign": Campaign})
def pledge_list(request: AuthedRequest, org: int | None = None, campaign: int | None = None,
                state: OptionalChoice[PledgeState] = None, page: int = 1, per_page: int = 20) -> list[Pledge]:
    """Pledges of the caller's subtree (of one organisation's subtree, a campaign or a state)."""
    rows = selectors.pledge_list_visible_to(user=request.user, organization_id=org, state=state or "",
                                            campaign_id=campaign)
    return paginate(rows, page=page, per_page=per_page).rows


class PledgeIn(Schema):
    category: Choice[PledgeCategory]
    title: str
    content: str
    measures: str = ""
    due_on: date
    cadre_id: int | None = None
    campaign_id: int | None = None
    is_public: bool = True
    publish: bool = False


@router.post("/pledges", response={201: PledgeOut})
@requires("campaigns.make_pledge")
def pledge_create(request: AuthedRequest, payload: PledgeIn) -> Status:
    """A pledge of the acting organisation (or of one of its cadres); published at once with `publish`."""
    data = payload.dict()
    form = PledgeForm(data={"category": data["category"], "title": data["title"], "content": data["content"],
                            "measures": data["measures"], "due_on": data["due_on"], "cadre": data["cadre_id"] or "",
                            "campaign": data["campaign_id"] or "", "is_public": data["is_public"]},
                      user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    pledge = services.pledge_create(actor=request.user, data=form.to_data(), publish=data["publish"])
    return Status(201, pledge)


class ProgressIn(Schema):
    date: date
    text: str
    percent: int | None = None


@router.post("/pledges/{pledge_id}/progress", response={201: PledgeUpdateOut})
@requires("campaigns.make_pledge", objects={"pledge_id": Pledge})
def pledge_progress(request: AuthedRequest, pledge_id: int, payload: ProgressIn) -> Status:
    """践诺: a progress report of the pledging organisation (photos through the page)."""
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pledge_id)
    ensure_can(request.user, "campaigns.make_pledge", pledge)
    form = ProgressForm(data={"date": payload.date, "text": payload.text,
                              "percent": "" if payload.percent is None else payload.percent})
    if not form.is_valid():
        raise form_invalid(form)
    update = services.pledge_report_progress(actor=request.user, pledge=pledge, day=form.cleaned_data["date"],
                                             text=form.cleaned_data["text"], percent=form.cleaned_data["percent"])
    return Status(201, update)


class PublicProgressOut(Schema):
    date: date
    text: str
    percent: int | None


class PublicPledgeOut(PledgePublicFields):
    """A pledge as the portal shows it, with its recent progress."""

    progress: list[PublicProgressOut]


    @staticmethod
    def resolve_progress(obj: Pledge) -> list[PublicProgressOut]:
        return [PublicProgressOut(date=u.date, text=u.text, percent=u.percent) for u in getattr(obj, "recent_updates", [])]


@router.get("/public/pledges", response=list[PublicPledgeOut], auth=None)
@public
def public_pledges(request: HttpRequest, org: int | None = None, page: int = 1, per_page: int = 20) -> list[Pledge]:
    """Published public pledges (of an organisation's subtree with `org`), newest first, with progress."""
    return paginate(selectors.public_pledges(organization_id=org), page=page, per_page=per_page).rows
