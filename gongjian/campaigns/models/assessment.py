"""考评机制 (第五篇 二; 第三篇 四 第四阶段 考核评议): criteria sets, per-subject assessments, scores.

A `CriteriaSet` belongs to the organisation that assesses (its owner) and optionally to a
campaign; its `Criterion` rows carry a maximum score each, which is the criterion's weight: an
assessment's total is the sum of the superior's scores (五好: five criteria of 20 points, 100 in
all). A criterion may be *computed* from records through `kernel.figures` (`figure_code`): the
score is `max_score × min(value / target, 1)` — full marks at the target value, proportional
below it (services/assessment.py, `computed_score`).

An `Assessment` is one subject under a set: an organisation (五好), or a cadre (五个模范), whose
organisation is then the cadre's own. Each `Score` row holds the subject's self-score, note and
evidence (links as text, files as `Evidence`), and the superior's score and comment."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization, Person, StoredFile, User

from .campaign import Campaign

__all__ = ["Assessment", "AssessmentState", "CriteriaSet", "Criterion", "Evidence", "Score", "SetKind",
           "SubjectKind"]


class SetKind(models.TextChoices):
    FIVE_GOOD = "five_good", _("五好基层妇联组织")
    FIVE_MODELS = "five_models", _("五个模范妇联干部")
    QUANTIFIED = "quantified", _("量化指标（量化到人、到事）")


class SubjectKind(models.TextChoices):
    ORGANIZATION = "organization", _("组织")
    CADRE = "cadre", _("干部")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("待自评")
    SELF_ASSESSED = "self_assessed", _("已自评，待评分")
    RETURNED = "returned", _("退回补充材料")
    SCORED = "scored", _("已评分")
    PUBLISHED = "published", _("已公布")


class CriteriaSet(models.Model):
    """The criteria one organisation assesses its subjects by, for a year (and a campaign)."""

    title = models.CharField(_("考评名称"), max_length=200)
    kind = models.CharField(_("考评类型"), max_length=20, choices=SetKind.choices, default=SetKind.FIVE_GOOD)
    subject_kind = models.CharField(_("考评对象"), max_length=20, choices=SubjectKind.choices,
                                    default=SubjectKind.ORGANIZATION)
    organization = models.ForeignKey(Organization, verbose_name=_("考评组织"), on_delete=models.PROTECT,
                                     related_name="criteria_sets")
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="criteria_sets")
    year = models.PositiveSmallIntegerField(_("年度"))
    self_due = models.DateField(_("自评截止"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考评标准")
        verbose_name_plural = _("考评标准")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["organization", "year"], name="criteriaset_org_year"),
                   models.Index(fields=["campaign"], name="criteriaset_campaign")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:criteria-set-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class Criterion(models.Model):
    """One criterion: its maximum score is its weight; computed from records when `figure_code` is set."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("考评项目"), max_length=100)
    description = models.TextField(_("考评内容"), blank=True)
    max_score = models.DecimalField(_("分值（权重）"), max_digits=6, decimal_places=1, default=Decimal("20"))
    figure_code = models.CharField(_("自动计算指标"), max_length=80, blank=True,
                                   help_text=_("kernel.figures 的指标代码；留空为人工评分"))
    target = models.DecimalField(_("满分目标值"), max_digits=10, decimal_places=1, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("考评项目")
        verbose_name_plural = _("考评项目")
        ordering = ["criteria_set", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return bool(self.figure_code)

    @property
    def figure_label(self) -> str:
        """The computed figure's label as its source offers it (the code when no longer offered)."""
        from gongjian.kernel.figures import label_of

        return label_of(self.figure_code) if self.figure_code else ""


class Assessment(models.Model):
    """One subject under a set: an organisation, or a cadre (`person`) of `organization`."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="assessments")
    organization = models.ForeignKey(Organization, verbose_name=_("被考评组织"), on_delete=models.PROTECT,
                                     related_name="assessments")
    person = models.ForeignKey(Person, verbose_name=_("被考评干部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(_("状态"), max_length=20, choices=AssessmentState.choices,
                             default=AssessmentState.DRAFT)
    summary = models.TextField(_("自评总结"), blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    self_assessed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)
    scored_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考评")
        verbose_name_plural = _("考评")
        ordering = ["criteria_set", "organization__path", "id"]
        indexes = [models.Index(fields=["criteria_set", "state"], name="assessment_set_state"),
                   models.Index(fields=["organization", "state"], name="assessment_org_state")]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "organization"], condition=models.Q(person__isnull=True),
                                    name="assessment_one_per_organization"),
            models.UniqueConstraint(fields=["criteria_set", "person"], condition=models.Q(person__isnull=False),
                                    name="assessment_one_per_cadre"),
        ]

    def __str__(self) -> str:
        return self.subject_name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:assessment-detail", args=[self.pk])

    @property
    def subject_name(self) -> str:
        if self.person is not None:
            return f"{self.person.name}（{self.organization.name}）"
        return self.organization.name

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class Score(models.Model):
    """One criterion of one assessment: the self-assessment and the superior's score."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    self_score = models.DecimalField(_("自评分"), max_digits=6, decimal_places=1, null=True, blank=True)
    self_note = models.TextField(_("自评说明"), blank=True)
    evidence_links = models.TextField(_("佐证记录"), blank=True,
                                      help_text=_("相关记录的链接或说明，每行一条"))
    score = models.DecimalField(_("评分"), max_digits=6, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    computed_value = models.DecimalField(_("计算值"), max_digits=12, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("考评得分")
        verbose_name_plural = _("考评得分")
        ordering = ["assessment", "criterion__sort_order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="score_one_per_criterion")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id}"

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class Evidence(models.Model):
    """A file the subject attached to one criterion of her self-assessment."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.score.assessment.organization
