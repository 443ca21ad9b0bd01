"""A campaign (第三篇): its theme, issuer and co-issuers, targets, activity lines and dated phases."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.models import Organization, User

__all__ = ["Campaign", "CampaignState", "Phase", "Theme"]


class Theme(models.TextChoices):
    """The campaign's theme: 第三篇's, or one of 第五篇's 五比五创."""

    STRONG_ORGANIZATION = "strong_org", _("强组织创先进、提素质争模范")
    STUDY = "study", _("比学习、创一流素质")
    UNITY = "unity", _("比团结、创一流队伍")
    SERVICE = "service", _("比服务、创一流作风")
    EFFICIENCY = "efficiency", _("比效能、创一流业绩")
    DEDICATION = "dedication", _("比奉献、创一流形象")
    FIVE_COMPARISONS = "five", _("五比五创")
    OTHER = "other", _("其他")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下发")
    CLOSED = "closed", _("已结束")


class Campaign(models.Model):
    """One 创先争优 campaign, issued by an organisation (with co-issuers of the party line) to the
    organisations of its subtree chosen by kind (or one by one)."""

    title = models.CharField(_("活动名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=20, choices=Theme.choices, default=Theme.STRONG_ORGANIZATION)
    goals = models.TextField(_("目标要求"), blank=True,
                             help_text=_("例如：争创“五好”基层妇联组织，争当“五个模范”妇联干部"))
    body = models.TextField(_("活动内容"), blank=True)
    lines = models.JSONField(_("活动载体"), default=list, blank=True,
                             help_text=_("kernel.figures.Line 的取值：学习讨论座谈、岗位奉献等"))
    organization = models.ForeignKey(Organization, verbose_name=_("发文组织"), on_delete=models.PROTECT,
                                     related_name="campaigns")
    co_organizations: models.ManyToManyField[Organization, Any] = models.ManyToManyField(Organization, verbose_name=_("联合发文组织"), blank=True,
                                              related_name="co_issued_campaigns")
    target_kinds = models.JSONField(_("参加组织类型"), default=list, blank=True)
    target_organizations: models.ManyToManyField[Organization, Any] = models.ManyToManyField(Organization, verbose_name=_("指定参加组织"), blank=True,
                                                  related_name="targeted_by_campaigns")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    plan_due = models.DateField(_("方案报送截止"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT)
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("创先争优活动")
        verbose_name_plural = _("创先争优活动")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["organization", "state"], name="campaign_org_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def current_phase(self, on: date | None = None) -> Phase | None:
        """The phase running on `on` (today by default), from the loaded phases."""
        from django.utils import timezone

        day = on or timezone.localdate()
        for phase in self.phases.all():
            if phase.starts_on <= day and (phase.ends_on is None or day <= phase.ends_on):
                return phase
        return None


class Phase(models.Model):
    """A dated phase of a campaign (第三篇's four: 广泛发动 … 系统总结) with its tasks."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.CASCADE,
                                 related_name="phases")
    name = models.CharField(_("阶段名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    tasks = models.TextField(_("主要任务"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("活动阶段")
        verbose_name_plural = _("活动阶段")
        ordering = ["campaign", "sort_order", "starts_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def owning_organization(self) -> Organization:
        return self.campaign.organization
