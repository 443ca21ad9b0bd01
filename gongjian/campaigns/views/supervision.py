"""Staff pages of 督查指导 (/work/campaigns/supervision/): visits and their follow-ups (answered on
a phone by the visited organisation, confirmed by the visitor), meetings and research reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import access
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.supervision import (
    AnswerForm,
    FollowUpForm,
    MeetingForm,
    ReportForm,
    ReturnForm,
    VisitForm,
)
from ..models import FollowUp, Meeting, ResearchReport, SupervisionVisit
from ..selectors import supervision as selectors
from ..services import supervision as services


@staff_view("campaigns.view_supervision")
def supervision_home(request: AuthedRequest) -> HttpResponse:
    """What her organisation must answer or confirm, then the visits, meetings and reports in reach."""
    user = request.user
    org = access.acting_organization_required(user)
    return render(request, "campaigns/supervision/home.html", {
        "org": org,
        "to_answer": list(selectors.followups_for_organization(user=user, organization=org)[:50]),
        "to_confirm": list(selectors.followups_to_confirm(user=user, organization=org)[:50]),
        "visits": paginate(selectors.visit_list_visible_to(user=user), page=request.GET.get("page")),
        "meetings": list(selectors.meeting_list_visible_to(user=user)[:10]),
        "reports": list(selectors.report_list_visible_to(user=user)[:10]),
        "may_visit": can(user, "campaigns.record_visit"), "may_meet": can(user, "campaigns.record_meeting"),
        "may_report": can(user, "campaigns.write_report")})


@staff_view("campaigns.record_visit")
def visit_create(request: AuthedRequest) -> HttpResponse:
    form = VisitForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.visit_record(
        actor=request.user, visited=form.cleaned_data["visited"], data=form.cleaned_data),
        _("督查指导已记录，请添加整改事项。"))
    return done or render(request, "campaigns/supervision/visit_form.html", {"form": form},
                          status=400 if form.is_bound else 200)


@staff_view("campaigns.view_supervision", objects={"pk": SupervisionVisit})
def visit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
    may_add = can(request.user, "campaigns.record_visit", visit)
    return render(request, "campaigns/supervision/visit_detail.html", {
        "visit": visit, "followups": list(visit.followups.all()), "may_add": may_add,
        "form": FollowUpForm() if may_add else None})


@require_POST
@staff_view("campaigns.record_visit", objects={"pk": SupervisionVisit})
def followup_add(request: AuthedRequest, pk: int) -> HttpResponseBase:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
    run_posted(request, FollowUpForm(request.POST), lambda data: services.followup_add(
        actor=request.user, visit=visit, item=data["item"], due_on=data["due_on"]), _("整改事项已添加。"))
    return redirect(visit)


@staff_view("campaigns.view_supervision", objects={"pk": FollowUp})
def followup_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The phone page of one follow-up: the visited organisation answers, the visitor confirms."""
    followup = selectors.followup_get_for_user(user=request.user, followup_id=pk)
    return render(request, "campaigns/supervision/followup_detail.html", {
        "followup": followup, "visit": followup.visit,
        "may_answer": can(request.user, "campaigns.answer_followup", followup),
        "may_confirm": can(request.user, "campaigns.confirm_followup", followup),
        "answer_form": AnswerForm(), "return_form": ReturnForm()})


@require_POST
@staff_view("campaigns.answer_followup", objects={"pk": FollowUp})
def followup_answer(request: AuthedRequest, pk: int) -> HttpResponseBase:
    followup = selectors.followup_get_for_user(user=request.user, followup_id=pk)
    run_posted(request, AnswerForm(request.POST), lambda data: services.followup_answer(
        actor=request.user, followup=followup, answer=data["answer"]), _("整改情况已反馈。"))
    return redirect(followup)


@require_POST
@staff_view("campaigns.confirm_followup", objects={"pk": FollowUp})
def followup_confirm(request: AuthedRequest, pk: int) -> HttpResponseBase:
    followup = selectors.followup_get_for_user(user=request.user, followup_id=pk)
    try:
        services.followup_confirm(actor=request.user, followup=followup)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已确认整改完成。"))
    return redirect(followup)


@require_POST
@staff_view("campaigns.confirm_followup", objects={"pk": FollowUp})
def followup_return(request: AuthedRequest, pk: int) -> HttpResponseBase:
    followup = selectors.followup_get_for_user(user=request.user, followup_id=pk)
    run_posted(request, ReturnForm(request.POST), lambda data: services.followup_return(
        actor=request.user, followup=followup, reason=data["reason"]), _("已退回，请对方重新反馈。"))
    return redirect(followup)


@staff_view("campaigns.record_meeting", handles_pii=True)
def meeting_create(request: AuthedRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.meeting_record(
        actor=request.user, data=form.cleaned_data, attendees=list(form.cleaned_data["attendees"])),
        _("会议记录已保存。"))
    return done or render(request, "campaigns/supervision/meeting_form.html", {"form": form},
                          status=400 if form.is_bound else 200)


@staff_view("campaigns.view_supervision", handles_pii=True, objects={"pk": Meeting})
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    return render(request, "campaigns/supervision/meeting_detail.html", {
        "meeting": meeting, "attendees": list(meeting.attendees.select_related("organization"))},)


@staff_view("campaigns.write_report")
def report_create(request: AuthedRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    done = run_service(request, form, lambda: services.report_write(
        actor=request.user, data=form.cleaned_data, upload=form.cleaned_data.get("attachment")),
        _("调研报告已保存。"))
    return done or render(request, "campaigns/supervision/report_form.html", {"form": form},
                          status=400 if form.is_bound else 200)


@staff_view("campaigns.view_supervision", objects={"pk": ResearchReport})
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    return render(request, "campaigns/supervision/report_detail.html", {"report": report})


@staff_view("campaigns.view_supervision", objects={"pk": ResearchReport})
def report_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    report = selectors.report_get_for_user(user=request.user, report_id=pk)
    if report.attachment is None:
        raise Http404
    return file_response(request, report.attachment)


# Mounted at /work/campaigns/supervision/ by the app's urls.py (names in the "campaigns" namespace).
urlpatterns = [
    path("", supervision_home, name="supervision-home"),
    path("visits/new/", visit_create, name="visit-create"),
    path("visits/<int:pk>/", visit_detail, name="visit-detail"),
    path("visits/<int:pk>/followups/", followup_add, name="followup-add"),
    path("followups/<int:pk>/", followup_detail, name="followup-detail"),
    path("followups/<int:pk>/answer/", followup_answer, name="followup-answer"),
    path("followups/<int:pk>/confirm/", followup_confirm, name="followup-confirm"),
    path("followups/<int:pk>/return/", followup_return, name="followup-return"),
    path("meetings/new/", meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting-detail"),
    path("reports/new/", report_create, name="report-create"),
    path("reports/<int:pk>/", report_detail, name="report-detail"),
    path("reports/<int:pk>/file/", report_file, name="report-file"),
]
