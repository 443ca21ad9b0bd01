"""Staff pages of 承诺机制 (/work/campaigns/pledges/): the list, writing and publishing a pledge,
践诺 progress on a phone, 评诺 by the organisation above, and the moderation of public comments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import add_service_errors, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.pledge import EvaluateForm, ModerateForm, PledgeForm, ProgressForm
from ..models import Campaign, Pledge, PledgeComment, PledgeState, PledgeUpdate
from ..selectors import pledge as selectors
from ..services import pledge as services


def _status(form: object) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


def _ensure(request: AuthedRequest, permission: str, pledge: Pledge) -> None:
    if not can(request.user, permission, pledge):
        raise PermissionDenied(permission)


@staff_view("campaigns.view_pledge", objects={"org": Organization, "campaign": Campaign})
def pledge_list(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = selectors.pledge_list_visible_to(user=request.user, organization_id=request.GET.get("org"),
                                            state=state, campaign_id=request.GET.get("campaign"))
    return render(request, "campaigns/pledge/list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "states": PledgeState.choices,
        "state": state, "can_make": can(request.user, "campaigns.make_pledge"),
        "pending": selectors.comments_to_moderate(user=request.user).count()})


@staff_view("campaigns.make_pledge", handles_pii=True)
def pledge_create(request: AuthedRequest) -> HttpResponse:
    form = PledgeForm(request.POST or None, user=request.user, initial={"campaign": request.GET.get("campaign")})
    publish = request.POST.get("publish") == "1"
    done = run_service(request, form, lambda: services.pledge_create(actor=request.user, data=form.to_data(),
                                                                     publish=publish),
                       _("承诺已公开。") if publish else _("已保存为草稿。"))
    return done or render(request, "campaigns/pledge/form.html", {"form": form}, status=_status(form))


@staff_view("campaigns.make_pledge", handles_pii=True, objects={"pk": Pledge})
def pledge_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pk)
    _ensure(request, "campaigns.make_pledge", pledge)
    form = PledgeForm(request.POST or None, user=request.user, instance=pledge)
    done = run_service(request, form, lambda: services.pledge_update(actor=request.user, pledge=pledge,
                                                                     data=form.to_data()), _("已保存。"))
    return done or render(request, "campaigns/pledge/form.html", {"form": form, "pledge": pledge},
                          status=_status(form))


@staff_view("campaigns.view_pledge", objects={"pk": Pledge})
def pledge_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pk)
    mine = can(request.user, "campaigns.make_pledge", pledge)
    return render(request, "campaigns/pledge/detail.html", {
        "pledge": pledge, "updates": selectors.updates_of(pledge), "comments": selectors.comments_of(pledge),
        "can_make": mine, "can_moderate": can(request.user, "campaigns.moderate_pledge", pledge),
        "can_evaluate": can(request.user, "campaigns.evaluate_pledge", pledge), "states": PledgeState})


@staff_view("campaigns.make_pledge", objects={"pk": Pledge})
@require_POST
def pledge_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pk)
    try:
        services.pledge_publish(actor=request.user, pledge=pledge)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("承诺已公开。") if pledge.is_public else _("承诺已作出（不在门户公开）。"))
    return redirect(pledge)


@staff_view("campaigns.make_pledge", objects={"pk": Pledge})
@require_POST
def pledge_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pk)
    try:
        services.pledge_withdraw(actor=request.user, pledge=pledge, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("草稿已撤销。"))
    return redirect(pledge)


@staff_view("campaigns.make_pledge", objects={"pk": Pledge})
def pledge_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """践诺: a progress report (with a photo) from a phone."""
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pk)
    _ensure(request, "campaigns.make_pledge", pledge)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_report_progress(actor=request.user, pledge=pledge, day=data["date"], text=data["text"],
                                            percent=data["percent"], photo=data["photo"],
                                            photo_is_public=data["photo_is_public"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("践诺进展已填报。"))
            return redirect(pledge)
    return render(request, "campaigns/pledge/progress.html", {"pledge": pledge, "form": form},
                  status=_status(form))


@staff_view("campaigns.evaluate_pledge", objects={"pk": Pledge})
def pledge_evaluate(request: AuthedRequest, pk: int) -> HttpResponse:
    """评诺 by the lead of a federation above the pledging organisation."""
    pledge = selectors.pledge_get_for_user(user=request.user, pledge_id=pk)
    _ensure(request, "campaigns.evaluate_pledge", pledge)
    form = EvaluateForm(request.POST or None)
    done = run_service(request, form, lambda: services.pledge_evaluate(
        actor=request.user, pledge=pledge, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]),
        _("评诺已完成。"))
    return done or render(request, "campaigns/pledge/evaluate.html", {
        "pledge": pledge, "form": form, "updates": selectors.updates_of(pledge)}, status=_status(form))


@staff_view("campaigns.view_pledge")
def comment_queue(request: AuthedRequest) -> HttpResponse:
    """The acting organisation's public comments to show or hide, oldest first."""
    state = request.GET.get("state", PledgeComment.State.PENDING)
    rows = selectors.comments_to_moderate(user=request.user, state=state)
    return render(request, "campaigns/pledge/comments.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "state": state,
        "states": PledgeComment.State.choices, "can_moderate": can(request.user, "campaigns.moderate_pledge")})


@staff_view("campaigns.moderate_pledge", objects={"comment_id": PledgeComment})
@require_POST
def comment_moderate(request: AuthedRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_get_for_user(user=request.user, comment_id=comment_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择是否显示。"))
    else:
        try:
            services.comment_moderate(actor=request.user, comment=comment, show=form.cleaned_data["decision"] == "show",
                                      reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("留言已显示在门户。") if comment.state == PledgeComment.State.SHOWN
                             else _("留言不显示。"))
    if request.POST.get("next") == "queue":
        return redirect("campaigns:pledge-comments")
    return redirect(comment.pledge)


@staff_view("campaigns.view_pledge", objects={"update_id": PledgeUpdate})
def update_photo(request: AuthedRequest, update_id: int) -> HttpResponseBase:
    return file_response(request, selectors.update_photo_get_for_user(user=request.user, update_id=update_id),
                         inline=True)
