"""Staff pages (工作台 › 党务公开): thin views that parse, call one selector or service, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import access, attachments
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import add_service_errors, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization, StoredFile, User
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import clamp_int, paginate

from . import selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    DisclosureForm,
    FollowUpForm,
    InspectionForm,
    MeetingForm,
    RectifyForm,
    ReviewForm,
    WithdrawForm,
)
from .models import Disclosure, Inspection, Suggestion
from .workflow import EDITABLE, State


def _acting_org(request: AuthedRequest) -> Organization:
    return access.acting_organization_required(request.user)


@staff_view("disclosure.view_disclosure", objects={"org": Organization})
def disclosure_list(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    items = selectors.disclosure_list_visible_to(user=request.user, state=state,
                                                 organization_id=request.GET.get("org") or None,
                                                 q=request.GET.get("q", ""))
    page = paginate(items, page=request.GET.get("page"), per_page=20)
    return render(request, "disclosure/list.html", {
        "page": page, "state": state, "states": State.choices, "q": request.GET.get("q", "")[:50],
        "review_queue": list(selectors.review_queue_for(user=request.user)[:50]),
        "can_add": can(request.user, "disclosure.add_disclosure", _acting_org(request)),
    })


@staff_view("disclosure.add_disclosure")
def disclosure_create(request: AuthedRequest) -> HttpResponse:
    form = DisclosureForm(request.POST or None, request.FILES or None)
    done = run_service(request, form, lambda: services.disclosure_create(
        actor=request.user, organization=_acting_org(request), data=form.data_for_service(),
        files=form.cleaned_data.get("attachments") or []), _("已保存草稿。"))
    if done:
        return done
    return render(request, "disclosure/form.html", {"form": form, "creating": True},
                  status=400 if form.errors else 200)


@staff_view("disclosure.view_disclosure", objects={"pk": Disclosure})
def disclosure_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.disclosure_get_for_user(user=request.user, disclosure_id=pk)
    versions = selectors.versions_of(disclosure=item)
    diff = selectors.version_diff(versions[-2], versions[-1]) if len(versions) > 1 else None
    user = request.user
    return render(request, "disclosure/detail.html", {
        "item": item, "versions": versions, "diff": diff,
        "meeting": getattr(item, "meeting", None) if hasattr(item, "meeting") else None,
        "files": item.attachments.all(),
        "suggestions": item.suggestions.order_by("-created_at")[:20],
        "rectifications": item.rectifications.order_by("-opened_at")[:20],
        "can_edit": item.state in EDITABLE and can(user, "disclosure.change_disclosure", item),
        "can_submit": item.state in (State.DRAFT, State.RETURNED, State.REVISED)
        and can(user, "disclosure.submit_disclosure", item),
        "can_review": item.state == State.SUBMITTED and can(user, "disclosure.review_disclosure", item),
        "is_own_submission": item.submitted_by_id == user.pk,
        "can_publish": item.state == State.APPROVED and can(user, "disclosure.publish_disclosure", item),
        "can_withdraw": item.current_version_id is not None and item.state != State.WITHDRAWN
        and can(user, "disclosure.withdraw_disclosure", item),
        "can_rectify": item.state == State.PUBLISHED and can(user, "disclosure.require_rectification", item),
        "review_form": ReviewForm(), "withdraw_form": WithdrawForm(), "rectify_form": RectifyForm(),
    })


@staff_view("disclosure.change_disclosure", objects={"pk": Disclosure})
def disclosure_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.disclosure_get_for_user(user=request.user, disclosure_id=pk)
    if not can(request.user, "disclosure.change_disclosure", item):
        raise PermissionDenied
    initial = {f: getattr(item, f) for f in services.FIELDS}
    form = DisclosureForm(request.POST or None, request.FILES or None, initial=initial)
    done = run_service(request, form, lambda: services.disclosure_update(
        actor=request.user, disclosure=item, data=form.data_for_service(),
        files=form.cleaned_data.get("attachments") or [], remove_files=request.POST.getlist("remove_file")),
        _("已保存。"), then=lambda _: redirect(item))
    if done:
        return done
    return render(request, "disclosure/form.html", {"form": form, "item": item, "files": item.attachments.all()},
                  status=400 if form.errors else 200)


@staff_view("disclosure.change_disclosure", objects={"pk": Disclosure})
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.disclosure_get_for_user(user=request.user, disclosure_id=pk)
    if not can(request.user, "disclosure.change_disclosure", item):
        raise PermissionDenied
    existing = getattr(item, "meeting", None) if hasattr(item, "meeting") else None
    initial = {} if existing is None else {
        "held_on": existing.held_on, "members_expected": existing.members_expected,
        "members_present": existing.members_present, "resolution": existing.resolution}
    form = MeetingForm(request.POST or None, request.FILES or None, initial=initial)
    done = run_service(request, form, lambda: services.meeting_record_set(
        actor=request.user, disclosure=item, minutes=form.cleaned_data.get("minutes"),
        **{k: form.cleaned_data[k] for k in ("held_on", "members_expected", "members_present", "resolution")}),
        _("已保存党员大会记录。"), then=lambda _: redirect(item))
    if done:
        return done
    return render(request, "disclosure/meeting.html", {"form": form, "item": item, "existing": existing},
                  status=400 if form.errors else 200)


ACTIONS = ("submit", "approve", "return", "publish", "withdraw", "rectify")


@staff_view("disclosure.view_disclosure", objects={"pk": Disclosure, "action": None})
@require_POST
def disclosure_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.disclosure_get_for_user(user=request.user, disclosure_id=pk)
    actor = request.user
    post = request.POST
    try:
        if action == "submit":
            services.disclosure_submit(actor=actor, disclosure=item)
            done = _("已报上级党组织审核。")
        elif action == "approve":
            services.disclosure_approve(actor=actor, disclosure=item, comment=post.get("comment", ""))
            done = _("已审核备案。")
        elif action == "return":
            services.disclosure_return(actor=actor, disclosure=item, comment=post.get("comment", ""))
            done = _("已退回修改。")
        elif action == "publish":
            version = services.disclosure_publish(actor=actor, disclosure=item)
            done = _("已公开第%(n)s版，已记入发布记录。") % {"n": version.number}
        elif action == "withdraw":
            services.disclosure_withdraw(actor=actor, disclosure=item, reason=post.get("reason", ""))
            done = _("已撤回，撤回记录已公开。")
        elif action == "rectify":
            deadline = _date(post.get("deadline"))
            services.disclosure_require_rectification(actor=actor, disclosure=item,
                                                      description=post.get("description", ""), deadline=deadline)
            done = _("已转入整改。")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(item)


def _date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        raise ValidationError(_("日期格式不正确。")) from None


@staff_view("disclosure.view_disclosure", objects={"pk": Disclosure, "file_id": StoredFile})
def disclosure_attachment(request: AuthedRequest, pk: int, file_id: int) -> FileResponse:
    item = selectors.disclosure_get_for_user(user=request.user, disclosure_id=pk)
    stored = selectors.attachment_get_for_user(user=request.user, disclosure=item, file_id=file_id)
    return attachments.file_response(request, stored)


# ----------------------------------------------------------------------------- suggestions


@staff_view("disclosure.view_suggestion")
def suggestion_list(request: AuthedRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    rows = selectors.suggestion_list_visible_to(user=request.user, status=status, overdue=overdue)
    return render(request, "disclosure/suggestion_list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=20), "overdue": overdue,
        "status": status, "statuses": Suggestion.Status.choices, "today": timezone.localdate()})


def _assignee_choices(suggestion: Suggestion) -> list[tuple[Any, str]]:
    today = timezone.localdate()
    users = (User.objects.filter(person__positions__organization=suggestion.organization,
                                 person__positions__start_date__lte=today, is_active=True)
             .select_related("person").distinct().order_by("username"))
    return [(u.pk, u.display_name()) for u in users]


@staff_view("disclosure.view_suggestion", objects={"pk": Suggestion})
def suggestion_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_for_user(user=request.user, suggestion_id=pk)
    assign_form = AssignForm(choices=_assignee_choices(suggestion))
    answer_form = AnswerForm()
    status = 200
    if request.method == "POST":
        actor = request.user
        if request.POST.get("action") == "assign":
            assign_form = AssignForm(request.POST, choices=_assignee_choices(suggestion))
            if assign_form.is_valid():
                try:
                    assignee = User.objects.get(pk=assign_form.cleaned_data["assignee"])
                    services.suggestion_assign(actor=actor, suggestion=suggestion, assignee=assignee)
                except (ValidationError, User.DoesNotExist) as exc:
                    add_service_errors(assign_form, exc if isinstance(exc, ValidationError)
                                       else ValidationError(_("承办人不存在。")))
                else:
                    messages.success(request, _("已分派。"))
                    return redirect(suggestion)
        else:
            answer_form = AnswerForm(request.POST)
            if answer_form.is_valid():
                data = answer_form.cleaned_data
                try:
                    services.suggestion_answer(actor=actor, suggestion=suggestion, reply=data["reply"],
                                               public=data["public"], needs_rectification=data["needs_rectification"],
                                               rectification_deadline=data.get("rectification_deadline"))
                except ValidationError as exc:
                    add_service_errors(answer_form, exc)
                else:
                    messages.success(request, _("已答复。"))
                    return redirect(suggestion)
        status = 400
    return render(request, "disclosure/suggestion_detail.html", {
        "s": suggestion, "assign_form": assign_form, "answer_form": answer_form,
        "can_answer": can(request.user, "disclosure.answer_suggestion", suggestion),
        "today": timezone.localdate()}, status=status)


# ------------------------------------------------------------------------------- calendar


@staff_view("disclosure.view_calendar", objects={"org": Organization})
def calendar(request: AuthedRequest) -> HttpResponse:
    orgs = selectors.organizations_for_user(user=request.user).order_by("path")
    first = orgs.first()
    org_id = request.GET.get("org") or (first.pk if first is not None else None)
    org = selectors.organization_get_for_user(user=request.user, organization_id=org_id)
    return render(request, "disclosure/calendar.html", {
        "org": org, "orgs": orgs.order_by("path"), "groups": selectors.calendar_for(user=request.user, organization=org)})


@staff_view("disclosure.view_calendar")
def rollup(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    year = clamp_int(request.GET.get("year"), today.year, 2000, 2100)
    by = "quarter" if request.GET.get("by") == "quarter" else "month"
    buckets, rows = selectors.rollup_for(user=request.user, year=year, by=by)
    return render(request, "disclosure/rollup.html", {"buckets": buckets, "rows": rows, "year": year, "by": by})


# ----------------------------------------------------------------------------- inspections


@staff_view("disclosure.view_inspection")
def inspection_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.inspection_list_visible_to(user=request.user)
    return render(request, "disclosure/inspection_list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=20),
        "can_add": can(request.user, "disclosure.add_inspection")})


@staff_view("disclosure.add_inspection")
def inspection_create(request: AuthedRequest) -> HttpResponse:
    orgs = list(selectors.organizations_for_user(user=request.user).order_by("path"))
    choices = [(o.pk, o.name) for o in orgs]
    form = InspectionForm(request.POST or None, organizations=choices,
                          initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        org = next((o for o in orgs if str(o.pk) == form.cleaned_data["organization"]), None)
        if org is None:
            raise Http404
        items = list(Disclosure.objects.filter(organization=org, pk__in=[
            v for v in request.POST.getlist("rectify") if v.isdigit()], state=State.PUBLISHED))
        try:
            inspection = services.inspection_create(actor=request.user, organization=org,
                                                    data=form.cleaned_data, rectify=items)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录督查结果。"))
            return redirect(inspection)
    return render(request, "disclosure/inspection_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_view("disclosure.view_inspection", objects={"pk": Inspection})
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get_for_user(user=request.user, inspection_id=pk)
    form = FollowUpForm(request.POST or None)
    done = run_service(request, form, lambda: services.inspection_follow_up(
        actor=request.user, inspection=inspection,
        note=form.cleaned_data["note"], closes=form.cleaned_data["closes"]), _("已记录跟踪情况。"),
        then=lambda _: redirect(inspection))
    if done:
        return done
    return render(request, "disclosure/inspection_detail.html", {
        "ins": inspection, "form": form, "follow_ups": inspection.follow_ups.select_related("by"),
        "can_follow": can(request.user, "disclosure.follow_up_inspection", inspection)},
        status=400 if form.errors else 200)


@staff_view("disclosure.view_inspection")
def ranking(request: AuthedRequest) -> HttpResponse:
    year = clamp_int(request.GET.get("year"), timezone.localdate().year, 2000, 2100)
    return render(request, "disclosure/ranking.html", {"rows": selectors.ranking_for(user=request.user, year=year),
                                                       "year": year})
