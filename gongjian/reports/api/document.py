"""API of documents (公文), a contract (issue 14): GET/POST /api/v1/documents, GET/PUT
/api/v1/documents/{id}, POST /api/v1/documents/{id}/issue, GET /api/v1/documents/{id}/docx and
/pdf. Same reach, rules, services and Chinese errors as the pages."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongjian.kernel import access
from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice
from gongjian.kernel.documents import Content, Kind
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import clamp_int, paginate

from .. import layout
from ..forms.document import default_period
from ..models import Document, DocumentState
from ..selectors import document as selectors
from ..services import document as services
from ..views.document import render_file

router = Router(auth=token_auth)


class DocumentSummaryOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: Choice[Kind]
    kind_label: str
    title: str
    period_from: date
    period_to: date
    campaign_id: int | None
    state: Choice[DocumentState]
    number: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organization_name(obj: Document) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: Document) -> str:
        return str(obj.get_kind_display())


class VersionOut(Schema):
    n: int
    state: Choice[DocumentState]
    number: str
    issued_at: datetime | None
    content_sha256: str
    content: dict[str, Any]


class DocumentOut(DocumentSummaryOut):
    version: VersionOut


def _with_version(document: Document) -> Document:
    """The document with its current version attached, for `DocumentOut`."""
    document.version = selectors.version_of(document)
    return document


@router.get("/documents", response=list[DocumentSummaryOut])
@requires("reports.view_document")
def document_list(request: AuthedRequest, kind: OptionalChoice[Kind] = None,
                  state: OptionalChoice[DocumentState] = None, page: int = 1,
                  per_page: int = 20) -> list[Document]:
    """Documents of the caller's subtree, newest change first (one kind, one state)."""
    rows = selectors.document_list_visible_to(user=request.user, kind=kind or "", state=state or "")
    return paginate(rows, page=page, per_page=clamp_int(per_page, 20, 1, 100)).rows


class DocumentIn(Schema):
    kind: Choice[Kind]
    organization_id: int
    period_from: date | None = None
    period_to: date | None = None
    campaign_id: int | None = None


@router.post("/documents", response={201: DocumentOut})
@requires("reports.draft_document", objects={"organization_id": Organization})
def document_create(request: AuthedRequest, payload: DocumentIn) -> Status:
    """Draft a document of the caller's own organisation from the records (version 1); the
    period defaults to this year (to the next five days for a 通知 or 公示)."""
    organization = access.get(request.user, Organization.objects.all(), payload.organization_id)
    start, end = default_period(str(payload.kind))
    document = services.document_draft(actor=request.user, kind=str(payload.kind), organization=organization,
                                       start=payload.period_from or start, end=payload.period_to or end,
                                       campaign_id=payload.campaign_id)
    return Status(201, _with_version(document))


@router.get("/documents/{document_id}", response=DocumentOut)
@requires("reports.view_document", objects={"document_id": Document})
def document_get(request: AuthedRequest, document_id: int) -> Document:
    """One document with its current version's content."""
    return _with_version(selectors.document_get_for_user(user=request.user, document_id=document_id))


class ContentIn(Schema):
    content: dict[str, Any]


@router.put("/documents/{document_id}", response=DocumentOut)
@requires("reports.draft_document", objects={"document_id": Document})
def document_replace(request: AuthedRequest, document_id: int, payload: ContentIn) -> Document:
    """Replace the draft's content (`Content.to_dict()` shape); an issued version stays as it was
    and the content becomes a new draft version."""
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    try:
        content = Content.from_dict(payload.content)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError({"content": _("内容的结构不对：应为 title、sections（heading、paragraphs …）等字段。")}) \
            from exc
    services.document_edit(actor=request.user, document=document, content=content)
    return _with_version(document)


@router.post("/documents/{document_id}/issue", response=DocumentOut)
@requires("reports.issue_document", objects={"document_id": Document})
def document_issue(request: AuthedRequest, document_id: int) -> Document:
    """Issue the current draft: frozen, numbered with the organisation's next 发文字号."""
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    services.document_issue(actor=request.user, document=document)
    return _with_version(selectors.document_get_for_user(user=request.user, document_id=document_id))


def _file(request: AuthedRequest, document_id: int, fmt: str, version: int | None) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=document_id)
    try:
        return render_file(document, selectors.version_of(document, version), fmt)
    except layout.LayoutError as exc:
        raise HttpError(503, _("PDF 暂时无法生成，请稍后再试或下载 Word 版。")) from exc


@router.get("/documents/{document_id}/docx")
@requires("reports.view_document", objects={"document_id": Document, "version": None})
def document_docx(request: AuthedRequest, document_id: int, version: int | None = None) -> HttpResponse:
    """The .docx of the current version (or of `version`) in the GB/T 9704 layout."""
    return _file(request, document_id, "docx", version)


@router.get("/documents/{document_id}/pdf")
@requires("reports.view_document", objects={"document_id": Document, "version": None})
def document_pdf(request: AuthedRequest, document_id: int, version: int | None = None) -> HttpResponse:
    """The PDF of the current version (or of `version`); 503 when it cannot be made right now."""
    return _file(request, document_id, "pdf", version)
