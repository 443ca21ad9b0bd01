"""Staff pages of 考评: the list, a set (criteria, subjects, ranking), one assessment with the
self-assessment (phone) and the superior's scoring (desktop), a campaign's ranking, the year-end view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization, Person
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import (
    clamp_int,
    organization_get_for_user,
    paginate,
    person_get_for_user,
)

from ..forms.assessment import (
    CriteriaSetForm,
    CriterionForm,
    EvidenceForm,
    KindForm,
    ReturnForm,
    ScoringForm,
    SelfAssessmentForm,
    SubjectForm,
)
from ..models import Assessment, AssessmentState, Campaign, CriteriaSet, Evidence, SubjectKind
from ..selectors import assessment as selectors
from ..selectors import campaign as campaign_selectors
from ..services import assessment as services


def _status(form: BaseForm) -> int:
    return 400 if form.is_bound and form.errors else 200




@staff_view("campaigns.view_assessment")
def assessment_list(request: AuthedRequest) -> HttpResponse:
    sets = paginate(selectors.criteria_set_list_visible_to(user=request.user), page=request.GET.get("page"),
                    per_page=30)
    return render(request, "campaigns/assessment/list.html", {
        "sets": sets, "mine": selectors.my_assessments(user=request.user)[:20],
        "can_create": can(request.user, "campaigns.manage_criteria")})


@staff_view("campaigns.manage_criteria", objects={"campaign": Campaign})
def criteria_set_create(request: AuthedRequest) -> HttpResponse:
    campaigns = list(campaign_selectors.campaign_list_visible_to(user=request.user)[:50])
    initial = {}
    if request.GET.get("campaign"):  # "new set for this campaign": one she reaches, else 404
        initial["campaign"] = campaign_selectors.campaign_get_for_user(campaign_id=request.GET["campaign"],
                                                                       user=request.user).pk
    form = CriteriaSetForm(request.POST if request.method == "POST" else None, campaigns=campaigns, initial=initial)

    def create() -> CriteriaSet:
        data = form.cleaned_data
        made = services.criteria_set_create(actor=request.user, kind=data["kind"], year=data["year"],
                                            title=data["title"], campaign=form.chosen_campaign(), self_due=data["self_due"])
        if data["target_kind"] and made.subject_kind == SubjectKind.ORGANIZATION:
            services.assessments_create_for_kind(actor=request.user, criteria_set=made, kind=data["target_kind"])
        return made

    done = run_service(request, form, create, _("考评已建立。"))
    return done or render(request, "campaigns/assessment/set_form.html", {"form": form}, status=_status(form))


@staff_view("campaigns.view_assessment", objects={"pk": CriteriaSet})
def criteria_set_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = selectors.criteria_set_get_for_user(user=request.user, criteria_set_id=pk)
    owner_side = selectors.is_owner_side(user=request.user, criteria_set=criteria_set)
    manage = can(request.user, "campaigns.manage_criteria", criteria_set)
    ranking = selectors.ranking_for(user=request.user, sets=[criteria_set])
    return render(request, "campaigns/assessment/set_detail.html", {
        "set": criteria_set, "owner_side": owner_side, "can_manage": manage,
        "assessments": paginate(selectors.assessment_list_visible_to(user=request.user, criteria_set=criteria_set),
                                page=request.GET.get("page"), per_page=100),
        "ranking": selectors.rank_rows(ranking.owned[:200]) + ranking.own_rows,
        "subject_form": SubjectForm(criteria_set=criteria_set, choices=selectors.subject_choices(
            user=request.user, criteria_set=criteria_set)) if manage else None,
        "kind_form": KindForm() if manage and criteria_set.subject_kind == SubjectKind.ORGANIZATION else None,
        "criterion_form": CriterionForm() if manage else None,
        "states": AssessmentState})


@staff_view("campaigns.manage_criteria", objects={"pk": CriteriaSet})
@require_POST
def criterion_add(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = selectors.criteria_set_get_for_user(user=request.user, criteria_set_id=pk)
    run_posted(request, CriterionForm(request.POST), lambda d: services.criterion_add(
        actor=request.user, criteria_set=criteria_set, name=d["name"], description=d["description"],
        max_score=d["max_score"], figure_code=d["figure_code"], target=d["target"]), _("考评项目已添加。"))
    return redirect(criteria_set)


def _add_subject(request: AuthedRequest, criteria_set: CriteriaSet, pk: int) -> Assessment:
    """The chosen organisation or cadre, fetched through her reach (404 beyond it), added."""
    if criteria_set.subject_kind == SubjectKind.CADRE:
        person: Person = person_get_for_user(user=request.user, person_id=pk)
        return services.assessment_create(actor=request.user, criteria_set=criteria_set, person=person)
    organization: Organization = organization_get_for_user(user=request.user, organization_id=pk)
    return services.assessment_create(actor=request.user, criteria_set=criteria_set, organization=organization)


@staff_view("campaigns.manage_criteria", objects={"pk": CriteriaSet})
@require_POST
def subject_add(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = selectors.criteria_set_get_for_user(user=request.user, criteria_set_id=pk)
    if request.POST.get("kind"):
        run_posted(request, KindForm(request.POST), lambda d: services.assessments_create_for_kind(
            actor=request.user, criteria_set=criteria_set, kind=d["kind"]), _("已添加被考评组织。"))
    else:
        form = SubjectForm(request.POST, criteria_set=criteria_set,
                           choices=selectors.subject_choices(user=request.user, criteria_set=criteria_set))
        run_posted(request, form, lambda d: _add_subject(request, criteria_set, d["subject"]), _("已添加被考评对象。"))
    return redirect(criteria_set)


@staff_view("campaigns.manage_criteria", objects={"pk": CriteriaSet})
@require_POST
def criteria_set_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    criteria_set = selectors.criteria_set_get_for_user(user=request.user, criteria_set_id=pk)
    try:
        count = services.criteria_set_publish(actor=request.user, criteria_set=criteria_set)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已公布%(count)s个考评结果。") % {"count": count})
    return redirect(criteria_set)


@staff_view("campaigns.view_assessment", objects={"pk": Assessment})
def assessment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, assessment_id=pk)
    owner_side = selectors.is_owner_side(user=request.user, criteria_set=assessment.criteria_set)
    return render(request, "campaigns/assessment/detail.html", {
        "a": assessment, "states": AssessmentState, "owner_side": owner_side,
        # A subject sees the superior's scores once they are published.
        "show_scores": owner_side or assessment.state == AssessmentState.PUBLISHED,
        "can_self": can(request.user, "campaigns.self_assess", assessment)
        and assessment.state in services.EDITABLE,
        "can_score": can(request.user, "campaigns.score_assessment", assessment)
        and assessment.state in (AssessmentState.SELF_ASSESSED, AssessmentState.SCORED),
        "return_form": ReturnForm()})


@staff_view("campaigns.self_assess", objects={"pk": Assessment})
def assessment_self(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, assessment_id=pk)
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None, assessment=assessment)
    done = run_service(request, form, lambda: services.assessment_self_assess(
        actor=request.user, assessment=assessment, entries=form.entries(), summary=form.cleaned_data["summary"],
        submit=form.submitting()), lambda a: _("自评已提交，等待上级评分。") if a.state == AssessmentState.SELF_ASSESSED
        else _("已保存，可继续补充后提交。"),
        # Saved, not submitted: back to the form (to add evidence); submitted: to the assessment.
        then=lambda a: redirect(a) if a.state == AssessmentState.SELF_ASSESSED
        else redirect("campaigns:assessment-self", pk=a.pk))
    return done or render(request, "campaigns/assessment/self_form.html", {
        "a": assessment, "form": form, "evidence_form": EvidenceForm(assessment=assessment)}, status=_status(form))


@staff_view("campaigns.self_assess", objects={"pk": Assessment})
@require_POST
def evidence_add(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, assessment_id=pk)
    form = EvidenceForm(request.POST, request.FILES, assessment=assessment)
    run_posted(request, form, lambda d: services.assessment_add_evidence(
        actor=request.user, assessment=assessment, criterion=form.criteria[d["criterion"]], upload=d["file"]),
        _("佐证材料已上传。"))
    return redirect("campaigns:assessment-self", pk=assessment.pk)


@staff_view("campaigns.view_assessment", objects={"pk": Evidence})
def evidence_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    found = selectors.evidence_get_for_user(user=request.user, evidence_id=pk)
    return file_response(request, found.file)


@staff_view("campaigns.score_assessment", objects={"pk": Assessment})
def assessment_score(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, assessment_id=pk)
    form = ScoringForm(request.POST if request.method == "POST" else None, assessment=assessment)
    done = run_service(request, form, lambda: services.assessment_score(
        actor=request.user, assessment=assessment, entries=form.entries()), _("评分已保存。"))
    return done or render(request, "campaigns/assessment/score_form.html", {"a": assessment, "form": form},
                          status=_status(form))


@staff_view("campaigns.score_assessment", objects={"pk": Assessment})
@require_POST
def assessment_return(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, assessment_id=pk)
    run_posted(request, ReturnForm(request.POST), lambda d: services.assessment_return(
        actor=request.user, assessment=assessment, reason=d["reason"]), _("已退回，请对方补充材料。"))
    return redirect(assessment)


@staff_view("campaigns.view_assessment", objects={"pk": Campaign})
def campaign_ranking(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    ranking = selectors.campaign_ranking(user=request.user, campaign=campaign)
    page = paginate(ranking.owned, page=request.GET.get("page"), per_page=100)
    return render(request, "campaigns/assessment/ranking.html", {
        "campaign": campaign, "page": page, "rows": selectors.rank_rows(page.rows), "own_rows": ranking.own_rows})


@staff_view("campaigns.view_assessment")
def year_view(request: AuthedRequest) -> HttpResponse:
    year = clamp_int(request.GET.get("year"), timezone.localdate().year, 2000, 2100)
    return render(request, "campaigns/assessment/year.html", {
        "year": year, "sets": selectors.year_view(user=request.user, year=year)})
