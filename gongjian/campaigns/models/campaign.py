"""A campaign (第三篇): its theme, issuer and co-issuers, targets, activity lines and dated phases."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.models import Organization, StoredFile, User

__all__ = ["SUBMITTED", "Campaign", "CampaignState", "Phase", "PlanAttachment", "PlanRevision", "PlanStatus",
           "PlanSubmission", "Theme"]


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
    #: How many plans stand in each status ({"on_time": n, …}), kept by the services on every
    #: plan write (services.campaign.plans_recount) so the board's counts cost no query.
    plan_counts = models.JSONField(_("方案报送统计"), default=dict, blank=True, editable=False)
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

    @property
    def line_labels(self) -> list[str]:
        """The activity lines' names, in the order the campaign lists them."""
        from gongjian.kernel.figures import Line

        names = dict(Line.choices)
        return [str(names.get(value, value)) for value in self.lines or []]

    @property
    def target_kind_labels(self) -> list[str]:
        names = dict(Organization.Kind.choices)
        return [str(names.get(value, value)) for value in self.target_kinds or []]


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


class PlanStatus(models.TextChoices):
    """Where a target organisation's plan stands, as the board and the API show it: a submitted
    plan is on time or late by the day it first came in against the campaign's plan_due."""

    ON_TIME = "on_time", _("按时报送")
    LATE = "late", _("逾期报送")
    MISSING = "missing", _("未报送")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已通过")


#: A plan that came in and waits for the issuer's review.
SUBMITTED = (PlanStatus.ON_TIME, PlanStatus.LATE)


class PlanSubmission(models.Model):
    """One target organisation's plan for a campaign (各妇联组织的活动方案…报送): one row per target,
    made when the campaign is issued, so the issuer's board is one query. The current text lives
    here; every submission is kept as a `PlanRevision` (nothing is overwritten or deleted)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="plans")
    organization = models.ForeignKey(Organization, verbose_name=_("报送组织"), on_delete=models.PROTECT,
                                     related_name="campaign_plans")
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.MISSING)
    title = models.CharField(_("方案标题"), max_length=200, blank=True)
    body = models.TextField(_("方案内容"), blank=True)
    leading_group = models.ForeignKey(Organization, verbose_name=_("领导小组"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    #: The day the plan first came in: on time or late is judged by it against the campaign's plan_due.
    first_submitted_on = models.DateField(_("首次报送日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    revision = models.PositiveSmallIntegerField(_("报送次数"), default=0)
    review_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动方案报送")
        verbose_name_plural = _("活动方案报送")
        ordering = ["campaign", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="plan_once_per_target")]
        indexes = [models.Index(fields=["campaign", "status"], name="plan_campaign_status")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:plan-detail", args=[self.campaign_id, self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_submitted(self) -> bool:
        return self.status in SUBMITTED

    @property
    def is_late(self) -> bool:
        due = self.campaign.plan_due
        return bool(due and self.first_submitted_on and self.first_submitted_on > due)


class PlanRevision(models.Model):
    """One submission of a plan as it was sent, and what the issuer said about it."""

    class Outcome(models.TextChoices):
        NONE = "", _("待审核")
        RETURNED = "returned", _("退回修改")
        ACCEPTED = "accepted", _("通过")

    plan = models.ForeignKey(PlanSubmission, verbose_name=_("方案"), on_delete=models.PROTECT,
                             related_name="revisions")
    number = models.PositiveSmallIntegerField(_("第几次报送"))
    title = models.CharField(_("方案标题"), max_length=200)
    body = models.TextField(_("方案内容"), blank=True)
    leading_group = models.ForeignKey(Organization, verbose_name=_("领导小组"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("审核结果"), max_length=10, choices=Outcome.choices, blank=True, default="")
    review_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("方案报送记录")
        verbose_name_plural = _("方案报送记录")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_once")]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"

    @property
    def owning_organization(self) -> Organization:
        return self.plan.organization


class PlanAttachment(models.Model):
    """A file sent with one submission (a resubmission without new files carries the last ones over)."""

    revision = models.ForeignKey(PlanRevision, verbose_name=_("报送记录"), on_delete=models.PROTECT,
                                 related_name="attachments")
    file = models.ForeignKey(StoredFile, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("方案附件")
        verbose_name_plural = _("方案附件")
        ordering = ["revision", "id"]

    def __str__(self) -> str:
        return self.file.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.revision.plan.organization
