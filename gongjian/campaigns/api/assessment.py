"""API of 考评: GET/POST /api/v1/assessments, GET /api/v1/campaigns/{id}/ranking.

POST /api/v1/assessments does one `action`: `create` (the set owner adds a subject: an
organisation, or a cadre by `person_id`), `self_assess` (the subject saves, or with `submit`
submits, its self-scores), `score` (the set owner scores), `return` (the set owner sends it back
with a `reason`). Same rules, reach and errors as the pages."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.selectors import organization_get_for_user, paginate, person_get_for_user

from ..models import Assessment, AssessmentState, Campaign, CriteriaSet, SubjectKind
from ..selectors import assessment as selectors
from ..selectors import campaign as campaign_selectors
from ..services import assessment as services

router = Router(auth=token_auth)


class AssessmentAction(models.TextChoices):
    CREATE = "create", _("添加被考评对象")
    SELF_ASSESS = "self_assess", _("自评")
    SCORE = "score", _("评分")
    RETURN = "return", _("退回补充材料")


class ScoreIn(Schema):
    criterion_id: int
    score: Decimal | None = None  # self-score for self_assess, the superior's for score
    note: str = ""  # self_note for self_assess, comment for score
    evidence_links: str = ""  # self_assess only: links or references to records, one a line


class AssessmentIn(Schema):
    action: Choice[AssessmentAction]
    criteria_set_id: int | None = None  # create
    organization_id: int | None = None  # create, for an organisation set
    person_id: int | None = None  # create, for a cadre set
    assessment_id: int | None = None  # self_assess, score, return
    scores: list[ScoreIn] = []
    summary: str = ""
    submit: bool = False
    reason: str = ""


class ScoreOut(Schema):
    criterion_id: int
    name: str
    max_score: Decimal
    computed: bool
    self_score: Decimal | None
    self_note: str
    evidence_links: str
    evidence_files: list[str]
    score: Decimal | None
    comment: str
    computed_value: Decimal | None


class AssessmentOut(Schema):
    id: int
    criteria_set_id: int
    criteria_set_title: str
    campaign_id: int | None
    year: int
    subject_kind: Choice[SubjectKind]
    organization_id: int
    person_id: int | None
    subject: str
    state: Choice[AssessmentState]
    self_total: Decimal | None
    total: Decimal | None
    return_reason: str
    scores: list[ScoreOut]


class RankingRowOut(Schema):
    criteria_set_id: int
    subject_kind: Choice[SubjectKind]
    organization_id: int
    organization_kind: str
    person_id: int | None
    subject: str
    name: str
    total: Decimal | None
    rank: int


TENTH = Decimal("0.1")


def _points(value: Decimal | None) -> Decimal | None:
    """A total as the same one-decimal figure on every database (SQLite's SUM drops the scale)."""
    return None if value is None else Decimal(value).quantize(TENTH)


def _out(assessment: Assessment, *, user: Any) -> AssessmentOut:
    owner_side = selectors.is_owner_side(user=user, criteria_set=assessment.criteria_set)
    shown = owner_side or assessment.state == AssessmentState.PUBLISHED
    criteria_set = assessment.criteria_set
    return AssessmentOut(
        id=assessment.pk, criteria_set_id=criteria_set.pk, criteria_set_title=criteria_set.title,
        campaign_id=criteria_set.campaign_id, year=criteria_set.year, subject_kind=SubjectKind(criteria_set.subject_kind),
        organization_id=assessment.organization_id, person_id=assessment.person_id,
        subject=assessment.subject_name, state=AssessmentState(assessment.state), self_total=_points(getattr(assessment, "self_total")),  # noqa: B009
        total=_points(getattr(assessment, "total")) if shown and assessment.scored_at else None,  # noqa: B009
        return_reason=assessment.return_reason,
        scores=[ScoreOut(criterion_id=row.criterion_id, name=row.criterion.name, max_score=row.criterion.max_score,
                         computed=row.criterion.is_computed, self_score=row.self_score, self_note=row.self_note,
                         evidence_links=row.evidence_links,
                         evidence_files=[e.file.original_name for e in row.evidence.all()],
                         score=row.score if shown else None, comment=row.comment if shown else "",
                         computed_value=row.computed_value if shown else None)
                for row in assessment.scores.all()])


@router.get("/assessments", response=list[AssessmentOut])
@requires("campaigns.view_assessment", objects={"criteria_set": CriteriaSet})
def assessment_list(request: AuthedRequest, criteria_set: int | None = None,
                    state: OptionalChoice[AssessmentState] = None,
                    page: int = 1) -> list[AssessmentOut]:
    chosen = (selectors.criteria_set_get_for_user(user=request.user, criteria_set_id=criteria_set)
              if criteria_set is not None else None)
    found = selectors.assessment_list_visible_to(user=request.user, criteria_set=chosen, state=str(state or "")
                                                 ).prefetch_related("scores__criterion", "scores__evidence__file")
    rows = paginate(found, page=page, per_page=50).rows
    return [_out(a, user=request.user) for a in rows]


@router.post("/assessments", response={200: AssessmentOut, 201: AssessmentOut})
@requires("campaigns.view_assessment")
def assessment_post(request: AuthedRequest, payload: AssessmentIn) -> Status:
    user = request.user
    if payload.action == AssessmentAction.CREATE:
        if payload.criteria_set_id is None:
            raise ValidationError({"criteria_set_id": _("请指定考评（criteria_set_id）。")})
        criteria_set = selectors.criteria_set_get_for_user(user=user, criteria_set_id=payload.criteria_set_id)
        if criteria_set.subject_kind == SubjectKind.CADRE:
            person = person_get_for_user(user=user, person_id=payload.person_id) if payload.person_id else None
            made = services.assessment_create(actor=user, criteria_set=criteria_set, person=person)
        else:
            org = (organization_get_for_user(user=user, organization_id=payload.organization_id)
                   if payload.organization_id else None)
            made = services.assessment_create(actor=user, criteria_set=criteria_set, organization=org)
        return Status(201, _out(selectors.assessment_get_for_user(user=user, assessment_id=made.pk), user=user))
    if payload.assessment_id is None:
        raise ValidationError({"assessment_id": _("请指定考评记录（assessment_id）。")})
    assessment = selectors.assessment_get_for_user(user=user, assessment_id=payload.assessment_id)
    if payload.action == AssessmentAction.SELF_ASSESS:
        services.assessment_self_assess(
            actor=user, assessment=assessment, summary=payload.summary, submit=payload.submit,
            entries={s.criterion_id: {"self_score": s.score, "self_note": s.note, "evidence_links": s.evidence_links}
                     for s in payload.scores})
    elif payload.action == AssessmentAction.SCORE:
        services.assessment_score(actor=user, assessment=assessment,
                                  entries={s.criterion_id: {"score": s.score, "comment": s.note}
                                           for s in payload.scores})
    else:
        services.assessment_return(actor=user, assessment=assessment, reason=payload.reason)
    return Status(200, _out(selectors.assessment_get_for_user(user=user, assessment_id=assessment.pk), user=user))


@router.get("/campaigns/{campaign_id}/ranking", response=list[RankingRowOut])
@requires("campaigns.view_assessment", objects={"campaign_id": Campaign})
def campaign_ranking(request: AuthedRequest, campaign_id: int, page: int = 1) -> list[RankingRowOut]:
    campaign = campaign_selectors.campaign_get_for_user(campaign_id=campaign_id, user=request.user)
    ranking = selectors.campaign_ranking(user=request.user, campaign=campaign)
    rows = selectors.rank_rows(paginate(ranking.owned, page=page, per_page=100).rows)
    if page == 1:
        rows = [*ranking.own_rows, *rows]
    return [RankingRowOut(criteria_set_id=r.criteria_set_id, subject_kind=SubjectKind(r.subject_kind),
                          organization_id=r.organization_id, organization_kind=r.organization_kind,
                          person_id=r.person_id, subject=r.subject_name, name=r.name, total=r.total, rank=r.rank)
            for r in rows]
