"""Staff pages of commendation (/work/campaigns/commendations/): the list, a nomination drafted on
a phone, the deciding organisation's review board, 公示 and its objections, the award, and the
year's 表彰名单. Parse, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import access, notices
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Objection, Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate, women_to_pick

from ..forms.commendation import (
    AnswerForm,
    AttachForm,
    DecideForm,
    NominationForm,
    NoticeForm,
    ReviewForm,
)
from ..models import Campaign, Nomination, NominationFile, NominationState, TitleKind
from ..selectors import commendation as selectors
from ..services import commendation as services


def _year(raw: Any) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year




def _people(request: AuthedRequest, form: NominationForm) -> list[Any]:
    """Search results to pick the woman from (`?q=`), and the one already picked."""
    picked = form.cleaned_data.get("person") if form.is_bound and hasattr(form, "cleaned_data") else None
    if picked is None and not form.is_bound and form.instance.pk:
        picked = form.instance.person
    return women_to_pick(user=request.user, q=request.GET.get("q", ""), picked=picked)


@staff_view("campaigns.view_commendation", objects={"campaign": Campaign})
def nomination_list(request: AuthedRequest) -> HttpResponse:
    filters = {"year": request.GET.get("year", ""), "kind": request.GET.get("kind", ""),
               "state": request.GET.get("state", "")}
    campaign = selectors.campaign_filter(user=request.user, campaign_id=request.GET.get("campaign"))
    rows = selectors.nomination_list_visible_to(user=request.user, campaign=campaign, **filters)
    return render(request, "campaigns/commendation/nomination_list.html", {"campaign": campaign,
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "filters": filters,
        "kinds": TitleKind.choices, "states": NominationState.choices, "year": timezone.localdate().year,
        "can_nominate": can(request.user, "campaigns.nominate"),
        "can_decide": can(request.user, "campaigns.decide_commendation")})


@staff_view("campaigns.nominate", handles_pii=True)
def nomination_create(request: AuthedRequest) -> HttpResponse:
    form = NominationForm(request.POST or None, user=request.user,
                          initial={"kind": request.GET.get("kind", ""), "campaign": request.GET.get("campaign")})
    done = run_service(request, form, lambda: services.nomination_create(
        actor=request.user, data={**form.to_data(), "organization": access.acting_organization_required(request.user)}),
        _("已保存草稿，请核对后报送。"))
    if done:
        return done
    return render(request, "campaigns/commendation/nomination_form.html", {
        "form": form, "people": _people(request, form), "q": request.GET.get("q", "")},
        status=400 if form.errors else 200)


@staff_view("campaigns.nominate", handles_pii=True, objects={"pk": Nomination})
def nomination_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    form = NominationForm(request.POST or None, instance=nomination, user=request.user)
    done = run_service(request, form, lambda: services.nomination_update(
        actor=request.user, nomination=nomination, data=form.to_data()), _("已保存。"))
    if done:
        return done
    return render(request, "campaigns/commendation/nomination_form.html", {
        "form": form, "nomination": nomination, "people": _people(request, form), "q": request.GET.get("q", "")},
        status=400 if form.errors else 200)


@staff_view("campaigns.view_commendation", handles_pii=True, objects={"pk": Nomination})
def nomination_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    notice = notices.notice_for(nomination)
    return render(request, "campaigns/commendation/nomination_detail.html", {
        "nomination": nomination, "notice": notice, "files": selectors.files_of(nomination),
        "objections": notices.objections_of(notice) if notice else [], "states": NominationState,
        "can_nominate": can(request.user, "campaigns.nominate", nomination),
        "can_decide": can(request.user, "campaigns.decide_commendation", nomination),
        "review_form": ReviewForm(), "notice_form": NoticeForm(), "decide_form": DecideForm(),
        "answer_form": AnswerForm(), "attach_form": AttachForm(), "today": timezone.localdate()})


@staff_view("campaigns.nominate", objects={"pk": Nomination})
@require_POST
def nomination_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    try:
        services.nomination_submit(actor=request.user, nomination=nomination)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已报送%(org)s审核。") % {"org": nomination.deciding_organization.name})
    return redirect(nomination)


@staff_view("campaigns.nominate", objects={"pk": Nomination})
@require_POST
def nomination_attach(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    run_posted(request, AttachForm(request.POST, request.FILES),
            lambda data: services.nomination_attach(actor=request.user, nomination=nomination,
                                                    upload=data["file"], caption=data["caption"]),
            _("材料已上传。"))
    return redirect(nomination)


@staff_view("campaigns.view_commendation", handles_pii=True,
            objects={"pk": Nomination, "file_id": NominationFile})
def nomination_file(request: AuthedRequest, pk: int, file_id: int) -> HttpResponseBase:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    row = selectors.file_get(user=request.user, nomination=nomination, file_id=file_id)
    return file_response(request, row.file)


@staff_view("campaigns.decide_commendation", objects={"pk": Nomination})
@require_POST
def nomination_review(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    run_posted(request, ReviewForm(request.POST),
            lambda data: services.nomination_review(actor=request.user, nomination=nomination,
                                                    decision=data["decision"], reason=data["reason"]),
            lambda data: {"approve": _("已审核通过，列为拟表彰对象，下一步发布公示。"),
                          "return": _("已退回推荐单位修改，退回理由已记录。"),
                          "reject": _("已决定不予入选，理由已记录。")}.get(data["decision"], _("已审核。")))
    return redirect(nomination)


@staff_view("campaigns.decide_commendation", objects={"pk": Nomination})
@require_POST
def nomination_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    run_posted(request, NoticeForm(request.POST),
            lambda data: services.nomination_notice_open(actor=request.user, nomination=nomination,
                                                         days=data["days"], working_days=data["working_days"]),
            _("已开始公示，门户网站上可以看到。"))
    return redirect(nomination)


@staff_view("campaigns.decide_commendation", objects={"pk": Nomination, "objection_id": Objection})
@require_POST
def nomination_answer(request: AuthedRequest, pk: int, objection_id: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    objection = notices.objection_of(nomination, objection_id)
    run_posted(request, AnswerForm(request.POST),
            lambda data: services.nomination_answer_objection(actor=request.user, nomination=nomination,
                                                              objection=objection, reply=data["reply"],
                                                              upheld=data["upheld"]),
            _("已答复。"))
    return redirect(nomination)


@staff_view("campaigns.decide_commendation", objects={"pk": Nomination})
@require_POST
def nomination_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user(user=request.user, nomination_id=pk)
    run_posted(request, DecideForm(request.POST),
            lambda data: services.nomination_decide(actor=request.user, nomination=nomination,
                                                    award=data["decision"] == "award", reason=data["reason"]),
            _("已作出表彰决定。"))
    return redirect(nomination)


@staff_view("campaigns.view_commendation")
def nomination_board(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    return render(request, "campaigns/commendation/board.html", {
        "year": year, "columns": selectors.review_board(user=request.user, year=year), "today": timezone.localdate(),
        "deciding": access.acting_organization(request.user)})


@staff_view("campaigns.view_commendation", objects={"org": Organization})
def commendation_roll(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    organization = selectors.roll_organization(user=request.user, organization_id=request.GET.get("org"))
    sections = selectors.commendation_roll(user=request.user, organization=organization, year=year)
    return render(request, "campaigns/commendation/roll.html", {
        "year": year, "organization": organization, "sections": sections,
        "total": sum(len(s.rows) for s in sections)})
