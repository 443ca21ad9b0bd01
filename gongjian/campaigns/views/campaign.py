"""Staff pages of campaigns: the list, one campaign (with its phases, plan summary and figures),
the campaign form, the plan board, one plan (submit from a phone; return or accept)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import access, figures
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.campaign import AcceptForm, CampaignForm, PlanForm, ReturnForm, phase_formset
from ..models import Campaign, CampaignState, PlanAttachment, PlanStatus, PlanSubmission
from ..selectors import campaign as selectors
from ..services import campaign as services

#: Rows per page of the plan board (a county's campaign may go to thousands of organisations).
BOARD_PAGE = 50


def _status(*forms: BaseForm) -> int:
    return 400 if any(f.is_bound and f.errors for f in forms) else 200


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@staff_view("campaigns.view")
def campaign_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(selectors.campaign_list_visible_to(user=request.user, state=request.GET.get("state", "")),
                    page=request.GET.get("page"), per_page=30)
    return render(request, "campaigns/campaign_list.html", {
        "page": page, "today": timezone.localdate(), "states": CampaignState.choices,
        "state": request.GET.get("state", ""), "can_create": can(request.user, "campaigns.manage_campaign")})


def _figures(request: AuthedRequest, campaign: Campaign) -> dict[str, Any]:
    """The figures panel: the issuer's subtree for a reader who reaches it, else her own
    organisation's (a township reads its own part of the county's campaign)."""
    org = campaign.organization if selectors.reaches_organization(request.user, campaign.organization) \
        else access.acting_organization(request.user)
    if org is None or org.kind not in org.FEDERATION_KINDS:
        return {}
    start, end = campaign.starts_on, campaign.ends_on or timezone.localdate()
    lines = [(label, figures.read_one(user=request.user, organization=org, start=start, end=end, tag=value))
             for value, label in zip(campaign.lines or [], campaign.line_labels, strict=True)]
    # Per line, only the figures that count something: six lines of zeros bury the ones that do.
    return {"org": org, "all": figures.read_one(user=request.user, organization=org, start=start, end=end),
            "lines": [(label, [f for f in rows if f.value]) for label, rows in lines if rows]}


@staff_view("campaigns.view", objects={"pk": Campaign})
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "phase": campaign.current_phase(), "today": timezone.localdate(),
        "counts": selectors.plan_counts(user=request.user, campaign=campaign),
        "own_plan": selectors.own_plan(user=request.user, campaign=campaign),
        "figures": _figures(request, campaign),
        "can_edit": can(request.user, "campaigns.manage_campaign", campaign),
        "can_issue": can(request.user, "campaigns.issue_campaign", campaign)})


def _campaign_form(request: AuthedRequest, campaign: Campaign | None) -> HttpResponse:
    issuer = campaign.organization if campaign is not None else access.acting_organization_required(request.user)
    form = CampaignForm(request.POST or None, issuer=issuer, instance=campaign)
    phases = phase_formset(request.POST or None, instance=campaign)
    if request.method == "POST" and phases.is_valid():
        def save() -> Campaign:
            args: dict[str, Any] = {"actor": request.user, "data": form.to_data(), "co_issuers": form.co_issuers(),
                    "targets": form.targets(), "phases": phases.rows()}
            if campaign is None:
                return services.campaign_create(**args)
            return services.campaign_update(campaign=campaign, **args)
        done = run_service(request, form, save, _("已保存。"))
        if done:
            return done
    return render(request, "campaigns/campaign_form.html", {"form": form, "phases": phases, "campaign": campaign},
                  status=_status(form, *phases.forms))


@staff_view("campaigns.manage_campaign")
def campaign_create(request: AuthedRequest) -> HttpResponse:
    return _campaign_form(request, None)


@staff_view("campaigns.manage_campaign", objects={"pk": Campaign})
def campaign_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _campaign_form(request, selectors.campaign_get_for_user(campaign_id=pk, user=request.user))


@staff_view("campaigns.issue_campaign", objects={"pk": Campaign})
@require_POST
def campaign_move(request: AuthedRequest, pk: int, to: str) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    move = {"issue": services.campaign_issue, "close": services.campaign_close}.get(to)
    if move is None:
        raise Http404
    try:
        move(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("活动已下发。") if to == "issue" else _("活动已结束。"))
    return redirect(campaign)


@staff_view("campaigns.view", objects={"pk": Campaign})
def plan_board(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    status = request.GET.get("status", "")
    page, counts = selectors.board_page(user=request.user, campaign=campaign, status=status,
                                        page=request.GET.get("page"), per_page=BOARD_PAGE)
    labels = dict(PlanStatus.choices)
    for row in page.rows:
        row["status_label"] = labels.get(row["status"], row["status"])
    return render(request, "campaigns/plan_board.html", {
        "campaign": campaign, "phase": campaign.current_phase(), "page": page, "status": status,
        "plans_url": reverse("campaigns:plan-board", args=[campaign.pk]),
        "query": f"status={status}" if status in PlanStatus.values else "", "counts": counts})


def _plan_page(request: AuthedRequest, campaign: Campaign, plan: PlanSubmission, **forms: BaseForm) -> HttpResponse:
    can_submit = (campaign.state == CampaignState.ISSUED and plan.status in (PlanStatus.MISSING, PlanStatus.RETURNED)
                  and can(request.user, "campaigns.submit_plan", plan))
    can_review = (campaign.state == CampaignState.ISSUED and plan.is_submitted
                  and can(request.user, "campaigns.review_plan", plan))
    context = {"campaign": campaign, "plan": plan, "phase": campaign.current_phase(),
               "revisions": selectors.revisions_of(plan), "can_submit": can_submit, "can_review": can_review,
               "due_passed": bool(campaign.plan_due and timezone.localdate() > campaign.plan_due),
               "plan_form": PlanForm(organization=plan.organization, initial={
                   "title": plan.title, "body": plan.body, "leading_group": plan.leading_group_id}),
               "return_form": ReturnForm(), "accept_form": AcceptForm(), **forms}
    return render(request, "campaigns/plan_detail.html", context, status=_status(*forms.values()))


@staff_view("campaigns.view", objects={"pk": Campaign, "plan_id": PlanSubmission})
def plan_detail(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    return _plan_page(request, campaign, selectors.plan_get_for_user(user=request.user, campaign=campaign,
                                                                     plan_id=plan_id))


@staff_view("campaigns.submit_plan", objects={"pk": Campaign, "plan_id": PlanSubmission})
@require_POST
def plan_submit(request: AuthedRequest, pk: int, plan_id: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    plan = selectors.plan_get_for_user(user=request.user, campaign=campaign, plan_id=plan_id)
    form = PlanForm(request.POST, request.FILES, organization=plan.organization)
    done = run_service(request, form, lambda: services.plan_submit(
        actor=request.user, plan=plan, title=form.cleaned_data["title"], body=form.cleaned_data["body"],
        leading_group=form.cleaned_data["leading_group"], uploads=form.cleaned_data["attachments"]),
        _("方案已报送。"))
    return done or _plan_page(request, campaign, plan, plan_form=form)


@staff_view("campaigns.review_plan", objects={"pk": Campaign, "plan_id": PlanSubmission})
@require_POST
def plan_review(request: AuthedRequest, pk: int, plan_id: int, to: str) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    plan = selectors.plan_get_for_user(user=request.user, campaign=campaign, plan_id=plan_id)
    if to == "return":
        form: BaseForm = ReturnForm(request.POST)
        done = run_service(request, form, lambda: services.plan_return(
            actor=request.user, plan=plan, reason=form.cleaned_data["reason"]), _("已退回修改。"))
        return done or _plan_page(request, campaign, plan, return_form=form)
    if to != "accept":
        raise Http404
    form = AcceptForm(request.POST)
    done = run_service(request, form, lambda: services.plan_accept(
        actor=request.user, plan=plan, comment=form.cleaned_data["comment"]), _("方案已通过。"))
    return done or _plan_page(request, campaign, plan, accept_form=form)


@staff_view("campaigns.view", objects={"token": PlanAttachment})
def plan_file(request: AuthedRequest, token: str) -> HttpResponseBase:
    found = selectors.attachment_get_for_user(user=request.user, token=token)
    return file_response(request, found.file)

