"""Staff pages of 维权案件 (/work/support/cases/): the handler's list, 来电登记 (a call recorded in
under a minute on a phone; the code and the password shown once), the case (content for its
handlers and the lead only, every read audited, nothing cached), the details completed later, and
one small form per move, shown only when it is allowed."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.permissions import can

from ..forms.case import (
    AssignForm,
    FollowUpForm,
    NoteForm,
    ReasonForm,
    RecordForm,
    ReferForm,
    ReplyForm,
    ResolveForm,
    StepForm,
    UpdateForm,
)
from ..models.case import Case, CaseCategory, CaseState, LegalBasis
from ..selectors import case as selectors
from ..services import case as services


def _status(form: Any) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


def unavailable(request: AuthedRequest) -> HttpResponse:
    """L-07: the read could not be audited, so nothing of the case is shown."""
    return render(request, "support/case/unavailable.html", {}, status=503)


@staff_view("support.view_case")
def case_list(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    category = request.GET.get("category", "")
    overdue = request.GET.get("overdue") == "1"
    risk = request.GET.get("risk") == "1"
    page = selectors.case_page_for(user=request.user, state=state, category=category, overdue=overdue, risk=risk,
                                   page=request.GET.get("page"), per_page=30)
    shown = [(c, selectors.summary_excerpt(c), selectors.contact_shown(c, full=False)) for c in page.rows]
    query = "&".join(f"{k}={v}" for k, v in (("state", state), ("category", category),
                                             ("overdue", "1" if overdue else ""), ("risk", "1" if risk else "")) if v)
    return render(request, "support/case/list.html", {
        "page": page, "rows": shown, "states": CaseState.choices, "categories": CaseCategory.choices,
        "state": state, "category": category, "overdue": overdue, "risk": risk, "query": query,
        "overdue_count": selectors.my_overdue_count(user=request.user),
        "can_record": can(request.user, "support.record_case")})


@staff_view("support.record_case", handles_pii=True)
def case_create(request: AuthedRequest) -> HttpResponse:
    """来电登记. After saving, the code and the password are shown once (never again)."""
    form = RecordForm(request.POST or None)
    done = run_service(request, form, lambda: services.case_record(actor=request.user, data=form.cleaned_data),
                       _("已登记。请把查询码和查询密码告诉求助人。"),
                       then=lambda made: render(request, "support/case/recorded.html", {"made": made}))
    return done or render(request, "support/case/record.html", {"form": form}, status=_status(form))


@staff_view("support.view_case", handles_pii=True, objects={"pk": Case})
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.case_read(request.user, pk)
    except selectors.CaseReadUnavailable:
        return unavailable(request)
    user = request.user
    can_handle = can(user, "support.handle_case", case)
    can_assign = can(user, "support.assign_case", case)
    awaiting_partner = case.state == CaseState.REFERRED and bool(case.referred_partner)
    states = CaseState
    context: dict[str, Any] = {
        "case": case, "steps": selectors.steps_of(case), "handlers": selectors.handlers_of(case),
        "contact": selectors.contact_shown(case, full=True), "states": states,
        "awaiting_partner": awaiting_partner, "can_handle": can_handle, "can_assign": can_assign,
        "can_close": can(user, "support.close_case", case) and case.state == states.FOLLOWED_UP,
    }
    if can_handle and case.is_open:
        context.update(
            may_accept=case.state == states.RECEIVED or (case.state == states.REFERRED and not awaiting_partner),
            may_not_accept=case.state == states.RECEIVED,
            may_step=case.state in (states.ACCEPTED, states.HANDLING) or awaiting_partner,
            may_refer=case.state in (states.RECEIVED, states.ACCEPTED, states.HANDLING, states.REFERRED),
            may_feedback=awaiting_partner,
            may_resolve=case.state in (states.ACCEPTED, states.HANDLING, states.REFERRED) and not (
                case.state == states.REFERRED and not awaiting_partner),
            may_follow_up=case.state == states.RESOLVED,
            # Several forms on one page: each its own ids (the posted names stay the same).
            step_form=StepForm(auto_id="step_%s"), resolve_form=ResolveForm(auto_id="resolve_%s"),
            follow_up_form=FollowUpForm(auto_id="follow_%s"),
            refer_form=ReferForm(targets=list(services.refer_targets(case)), auto_id="refer_%s"),
        )
    if can_assign and case.is_open:
        context["assign_form"] = AssignForm(candidates=services.handler_candidates(case.organization),
                                            initial={"handlers": [h.pk for h in context["handlers"]]},
                                            auto_id="assign_%s")
    return render(request, "support/case/detail.html", context)


@staff_view("support.handle_case", handles_pii=True, objects={"pk": Case})
def case_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Complete the details (the narrative, the contact, the legal basis …)."""
    try:
        case = selectors.case_read(request.user, pk)
    except selectors.CaseReadUnavailable:
        return unavailable(request)
    contact = selectors.contact_shown(case, full=True)
    initial = {"category": case.category, "summary": case.summary, "narrative": case.narrative,
               "risk": case.risk, "anonymous": case.anonymous, "involves_minor": case.involves_minor,
               "legal_basis": case.legal_basis or LegalBasis.STATUTORY, "consent_at": case.consent_at}
    if not contact.hidden:
        initial.update(contact_name=case.contact_name, contact_mobile=case.contact_mobile, address=case.address)
    form = UpdateForm(request.POST or None, initial=initial)
    if contact.hidden:
        for name in ("contact_name", "contact_mobile", "address"):
            del form.fields[name]
    done = run_service(request, form, lambda: services.case_update(actor=request.user, case=case,
                                                                   data=form.cleaned_data), _("已保存。"))
    return done or render(request, "support/case/edit.html", {"case": case, "form": form}, status=_status(form))


def _posted(request: AuthedRequest, pk: int, form_class: Any, action: Any, done: str, **form_kwargs: Any
            ) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    run_posted(request, form_class(request.POST, **form_kwargs), lambda d: action(case, d), done)
    return redirect(case)


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, NoteForm, lambda c, d: services.case_accept(actor=request.user, case=c,
                                                                           note=d["note"]), _("已受理。"))


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_not_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, ReasonForm, lambda c, d: services.case_not_accept(
        actor=request.user, case=c, reason=d["reason"]), _("已决定不予受理，理由会告诉当事人。"))


@staff_view("support.assign_case", objects={"pk": Case})
@require_POST
def case_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    form = AssignForm(request.POST, candidates=services.handler_candidates(case.organization))
    run_posted(request, form, lambda d: services.case_assign(actor=request.user, case=case,
                                                             handlers=d["handlers"]), _("已指派承办人。"))
    return redirect(case)


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_step(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, StepForm, lambda c, d: services.case_step_add(
        actor=request.user, case=c, kind=d["kind"], note=d["note"]), _("办理情况已记录。"))


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_refer(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    form = ReferForm(request.POST, targets=list(services.refer_targets(case)))
    moved: list[Case] = []

    def action(d: dict[str, Any]) -> None:
        moved.append(services.case_refer(actor=request.user, case=case, note=d["note"], **form.to_kwargs()))

    run_posted(request, form, action, _("已转介。"))
    if moved and moved[0].organization_id != case.organization_id:
        return redirect("support:case-list")  # referred up: no longer hers to see
    return redirect(case)


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_feedback(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, NoteForm, lambda c, d: services.case_feedback(
        actor=request.user, case=c, note=d["note"]), _("转介单位的反馈已登记，案件继续办理。"))


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, ResolveForm, lambda c, d: services.case_resolve(
        actor=request.user, case=c, outcome=d["outcome"], public_reply=d["public_reply"], note=d["note"]),
        _("已办结，下一步：回访。"))


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, FollowUpForm, lambda c, d: services.case_follow_up(
        actor=request.user, case=c, satisfaction=d["satisfaction"], note=d["note"], reopen=d["reopen"]),
        _("回访已记录。"))


@staff_view("support.close_case", objects={"pk": Case})
@require_POST
def case_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, NoteForm, lambda c, d: services.case_close(actor=request.user, case=c,
                                                                          note=d["note"]), _("已结案。"))


@staff_view("support.handle_case", objects={"pk": Case})
@require_POST
def case_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    return _posted(request, pk, ReplyForm, lambda c, d: services.case_reply(
        actor=request.user, case=c, public_reply=d["public_reply"]), _("答复已保存，当事人凭查询码可以看到。"))


urlpatterns = [
    path("", case_list, name="case-list"),
    path("new/", case_create, name="case-create"),
    path("<int:pk>/", case_detail, name="case-detail"),
    path("<int:pk>/edit/", case_edit, name="case-edit"),
    path("<int:pk>/accept/", case_accept, name="case-accept"),
    path("<int:pk>/not-accept/", case_not_accept, name="case-not-accept"),
    path("<int:pk>/assign/", case_assign, name="case-assign"),
    path("<int:pk>/steps/", case_step, name="case-step"),
    path("<int:pk>/refer/", case_refer, name="case-refer"),
    path("<int:pk>/feedback/", case_feedback, name="case-feedback"),
    path("<int:pk>/resolve/", case_resolve, name="case-resolve"),
    path("<int:pk>/follow-up/", case_follow_up, name="case-follow-up"),
    path("<int:pk>/close/", case_close, name="case-close"),
    path("<int:pk>/reply/", case_reply, name="case-reply"),
]
