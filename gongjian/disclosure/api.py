"""API operations of the app, mounted under /api/v1/. Same rules, scoping and services as the
pages; the public operations return only what the public board shows (Z-04).

No `from __future__ import annotations` here (see gongjian/kernel/api.py)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongjian.kernel import access, ratelimit
from gongjian.kernel.apiauth import public, requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from . import captcha, publication, selectors, services
from .models import (
    Category,
    Channel,
    Disclosure,
    DisclosureVersion,
    RegularPeriod,
    Scope,
    Stage,
    Suggestion,
    Timing,
)
from .public_views import SUGGESTIONS_PER_HOUR, client_key
from .workflow import State

router = Router(tags=["disclosure"], auth=token_auth)


class DisclosureIn(Schema):
    title: str
    body: str = ""
    category: Choice[Category]
    channels: list[Choice[Channel]] = [Channel.BOARD, Channel.WEB]
    timing: Choice[Timing]
    period: OptionalChoice[RegularPeriod] = None
    scope: Choice[Scope] = Scope.PUBLIC
    public_from: date | None = None
    stage: Choice[Stage] = Stage.FINAL
    opinions_until: date | None = None
    is_major: bool = False
    correction_note: str = ""


class DisclosureOut(Schema):
    """A disclosure's working copy and where it stands, as the staff see it."""

    id: int
    organization_id: int
    organization_name: str
    title: str
    category: Choice[Category]
    timing: Choice[Timing]
    scope: Choice[Scope]
    state: Choice[State]
    state_label: str
    current_version: int | None
    updated_at: datetime

    @staticmethod
    def resolve_organization_name(obj: Disclosure) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_state_label(obj: Disclosure) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_current_version(obj: Disclosure) -> int | None:
        return obj.current_version.number if obj.current_version else None


class CommentIn(Schema):
    comment: str = ""


class ReasonIn(Schema):
    reason: str


class VersionOut(Schema):
    id: int
    number: int
    title: str
    published_at: datetime
    leaf_index: int


@router.get("/disclosures", response=list[DisclosureOut])
@requires("disclosure.view_disclosure", objects={"org": Organization})
def list_disclosures(request: AuthedRequest, state: OptionalChoice[State] = None, org: int | None = None,
                     page: int = 1, per_page: int = 20) -> list[Disclosure]:
    items = selectors.disclosure_list_visible_to(user=request.user, state=state or "", organization_id=org)
    return paginate(items, page=page, per_page=per_page).rows


@router.get("/disclosures/{disclosure_id}", response=DisclosureOut)
@requires("disclosure.view_disclosure", objects={"disclosure_id": Disclosure})
def get_disclosure(request: AuthedRequest, disclosure_id: int) -> Disclosure:
    return selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)


@router.post("/disclosures", response={201: DisclosureOut})
@requires("disclosure.add_disclosure")
def create_disclosure(request: AuthedRequest, payload: DisclosureIn) -> Status:
    """Draft an item for the organisation the token acts for."""
    org = access.acting_organization_required(request.user)
    item = services.disclosure_create(actor=request.user, organization=org, data=payload.dict())
    return Status(201, item)


def _item(request: AuthedRequest, disclosure_id: int) -> Disclosure:
    return selectors.disclosure_get_for_user(user=request.user, disclosure_id=disclosure_id)


@router.post("/disclosures/{disclosure_id}/submit", response=DisclosureOut)
@requires("disclosure.view_disclosure", objects={"disclosure_id": Disclosure})
def submit_disclosure(request: AuthedRequest, disclosure_id: int) -> Disclosure:
    return services.disclosure_submit(actor=request.user, disclosure=_item(request, disclosure_id))


@router.post("/disclosures/{disclosure_id}/approve", response=DisclosureOut)
@requires("disclosure.view_disclosure", objects={"disclosure_id": Disclosure})
def approve_disclosure(request: AuthedRequest, disclosure_id: int, payload: CommentIn) -> Disclosure:
    return services.disclosure_approve(actor=request.user, disclosure=_item(request, disclosure_id),
                                       comment=payload.comment)


@router.post("/disclosures/{disclosure_id}/return", response=DisclosureOut)
@requires("disclosure.view_disclosure", objects={"disclosure_id": Disclosure})
def return_disclosure(request: AuthedRequest, disclosure_id: int, payload: CommentIn) -> Disclosure:
    return services.disclosure_return(actor=request.user, disclosure=_item(request, disclosure_id),
                                      comment=payload.comment)


@router.post("/disclosures/{disclosure_id}/publish", response=VersionOut)
@requires("disclosure.view_disclosure", objects={"disclosure_id": Disclosure})
def publish_disclosure(request: AuthedRequest, disclosure_id: int) -> DisclosureVersion:
    return services.disclosure_publish(actor=request.user, disclosure=_item(request, disclosure_id))


@router.post("/disclosures/{disclosure_id}/withdraw", response=DisclosureOut)
@requires("disclosure.view_disclosure", objects={"disclosure_id": Disclosure})
def withdraw_disclosure(request: AuthedRequest, disclosure_id: int, payload: ReasonIn) -> Disclosure:
    item = _item(request, disclosure_id)
    services.disclosure_withdraw(actor=request.user, disclosure=item, reason=payload.reason)
    item.refresh_from_db()
    return item


# ---------------------------------------------------------------------------- public
# What the public board shows is a published version, never the working copy: its own schemas.


class AttachmentOut(Schema):
    name: str
    sha256: str
    size: int
    url: str


class PublicVersionOut(Schema):
    id: int
    number: int
    title: str
    body: str
    category: Choice[Category]
    category_label: str
    timing: Choice[Timing]
    stage: Choice[Stage]
    opinions_until: date | None
    correction_note: str
    published_at: datetime
    leaf_index: int
    leaf_hash: str
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_category_label(obj: DisclosureVersion) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_leaf_hash(obj: DisclosureVersion) -> str:
        return bytes(obj.leaf_hash).hex()

    @staticmethod
    def resolve_attachments(obj: DisclosureVersion) -> list[AttachmentOut]:
        return [AttachmentOut(name=f.name, sha256=f.sha256, size=f.size,
                              url=f"/disclosure/item/{obj.disclosure_id}/files/{f.pk}/") for f in obj.files.all()]


class PublicDisclosureOut(Schema):
    """A public item as its current version reads."""

    id: int
    organization_id: int
    organization_name: str
    title: str
    category: Choice[Category]
    timing: Choice[Timing]
    published_at: datetime | None
    withdrawn: bool
    current_version: int
    url: str

    @staticmethod
    def _version(obj: Disclosure) -> DisclosureVersion:
        assert obj.current_version is not None
        return obj.current_version

    @staticmethod
    def resolve_organization_name(obj: Disclosure) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_title(obj: Disclosure) -> str:
        return PublicDisclosureOut._version(obj).title

    @staticmethod
    def resolve_category(obj: Disclosure) -> str:
        return PublicDisclosureOut._version(obj).category

    @staticmethod
    def resolve_timing(obj: Disclosure) -> str:
        return PublicDisclosureOut._version(obj).timing

    @staticmethod
    def resolve_withdrawn(obj: Disclosure) -> bool:
        return obj.withdrawn_at is not None

    @staticmethod
    def resolve_current_version(obj: Disclosure) -> int:
        return PublicDisclosureOut._version(obj).number

    @staticmethod
    def resolve_url(obj: Disclosure) -> str:
        return f"/disclosure/item/{obj.pk}/"


class PublicDisclosureDetailOut(PublicDisclosureOut):
    versions: list[PublicVersionOut]

    @staticmethod
    def resolve_versions(obj: Disclosure) -> list[DisclosureVersion]:
        return selectors.public_versions(disclosure=obj)


@router.get("/public/disclosures", response=list[PublicDisclosureOut], auth=None)
@public
def public_list(request: HttpRequest, org: int, category: OptionalChoice[Category] = None, page: int = 1,
                per_page: int = 20) -> list[Disclosure]:
    """The current public items of an organisation's board (never an internal one)."""
    organization = selectors.public_organization_get(organization_id=org)
    items = selectors.public_items(organization=organization, category=category or "")
    return paginate(items.select_related("organization"), page=page, per_page=per_page).rows


@router.get("/public/disclosures/{disclosure_id}", response=PublicDisclosureDetailOut, auth=None)
@public
def public_detail(request: HttpRequest, disclosure_id: int) -> Disclosure:
    return selectors.public_disclosure_get(disclosure_id=disclosure_id)


class SuggestionIn(Schema):
    org: int
    content: str
    contact: str = ""
    disclosure: int | None = None
    idempotency_key: str = ""
    captcha_token: str = ""
    captcha_answer: str = ""


class CaptchaOut(Schema):
    detail: str
    question: str
    captcha_token: str


class SuggestionCreatedOut(Schema):
    tracking_code: str
    password: str | None
    due_on: date
    duplicate: bool


class SuggestionStatusOut(Schema):
    """Where a suggestion stands, for the one who holds its tracking code and password."""

    tracking_code: str
    organization_name: str
    status: Choice[Suggestion.Status]
    status_label: str
    created_at: datetime
    due_on: date
    reply: str | None
    answered_at: datetime | None
    needs_rectification: bool

    @staticmethod
    def resolve_organization_name(obj: Suggestion) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_status_label(obj: Suggestion) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_reply(obj: Suggestion) -> str | None:
        return obj.reply if obj.status == Suggestion.Status.ANSWERED else None


@router.post("/public/suggestions", response={201: SuggestionCreatedOut, 200: SuggestionCreatedOut,
                                              400: CaptchaOut}, auth=None)
@public
def public_suggest(request: HttpRequest, payload: SuggestionIn) -> Status:
    """Leave a suggestion; the answer carries the tracking code and the query password."""
    if len(request.body) > 100 * 1024:
        raise HttpError(413, _("提交的内容太长，请精简后再提交。"))
    key = client_key("suggestion")
    if not ratelimit.hit(key, limit=SUGGESTIONS_PER_HOUR, window_seconds=3600):
        raise HttpError(429, _("同一网络一小时内最多提交10条意见，请稍后再试。"))
    if captcha.hits_this_hour(key) > captcha.THRESHOLD and not captcha.solved(payload.captcha_token,
                                                                              payload.captcha_answer):
        challenge = captcha.new_challenge()
        return Status(400, CaptchaOut(detail=_("请回答计算题（captcha_answer）并带上 captcha_token 再提交。"),
                                      question=challenge.question, captcha_token=challenge.token))
    org = selectors.public_organization_get(organization_id=payload.org)
    item = None
    if payload.disclosure is not None:
        item = selectors.public_disclosure_get(disclosure_id=payload.disclosure)
    suggestion, password = services.suggestion_submit(
        organization=org, disclosure=item, content=payload.content, contact=payload.contact,
        idempotency_key=payload.idempotency_key)
    created = SuggestionCreatedOut(tracking_code=suggestion.tracking_code, password=password,
                                   due_on=suggestion.due_on, duplicate=password is None)
    return Status(201 if password else 200, created)


@router.get("/public/suggestions/{tracking_code}", response=SuggestionStatusOut, auth=None)
@public
def public_suggestion(request: HttpRequest, tracking_code: str, password: str) -> Suggestion:
    if not ratelimit.hit(client_key("suggestion-track"), limit=30, window_seconds=3600):
        raise HttpError(429, _("查询次数过多，请一小时后再试。"))
    found: Suggestion | None = selectors.suggestion_for_public(code=tracking_code, password=password)
    if found is None:
        raise HttpError(404, _("查询码或查询密码不正确。"))
    return found


class TreeHeadOut(Schema):
    log: str
    algo: str
    tree_size: int
    root_hash: str
    timestamp: int
    issued_at: str
    key_id: str
    public_key: str
    signature: str


class ProofOut(Schema):
    version_id: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str]
    root_hash: str
    algo: str
    verified: bool


class ConsistencyOut(Schema):
    first: int
    second: int
    algo: str
    proof: list[str]


@router.get("/public/publication-log/tree-head", response=TreeHeadOut, auth=None)
@public
def tree_head(request: HttpRequest) -> dict[str, Any]:
    """The latest signed tree head of the publication log."""
    head = publication.latest_tree_head()
    if head is None:
        raise HttpError(404, _("发布记录还是空的。"))
    return publication.tree_head_json(head, publication.get_log().algo)


@router.get("/public/publication-log/proof/{version_id}", response=ProofOut, auth=None)
@public
def inclusion_proof(request: HttpRequest, version_id: int) -> ProofOut:
    """The RFC 9162 inclusion proof of a published version against the latest tree head."""
    try:
        version = selectors.public_version_by_id(version_id=version_id)
    except Http404 as exc:
        raise HttpError(404, _("未找到。")) from exc
    proof = publication.inclusion_for(version)
    if proof is None:
        raise HttpError(404, _("未找到。"))
    return ProofOut(version_id=version.pk, leaf_index=proof.leaf_index, tree_size=proof.tree_size,
                    leaf_hash=proof.leaf_hash.hex(), audit_path=[h.hex() for h in proof.path],
                    root_hash=proof.root.hex(), algo=proof.algo, verified=proof.ok)


class LeafProofOut(Schema):
    leaf_index: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str]
    algo: str


@router.get("/public/publication-log/inclusion", response=LeafProofOut, auth=None)
@public
def leaf_inclusion_proof(request: HttpRequest, leaf: int, size: int) -> LeafProofOut:
    """The RFC 9162 inclusion proof of any leaf (a version or a withdrawal) in tree `size`;
    hashes only, so it reveals no content."""
    log = publication.get_log()
    tree = publication.merkle_log(log)
    try:
        path = tree.inclusion_proof(leaf, size)
    except ValueError as exc:
        raise ValidationError(_("须满足 0 ≤ leaf < size ≤ 当前记录条数。")) from exc
    return LeafProofOut(leaf_index=leaf, tree_size=size, leaf_hash=tree.leaf_hash_at(leaf).hex(),
                        audit_path=[h.hex() for h in path], algo=log.algo)


@router.get("/public/publication-log/consistency", response=ConsistencyOut, auth=None)
@public
def consistency_proof(request: HttpRequest, first: int, second: int) -> ConsistencyOut:
    """The RFC 9162 consistency proof between two tree sizes (T-04)."""
    log = publication.get_log()
    try:
        path = publication.merkle_log(log).consistency_proof(first, second)
    except ValueError as exc:
        raise ValidationError(_("树大小须满足 0 ≤ first ≤ second ≤ 当前记录条数。")) from exc
    return ConsistencyOut(first=first, second=second, algo=log.algo, proof=[h.hex() for h in path])
