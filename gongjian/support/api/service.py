"""API of service sites and health rounds: GET/POST /api/v1/support/sites, GET/POST
/api/v1/support/health-rounds. Same reach, rules and Chinese errors as the pages (the forms and
services underneath); a contact's mobile is masked."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from ..forms.service import HealthRoundForm, SiteForm
from ..models import HealthKind, HealthPartnerKind, HealthRound, ServiceSite, SiteKind
from ..selectors import service as selectors
from ..services import service as services

router = Router(auth=token_auth)


class SiteOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: Choice[SiteKind]
    kind_label: str
    name: str
    address: str
    hours: str
    open_days: list[int]
    phone: str
    partner: str
    contact_id: int | None
    contact_name: str
    contact_mobile_masked: str
    contact_is_public: bool
    description: str
    is_public: bool
    opened_on: date
    closed_on: date | None

    @staticmethod
    def resolve_organization_name(obj: ServiceSite) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: ServiceSite) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_open_days(obj: ServiceSite) -> list[int]:
        return [int(d) for d in obj.open_days]

    @staticmethod
    def resolve_contact_name(obj: ServiceSite) -> str:
        return obj.contact.name if obj.contact else ""

    @staticmethod
    def resolve_contact_mobile_masked(obj: ServiceSite) -> str:
        return obj.contact.mobile_masked if obj.contact else ""


@router.get("/support/sites", response=list[SiteOut])
@requires("support.view_service_site", objects={"org": Organization})
def site_list(request: AuthedRequest, org: int | None = None, kind: OptionalChoice[SiteKind] = None,
              closed: bool = False, page: int = 1, per_page: int = 20) -> list[ServiceSite]:
    """Service sites of the caller's subtree (of one organisation's subtree, a kind; open or closed)."""
    rows = selectors.site_list_visible_to(user=request.user, organization_id=org, kind=kind or "", closed=closed)
    return paginate(rows, page=page, per_page=per_page).rows


class SiteIn(Schema):
    organization_id: int
    kind: Choice[SiteKind]
    name: str
    address: str = ""
    hours: str
    open_days: list[int] = []
    phone: str = ""
    partner: str = ""
    contact_id: int | None = None
    contact_is_public: bool = False
    description: str = ""
    is_public: bool = True
    opened_on: date | None = None


@router.post("/support/sites", response={201: SiteOut})
@requires("support.manage_service_site")
def site_create(request: AuthedRequest, payload: SiteIn) -> Status:
    """Add a service site or line of a federation in the caller's reach."""
    data = payload.dict()
    form = SiteForm(data={
        "organization": data["organization_id"], "kind": data["kind"], "name": data["name"],
        "address": data["address"], "hours": data["hours"], "open_days": [str(d) for d in data["open_days"]],
        "phone": data["phone"], "partner": data["partner"], "contact": data["contact_id"] or "",
        "contact_is_public": data["contact_is_public"], "description": data["description"],
        "is_public": data["is_public"], "opened_on": data["opened_on"] or timezone.localdate()}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    return Status(201, services.service_site_create(actor=request.user, data=form.to_data()))


class HealthRoundOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: Choice[HealthKind]
    kind_label: str
    starts_on: date
    ends_on: date | None
    place: str
    partner: str
    partner_kind: Choice[HealthPartnerKind]
    audience: str
    served: int
    cervical_screened: int | None
    breast_screened: int | None
    is_public: bool
    note: str

    @staticmethod
    def resolve_organization_name(obj: HealthRound) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: HealthRound) -> str:
        return str(obj.get_kind_display())


@router.get("/support/health-rounds", response=list[HealthRoundOut])
@requires("support.view_health_round", objects={"org": Organization})
def health_round_list(request: AuthedRequest, org: int | None = None, year: int | None = None,
                      kind: OptionalChoice[HealthKind] = None, page: int = 1,
                      per_page: int = 20) -> list[HealthRound]:
    """Health rounds of the caller's subtree (of one organisation's subtree, a year, a kind)."""
    rows = selectors.health_round_list_visible_to(user=request.user, year=year if year and 2000 <= year <= 2100
                                                  else None, kind=kind or "", organization_id=org)
    return paginate(rows, page=page, per_page=per_page).rows


class HealthRoundIn(Schema):
    organization_id: int
    kind: Choice[HealthKind]
    starts_on: date
    ends_on: date | None = None
    place: str
    partner: str
    partner_kind: Choice[HealthPartnerKind] = HealthPartnerKind.HEALTH_BUREAU
    audience: str = ""
    served: int = 0
    cervical_screened: int | None = None
    breast_screened: int | None = None
    is_public: bool = False
    note: str = ""


@router.post("/support/health-rounds", response={201: HealthRoundOut})
@requires("support.record_health_round")
def health_round_create(request: AuthedRequest, payload: HealthRoundIn) -> Status:
    """Record a health round held (or announced) by a federation in the caller's reach: counts only."""
    data = payload.dict()
    fields = {key: ("" if value is None else value) for key, value in data.items() if key != "organization_id"}
    form = HealthRoundForm(data={"organization": data["organization_id"], **fields}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    return Status(201, services.health_round_record(actor=request.user, data=form.to_data()))
