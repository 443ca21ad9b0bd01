"""Staff pages of 学习教育 (/work/campaigns/study/): documents to study, 学习心得 written on a
phone, and the note counts per organisation below."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from gongjian.kernel import access
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.study import StudyDocumentForm, StudyNoteForm
from ..models import StudyDocument, StudyNote
from ..selectors import study as selectors
from ..services import study as services


@staff_view("campaigns.view_study", handles_pii=True)
def study_home(request: AuthedRequest) -> HttpResponse:
    """Documents to study (issued to her and by her) and the latest notes of her subtree."""
    org = access.acting_organization_required(request.user)
    documents = paginate(selectors.document_list_visible_to(user=request.user), page=request.GET.get("page"))
    notes = selectors.note_list_visible_to(user=request.user)[:10]
    return render(request, "campaigns/study/home.html", {
        "org": org, "documents": documents, "notes": notes,
        "may_issue": can(request.user, "campaigns.issue_study_document"),
        "may_write": can(request.user, "campaigns.write_study_note")})


@staff_view("campaigns.issue_study_document")
def document_create(request: AuthedRequest) -> HttpResponse:
    form = StudyDocumentForm(request.POST or None, request.FILES or None, user=request.user)
    done = run_service(request, form, lambda: services.document_issue(
        actor=request.user, data=form.cleaned_data, upload=form.cleaned_data.get("attachment")),
        _("学习文件已印发。"))
    return done or render(request, "campaigns/study/document_form.html", {"form": form},
                          status=400 if form.is_bound else 200)


@staff_view("campaigns.view_study", handles_pii=True, objects={"pk": StudyDocument})
def document_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    notes = selectors.note_list_visible_to(user=request.user, document=document)
    return render(request, "campaigns/study/document_detail.html", {
        "document": document, "notes": notes[:50], "note_total": notes.count(),
        "may_write": can(request.user, "campaigns.write_study_note")})


@staff_view("campaigns.view_study", objects={"pk": StudyDocument})
def document_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    if document.attachment is None:
        raise Http404
    return file_response(request, document.attachment)


@staff_view("campaigns.write_study_note", handles_pii=True, objects={"document": StudyDocument})
def note_create(request: AuthedRequest) -> HttpResponse:
    """The phone page: a cadre writes a 学习心得 (on a document, or of her own choosing)."""
    raw = request.GET.get("document")
    document = selectors.document_get_for_user(user=request.user, document_id=raw) if raw else None
    form = StudyNoteForm(request.POST or None, user=request.user, document=document)
    done = run_service(request, form, lambda: services.note_write(
        actor=request.user, author=form.cleaned_data["author"], data=form.cleaned_data), _("学习心得已保存。"))
    return done or render(request, "campaigns/study/note_form.html", {"form": form, "document": document},
                          status=400 if form.is_bound else 200)


@staff_view("campaigns.view_study", handles_pii=True, objects={"org": Organization})
def note_list(request: AuthedRequest) -> HttpResponse:
    """The notes of one organisation's subtree (her own by default), newest first."""
    org = selectors.organization_for_user(user=request.user, organization_id=request.GET.get("org"))
    start, end = selectors.period(request.GET.get("from"), request.GET.get("to"))
    notes = selectors.note_list_visible_to(user=request.user, organization=org, start=start, end=end)
    return render(request, "campaigns/study/note_list.html", {
        "org": org, "start": start, "end": end, "page": paginate(notes, page=request.GET.get("page"), per_page=30),
        "may_write": can(request.user, "campaigns.write_study_note")})


@staff_view("campaigns.view_study", handles_pii=True, objects={"pk": StudyNote})
def note_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, note_id=pk)
    return render(request, "campaigns/study/note_detail.html", {"note": note})


@staff_view("campaigns.view_study", objects={"org": Organization})
def note_counts(request: AuthedRequest) -> HttpResponse:
    """学习心得 per organisation below the county or township, for a period."""
    org = selectors.organization_for_user(user=request.user, organization_id=request.GET.get("org"))
    start, end = selectors.period(request.GET.get("from"), request.GET.get("to"))
    total, rows = selectors.count_board(organization=org, start=start, end=end)
    parent = selectors.parent_in_reach(user=request.user, organization=org)
    return render(request, "campaigns/study/counts.html", {
        "org": org, "total": total, "rows": rows, "start": start, "end": end, "parent": parent,
        "written": sum(1 for row in rows if row.notes)})


# Mounted at /work/campaigns/study/ by the app's urls.py (names in the "campaigns" namespace).
urlpatterns = [
    path("", study_home, name="study-home"),
    path("documents/new/", document_create, name="study-document-create"),
    path("documents/<int:pk>/", document_detail, name="study-document-detail"),
    path("documents/<int:pk>/file/", document_file, name="study-document-file"),
    path("notes/", note_list, name="study-note-list"),
    path("notes/new/", note_create, name="study-note-create"),
    path("notes/<int:pk>/", note_detail, name="study-note-detail"),
    path("counts/", note_counts, name="study-counts"),
]
