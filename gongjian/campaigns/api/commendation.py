"""API of commendation: GET/POST /api/v1/commendations, GET /api/v1/commendations/{id}, and the
public GET /api/v1/public/commendations?org= (awarded exemplars: name, title, deeds; no personal
data). Same reach and errors as the pages: a POST goes through the page's form and the service."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema, Status

from gongjian.kernel import access
from gongjian.kernel.apiauth import public, requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.selectors import paginate

from ..forms.commendation import NominationForm
from ..models import Nomination, NominationState, TitleKind
from ..selectors import commendation as selectors
from ..services import commendation as services

router = Router(auth=token_auth)


class CommendationPublicFields(Schema):
    """What staff and the public both read of a nomination: never a person's details beyond the name."""

    id: int
    kind: Choice[TitleKind]
    kind_label: str
    year: int
    public_name: str
    deeds: str
    organization_name: str
    deciding_organization_name: str
    awarded_on: date | None

    @staticmethod
    def resolve_kind_label(obj: Nomination) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_organization_name(obj: Nomination) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_deciding_organization_name(obj: Nomination) -> str:
        return obj.deciding_organization.name


class CommendationOut(CommendationPublicFields):
    organization_id: int
    deciding_organization_id: int
    nominee_organization_id: int | None
    person_id: int | None
    campaign_id: int | None
    state: Choice[NominationState]
    state_label: str
    decision_reason: str

    @staticmethod
    def resolve_state_label(obj: Nomination) -> str:
        return str(obj.get_state_display())


@router.get("/commendations", response=list[CommendationOut])
@requires("campaigns.view_commendation")
def commendation_list(request: AuthedRequest, year: int | None = None, kind: OptionalChoice[TitleKind] = None,
                      state: OptionalChoice[NominationState] = None, page: int = 1,
                      per_page: int = 20) -> list[Nomination]:
    rows = selectors.nomination_list_visible_to(user=request.user, year=year, kind=kind or "", state=state or "")
    return paginate(rows, page=page, per_page=per_page).rows


@router.get("/commendations/{commendation_id}", response=CommendationOut)
@requires("campaigns.view_commendation", objects={"commendation_id": Nomination})
def commendation_get(request: AuthedRequest, commendation_id: int) -> Nomination:
    return selectors.nomination_get_for_user(user=request.user, nomination_id=commendation_id)


class CommendationIn(Schema):
    kind: Choice[TitleKind]
    year: int
    deciding_organization_id: int
    person_id: int | None = None
    nominee_organization_id: int | None = None
    public_name: str = ""
    deeds: str
    campaign_id: int | None = None
    submit: bool = False


@router.post("/commendations", response={201: CommendationOut})
@requires("campaigns.nominate")
def commendation_create(request: AuthedRequest, payload: CommendationIn) -> Status:
    """Draft a nomination for the acting organisation (and send it up at once with `submit`)."""
    data = payload.dict()
    form = NominationForm(data={
        "kind": data["kind"], "year": data["year"], "deciding_organization": data["deciding_organization_id"],
        "person": data["person_id"] or "", "nominee_organization": data["nominee_organization_id"] or "",
        "public_name": data["public_name"], "deeds": data["deeds"], "campaign": data["campaign_id"] or ""},
        user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    nomination = services.nomination_create(actor=request.user, data={
        **form.to_data(), "organization": access.acting_organization_required(request.user)})
    if data["submit"]:
        nomination = services.nomination_submit(actor=request.user, nomination=nomination)
    return Status(201, nomination)


class PublicCommendationOut(CommendationPublicFields):
    """An awarded exemplar as the public sees it."""


@router.get("/public/commendations", response=list[PublicCommendationOut], auth=None)
@public
def public_commendations(request: HttpRequest, org: int | None = None, kind: OptionalChoice[TitleKind] = None,
                         page: int = 1, per_page: int = 20) -> list[Nomination]:
    """Awarded exemplars with their deeds, within an organisation's subtree when `org` is given."""
    organization = selectors.public_organization(org)
    rows = selectors.exemplars_public(organization=organization, kind=kind or "")
    return paginate(rows, page=page, per_page=per_page).rows
