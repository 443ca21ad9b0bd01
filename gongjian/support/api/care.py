"""API of 关爱: GET/POST /api/v1/care/recipients, GET /api/v1/care/recipients/{id}, GET/POST
/api/v1/care/pairings, GET /api/v1/care/pairings/overdue, POST /api/v1/care/pairings/{id}/visits.
Same reach, rules and errors as the pages: a POST goes through the page's form and the service. A
minor's or a sensitive record comes masked (name starred, needs and guardian null) to a caller
without `support.view_sensitive_recipient`; the guardian's phone is always masked; reading one
recipient is audited and fails closed (503) when the audit row cannot be written."""

from datetime import date, datetime

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization, Pairing, PairingMeeting
from gongjian.kernel.selectors import paginate

from ..forms.care import PairingForm, RecipientForm, VisitForm
from ..models.care import CarePairing, CareRecipient, LegalBasis, RecipientCategory
from ..selectors import care as selectors
from ..services import care as services

router = Router(auth=token_auth)


class RecipientOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    person_id: int
    name: str
    category: Choice[RecipientCategory]
    category_label: str
    minor_under_14: bool
    sensitive: bool
    details_shown: bool
    needs: str | None
    guardian_name: str | None
    guardian_mobile_masked: str
    legal_basis: Choice[LegalBasis]
    consent_at: datetime | None
    registered_on: date
    ended_on: date | None
    end_reason: str

    @staticmethod
    def resolve_organization_name(obj: CareRecipient) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_name(obj: CareRecipient) -> str:
        return str(getattr(obj, "display_name", obj.name_masked))

    @staticmethod
    def resolve_category_label(obj: CareRecipient) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_minor_under_14(obj: CareRecipient) -> bool:
        return obj.is_minor

    @staticmethod
    def resolve_details_shown(obj: CareRecipient) -> bool:
        return bool(getattr(obj, "shown", False))

    @staticmethod
    def resolve_needs(obj: CareRecipient) -> str | None:
        return obj.needs if getattr(obj, "shown", False) else None

    @staticmethod
    def resolve_guardian_name(obj: CareRecipient) -> str | None:
        return obj.guardian_name if getattr(obj, "shown", False) else None

    @staticmethod
    def resolve_guardian_mobile_masked(obj: CareRecipient) -> str:
        return obj.guardian_mobile_masked if getattr(obj, "shown", False) else ""


@router.get("/care/recipients", response=list[RecipientOut])
@requires("support.view_recipient", objects={"org": Organization})
def recipient_list(request: AuthedRequest, org: int | None = None, category: OptionalChoice[RecipientCategory] = None,
                   ended: bool = False, page: int = 1, per_page: int = 20) -> list[CareRecipient]:
    """Current recipients of the caller's subtree (of one organisation's subtree, one category;
    `ended=true`: those who left the registry), newest first, masked where P-05 asks."""
    place = selectors.place_of(user=request.user, organization_id=org)
    rows = selectors.recipient_list_visible_to(
        user=request.user, category=category or "", organization=place,
        show=selectors.SHOW_ENDED if ended else selectors.SHOW_CURRENT)
    return selectors.with_shown(request.user, paginate(rows, page=page, per_page=per_page).rows)


@router.get("/care/recipients/{recipient_id}", response=RecipientOut)
@requires("support.view_recipient", objects={"recipient_id": CareRecipient})
def recipient_detail(request: AuthedRequest, recipient_id: int) -> CareRecipient:
    """One recipient (the read is audited; masked where P-05 asks)."""
    recipient = selectors.recipient_get(user=request.user, recipient_id=recipient_id)
    (recipient,) = selectors.with_shown(request.user, [recipient])
    try:
        services.recipient_read(actor=request.user, recipient=recipient, shown=recipient.shown,
                                via="api")
    except DatabaseError as exc:
        raise HttpError(503, _("暂时无法记录本次查阅，为保护个人信息，现在不能提供该记录。")) from exc
    return recipient


class RecipientIn(Schema):
    person_id: int
    organization_id: int | None = None
    category: Choice[RecipientCategory]
    needs: str = ""
    guardian_name: str = ""
    guardian_mobile: str = ""
    sensitive: bool = False
    legal_basis: Choice[LegalBasis]
    consent_at: datetime | None = None
    registered_on: date | None = None


@router.post("/care/recipients", response={201: RecipientOut})
@requires("support.manage_recipient")
def recipient_create(request: AuthedRequest, payload: RecipientIn) -> Status:
    """Register a person of the caller's reach (`organization_id`: a federation of the subtree, by
    default the acting one). A child under 14 needs `legal_basis` guardian (with `consent_at`) or
    statutory."""
    data = payload.dict()
    acting = request.user.acting.organization if request.user.acting else None
    form = RecipientForm(data={
        "person": data["person_id"], "organization": data["organization_id"] or (acting.pk if acting else ""),
        "category": data["category"], "needs": data["needs"], "guardian_name": data["guardian_name"],
        "guardian_mobile": data["guardian_mobile"], "sensitive": data["sensitive"] or "",
        "legal_basis": data["legal_basis"], "registered_on": data["registered_on"] or timezone.localdate()},
        user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    recipient = services.recipient_register(actor=request.user, data={
        **form.to_data(), "consent_at": data["consent_at"], "consent_given": False})
    (recipient,) = selectors.with_shown(request.user, [recipient])
    return Status(201, recipient)


class PairingOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    recipient_id: int | None
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    started_on: date
    ended_on: date | None
    interval_days: int
    last_met_on: date | None
    due_on: date
    overdue: bool

    @staticmethod
    def resolve_organization_name(obj: Pairing) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_recipient_id(obj: Pairing) -> int | None:
        recipient = getattr(obj, "recipient", None)
        return recipient.pk if recipient is not None else None

    @staticmethod
    def resolve_mentor_name(obj: Pairing) -> str:
        return obj.mentor.name

    @staticmethod
    def resolve_mentee_name(obj: Pairing) -> str:
        return str(getattr(obj, "mentee_label", ""))

    @staticmethod
    def resolve_overdue(obj: Pairing) -> bool:
        return bool(getattr(obj, "overdue", False))


@router.get("/care/pairings", response=list[PairingOut])
@requires("support.view_pairing")
def pairing_list(request: AuthedRequest, ended: bool = False, page: int = 1, per_page: int = 20) -> list[Pairing]:
    """爱心妈妈 pairings of the caller's subtree: open ones (`ended=true`: all), newest first."""
    rows = selectors.pairing_list_visible_to(user=request.user, open_only=not ended)
    return selectors.with_recipients(request.user, paginate(rows, page=page, per_page=per_page).rows)


@router.get("/care/pairings/overdue", response=list[PairingOut])
@requires("support.view_pairing")
def pairing_overdue(request: AuthedRequest, page: int = 1, per_page: int = 50) -> list[Pairing]:
    """The board: open pairings with no visit within their interval, most overdue first."""
    rows = selectors.pairings_overdue(user=request.user)
    return selectors.with_recipients(request.user, paginate(rows, page=page, per_page=per_page).rows)


class PairingIn(Schema):
    recipient_id: int
    mentor_id: int
    started_on: date | None = None
    interval_days: int = 30
    note: str = ""


@router.post("/care/pairings", response={201: PairingOut})
@requires("support.manage_pairing")
def pairing_create(request: AuthedRequest, payload: PairingIn) -> Status:
    """Pair a 爱心妈妈 (a person of the caller's reach) with a current recipient in reach
    (`interval_days`: 7, 14, 30, 60 or 90)."""
    data = payload.dict()
    form = PairingForm(data={"recipient": data["recipient_id"], "mentor": data["mentor_id"],
                             "started_on": data["started_on"] or timezone.localdate(),
                             "interval_days": data["interval_days"], "note": data["note"]}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    pairing = services.care_pairing_create(
        actor=request.user, recipient=form.cleaned_data["recipient"], mentor=form.cleaned_data["mentor"],
        started_on=form.cleaned_data["started_on"], interval_days=form.cleaned_data["interval_days"],
        note=form.cleaned_data["note"])
    found = selectors.pairing_get(user=request.user, pairing_id=pairing.pk)
    return Status(201, selectors.with_recipients(request.user, [found])[0])


class VisitOut(Schema):
    id: int
    pairing_id: int
    date: date
    content: str
    has_photo: bool

    @staticmethod
    def resolve_has_photo(obj: PairingMeeting) -> bool:
        return obj.photo_id is not None


class VisitIn(Schema):
    date: date
    content: str


@router.post("/care/pairings/{pairing_id}/visits", response={201: VisitOut})
@requires("support.manage_pairing", objects={"pairing_id": CarePairing})
def visit_create(request: AuthedRequest, pairing_id: int, payload: VisitIn) -> Status:
    """Log a visit of an open pairing (the photo is added on the page, from a phone)."""
    pairing = selectors.pairing_get(user=request.user, pairing_id=pairing_id)
    (pairing,) = selectors.with_recipients(request.user, [pairing])
    if not pairing.shown:  # type: ignore[attr-defined]
        raise HttpError(403, _("没有权限执行此操作。"))
    form = VisitForm(data={"date": payload.date, "content": payload.content})
    if not form.is_valid():
        raise form_invalid(form)
    visit = services.visit_add(actor=request.user, pairing=pairing, day=form.cleaned_data["date"],
                               content=form.cleaned_data["content"])
    return Status(201, visit)
