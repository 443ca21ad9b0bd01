"""Staff pages of 示范 (/work/development/demonstrations/), 转移 (/placements/) and 牵手结对
(/pairings/, the kernel's pairings with purpose `development`): lists, a proposal on a phone, the
county's designation and yearly review, placements counted by period, pairings with meetings."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import pairings
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization, Pairing, PairingMeeting, PairingPurpose
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.demonstration import (
    DemonstrationForm,
    DesignateForm,
    EndForm,
    MeetingForm,
    PairingForm,
    PlacementForm,
    ReviewForm,
    RevokeForm,
)
from ..models import Demonstration, DemonstrationKind, DemonstrationState, PlacementScope
from ..selectors import demonstration as selectors
from ..services import demonstration as services

PURPOSE = PairingPurpose.DEVELOPMENT


def _status(form: object) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


def _date(value: str | None) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _fail(request: AuthedRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


# --- demonstrations ------------------------------------------------------------------------------

@staff_view("development.view_demonstration", objects={"org": Organization})
def demonstration_list(request: AuthedRequest) -> HttpResponse:
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    kind = kind if kind in DemonstrationKind.values else ""
    state = state if state in DemonstrationState.values else ""
    rows = selectors.demonstration_list_visible_to(user=request.user, organization_id=request.GET.get("org"),
                                                   kind=kind, state=state)
    return render(request, "development/demonstration/list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "kinds": DemonstrationKind.choices,
        "states": DemonstrationState.choices, "kind": kind, "state": state,
        "can_propose": can(request.user, "development.propose_demonstration")})


@staff_view("development.propose_demonstration", handles_pii=True)
def demonstration_create(request: AuthedRequest) -> HttpResponse:
    form = DemonstrationForm(request.POST or None, request.FILES or None, user=request.user)
    done = run_service(request, form, lambda: services.demonstration_propose(
        actor=request.user, data=form.to_data(), photo=form.cleaned_data.get("photo")), _("已推荐，等待县妇联认定。"))
    return done or render(request, "development/demonstration/form.html", {"form": form}, status=_status(form))


@staff_view("development.view_demonstration", handles_pii=True, objects={"pk": Demonstration})
def demonstration_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.demonstration_get_for_user(user=request.user, demonstration_id=pk)
    return render(request, "development/demonstration/detail.html", {
        "d": found, "reviews": selectors.reviews_of(found), "states": DemonstrationState,
        "can_designate": can(request.user, "development.designate_demonstration", found),
        "designate_form": DesignateForm(), "review_form": ReviewForm(), "revoke_form": RevokeForm()})


@staff_view("development.designate_demonstration", objects={"pk": Demonstration})
@require_POST
def demonstration_designate(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.demonstration_get_for_user(user=request.user, demonstration_id=pk)
    if not can(request.user, "development.designate_demonstration", found):
        raise PermissionDenied("development.designate_demonstration")
    form = DesignateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择认定结果并写明评定意见。"))
        return redirect(found)
    data = form.cleaned_data
    try:
        if data["decision"] == "designate":
            services.demonstration_designate(actor=request.user, demonstration=found, criteria=data["criteria"],
                                             evaluation=data["evaluation"])
            messages.success(request, _("已认定，示范已在门户公开。"))
        else:
            services.demonstration_decline(actor=request.user, demonstration=found, evaluation=data["evaluation"])
            messages.success(request, _("已不予认定。"))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(found)


@staff_view("development.designate_demonstration", objects={"pk": Demonstration})
@require_POST
def demonstration_review(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.demonstration_get_for_user(user=request.user, demonstration_id=pk)
    if not can(request.user, "development.designate_demonstration", found):
        raise PermissionDenied("development.designate_demonstration")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写复核年度并选择复核结果。"))
        return redirect(found)
    try:
        services.demonstration_review(actor=request.user, demonstration=found, **form.cleaned_data)
        messages.success(request, _("年度复核已登记。"))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(found)


@staff_view("development.designate_demonstration", objects={"pk": Demonstration})
@require_POST
def demonstration_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.demonstration_get_for_user(user=request.user, demonstration_id=pk)
    if not can(request.user, "development.designate_demonstration", found):
        raise PermissionDenied("development.designate_demonstration")
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请写明撤销原因。"))
        services.demonstration_revoke(actor=request.user, demonstration=found, reason=form.cleaned_data["reason"])
        messages.success(request, _("已撤销认定。"))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(found)


@staff_view("development.view_demonstration", objects={"pk": Demonstration})
def demonstration_photo(request: AuthedRequest, pk: int) -> HttpResponseBase:
    return file_response(request, selectors.demonstration_photo_get_for_user(user=request.user, demonstration_id=pk),
                         inline=True)


# --- placements ----------------------------------------------------------------------------------

@staff_view("development.view_placement", handles_pii=True)
def placement_list(request: AuthedRequest) -> HttpResponse:
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    scope = request.GET.get("scope", "")
    scope = scope if scope in PlacementScope.values else ""
    rows = selectors.placement_list_visible_to(user=request.user, start=start, end=end, scope=scope)
    return render(request, "development/demonstration/placements.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "counts": selectors.placement_counts(rows),
        "start": start, "end": end, "scope": scope, "scopes": PlacementScope.choices,
        "can_record": can(request.user, "development.record_placement")})


@staff_view("development.record_placement", handles_pii=True)
def placement_create(request: AuthedRequest) -> HttpResponse:
    form = PlacementForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.placement_record(actor=request.user, data=form.to_data()),
                       _("转移就业已登记。"), then=lambda _found: redirect("development:placement-list"))
    return done or render(request, "development/demonstration/placement_form.html", {"form": form},
                          status=_status(form))


# --- 牵手结对 (kernel pairings, purpose development) ----------------------------------------------------

@staff_view("development.view_pairing", handles_pii=True)
def pairing_list(request: AuthedRequest) -> HttpResponse:
    rows = pairings.pairings_visible_to(user=request.user, purpose=PURPOSE, open_only=True)
    return render(request, "development/demonstration/pairings.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30),
        "overdue": list(pairings.pairings_overdue(user=request.user, purpose=PURPOSE)[:20]),
        "can_manage": can(request.user, "development.manage_pairing")})


@staff_view("development.manage_pairing", handles_pii=True)
def pairing_create(request: AuthedRequest) -> HttpResponse:
    form = PairingForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: pairings.pairing_create(actor=request.user, purpose=PURPOSE,
                                                                      **form.cleaned_data),
                       _("结对已登记。"), then=lambda found: redirect("development:pairing-detail", found.pk))
    return done or render(request, "development/demonstration/pairing_form.html", {"form": form},
                          status=_status(form))


@staff_view("development.view_pairing", handles_pii=True, objects={"pk": Pairing})
def pairing_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    found = pairings.pairing_get(user=request.user, purpose=PURPOSE, pairing_id=pk)
    if request.method == "POST" and not can(request.user, "development.manage_pairing", found):
        raise PermissionDenied("development.manage_pairing")
    form = MeetingForm(request.POST or None, request.FILES or None)
    done = run_service(request, form, lambda: pairings.pairing_meeting_add(
        actor=request.user, pairing=found, day=form.cleaned_data["date"], content=form.cleaned_data["content"],
        photo=form.cleaned_data.get("photo")), _("联系记录已登记。"),
        then=lambda _m: redirect("development:pairing-detail", found.pk))
    return done or render(request, "development/demonstration/pairing_detail.html", {
        "p": found, "meetings": pairings.meetings_of(found), "form": form, "end_form": EndForm(),
        "can_manage": can(request.user, "development.manage_pairing", found)}, status=_status(form))


@staff_view("development.manage_pairing", objects={"pk": Pairing})
@require_POST
def pairing_end(request: AuthedRequest, pk: int) -> HttpResponse:
    found = pairings.pairing_get(user=request.user, purpose=PURPOSE, pairing_id=pk)
    form = EndForm(request.POST)
    try:
        pairings.pairing_end(actor=request.user, pairing=found,
                             reason=form.cleaned_data["reason"] if form.is_valid() else "")
        messages.success(request, _("结对已结束。"))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("development:pairing-detail", found.pk)


@staff_view("development.view_pairing", objects={"meeting_id": PairingMeeting})
def meeting_photo(request: AuthedRequest, meeting_id: int) -> HttpResponseBase:
    return file_response(request, pairings.meeting_photo_get(user=request.user, purpose=PURPOSE,
                                                             meeting_id=meeting_id), inline=True)


urlpatterns = [
    path("demonstrations/", demonstration_list, name="demonstration-list"),
    path("demonstrations/new/", demonstration_create, name="demonstration-create"),
    path("demonstrations/<int:pk>/", demonstration_detail, name="demonstration-detail"),
    path("demonstrations/<int:pk>/designate/", demonstration_designate, name="demonstration-designate"),
    path("demonstrations/<int:pk>/review/", demonstration_review, name="demonstration-review"),
    path("demonstrations/<int:pk>/revoke/", demonstration_revoke, name="demonstration-revoke"),
    path("demonstrations/<int:pk>/photo/", demonstration_photo, name="demonstration-photo"),
    path("placements/", placement_list, name="placement-list"),
    path("placements/new/", placement_create, name="placement-create"),
    path("pairings/", pairing_list, name="pairing-list"),
    path("pairings/new/", pairing_create, name="pairing-create"),
    path("pairings/<int:pk>/", pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/end/", pairing_end, name="pairing-end"),
    path("pairings/meetings/<int:meeting_id>/photo/", meeting_photo, name="pairing-meeting-photo"),
]
