"""Kernel API: tokens, organisations, people. Same rules, scoping and masking as the pages.

No `from __future__ import annotations` here: ninja resolves annotations through the
wrapped function's globals, which `requires` would hide."""


from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from . import selectors, services
from .apiauth import TokenState, public, requires, token_auth, token_state
from .apischema import Choice, OptionalChoice
from .http import AuthedRequest
from .models import ApiToken, Gender, Organization, Person, PoliticalStatus, User

router = Router(tags=["kernel"], auth=token_auth)


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""  # the code from her authenticator (or a recovery code) when she has one


def _check_second_factor(request: HttpRequest, user: User, otp: str) -> None:
    """An account with a second factor gives its code too; one that must have one and has none
    enrols on the web first (A-05)."""
    from . import twofactor
    from .middleware import client_ip

    if twofactor.factor_of(user) is None:
        if twofactor.required_now(user):
            raise HttpError(403, _("请先登录网页设置两步验证。"))
        return
    if not otp.strip():
        raise HttpError(401, _("此账户已启用两步验证，请在 otp 字段提供验证码。"))
    outcome = twofactor.second_factor_check(user=user, code=otp, ip=client_ip(request))
    if outcome == twofactor.Outcome.LOCKED:
        raise HttpError(429, _("验证码错误次数过多，请5分钟后再试。"))
    if outcome == twofactor.Outcome.WRONG:
        raise HttpError(401, _("验证码不正确或已使用过。"))


class TokenOut(Schema):
    token: str
    expires_at: str


@router.post("/auth/token", auth=None, response=TokenOut)
@public
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange a username and password for a bearer token; failures count toward lock-out."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User):  # None: wrong credentials (the only user model is User)
        from .loginguard import refusal_message

        throttled = refusal_message(request)
        if throttled:
            raise HttpError(429, throttled)
        raise HttpError(401, _("用户名或密码不正确。"))
    if user.must_change_password:
        raise HttpError(403, _("请先登录网页修改初始密码。"))
    _check_second_factor(request, user, payload.otp)
    from django.contrib.auth.models import update_last_login

    update_last_login(User, user)  # a program signing in is a use of the account
    positions = list(user.current_positions())
    token, key = ApiToken.issue(user=user, position=positions[0] if positions else None,
                                ttl=settings.GONGJIAN_API_TOKEN_TTL)
    from . import audit

    audit.record(token, "kernel.api.token_issued", actor=user)
    return TokenOut(token=key, expires_at=token.expires_at.isoformat())


class ApiTokenOut(Schema):
    id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    token_state: Choice[TokenState]
    token_state_label: str
    acts_for: str
    current: bool

    @staticmethod
    def resolve_token_state(token: ApiToken) -> str:
        return token_state(token)

    @staticmethod
    def resolve_token_state_label(token: ApiToken) -> str:
        return str(TokenState(token_state(token)).label)

    @staticmethod
    def resolve_acts_for(token: ApiToken) -> str:
        position = token.position
        return f"{position.organization.name} {position.title}" if position is not None else ""

    @staticmethod
    def resolve_current(token: ApiToken, context: dict) -> bool:
        return bool(getattr(context["request"], "auth_token_id", None) == token.pk)


@router.get("/auth/tokens", response=list[ApiTokenOut])
@requires("kernel.manage_own_tokens")
def list_tokens(request: AuthedRequest) -> list[ApiToken]:
    """Her own API tokens, newest first, each with its state (a dead token says why)."""
    return selectors.api_tokens_of(request.user)


@router.delete("/auth/tokens/{token_id}", response=ApiTokenOut)
@requires("kernel.manage_own_tokens", objects={"token_id": ApiToken})
def revoke_token(request: AuthedRequest, token_id: int) -> ApiToken:
    """Revoke one of her tokens (this one included); another account's token is a 404."""
    token = selectors.api_token_get(user=request.user, token_id=token_id)
    return services.api_token_revoke(actor=request.user, token=token)


class OrganizationOut(Schema):
    id: int
    name: str
    kind: Choice[Organization.Kind]
    kind_label: str
    region_code: str
    parent_id: int | None
    depth: int

    @classmethod
    def of(cls, org: Organization, *, parent_id: int | None) -> "OrganizationOut":
        """`parent_id` is given, not read: a list knows its rows' parents without a query each."""
        return cls(id=org.pk, name=org.name, kind=org.kind, kind_label=str(org.get_kind_display()),
                   region_code=org.region.code, parent_id=parent_id, depth=org.depth)


@router.get("/organizations", response=list[OrganizationOut])
@requires("kernel.view_organization")
def list_organizations(request: AuthedRequest) -> list[OrganizationOut]:
    orgs = selectors.visible_organizations(request.user).select_related("region").order_by("path")
    parents = {o.path: o.pk for o in orgs}
    return [OrganizationOut.of(org, parent_id=parents.get(org.path[: -org.steplen]) if org.depth > 1 else None)
            for org in orgs]


@router.get("/organizations/{org_id}", response=OrganizationOut)
@requires("kernel.view_organization", objects={"org_id": Organization})
def get_organization(request: AuthedRequest, org_id: int) -> OrganizationOut:
    org = selectors.organization_get_for_user(user=request.user, organization_id=org_id)
    parent = Organization.objects.get_parent(org)
    return OrganizationOut.of(org, parent_id=parent.pk if parent else None)


class PersonOut(Schema):
    """A person as the staff see her: ID and mobile masked."""

    id: int
    name: str
    gender: Choice[Gender]
    birth_date: date | None
    id_number_masked: str
    mobile_masked: str
    ethnicity: str
    political_status: Choice[PoliticalStatus]
    organization_id: int
    organization_name: str

    @staticmethod
    def resolve_organization_name(obj: Person) -> str:
        return obj.organization.name


class PersonIn(Schema):
    name: str
    id_number: str = ""
    mobile: str = ""
    gender: OptionalChoice[Gender] = None
    birth_date: date | None = None
    ethnicity: str = "汉族"
    political_status: Choice[PoliticalStatus] = PoliticalStatus.MASSES
    organization_id: int
    home_region_id: int | None = None
    party_organization_id: int | None = None


@router.get("/people", response=list[PersonOut])
@requires("kernel.view_person", objects={"org": Organization})
def list_people(request: AuthedRequest, q: str = "", org: int | None = None, page: int = 1,
                per_page: int = 20) -> list[Person]:
    people = selectors.person_list_visible_to(user=request.user, q=q, organization_id=org)
    return selectors.paginate(people, page=page, per_page=per_page).rows


@router.get("/people/{person_id}", response=PersonOut)
@requires("kernel.view_person", objects={"person_id": Person})
def get_person(request: AuthedRequest, person_id: int) -> Person:
    return selectors.person_get_for_user(user=request.user, person_id=person_id)


#: API field → rule-book field (kernel.people); the API names keys by id.
PERSON_IN_FIELDS = {"organization_id": "organization", "home_region_id": "home_region",
                    "party_organization_id": "party_organization"}


@router.post("/people", response={201: PersonOut})
@requires("kernel.add_person")
def create_person(request: AuthedRequest, payload: PersonIn) -> Status:
    """Register a person; checked by the same rule book as the staff page (kernel.people)."""
    data = {PERSON_IN_FIELDS.get(k, k): v for k, v in payload.dict(exclude_unset=True).items()}
    person = services.person_create(actor=request.user, data=data)
    return Status(201, person)
