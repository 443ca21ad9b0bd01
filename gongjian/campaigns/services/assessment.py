"""Writes of 考评: criteria sets from templates, subjects, self-assessments with evidence, the
superior's scores (computed indicators filled from kernel.figures), returns and publication.

Rule of a computed indicator (documented in docs/architecture.md): the figure of the subject's
subtree over the set's period (the campaign's dates, else the calendar year) scores
`max_score × min(value / target, 1)`, rounded to one decimal: full marks at the target value,
proportional below it, never above the maximum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, figures, workflow
from gongjian.kernel.attachments import store_upload
from gongjian.kernel.models import Organization, Person, User
from gongjian.kernel.notifications import notify, resolve, subject_key_of
from gongjian.kernel.permissions import ensure_can

from ..models import (
    Assessment,
    AssessmentState,
    Campaign,
    CriteriaSet,
    Criterion,
    Evidence,
    Score,
    SetKind,
    SubjectKind,
)
from ..workflow import ASSESSMENT_TRANSITIONS

__all__ = [
    "TEMPLATES",
    "assessment_add_evidence",
    "assessment_create",
    "assessment_return",
    "assessment_score",
    "assessment_self_assess",
    "assessments_create_for_kind",
    "computed_score",
    "criteria_set_create",
    "criteria_set_publish",
    "criterion_add",
    "set_period",
]

# The ready-made sets: (name, description, max score) per criterion.
TEMPLATES: dict[str, list[tuple[str, str, int]]] = {
    SetKind.FIVE_GOOD: [
        ("组织机构好", "领导班子健全，组织设置规范，妇女小组、妇女之家等阵地覆盖到位。", 20),
        ("工作制度好", "学习、例会、联系群众、报告等工作制度健全并落实。", 20),
        ("工作业绩好", "围绕中心、服务大局，完成年度目标任务，活动有特色、有成效。", 20),
        ("干部队伍好", "妇联干部政治坚定、素质过硬、作风扎实，群众满意。", 20),
        ("保障机制好", "工作经费、活动场所落实，党建带妇建机制健全。", 20),
    ],
    SetKind.FIVE_MODELS: [
        ("自觉学习", "自觉学习政治理论和业务知识，做自觉学习的模范。", 20),
        ("服务大局", "围绕党政中心工作建功立业，做服务大局的模范。", 20),
        ("服务妇女", "深入联系妇女群众，为妇女办实事，做服务妇女的模范。", 20),
        ("爱岗敬业", "热爱妇女工作，履职尽责，做爱岗敬业的模范。", 20),
        ("遵纪守法", "清正廉洁，严守纪律，做遵纪守法的模范。", 20),
    ],
    SetKind.QUANTIFIED: [
        ("活动方案和领导小组", "按时报送活动方案，成立领导小组。", 10),
        ("学习教育", "组织学习讨论座谈，撰写学习心得。", 20),
        ("岗位建功", "开展岗位奉献、巾帼建功活动的次数和成效。", 20),
        ("服务民生", "为妇女群众办实事的件数。", 20),
        ("承诺践诺", "公开承诺按期践诺。", 15),
        ("典型示范", "培养、推荐先进典型。", 15),
    ],
}
SUBJECT_OF_KIND = {SetKind.FIVE_GOOD: SubjectKind.ORGANIZATION, SetKind.FIVE_MODELS: SubjectKind.CADRE,
                   SetKind.QUANTIFIED: SubjectKind.ORGANIZATION}
EDITABLE = (AssessmentState.DRAFT, AssessmentState.RETURNED)
MAX_SCORE = Decimal("1000")
TENTH = Decimal("0.1")


def _decimal(raw: Any, *, field: str, low: Decimal, high: Decimal, label: str) -> Decimal | None:
    """A score as Decimal within [low, high], one decimal; blank is None; else a Chinese error."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("“%(label)s”的分数必须是数字。") % {"label": label}}) from None
    if not value.is_finite() or value < low or value > high:
        raise ValidationError({field: _("“%(label)s”的分数应在%(low)s到%(high)s之间。")
                               % {"label": label, "low": low, "high": high}})
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def computed_score(value: Decimal | int, *, target: Decimal | None, max_score: Decimal) -> Decimal:
    """Full marks at the target value, proportional below it, never above the maximum."""
    if not target or target <= 0:
        return Decimal("0.0")
    ratio = min(Decimal(value) / Decimal(target), Decimal(1))
    return (max_score * max(ratio, Decimal(0))).quantize(TENTH, rounding=ROUND_HALF_UP)


def set_period(criteria_set: CriteriaSet) -> tuple[date, date]:
    """What a computed indicator counts over: the campaign's dates, else the set's year."""
    campaign = criteria_set.campaign
    if campaign is not None:
        return campaign.starts_on, campaign.ends_on or date(criteria_set.year, 12, 31)
    return date(criteria_set.year, 1, 1), date(criteria_set.year, 12, 31)


# ------------------------------------------------------------------------------ sets


@transaction.atomic
def criteria_set_create(*, actor: User, kind: str, year: int, title: str = "", campaign: Campaign | None = None,
                        self_due: date | None = None) -> CriteriaSet:
    """A set of the acting organisation from a template (五好, 五个模范 or 量化指标)."""
    organization = access.acting_organization_required(actor)
    if kind not in SetKind.values:
        raise ValidationError({"kind": _("请选择考评类型。")})
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        raise ValidationError({"year": _("年度应在2000年到%(y)s年之间。") % {"y": this_year + 1}})
    criteria_set = CriteriaSet(
        title=(title or "").strip()[:200] or _("%(year)s年度%(kind)s考评") % {"year": year,
                                                                         "kind": SetKind(kind).label},
        kind=kind, subject_kind=SUBJECT_OF_KIND[SetKind(kind)], organization=organization, campaign=campaign,
        year=year, self_due=self_due, created_by=actor)
    ensure_can(actor, "campaigns.manage_criteria", criteria_set)
    if campaign is not None and not access.may(actor, campaign):
        raise PermissionDenied("campaigns.view")
    criteria_set.save()
    Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, name=name, description=description, max_score=Decimal(points),
                  sort_order=order)
        for order, (name, description, points) in enumerate(TEMPLATES[kind], start=1)])
    audit.record(criteria_set, "campaigns.criteria_set.created", actor=actor,
                 changes={"title": criteria_set.title, "kind": kind, "year": year,
                          "campaign": campaign.pk if campaign else None})
    return criteria_set


def _ensure_criteria_open(criteria_set: CriteriaSet) -> None:
    if criteria_set.assessments.exclude(state=AssessmentState.DRAFT).exists():
        raise ValidationError(_("已有单位提交自评，考评项目不能再修改。"))


@transaction.atomic
def criterion_add(*, actor: User, criteria_set: CriteriaSet, name: str, max_score: Any, description: str = "",
                  figure_code: str = "", target: Any = None) -> Criterion:
    """Add a criterion (a quantified indicator, possibly computed from records) before self-assessment."""
    ensure_can(actor, "campaigns.manage_criteria", criteria_set)
    _ensure_criteria_open(criteria_set)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写考评项目名称。")})
    points = _decimal(max_score, field="max_score", low=Decimal("0.5"), high=MAX_SCORE, label=name)
    if points is None:
        raise ValidationError({"max_score": _("请填写分值。")})
    figure_code = (figure_code or "").strip()
    goal = None
    if figure_code:
        if not figures.known(figure_code):
            raise ValidationError({"figure_code": _("没有这个自动计算指标。")})
        goal = _decimal(target, field="target", low=Decimal("0.1"), high=Decimal("100000000"), label=name)
        if goal is None:
            raise ValidationError({"target": _("自动计算的指标必须填写满分目标值。")})
    if criteria_set.criteria.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名考评项目。")})
    last = criteria_set.criteria.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    criterion = Criterion.objects.create(criteria_set=criteria_set, name=name[:100],
                                         description=(description or "").strip(), max_score=points,
                                         figure_code=figure_code, target=goal, sort_order=last + 1)
    Score.objects.bulk_create([Score(assessment_id=pk, criterion=criterion)
                               for pk in criteria_set.assessments.values_list("pk", flat=True)])
    audit.record(criteria_set, "campaigns.criterion.added", actor=actor,
                 changes={"name": criterion.name, "max_score": str(points), "figure_code": figure_code,
                          "target": str(goal) if goal is not None else None})
    return criterion


# ------------------------------------------------------------------------------ subjects


#: What a subject's organisation is asked to do: all done once it submits its self-assessment.
SELF_TODOS = ("campaigns.assessment.opened", "campaigns.assessment.reminder", "campaigns.assessment.returned")


def _notify_later(assessment: Assessment, code: str, message: str, *, dedupe: bool = False) -> None:
    """A reminder to the subject's organisation, once the transaction has committed."""

    def send() -> None:
        notify(organization=assessment.organization, code=code, message=message, link=assessment.get_absolute_url(),
               dedupe_key=f"{code}-{assessment.pk}" if dedupe else "", subject=assessment)

    transaction.on_commit(send)


def _new_assessment(criteria_set: CriteriaSet, organization: Organization, person: Person | None) -> Assessment:
    assessment = Assessment.objects.create(criteria_set=criteria_set, organization=organization, person=person)
    Score.objects.bulk_create([Score(assessment=assessment, criterion=c) for c in criteria_set.criteria.all()])
    return assessment


def _check_subject_organization(criteria_set: CriteriaSet, organization: Organization) -> None:
    owner = criteria_set.organization
    if organization.pk == owner.pk or not owner.contains(organization):
        raise ValidationError({"organization": _("被考评组织必须是考评组织下属的组织。")})
    if not organization.is_active or organization.kind not in Organization.FEDERATION_KINDS:
        raise ValidationError({"organization": _("只能考评在用的妇联组织。")})


@transaction.atomic
def assessment_create(*, actor: User, criteria_set: CriteriaSet, organization: Organization | None = None,
                      person: Person | None = None) -> Assessment:
    """Add one subject: an organisation below the owner (组织 sets), or a cadre in reach (干部 sets)."""
    ensure_can(actor, "campaigns.manage_criteria", criteria_set)
    if criteria_set.subject_kind == SubjectKind.CADRE:
        if person is None:
            raise ValidationError({"person": _("请选择被考评的干部。")})
        if not access.may(actor, person):
            raise PermissionDenied("campaigns.manage_criteria")
        organization = person.organization
        if not criteria_set.organization.contains(organization):
            raise ValidationError({"person": _("被考评干部必须属于考评组织或其下属组织。")})
        if criteria_set.assessments.filter(person=person).exists():
            raise ValidationError({"person": _("%(name)s已在本次考评中。") % {"name": person.name}})
    else:
        if organization is None:
            raise ValidationError({"organization": _("请选择被考评的组织。")})
        person = None
        _check_subject_organization(criteria_set, organization)
        if criteria_set.assessments.filter(organization=organization, person__isnull=True).exists():
            raise ValidationError({"organization": _("%(name)s已在本次考评中。") % {"name": organization.name}})
    assessment = _new_assessment(criteria_set, organization, person)
    audit.record(assessment, "campaigns.assessment.created", actor=actor,
                 changes={"criteria_set": criteria_set.pk, "organization": organization.pk,
                          "person": person.pk if person else None})
    return assessment


@transaction.atomic
def assessments_create_for_kind(*, actor: User, criteria_set: CriteriaSet, kind: str) -> list[Assessment]:
    """Every active organisation of `kind` below the owner that is not yet a subject (组织 sets)."""
    ensure_can(actor, "campaigns.manage_criteria", criteria_set)
    if criteria_set.subject_kind != SubjectKind.ORGANIZATION:
        raise ValidationError(_("干部考评请逐一添加被考评干部。"))
    if kind not in Organization.FEDERATION_KINDS:
        raise ValidationError({"kind": _("请选择妇联组织的类型。")})
    owner = criteria_set.organization
    taken = criteria_set.assessments.filter(person__isnull=True).values("organization_id")
    targets = list(Organization.objects.filter(path__startswith=owner.path, kind=kind, is_active=True)
                   .exclude(pk=owner.pk).exclude(pk__in=taken).order_by("path"))
    made = [_new_assessment(criteria_set, org, None) for org in targets]
    if made:
        audit.record(criteria_set, "campaigns.assessment.created_for_kind", actor=actor,
                     changes={"kind": kind, "organizations": [o.pk for o in targets]})
        message = _("%(set)s：请填写自评并上传佐证材料。") % {"set": criteria_set.title}
        for assessment in made:
            _notify_later(assessment, "campaigns.assessment.opened", message, dedupe=True)
    return made


# ------------------------------------------------------------------------------ self-assessment


def _criteria_by_id(assessment: Assessment) -> dict[int, Criterion]:
    return {c.pk: c for c in assessment.criteria_set.criteria.all()}


def _move(assessment: Assessment, to: str, *extra: str) -> str:
    return workflow.move(assessment, to=to, transitions=ASSESSMENT_TRANSITIONS, labels=AssessmentState,
                         extra_update_fields=extra)


@transaction.atomic
def assessment_self_assess(*, actor: User, assessment: Assessment, entries: Mapping[int, Mapping[str, Any]],
                           summary: str = "", submit: bool = False) -> Assessment:
    """Save the self-assessment (`entries`: criterion id → self_score, self_note, evidence_links);
    with `submit`, every criterion scored by hand needs a self-score and it goes to the assessor."""
    ensure_can(actor, "campaigns.self_assess", assessment)
    if assessment.state not in EDITABLE:
        raise ValidationError(_("自评已提交，不能再修改。"))
    criteria = _criteria_by_id(assessment)
    unknown = set(entries) - set(criteria)
    if unknown:
        raise ValidationError(_("考评项目不属于本次考评。"))
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    changed = {}
    for criterion_id, entry in entries.items():
        criterion = criteria[criterion_id]
        row = scores[criterion_id]
        row.self_score = _decimal(entry.get("self_score"), field=f"self_score_{criterion_id}", low=Decimal(0),
                                  high=criterion.max_score, label=criterion.name)
        row.self_note = str(entry.get("self_note") or "").strip()[:4000]
        row.evidence_links = "\n".join(line.strip()[:500] for line in str(entry.get("evidence_links") or "")
                                       .splitlines() if line.strip())[:4000]
        row.save(update_fields=["self_score", "self_note", "evidence_links"])
        changed[criterion.name] = str(row.self_score) if row.self_score is not None else None
    assessment.summary = (summary or "").strip()[:4000]
    assessment.save(update_fields=["summary"])
    if submit:
        missing = [c.name for c in criteria.values()
                   if not c.is_computed and scores[c.pk].self_score is None]
        if missing:
            raise ValidationError(_("请填写以下项目的自评分：%(names)s。") % {"names": "、".join(missing)})
        assessment.self_assessed_at = timezone.now()
        assessment.self_assessed_by = actor
        assessment.return_reason = ""
        _move(assessment, AssessmentState.SELF_ASSESSED, "self_assessed_at", "self_assessed_by", "return_reason")
        owner = assessment.criteria_set.organization
        transaction.on_commit(lambda: notify(
            organization=owner, code="campaigns.assessment.self_assessed",
            message=_("%(name)s已提交自评，请评分。") % {"name": assessment.subject_name},
            link=assessment.get_absolute_url(), subject=assessment))
        resolve(subject=assessment, codes=SELF_TODOS)
    audit.record(assessment, "campaigns.assessment.submitted" if submit else "campaigns.assessment.self_saved",
                 actor=actor, changes={"self_scores": changed})
    return assessment


@transaction.atomic
def assessment_add_evidence(*, actor: User, assessment: Assessment, criterion: Criterion,
                            upload: UploadedFile) -> Evidence:
    """Attach a file (checked by kernel.attachments) to one criterion of the self-assessment."""
    ensure_can(actor, "campaigns.self_assess", assessment)
    if assessment.state not in EDITABLE:
        raise ValidationError(_("自评已提交，不能再上传佐证材料。"))
    row = assessment.scores.filter(criterion=criterion).first()
    if row is None:
        raise ValidationError(_("考评项目不属于本次考评。"))
    stored = store_upload(upload, actor=actor, organization=assessment.organization)
    evidence = Evidence.objects.create(score=row, file=stored)
    audit.record(assessment, "campaigns.assessment.evidence_added", actor=actor,
                 changes={"criterion": criterion.name, "file": stored.original_name})
    return evidence


# ------------------------------------------------------------------------------ scoring


def fill_computed(*, actor: User, assessments: Sequence[Assessment]) -> int:
    """Read the computed indicators of many assessments at once (one `figures.read` per set) and
    write their values and scores; returns the number of rows written."""
    by_set: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_set.setdefault(assessment.criteria_set_id, []).append(assessment)
    written = 0
    for group in by_set.values():
        criteria_set = group[0].criteria_set
        computed = [c for c in criteria_set.criteria.all() if c.is_computed and figures.known(c.figure_code)]
        if not computed:
            continue
        start, end = set_period(criteria_set)
        organizations = list({a.organization_id: a.organization for a in group}.values())
        values = figures.read(user=actor, organizations=organizations, start=start, end=end,
                              codes=[c.figure_code for c in computed])
        rows = {(s.assessment_id, s.criterion_id): s for s in
                Score.objects.filter(assessment__in=group, criterion__in=computed)}
        for assessment in group:
            for criterion in computed:
                row = rows[(assessment.pk, criterion.pk)]
                value = Decimal(values[assessment.organization_id].get(criterion.figure_code, 0))
                row.computed_value = value.quantize(TENTH)
                row.score = computed_score(value, target=criterion.target, max_score=criterion.max_score)
                if not row.comment:
                    row.comment = _("自动计算：%(value)s（满分目标%(target)s）") % {
                        "value": row.computed_value, "target": criterion.target}
        Score.objects.bulk_update(list(rows.values()), ["computed_value", "score", "comment"])
        written += len(rows)
    return written


@transaction.atomic
def assessment_score(*, actor: User, assessment: Assessment,
                     entries: Mapping[int, Mapping[str, Any]]) -> Assessment:
    """The superior's score and comment per criterion (`entries`: criterion id → score, comment);
    computed indicators are filled from the records. Every criterion scored by hand needs a score.
    A scored assessment may be scored again until it is published."""
    ensure_can(actor, "campaigns.score_assessment", assessment)
    if assessment.state not in (AssessmentState.SELF_ASSESSED, AssessmentState.SCORED):
        raise ValidationError(_("只能对已提交自评的考评评分。"))
    criteria = _criteria_by_id(assessment)
    if set(entries) - set(criteria):
        raise ValidationError(_("考评项目不属于本次考评。"))
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    changed = {}
    for criterion in criteria.values():
        row = scores[criterion.pk]
        entry = entries.get(criterion.pk, {})
        row.comment = str(entry.get("comment") or "").strip()[:4000]
        if not criterion.is_computed:
            row.score = _decimal(entry.get("score"), field=f"score_{criterion.pk}", low=Decimal(0),
                                 high=criterion.max_score, label=criterion.name)
            if row.score is None:
                raise ValidationError({f"score_{criterion.pk}": _("请为“%(name)s”评分。") % {"name": criterion.name}})
        row.save(update_fields=["score", "comment"])
        changed[criterion.name] = str(row.score) if row.score is not None else None
    fill_computed(actor=actor, assessments=[assessment])
    assessment.scored_at = timezone.now()
    assessment.scored_by = actor
    if assessment.state == AssessmentState.SELF_ASSESSED:
        _move(assessment, AssessmentState.SCORED, "scored_at", "scored_by")
    else:
        assessment.save(update_fields=["scored_at", "scored_by"])
    audit.record(assessment, "campaigns.assessment.scored", actor=actor, changes={"scores": changed})
    resolve(subject=assessment, codes=("campaigns.assessment.self_assessed",))
    return assessment


@transaction.atomic
def assessment_return(*, actor: User, assessment: Assessment, reason: str) -> Assessment:
    """Send a self-assessment back for more evidence, with the reason (before publication)."""
    ensure_can(actor, "campaigns.score_assessment", assessment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明退回原因，例如需要补充哪些佐证材料。")})
    assessment.return_reason = reason[:500]
    _move(assessment, AssessmentState.RETURNED, "return_reason")
    audit.record(assessment, "campaigns.assessment.returned", actor=actor, changes={"reason": assessment.return_reason})
    resolve(subject=assessment, codes=("campaigns.assessment.self_assessed",))
    _notify_later(assessment, "campaigns.assessment.returned",
                  _("%(set)s的自评被退回：%(reason)s") % {"set": assessment.criteria_set.title,
                                                      "reason": assessment.return_reason})
    return assessment


@transaction.atomic
def criteria_set_publish(*, actor: User, criteria_set: CriteriaSet) -> int:
    """Publish every scored assessment of the set: the subjects then see their totals and ranks."""
    ensure_can(actor, "campaigns.manage_criteria", criteria_set)
    scored = list(criteria_set.assessments.select_for_update().filter(state=AssessmentState.SCORED))
    if not scored:
        raise ValidationError(_("还没有已评分的考评可以公布。"))
    now = timezone.now()
    for assessment in scored:
        assessment.published_at = now
        _move(assessment, AssessmentState.PUBLISHED, "published_at")
    audit.record(criteria_set, "campaigns.criteria_set.published", actor=actor,
                 changes={"published": [a.pk for a in scored]})
    message = _("%(set)s的考评结果已公布。") % {"set": criteria_set.title}
    for assessment in scored:
        _notify_later(assessment, "campaigns.assessment.published", message, dedupe=True)
    return len(scored)


SELF_REMIND_DAYS_BEFORE = 3


def self_assessments_remind(*, today: date | None = None) -> int:
    """Remind the organisations whose self-assessment is still open (to do, or returned for more
    evidence): once within three days of the set's deadline, and once when it has passed.
    Deduplicated per assessment and occasion, so the sweep may run any number of times a day."""
    from django.urls import reverse

    from gongjian.kernel.models import Notification

    day = today or timezone.localdate()
    rows = (Assessment.objects
            .filter(state__in=EDITABLE, criteria_set__self_due__isnull=False,
                    criteria_set__self_due__lte=day + timedelta(days=SELF_REMIND_DAYS_BEFORE))
            .values_list("pk", "organization_id", "criteria_set__title", "criteria_set__self_due"))
    fresh = []
    for pk, org_id, title, due in rows:
        if due is None:
            continue
        late = due < day
        message = (_("“%(title)s”的自评已过截止日期（%(due)s），请尽快完成。") if late
                   else _("“%(title)s”的自评请于%(due)s前完成。")) % {"title": title, "due": due.strftime("%Y-%m-%d")}
        fresh.append(Notification(organization_id=org_id, code="campaigns.assessment.reminder", message=message[:300],
                                  link=reverse("campaigns:assessment-self", args=[pk]),
                                  dedupe_key=f"campaigns.assessment.{'late' if late else 'due'}:{pk}:{due.isoformat()}",
                                  subject=subject_key_of(Assessment, pk)))
    if not fresh:
        return 0
    already = set(Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in fresh])
                  .values_list("dedupe_key", flat=True))
    fresh = [n for n in fresh if n.dedupe_key not in already]
    Notification.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)
