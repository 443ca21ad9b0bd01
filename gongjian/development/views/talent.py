"""Staff pages of the talent pool (/work/development/talents/): the pool and its search, the review
queue, an entry collected on a phone, its review (forward, return, accept) and the Excel of the
annual 人才库 report. Parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import access
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate, women_to_pick
from gongjian.kernel.tabular import Heading, write_rows_xlsx

from ..forms.talent import (
    AttachForm,
    AttendanceForm,
    NominateForm,
    OfferForm,
    ReturnForm,
    TalentForm,
)
from ..models import Talent, TalentFile, TalentKind, TalentState, TrainingNomination, TrainingOffer
from ..selectors import talent as selectors
from ..services import talent as services

EXPORT_LIMIT = 50000




def _filters(request: AuthedRequest) -> dict[str, Any]:
    scope = request.GET.get("scope", "pool")
    return {"scope": scope if scope in selectors.SCOPES else "pool", "kind": request.GET.get("kind", ""),
            "q": request.GET.get("q", "").strip()[:50], "trade": request.GET.get("trade", "").strip()[:50],
            "place": selectors.place_of(user=request.user, organization_id=request.GET.get("place"))}


@staff_view("development.view_talent", objects={"place": Organization})
def talent_list(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request)
    page = selectors.talent_page(user=request.user, page=request.GET.get("page"), per_page=30, **filters)
    return render(request, "development/talent/list.html", {
        "page": page, "filters": filters,
        "kinds": TalentKind.choices, "places": selectors.place_choices(user=request.user),
        "queue": selectors.queue_count(user=request.user),
        "can_collect": can(request.user, "development.collect_talent"),
        "can_export": can(request.user, "development.export_talent")})


@staff_view("development.export_talent", handles_pii=True, objects={"place": Organization})
def talent_export(request: AuthedRequest) -> HttpResponse:
    """The pool (or the chosen view of it) as .xlsx for the annual 人才库 report; masked."""
    filters = _filters(request)
    rows = selectors.talent_list_visible_to(user=request.user, **filters)[:EXPORT_LIMIT]
    lines = list(selectors.export_rows(rows))
    acting = request.user.acting
    unit = acting.organization.name if acting is not None else ""
    body = write_rows_xlsx(selectors.EXPORT_HEADERS, lines, sheet_title=_("妇女人才库"),
                           heading=Heading(title=_("%(unit)s妇女人才库名册") % {"unit": unit}, unit=unit),
                           notes=[_("导出时间：%(at)s。身份证号、手机号已隐去部分数字；仅限工作使用。")
                                  % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    services.talent_export_recorded(actor=request.user, rows=len(lines), filters={
        k: str(v)[:50] for k, v in request.GET.items()})
    name = f"{_('妇女人才库')}-{timezone.localtime():%Y%m%d%H%M}.xlsx"
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _people(request: AuthedRequest, form: TalentForm) -> list[Any]:
    """Search results to pick the woman from (`?q=`), and the one already picked."""
    picked = form.cleaned_data.get("person") if form.is_bound and hasattr(form, "cleaned_data") else None
    if picked is None and not form.is_bound and form.instance.pk:
        picked = form.instance.person
    return women_to_pick(user=request.user, q=request.GET.get("q", ""), picked=picked)


@staff_view("development.collect_talent", handles_pii=True)
def talent_create(request: AuthedRequest) -> HttpResponse:
    form = TalentForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind", ""),
                                                                        "jobs": 0})
    done = run_service(request, form, lambda: services.talent_create(
        actor=request.user, data={**form.to_data(), "organization": access.acting_organization_required(request.user)}),
        _("已保存，请核对后上报。"))
    if done:
        return done
    return render(request, "development/talent/form.html", {
        "form": form, "people": _people(request, form), "q": request.GET.get("q", "")},
        status=400 if form.errors else 200)


@staff_view("development.collect_talent", handles_pii=True, objects={"pk": Talent})
def talent_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = selectors.talent_get_for_user(user=request.user, talent_id=pk)
    form = TalentForm(request.POST or None, instance=talent, user=request.user)
    done = run_service(request, form, lambda: services.talent_update(
        actor=request.user, talent=talent, data=form.to_data()), _("已保存。"))
    if done:
        return done
    return render(request, "development/talent/form.html", {
        "form": form, "talent": talent, "people": _people(request, form), "q": request.GET.get("q", "")},
        status=400 if form.errors else 200)


@staff_view("development.view_talent", handles_pii=True, objects={"pk": Talent})
def talent_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = selectors.talent_get_for_user(user=request.user, talent_id=pk)
    return render(request, "development/talent/detail.html", {
        "talent": talent, "files": selectors.files_of(talent), "states": TalentState,
        "can_collect": can(request.user, "development.collect_talent", talent),
        "can_review": can(request.user, "development.review_talent", talent),
        "at_county": talent.holder.kind == Organization.Kind.COUNTY_FEDERATION,
        "trainings": selectors.trainings_of(user=request.user, talent=talent),
        "attach_form": AttachForm(), "return_form": ReturnForm()})


def _step(request: AuthedRequest, pk: int, action: Callable[[Talent], object], done: Callable[[Talent], str]) -> HttpResponse:
    talent = selectors.talent_get_for_user(user=request.user, talent_id=pk)
    try:
        action(talent)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done(talent))
    return redirect(talent)


@staff_view("development.collect_talent", objects={"pk": Talent})
@require_POST
def talent_report(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda t: services.talent_report(actor=request.user, talent=t),
                 lambda t: _("已上报%(org)s审核。") % {"org": t.holder.name})


@staff_view("development.review_talent", objects={"pk": Talent})
@require_POST
def talent_forward(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda t: services.talent_forward(actor=request.user, talent=t),
                 lambda t: _("已转报%(org)s。") % {"org": t.holder.name})


@staff_view("development.review_talent", objects={"pk": Talent})
@require_POST
def talent_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda t: services.talent_accept(actor=request.user, talent=t),
                 lambda t: _("已纳入人才库。"))


@staff_view("development.review_talent", objects={"pk": Talent})
@require_POST
def talent_return(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = selectors.talent_get_for_user(user=request.user, talent_id=pk)
    run_posted(request, ReturnForm(request.POST),
            lambda data: services.talent_return(actor=request.user, talent=talent, reason=data["reason"]),
            _("已退回上报单位。"))
    return redirect(talent)


@staff_view("development.collect_talent", objects={"pk": Talent})
@require_POST
def talent_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    talent = selectors.talent_get_for_user(user=request.user, talent_id=pk)
    run_posted(request, AttachForm(request.POST, request.FILES),
            lambda data: services.talent_attach(actor=request.user, talent=talent, upload=data["file"],
                                                caption=data["caption"]),
            _("材料已上传。"))
    return redirect(talent)


@staff_view("development.view_talent", handles_pii=True, objects={"pk": TalentFile})
def talent_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    row = selectors.talent_file_get_for_user(user=request.user, file_id=pk)
    return file_response(request, row.file)


# --- trainings offered above -------------------------------------------------------------------------


@staff_view("development.view_training")
def training_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.offer_list_visible_to(user=request.user)
    return render(request, "development/talent/training_list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30),
        "can_offer": can(request.user, "development.offer_training")})


@staff_view("development.offer_training")
def training_create(request: AuthedRequest) -> HttpResponse:
    organization = access.acting_organization_required(request.user)
    form = OfferForm(request.POST or None, townships=services.townships_below(organization))
    done = run_service(request, form, lambda: services.training_offer_create(
        actor=request.user, organization=organization, data=form.to_data(), places=form.places()),
        _("培训已发布，各乡镇（街道）可以推荐人选。"))
    if done:
        return done
    return render(request, "development/talent/training_form.html", {"form": form},
                  status=400 if form.errors else 200)


@staff_view("development.view_training", handles_pii=True, objects={"pk": TrainingOffer})
def training_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_user(user=request.user, offer_id=pk)
    can_nominate = can(request.user, "development.nominate_training", offer)
    return render(request, "development/talent/training_detail.html", {
        "offer": offer, "quotas": selectors.quotas_of(offer),
        "nominations": selectors.nominations_visible_to(user=request.user, offer=offer),
        "nominees": selectors.nominees_for(user=request.user, offer=offer) if can_nominate else [],
        "can_nominate": can_nominate,
        "can_record": (access.acting_organization(request.user) == offer.organization
                       and can(request.user, "development.record_attendance")),
        "today": timezone.localdate()})


@staff_view("development.nominate_training", objects={"pk": TrainingOffer})
@require_POST
def training_nominate(request: AuthedRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_user(user=request.user, offer_id=pk)
    run_posted(request, NominateForm(request.POST),
            lambda data: services.training_nominate(
                actor=request.user, offer=offer,
                talent=selectors.talent_get_for_user(user=request.user, talent_id=data["talent"])),
            _("已推荐。"))
    return redirect(offer)


@staff_view("development.record_attendance", objects={"pk": TrainingNomination})
@require_POST
def training_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    run_posted(request, AttendanceForm(request.POST),
            lambda data: services.training_attendance_record(actor=request.user, nomination=nomination,
                                                             attended=data["attended"]),
            _("已登记参训情况。"))
    return redirect(nomination.offer)


urlpatterns = [
    path("talents/", talent_list, name="talent-list"),
    path("talents/new/", talent_create, name="talent-create"),
    path("talents/export.xlsx", talent_export, name="talent-export"),
    path("talents/<int:pk>/", talent_detail, name="talent-detail"),
    path("talents/<int:pk>/edit/", talent_edit, name="talent-edit"),
    path("talents/<int:pk>/report/", talent_report, name="talent-report"),
    path("talents/<int:pk>/forward/", talent_forward, name="talent-forward"),
    path("talents/<int:pk>/accept/", talent_accept, name="talent-accept"),
    path("talents/<int:pk>/return/", talent_return, name="talent-return"),
    path("talents/<int:pk>/attach/", talent_attach, name="talent-attach"),
    path("talent-files/<int:pk>/", talent_file, name="talent-file"),
    path("trainings/", training_list, name="training-list"),
    path("trainings/new/", training_create, name="training-create"),
    path("trainings/<int:pk>/", training_detail, name="training-detail"),
    path("trainings/<int:pk>/nominate/", training_nominate, name="training-nominate"),
    path("training-nominations/<int:pk>/attendance/", training_attendance, name="training-attendance"),
]
