"""Reads of 党员推荐培养 through the access policy: the recommending federation's subtree and the
receiving party organisation's subtree see a recommendation and its steps; figures per township."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, Person
from gongjian.kernel.people import PARTY_STATUSES

from ..models import CultivationStage, CultivationStep, Recommendation, StepKind
from ..models.cultivation import OPEN_STAGES

MAX_CANDIDATES = 50


def recommendation_list_visible_to(*, user: Reader, organization_id: Any = None, stage: str = "",
                                   q: str = "") -> QuerySet[Recommendation]:
    """Recommendations the user reaches, newest first; narrowed to one organisation's subtree (on
    either line), a stage, or a name."""
    rows = access.visible(user, Recommendation.objects.select_related("person", "organization",
                                                                       "party_organization"))
    if organization_id:
        org = access.get(user, Organization.objects.all(), organization_id)
        rows = access.within(rows, org, via=("organization", "party_organization"))
    if stage in CultivationStage.values:
        rows = rows.filter(stage=stage)
    q = " ".join(str(q or "").split())[:20]
    if q:
        rows = rows.filter(person__name__contains=q)
    return rows.order_by("-recommended_on", "-id")


def recommendation_get_for_user(*, user: Reader, recommendation_id: Any) -> Recommendation:
    return access.get(user, Recommendation.objects.select_related(
        "person", "person__organization", "organization", "party_organization"), recommendation_id)


def steps_of(recommendation: Recommendation) -> QuerySet[CultivationStep]:
    return recommendation.steps.select_related("decided_by_organization").order_by("decided_on", "id")


def party_organizations_for(person: Person) -> QuerySet[Organization]:
    """The party organisations of her village (the place of the organisation she is registered with)."""
    return Organization.objects.filter(kind__in=Organization.PARTY_KINDS, is_active=True,
                                       region_id=person.organization.region_id).order_by("path")


def candidates_for(*, user: Reader, q: str = "") -> list[Person]:
    """Women the acting federation may recommend: in its reach, not party members, not already
    in cultivation; at most MAX_CANDIDATES, narrowed by a name."""
    rows = (access.visible(user, Person.objects.select_related("organization"))
            .filter(gender="F").exclude(political_status__in=PARTY_STATUSES)
            .exclude(party_recommendations__stage__in=OPEN_STAGES))
    q = " ".join(str(q or "").split())[:20]
    if q:
        rows = rows.filter(name__contains=q)
    return list(rows.order_by("name", "id")[:MAX_CANDIDATES])


def candidate_get(*, user: Reader, person_id: Any) -> Person:
    return access.get(user, Person.objects.select_related("organization"), person_id)


# --- figures ----------------------------------------------------------------------------------------

FIGURE_CODES = ("recommended", "activists", "developed", "members")
_STEP_CODES = {StepKind.ACTIVIST: "activists", StepKind.PROBATIONARY: "developed", StepKind.MEMBER: "members"}


def provide_figures(ask: figures.Ask) -> figures.Answer:
    """Per asked organisation's subtree (the recommending federation's line): women recommended in
    the period, and steps decided in the period — 入党积极分子, 发展 (接收为预备党员), 转正.
    Two queries and one of paths, however many organisations are asked."""
    per_org: dict[int, dict[str, int]] = defaultdict(dict)
    if ask.wants("recommended"):
        made = (figures.within_asked(Recommendation.objects.all(), ask)
                .filter(recommended_on__gte=ask.start, recommended_on__lte=ask.end)
                .values("organization").annotate(n=Count("pk")))
        for row in made:
            per_org[row["organization"]]["recommended"] = row["n"]
    wanted = [step for step, code in _STEP_CODES.items() if ask.wants(code)]
    if wanted:
        decided = (figures.within_asked(CultivationStep.objects.all(), ask, via="recommendation__organization")
                   .filter(step__in=wanted, decided_on__gte=ask.start, decided_on__lte=ask.end)
                   .values("recommendation__organization", "step").annotate(n=Count("pk")))
        for row in decided:
            per_org[row["recommendation__organization"]][_STEP_CODES[row["step"]]] = row["n"]
    return figures.rollup_many(per_org, ask.organizations)
