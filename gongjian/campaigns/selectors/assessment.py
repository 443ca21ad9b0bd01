"""Reads of 考评 through the access policy: sets, assessments with their totals, the ranking, the
year-end view. Totals and ranks are computed in SQL (a sum per assessment, RANK() over a window)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Rank
from django.urls import reverse

from gongjian.kernel import access
from gongjian.kernel.access import Subtree
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, Person, Position

from ..models import (
    Assessment,
    AssessmentState,
    Campaign,
    CriteriaSet,
    Evidence,
    Score,
    SubjectKind,
)
from ..workflow import RANKED_STATES

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=1))
OWNER_SIDE = Subtree()  # on a CriteriaSet: she acts for its owner or above it


POINTS: DecimalField[Any, Any] = DecimalField(max_digits=8, decimal_places=1)


def _sum_of(field_name: str) -> Coalesce:
    """One assessment's sum of a score column, as a correlated subquery (an indexed look-up of its
    rows): the outer query needs no GROUP BY, so it may load related rows without grouping by them."""
    sums = (Score.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
            .annotate(points=Sum(field_name)).values("points"))
    return Coalesce(Subquery(sums, output_field=POINTS), ZERO, output_field=POINTS)


def _total() -> Coalesce:
    return _sum_of("score")


def _self_total() -> Coalesce:
    return _sum_of("self_score")


# ------------------------------------------------------------------------------ sets


def criteria_set_list_visible_to(*, user: Reader, year: int | None = None,
                                 campaign: Campaign | None = None) -> QuerySet[CriteriaSet]:
    found = access.visible(user, CriteriaSet.objects.select_related("organization", "campaign"))
    if year is not None:
        found = found.filter(year=year)
    if campaign is not None:
        found = found.filter(campaign=campaign)
    return found.annotate(subjects=Count("assessments", distinct=True))


def criteria_set_get_for_user(*, user: Reader, criteria_set_id: object) -> CriteriaSet:
    return access.get(user, CriteriaSet.objects.select_related("organization", "campaign")
                      .prefetch_related("criteria"), criteria_set_id)


def is_owner_side(*, user: Reader, criteria_set: CriteriaSet) -> bool:
    """She acts for the set's owner or above it: she sees every assessment of the set."""
    return access.may(user, criteria_set, reach=OWNER_SIDE)


# ------------------------------------------------------------------------------ assessments


def assessment_list_visible_to(*, user: Reader, criteria_set: CriteriaSet | None = None,
                               state: str = "") -> QuerySet[Assessment]:
    """Visible assessments with their totals (the superior's and the self-assessment's)."""
    found = access.visible(user, Assessment.objects.select_related("organization", "person", "criteria_set"))
    if criteria_set is not None:
        found = found.filter(criteria_set=criteria_set)
    if state in AssessmentState.values:
        found = found.filter(state=state)
    return found.annotate(total=_total(), self_total=_self_total()).order_by(
        "criteria_set_id", "organization__path", "person_id", "id")


def assessment_get_for_user(*, user: Reader, assessment_id: object) -> Assessment:
    return access.get(user, Assessment.objects.select_related(
        "organization", "person", "criteria_set__organization", "criteria_set__campaign")
        .prefetch_related("scores__criterion", "scores__evidence__file")
        .annotate(total=_total(), self_total=_self_total()), assessment_id)


def evidence_get_for_user(*, user: Reader, evidence_id: object) -> Evidence:
    return access.get(user, Evidence.objects.select_related("file", "score__assessment__organization"), evidence_id)


def my_assessments(*, user: Reader) -> QuerySet[Assessment]:
    """The acting organisation's own assessments (to fill in), newest set first."""
    acting = access.acting_organization(user)
    if acting is None:
        return Assessment.objects.none()
    return (Assessment.objects.filter(organization=acting).select_related("criteria_set", "person")
            .annotate(total=_total()).order_by("-criteria_set__year", "-criteria_set_id", "id"))


def subject_choices(*, user: Reader, criteria_set: CriteriaSet) -> list[tuple[int, str]]:
    """Whom the owner may add: organisations below her (组织 sets) or cadres holding positions in
    her subtree (干部 sets), within reach, not yet subjects."""
    owner = criteria_set.organization
    if criteria_set.subject_kind == SubjectKind.CADRE:
        taken_people = criteria_set.assessments.values("person_id")
        holders = Position.objects.filter(organization__path__startswith=owner.path,
                                          organization__kind__in=Organization.FEDERATION_KINDS).values("person_id")
        people = access.visible(user, Person.objects.filter(pk__in=holders).exclude(pk__in=taken_people)
                                .select_related("organization")).order_by("organization__path", "name")[:500]
        return [(p.pk, f"{p.name}（{p.organization.name}）") for p in people]
    taken = criteria_set.assessments.filter(person__isnull=True).values("organization_id")
    orgs = access.visible(user, Organization.objects.filter(
        path__startswith=owner.path, kind__in=Organization.FEDERATION_KINDS, is_active=True)
        .exclude(pk=owner.pk).exclude(pk__in=taken)).order_by("path")[:500]
    return [(o.pk, o.name) for o in orgs]


# ------------------------------------------------------------------------------ ranking


def _level() -> Case:
    """The ranking's level: organisations of the same kind; all the cadres of a set together."""
    return Case(When(criteria_set__subject_kind=SubjectKind.CADRE, then=Value("")),
                default=F("organization__kind"), output_field=CharField())


#: The columns of a ranking row; the totals are summed grouped by these alone (no personal data of
#: a cadre beyond her name is read).
RANKING_COLUMNS = ("id", "criteria_set_id", "organization_id", "person_id", "organization__name",
                   "organization__kind", "organization__path", "person__name", "criteria_set__title",
                   "criteria_set__subject_kind")
_SUMMED: Coalesce = Coalesce(Sum("scores__score"), ZERO, output_field=POINTS)


@dataclass(frozen=True)
class RankRow:
    """One line of a ranking: the subject, its total (the superior's scores summed) and its rank."""

    id: int
    criteria_set_id: int
    criteria_set_title: str
    subject_kind: str
    organization_id: int
    organization_name: str
    organization_kind: str
    person_id: int | None
    person_name: str | None
    total: Decimal
    rank: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> RankRow:
        return cls(id=row["id"], criteria_set_id=row["criteria_set_id"], criteria_set_title=row["criteria_set__title"],
                   subject_kind=row["criteria_set__subject_kind"], organization_id=row["organization_id"],
                   organization_name=row["organization__name"], organization_kind=row["organization__kind"],
                   person_id=row["person_id"], person_name=row["person__name"],
                   total=Decimal(row["total"]).quantize(Decimal("0.1")), rank=int(row["rank"]))

    @property
    def name(self) -> str:
        return self.person_name or self.organization_name

    @property
    def subject_name(self) -> str:
        if self.person_id is not None:
            return f"{self.person_name}（{self.organization_name}）"
        return self.organization_name

    @property
    def kind_label(self) -> str:
        return str(Organization.Kind(self.organization_kind).label) if self.subject_kind == SubjectKind.ORGANIZATION \
            else ""

    def get_absolute_url(self) -> str:
        return reverse("campaigns:assessment-detail", args=[self.id])


def ranked(sets: QuerySet[CriteriaSet] | list[CriteriaSet]) -> QuerySet[Assessment, dict[str, Any]]:
    """Every scored (or published) assessment of the sets with its total and its rank among the
    same set's subjects of the same level (RANK(): ties share a rank, the next one skips), as
    rows of `RANKING_COLUMNS` + total, rank (wrap them with `RankRow.of`). One query: the scores
    are summed per assessment, grouped by the row's own columns, and ranked over a window."""
    return (Assessment.objects.filter(criteria_set__in=sets, state__in=RANKED_STATES)
            .values(*RANKING_COLUMNS)
            .annotate(total=_SUMMED, level=_level())
            .annotate(rank=Window(Rank(), partition_by=[F("criteria_set_id"), F("level")],
                                  order_by=F("total").desc()))
            .order_by("criteria_set_id", "level", "rank", "organization__path", "person_id", "id"))


def rank_rows(rows: Any) -> list[RankRow]:
    return [RankRow.of(row) for row in rows]


@dataclass
class Ranking:
    """The rows she may see: the whole ranking of the sets she owns (or lies above) — a query,
    to be paginated and wrapped with `rank_rows` — and her own published rows with their rank
    among the others."""

    owned: QuerySet[Assessment, dict[str, Any]]
    own_rows: list[RankRow] = field(default_factory=list)


def ranking_for(*, user: Reader, sets: list[CriteriaSet]) -> Ranking:
    owned = [s for s in sets if is_owner_side(user=user, criteria_set=s)]
    others = [s for s in sets if s not in owned]
    result = Ranking(owned=ranked(owned) if owned else ranked([]).none())
    acting = access.acting_organization(user)
    if others and acting is not None:
        mine = (Assessment.objects.filter(criteria_set__in=others, organization=acting, state=AssessmentState.PUBLISHED)
                .values(*RANKING_COLUMNS).annotate(total=_SUMMED))
        for row in mine:
            # Her rank among the same set's scored subjects of her level: one count of those ahead.
            peers = Assessment.objects.filter(criteria_set_id=row["criteria_set_id"], state__in=RANKED_STATES)
            if row["criteria_set__subject_kind"] == SubjectKind.ORGANIZATION:
                peers = peers.filter(organization__kind=row["organization__kind"])
            ahead = peers.values("pk").annotate(points=_SUMMED).filter(points__gt=row["total"]).count()
            result.own_rows.append(RankRow.of({**row, "rank": ahead + 1}))
    return result


def campaign_ranking(*, user: Reader, campaign: Campaign) -> Ranking:
    """The ranking of a campaign's sets she may see (the campaign came through `access.get`)."""
    sets = list(criteria_set_list_visible_to(user=user, campaign=campaign))
    return ranking_for(user=user, sets=sets)


# ------------------------------------------------------------------------------ year-end view


@dataclass
class YearRow:
    criteria_set: CriteriaSet
    rows: list[RankRow]


def year_view(*, user: Reader, year: int) -> list[YearRow]:
    """A year's sets with each subject's total and rank (what 评先评优 and 工作排名 read)."""
    sets = list(criteria_set_list_visible_to(user=user, year=year).order_by("organization__path", "id"))
    ranking = ranking_for(user=user, sets=sets)
    per_set: dict[int, list[RankRow]] = defaultdict(list)
    for row in [*rank_rows(ranking.owned), *ranking.own_rows]:
        per_set[row.criteria_set_id].append(row)
    return [YearRow(criteria_set=s, rows=per_set.get(s.pk, [])) for s in sets]

