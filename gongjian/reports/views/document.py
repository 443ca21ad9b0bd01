"""Staff pages of documents (/work/reports/documents/): the list, a new draft from records, the
structured editor, the preview, issuing (签发) with a confirmation step, the history of versions,
.docx and PDF of any version, and the organisation's 代字."""

from __future__ import annotations

import copy
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, documents
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from .. import layout
from ..drafts import cn_date
from ..forms.document import (
    AHEAD,
    IssuingCodeForm,
    NewDocumentForm,
    apply_move,
    content_from_post,
    default_period,
)
from ..models import Document, DocumentState, DocumentVersion
from ..selectors import document as selectors
from ..services import document as services


def letterhead(document: Document, version: DocumentVersion) -> layout.Letterhead:
    """What the layout adds around a version: the issuer's mark, its 发文字号 and 版记 once issued;
    a draft is marked as one."""
    issued = version.is_issued and version.issued_at is not None
    return layout.Letterhead(
        issuer=document.organization.name, number=version.number, printer=document.organization.name,
        printed_on=cn_date(timezone.localdate(version.issued_at)) if issued and version.issued_at else "",
        draft=not issued)


def _preview_context(document: Document, version: DocumentVersion) -> dict[str, object]:
    content = documents.Content.from_dict(version.content)
    return {"document": document, "version": version, "content": content, "head": letterhead(document, version),
            "quoted": [q for section in content.sections for q in section.figures]}


@staff_view("reports.view_document")
def document_list(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    rows = selectors.document_list_visible_to(user=request.user, kind=kind, state=state)
    return render(request, "reports/document/list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=20),
        "kinds": documents.Kind.choices, "states": DocumentState.choices,
        "kind": kind if kind in documents.Kind.values else "", "state": state if state in DocumentState.values else "",
        "can_draft": can(request.user, "reports.draft_document"),
        "can_set_code": can(request.user, "reports.set_issuing_code")})


@staff_view("reports.draft_document")
def document_new(request: AuthedRequest) -> HttpResponse:
    form = NewDocumentForm(request.POST or None, user=request.user)
    if not request.POST and request.GET.get("kind") in documents.Kind.values:
        start, end = default_period(request.GET["kind"])
        form.initial.update(kind=request.GET["kind"], period_from=start, period_to=end)
    organization = access.acting_organization_required(request.user)
    done = run_service(request, form, lambda: services.document_draft(
        actor=request.user, kind=form.cleaned_data["kind"], organization=organization,
        start=form.cleaned_data["period_from"], end=form.cleaned_data["period_to"],
        campaign_id=form.cleaned_data.get("campaign_id")),
        _("草稿已生成。请逐节修改，写完后预览、印发。"),
        then=lambda made: redirect("reports:document-edit", made.pk))
    return done or render(request, "reports/document/new.html", {
        "form": form, "organization": organization,
        "year_period": default_period(str(documents.Kind.SITUATION_REPORT)),
        "ahead_period": default_period(str(documents.Kind.NOTICE)),
        "ahead_kinds": " ".join(str(k) for k in AHEAD)},
        status=400 if form.is_bound and form.errors else 200)


@staff_view("reports.view_document", objects={"pk": Document})
def document_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    version = selectors.version_of(document)
    return render(request, "reports/document/detail.html", {
        **_preview_context(document, version), "is_current": True,
        "can_edit": can(request.user, "reports.draft_document", document),
        "can_issue": can(request.user, "reports.issue_document", document) and not version.is_issued})


@staff_view("reports.draft_document", objects={"pk": Document})
def document_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    if not can(request.user, "reports.draft_document", document):
        raise PermissionDenied("reports.draft_document")
    version = selectors.version_of(document)
    stored = documents.Content.from_dict(version.content)
    content = stored
    errors: list[str] = []
    if request.method == "POST":
        try:
            content = content_from_post(request.POST, stored)
        except ValidationError as exc:
            errors = exc.messages
        else:
            op = request.POST.get("op", "")
            try:
                saved = services.document_edit(actor=request.user, document=document,
                                               content=apply_move(copy.deepcopy(content), op))
            except ValidationError as exc:
                errors = exc.messages
            else:
                if op:
                    anchor = op.partition("-")[2]
                    return redirect(f"{reverse('reports:document-edit', args=[pk])}#s-{anchor}")
                messages.success(request, _("已保存（第%(n)d版）。") % {"n": saved.n} if saved.n == version.n
                                 else _("已保存为新的第%(n)d版草稿；已印发的版本保持不变。") % {"n": saved.n})
                target = "reports:document-detail" if request.POST.get("then") == "preview" else "reports:document-edit"
                return redirect(target, pk)
    posted = content is not stored  # shown again as posted: each section names its origin
    rows = []
    for i, section in enumerate(content.sections):
        text = "\n".join(p for p in section.paragraphs if p)
        rows.append({"i": i, "section": section, "text": text, "height": _rows_for(text),
                     "origin": request.POST.get(f"s-{i}-from", "") if posted else str(i)})
    return render(request, "reports/document/edit.html", {
        "document": document, "version": version, "content": content, "errors": errors, "rows": rows,
        "annexes": "\n".join(content.annexes)}, status=400 if errors else 200)


def _rows_for(text: str) -> int:
    """A textarea tall enough for its text on a phone (about 16 characters a line), 4 to 18 lines."""
    lines = sum(max(1, -(-len(line) // 16)) for line in text.split("\n")) if text else 0
    return max(4, min(18, lines + 1))


@staff_view("reports.issue_document", objects={"pk": Document})
def document_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    if not can(request.user, "reports.issue_document", document):
        raise PermissionDenied("reports.issue_document")
    version = selectors.version_of(document)
    if version.is_issued and request.method != "POST":
        messages.info(request, _("这一版已经印发（%(number)s）。") % {"number": version.number})
        return redirect("reports:document-detail", pk)
    if request.method == "POST":
        try:
            issued = services.document_issue(actor=request.user, document=document)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已印发，发文字号：%(number)s。") % {"number": issued.number})
            return redirect("reports:document-detail", pk)
    context = _preview_context(document, version)
    return render(request, "reports/document/issue.html", {
        **context, "next_code": services.issuing_code_of(document.organization),
        "missing": services.unwritten(documents.Content.from_dict(version.content))})


@staff_view("reports.view_document", objects={"pk": Document})
def document_versions(request: AuthedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    return render(request, "reports/document/versions.html", {
        "document": document, "versions": selectors.versions_of(document)})


@staff_view("reports.view_document", objects={"pk": Document, "n": None})
def version_detail(request: AuthedRequest, pk: int, n: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    version = selectors.version_of(document, n)
    return render(request, "reports/document/detail.html", {
        **_preview_context(document, version), "is_current": version.pk == selectors.version_of(document).pk,
        "can_edit": False, "can_issue": False})


def filename(document: Document, version: DocumentVersion, extension: str) -> str:
    marker = version.number or _("草稿第%(n)d版") % {"n": version.n}
    name = f"{document.title}（{marker}）.{extension}"
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|\r\n')


def attachment(data: bytes, content_type: str, name: str, fallback: str) -> HttpResponse:
    """The file with its Chinese name (RFC 5987 `filename*`) and an ASCII name for old clients."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_file(document: Document, version: DocumentVersion, fmt: str) -> HttpResponse:
    """The .docx or PDF of a version; a PDF LibreOffice cannot make is a Chinese 503 page."""
    content = documents.Content.from_dict(version.content)
    head = letterhead(document, version)
    fallback = f"document-{document.pk}-v{version.n}.{fmt}"
    if fmt == "docx":
        return attachment(layout.docx(content, head), DOCX_TYPE, filename(document, version, "docx"), fallback)
    return attachment(layout.pdf(content, head), "application/pdf", filename(document, version, "pdf"), fallback)


@staff_view("reports.view_document", objects={"pk": Document, "n": None})
def version_download(request: AuthedRequest, pk: int, n: int, fmt: str) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    version = selectors.version_of(document, n)
    try:
        return render_file(document, version, fmt)
    except layout.LayoutError:
        return render(request, "reports/document/pdf_unavailable.html", {"document": document, "version": version},
                      status=503)


@staff_view("reports.set_issuing_code")
def issuing_code(request: AuthedRequest) -> HttpResponse:
    organization = access.acting_organization_required(request.user)
    current = services.issuing_code_of(organization)
    form = IssuingCodeForm(request.POST or None, initial={"code": current})
    done = run_service(request, form, lambda: services.issuing_code_set(
        actor=request.user, organization=organization, code=form.cleaned_data["code"]),
        _("发文代字已保存，此后印发的公文使用新的代字。"), then=lambda _found: redirect("reports:document-list"))
    return done or render(request, "reports/document/code.html", {
        "form": form, "organization": organization, "current": current,
        "example": services.format_number(current, timezone.localdate().year, 1)},
        status=400 if form.is_bound and form.errors else 200)


urlpatterns = [
    path("documents/", document_list, name="document-list"),
    path("documents/new/", document_new, name="document-new"),
    path("documents/code/", issuing_code, name="document-code"),
    path("documents/<int:pk>/", document_detail, name="document-detail"),
    path("documents/<int:pk>/edit/", document_edit, name="document-edit"),
    path("documents/<int:pk>/issue/", document_issue, name="document-issue"),
    path("documents/<int:pk>/versions/", document_versions, name="document-versions"),
    path("documents/<int:pk>/versions/<int:n>/", version_detail, name="document-version"),
    path("documents/<int:pk>/versions/<int:n>/docx/", version_download, {"fmt": "docx"}, name="document-docx"),
    path("documents/<int:pk>/versions/<int:n>/pdf/", version_download, {"fmt": "pdf"}, name="document-pdf"),
]
