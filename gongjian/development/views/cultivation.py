"""Staff pages of 党员推荐培养 (/work/development/recommendations/): the list (both lines), a
recommendation from a phone, where she stands, and the party side's decision of the next step."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.cultivation import RecommendForm, StepForm
from ..models import CultivationStage, Recommendation
from ..selectors import cultivation as selectors
from ..services import cultivation as services


def _status(form: object) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


@staff_view("development.view_recommendation", objects={"org": Organization, "stage": None, "q": None})
def recommendation_list(request: AuthedRequest) -> HttpResponse:
    stage, q = request.GET.get("stage", ""), request.GET.get("q", "")
    rows = selectors.recommendation_list_visible_to(user=request.user, organization_id=request.GET.get("org"),
                                                    stage=stage, q=q)
    return render(request, "development/cultivation/list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "stages": CultivationStage.choices,
        "stage": stage, "q": q, "can_recommend": can(request.user, "development.recommend")})


@staff_view("development.recommend", handles_pii=True, objects={"q": None})
def recommendation_create(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    person = None
    if request.method == "POST" and str(request.POST.get("person", "")).isdigit():
        try:
            person = selectors.candidate_get(user=request.user, person_id=request.POST["person"])
        except Http404:
            person = None
    candidates = selectors.candidates_for(user=request.user, q=q)
    if person is not None and person not in candidates:
        candidates.append(person)
    party = [(str(o.pk), o.name) for o in selectors.party_organizations_for(person)] if person else []
    form = RecommendForm(request.POST or None, candidates=candidates, party_choices=party)

    def recommend() -> Recommendation:
        if person is None:
            raise ValidationError({"person": _("请选择推荐对象。")})
        return services.recommendation_create(
            actor=request.user, person=person, party_organization_id=form.cleaned_data["party_organization"],
            recommended_on=form.cleaned_data["recommended_on"], reason=form.cleaned_data["reason"])

    done = run_service(request, form, recommend, _("已推荐给党组织。"))
    return done or render(request, "development/cultivation/form.html", {"form": form, "q": q},
                          status=_status(form))


@staff_view("development.view_recommendation", objects={"pk": Recommendation})
def recommendation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_user(user=request.user, recommendation_id=pk)
    return render(request, "development/cultivation/detail.html", {
        "r": recommendation, "steps": selectors.steps_of(recommendation),
        "can_decide": recommendation.is_open and can(request.user, "development.decide_cultivation", recommendation)})


@staff_view("development.decide_cultivation", objects={"pk": Recommendation})
def recommendation_step(request: AuthedRequest, pk: int) -> HttpResponse:
    """The party side decides the next step of the woman's cultivation."""
    recommendation = selectors.recommendation_get_for_user(user=request.user, recommendation_id=pk)
    if not can(request.user, "development.decide_cultivation", recommendation):
        raise Http404
    form = StepForm(request.POST or None, recommendation=recommendation)
    done = run_service(request, form, lambda: services.cultivation_decide(
        actor=request.user, recommendation=recommendation, step=form.cleaned_data["step"],
        decided_on=form.cleaned_data["decided_on"], note=form.cleaned_data["note"]),
        _("培养环节已记录。"), then=lambda _step: redirect(recommendation))
    return done or render(request, "development/cultivation/step.html", {
        "r": recommendation, "form": form, "steps": selectors.steps_of(recommendation)}, status=_status(form))


urlpatterns = [
    path("recommendations/", recommendation_list, name="recommendation-list"),
    path("recommendations/new/", recommendation_create, name="recommendation-create"),
    path("recommendations/<int:pk>/", recommendation_detail, name="recommendation-detail"),
    path("recommendations/<int:pk>/step/", recommendation_step, name="recommendation-step"),
]
