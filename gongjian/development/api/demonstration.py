"""API of 示范: GET/POST /api/v1/demonstrations (a proposal from a township or village federation;
the county designates on its page). Same reach and rules as the pages."""

from datetime import date

from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from ..forms.demonstration import DemonstrationForm
from ..models import Demonstration, DemonstrationKind, DemonstrationState
from ..selectors import demonstration as selectors
from ..services import demonstration as services

router = Router(auth=token_auth)


class DemonstrationOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: Choice[DemonstrationKind]
    kind_label: str
    name: str
    person_id: int | None
    trade: str
    description: str
    women_count: int
    state: Choice[DemonstrationState]
    state_label: str
    proposed_on: date
    criteria: str
    evaluation: str
    designated_on: date | None
    revoked_on: date | None

    @staticmethod
    def resolve_organization_name(obj: Demonstration) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: Demonstration) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Demonstration) -> str:
        return str(obj.get_state_display())


@router.get("/demonstrations", response=list[DemonstrationOut])
@requires("development.view_demonstration", objects={"org": Organization})
def demonstration_list(request: AuthedRequest, org: int | None = None, kind: OptionalChoice[DemonstrationKind] = None,
                       state: OptionalChoice[DemonstrationState] = None, page: int = 1,
                       per_page: int = 20) -> list[Demonstration]:
    """Demonstrations of the caller's subtree (of one organisation's subtree, a kind or a state)."""
    rows = selectors.demonstration_list_visible_to(user=request.user, organization_id=org, kind=kind or "",
                                                   state=state or "")
    return paginate(rows, page=page, per_page=per_page).rows


class DemonstrationIn(Schema):
    organization_id: int
    kind: Choice[DemonstrationKind]
    name: str
    person_id: int | None = None
    trade: str
    description: str
    women_count: int = 0


@router.post("/demonstrations", response={201: DemonstrationOut})
@requires("development.propose_demonstration")
def demonstration_create(request: AuthedRequest, payload: DemonstrationIn) -> Status:
    """Propose a demonstration of a village in the caller's reach (the county designates it)."""
    data = payload.dict()
    form = DemonstrationForm(data={"organization": data["organization_id"], "kind": data["kind"], "name": data["name"],
                                   "person": data["person_id"] or "", "trade": data["trade"],
                                   "description": data["description"], "women_count": data["women_count"]},
                             user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    return Status(201, services.demonstration_propose(actor=request.user, data=form.to_data()))
