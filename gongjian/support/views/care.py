"""Staff pages of 关爱 (/work/support/care/): the registry of care recipients (masked where P-05
asks), adding, changing and ending a recipient, her record with its 爱心妈妈 pairings and visits,
the pairings with the board of overdue ones, a new pairing and the visit log on a phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import pairings
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization, Person
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.care import EndForm, PairingEndForm, PairingForm, RecipientForm, VisitForm
from ..models.care import CarePairing, CareRecipient, CareVisit, RecipientCategory
from ..selectors import care as selectors
from ..services import care as services


def _status(form: Any) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


def _unavailable(request: AuthedRequest) -> HttpResponse:
    """L-07: the audit row of a read could not be written, so nothing of the record is shown."""
    return render(request, "support/care/unavailable.html", {}, status=503)


# --- recipients ---------------------------------------------------------------------------------

@staff_view("support.view_recipient", handles_pii=True, objects={"org": Organization})
def recipient_list(request: AuthedRequest) -> HttpResponse:
    place = selectors.place_of(user=request.user, organization_id=request.GET.get("org"))
    category = request.GET.get("category", "")
    show = request.GET.get("show", selectors.SHOW_CURRENT)
    rows = selectors.recipient_list_visible_to(user=request.user, category=category, organization=place, show=show)
    page = paginate(rows, page=request.GET.get("page"), per_page=request.GET.get("per_page") or 30)
    query = {k: v for k, v in {"org": place.pk if place else "", "category": category, "show": show}.items() if v}
    return render(request, "support/care/recipients.html", {
        "rows": selectors.with_shown(request.user, page.rows), "page": page, "place": place,
        "category": category if category in RecipientCategory.values else "", "show": show,
        "categories": RecipientCategory.choices, "places": selectors.place_choices(user=request.user),
        "query": "&".join(f"{k}={v}" for k, v in query.items()),
        "can_manage": can(request.user, "support.manage_recipient"),
        "overdue": selectors.pairings_overdue(user=request.user).count()})


def _people(request: AuthedRequest, form: RecipientForm) -> list[Person]:
    picked = None
    if form.is_bound and hasattr(form, "cleaned_data"):
        picked = form.cleaned_data.get("person")
    return selectors.people_to_pick(user=request.user, q=request.GET.get("q", ""), picked=picked)


@staff_view("support.manage_recipient", handles_pii=True)
def recipient_create(request: AuthedRequest) -> HttpResponse:
    form = RecipientForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.recipient_register(actor=request.user, data=form.to_data()),
                       _("已登记为关爱对象。"))
    if done:
        return done
    return render(request, "support/care/recipient_form.html", {
        "form": form, "people": _people(request, form), "q": request.GET.get("q", "")}, status=_status(form))


@staff_view("support.manage_recipient", handles_pii=True, objects={"pk": CareRecipient})
def recipient_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    recipient = selectors.recipient_get(user=request.user, recipient_id=pk)
    if not selectors.details_shown(request.user, recipient):
        raise PermissionDenied("support.view_sensitive_recipient")
    form = RecipientForm(request.POST or None, user=request.user, instance=recipient)
    done = run_service(request, form, lambda: services.recipient_update(
        actor=request.user, recipient=recipient, data=form.to_data()), _("已保存。"))
    if done:
        return done
    return render(request, "support/care/recipient_form.html", {"form": form, "recipient": recipient},
                  status=_status(form))


@staff_view("support.view_recipient", handles_pii=True, objects={"pk": CareRecipient})
def recipient_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    recipient = selectors.recipient_get(user=request.user, recipient_id=pk)
    shown = selectors.details_shown(request.user, recipient)
    try:
        services.recipient_read(actor=request.user, recipient=recipient, shown=shown)
    except DatabaseError:
        return _unavailable(request)
    return render(request, "support/care/recipient_detail.html", {
        "r": recipient, "shown": shown, "name": recipient.person.name if shown else recipient.name_masked,
        "pairs": selectors.pairings_of_recipient(user=request.user, recipient=recipient),
        "end_form": EndForm(), "can_manage": can(request.user, "support.manage_recipient", recipient),
        "can_pair": can(request.user, "support.manage_pairing", recipient)})


@staff_view("support.manage_recipient", objects={"pk": CareRecipient})
@require_POST
def recipient_end(request: AuthedRequest, pk: int) -> HttpResponse:
    recipient = selectors.recipient_get(user=request.user, recipient_id=pk)
    run_posted(request, EndForm(request.POST), lambda data: services.recipient_end(
        actor=request.user, recipient=recipient, reason=data["reason"]), _("已退出关爱对象名册。"))
    return redirect(recipient)


# --- 爱心妈妈 pairings ------------------------------------------------------------------------------

@staff_view("support.view_pairing", handles_pii=True)
def pairing_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.pairing_list_visible_to(user=request.user)
    page = paginate(rows, page=request.GET.get("page"), per_page=30)
    return render(request, "support/care/pairings.html", {
        "page": page, "rows": selectors.with_recipients(request.user, page.rows),
        "overdue": selectors.with_recipients(request.user, selectors.pairings_overdue(user=request.user)[:50]),
        "can_manage": can(request.user, "support.manage_pairing")})


@staff_view("support.view_pairing", handles_pii=True)
def pairing_overdue(request: AuthedRequest) -> HttpResponse:
    """The board: pairings with no visit within their interval, most overdue first."""
    rows = selectors.pairings_overdue(user=request.user)
    page = paginate(rows, page=request.GET.get("page"), per_page=50)
    return render(request, "support/care/overdue.html", {
        "page": page, "rows": selectors.with_recipients(request.user, page.rows)})


def _mothers(request: AuthedRequest, form: PairingForm) -> list[Person]:
    picked = form.cleaned_data.get("mentor") if form.is_bound and hasattr(form, "cleaned_data") else None
    from gongjian.kernel.selectors import women_to_pick

    return women_to_pick(user=request.user, q=request.GET.get("q", ""), picked=picked)


@staff_view("support.manage_pairing", handles_pii=True, objects={"recipient": CareRecipient})
def pairing_create(request: AuthedRequest) -> HttpResponse:
    chosen = None
    if request.GET.get("recipient"):
        chosen = selectors.recipient_get(user=request.user, recipient_id=request.GET["recipient"])
    initial: dict[str, Any] = {"started_on": timezone.localdate(), "interval_days": 30}
    if chosen is not None:
        initial["recipient"] = chosen.pk
    form = PairingForm(request.POST or None, user=request.user, initial=initial)
    done = run_service(request, form, lambda: services.care_pairing_create(
        actor=request.user, recipient=form.cleaned_data["recipient"], mentor=form.cleaned_data["mentor"],
        started_on=form.cleaned_data["started_on"], interval_days=form.cleaned_data["interval_days"],
        note=form.cleaned_data["note"]), _("爱心妈妈结对已登记。"),
        then=lambda found: redirect("support:care-pairing-detail", found.pk))
    return done or render(request, "support/care/pairing_form.html", {
        "form": form, "mothers": _mothers(request, form), "q": request.GET.get("q", ""), "chosen": chosen},
        status=_status(form))


@staff_view("support.view_pairing", handles_pii=True, objects={"pk": CarePairing})
def pairing_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.pairing_get(user=request.user, pairing_id=pk)
    (found,) = selectors.with_recipients(request.user, [found])
    may_log = can(request.user, "support.manage_pairing", found) and found.shown  # type: ignore[attr-defined]
    if request.method == "POST" and not may_log:
        raise PermissionDenied("support.manage_pairing")
    form = VisitForm(request.POST or None, request.FILES or None)
    done = run_service(request, form, lambda: services.visit_add(
        actor=request.user, pairing=found, day=form.cleaned_data["date"], content=form.cleaned_data["content"],
        photo=form.cleaned_data.get("photo")), _("走访记录已保存。"),
        then=lambda _m: redirect("support:care-pairing-detail", found.pk))
    return done or render(request, "support/care/pairing_detail.html", {
        "p": found, "visits": selectors.visits_of(found), "form": form, "end_form": PairingEndForm(),
        "can_manage": may_log}, status=_status(form))


@staff_view("support.manage_pairing", objects={"pk": CarePairing})
@require_POST
def pairing_end(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.pairing_get(user=request.user, pairing_id=pk)
    try:
        pairings.pairing_end(actor=request.user, pairing=found, reason=request.POST.get("reason", ""))
        messages.success(request, _("结对已结束。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("support:care-pairing-detail", found.pk)


@staff_view("support.view_pairing", objects={"visit_id": CareVisit})
def visit_photo(request: AuthedRequest, visit_id: int) -> HttpResponseBase:
    visit = selectors.visit_of(user=request.user, visit_id=visit_id)
    (pairing,) = selectors.with_recipients(request.user, [visit.pairing])
    if not pairing.shown:  # type: ignore[attr-defined]
        raise PermissionDenied("support.view_sensitive_recipient")
    return file_response(request, selectors.visit_photo_get(user=request.user, visit_id=visit_id), inline=True)


urlpatterns = [
    path("care/", recipient_list, name="care-recipient-list"),
    path("care/new/", recipient_create, name="care-recipient-create"),
    path("care/<int:pk>/", recipient_detail, name="care-recipient-detail"),
    path("care/<int:pk>/edit/", recipient_edit, name="care-recipient-edit"),
    path("care/<int:pk>/end/", recipient_end, name="care-recipient-end"),
    path("care/pairings/", pairing_list, name="care-pairing-list"),
    path("care/pairings/overdue/", pairing_overdue, name="care-pairing-overdue"),
    path("care/pairings/new/", pairing_create, name="care-pairing-create"),
    path("care/pairings/<int:pk>/", pairing_detail, name="care-pairing-detail"),
    path("care/pairings/<int:pk>/end/", pairing_end, name="care-pairing-end"),
    path("care/visits/<int:visit_id>/photo/", visit_photo, name="care-visit-photo"),
]
