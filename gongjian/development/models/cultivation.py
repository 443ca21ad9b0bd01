"""党员推荐培养 (第二篇 三): the federation recommends an outstanding woman to the party branch of
her village; the party side decides each step (入党积极分子 → 发展对象 → 预备党员 → 正式党员),
dated, or ends it; the federation sees where she stands. Steps are an append-only history."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization, Person, PoliticalStatus, User

__all__ = ["CultivationStage", "CultivationStep", "ENDED_STAGES", "OPEN_STAGES", "Recommendation", "StepKind"]


class CultivationStage(models.TextChoices):
    """Where a recommended woman stands (the first four steps match kernel PoliticalStatus values)."""

    RECOMMENDED = "recommended", _("已推荐，待党组织考察")
    ACTIVIST = "activist", _("入党积极分子")
    DEVELOPMENT = "development", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    MEMBER = "member", _("正式党员")
    NOT_ADMITTED = "not_admitted", _("未被吸收")
    WITHDRAWN = "withdrawn", _("已终止培养")


class StepKind(models.TextChoices):
    """A step the party side decides: the next stage, or the end of the cultivation."""

    ACTIVIST = "activist", _("确定为入党积极分子")
    DEVELOPMENT = "development", _("列为发展对象")
    PROBATIONARY = "probationary", _("接收为预备党员")
    MEMBER = "member", _("预备党员转为正式党员")
    NOT_ADMITTED = "not_admitted", _("未被吸收（说明原因）")
    WITHDRAWN = "withdrawn", _("终止培养（说明原因）")


#: Stages in which the party side still has a step to decide.
OPEN_STAGES = (CultivationStage.RECOMMENDED, CultivationStage.ACTIVIST, CultivationStage.DEVELOPMENT,
               CultivationStage.PROBATIONARY)
#: Stages that end the cultivation without admission.
ENDED_STAGES = (CultivationStage.NOT_ADMITTED, CultivationStage.WITHDRAWN)


class Recommendation(models.Model):
    """A woman recommended by a federation organisation to a party organisation (党员推荐培养对象)."""

    person = models.ForeignKey(Person, verbose_name=_("推荐对象"), on_delete=models.PROTECT,
                               related_name="party_recommendations")
    organization = models.ForeignKey(Organization, verbose_name=_("推荐组织"), on_delete=models.PROTECT,
                                     related_name="party_recommendations_made")
    party_organization = models.ForeignKey(Organization, verbose_name=_("接收党组织"), on_delete=models.PROTECT,
                                           related_name="party_recommendations_received")
    recommended_on = models.DateField(_("推荐日期"))
    reason = models.TextField(_("推荐理由和主要事迹"))
    status_before = models.CharField(_("推荐时的政治面貌"), max_length=16, choices=PoliticalStatus.choices)
    stage = models.CharField(_("培养阶段"), max_length=16, choices=CultivationStage.choices,
                             default=CultivationStage.RECOMMENDED)
    stage_on = models.DateField(_("本阶段日期"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党员推荐培养")
        verbose_name_plural = _("党员推荐培养")
        ordering = ["-recommended_on", "-id"]
        indexes = [models.Index(fields=["organization", "stage"], name="cultivation_org_stage"),
                   models.Index(fields=["party_organization", "stage"], name="cultivation_party_stage")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_stage_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("development:recommendation-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class CultivationStep(models.Model):
    """One decided step of the party side (append-only: never changed, never deleted)."""

    recommendation = models.ForeignKey(Recommendation, verbose_name=_("推荐"), on_delete=models.PROTECT,
                                       related_name="steps")
    step = models.CharField(_("培养环节"), max_length=16, choices=StepKind.choices)
    decided_on = models.DateField(_("决定日期"))
    note = models.TextField(_("说明"), blank=True)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by_organization = models.ForeignKey(Organization, verbose_name=_("决定党组织"), on_delete=models.PROTECT,
                                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培养环节")
        verbose_name_plural = _("培养环节")
        ordering = ["decided_on", "id"]
        indexes = [models.Index(fields=["step", "decided_on"], name="cultivation_step_on")]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.decided_on}"

    @property
    def owning_organization(self) -> Organization:
        return self.recommendation.organization
