"""督查指导 (第五篇 下阶段 二): the superior's visits with findings and follow-ups due by a date,
推进会 / 座谈会 / 现场会 as meeting records, and 调研报告 attached to a campaign."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import deadlines
from gongjian.kernel.models import Organization, Person, StoredFile, User

from .campaign import Campaign

__all__ = ["FollowUp", "FollowUpState", "Meeting", "MeetingKind", "ResearchReport", "SupervisionVisit"]


class SupervisionVisit(models.Model):
    """A 督查指导 visit of a superior organisation to one strictly below it."""

    organization = models.ForeignKey(Organization, verbose_name=_("督查组织"), on_delete=models.PROTECT,
                                     related_name="supervision_visits")
    visited = models.ForeignKey(Organization, verbose_name=_("被督查组织"), on_delete=models.PROTECT,
                                related_name="supervision_received")
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="supervision_visits")
    visited_on = models.DateField(_("督查日期"))
    participants = models.TextField(_("参加人员"), blank=True)
    findings = models.TextField(_("督查发现"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督查指导")
        verbose_name_plural = _("督查指导")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["organization", "visited_on"], name="visit_org_date"),
                   models.Index(fields=["visited", "visited_on"], name="visit_visited_date")]

    def __str__(self) -> str:
        return f"{self.organization} → {self.visited}（{self.visited_on}）"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:visit-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class FollowUpState(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已反馈")
    CONFIRMED = "confirmed", _("已确认")


class FollowUp(models.Model):
    """A 整改 item of a visit, due by a date: the visited organisation answers, the visitor confirms
    (or returns it, with a reason, to be answered again)."""

    visit = models.ForeignKey(SupervisionVisit, verbose_name=_("督查"), on_delete=models.PROTECT,
                              related_name="followups")
    item = models.TextField(_("整改事项"))
    due_on = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    answer = models.TextField(_("整改情况"), blank=True)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField(_("退回原因"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="followup_state_due")]

    def __str__(self) -> str:
        return self.item[:50]

    def get_absolute_url(self) -> str:
        return reverse("campaigns:followup-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.visit.visited

    def due_status(self, today: date | None = None) -> deadlines.DueStatus:
        """未到期 / 即将到期 / 已逾期 while open; 按时 / 逾期完成 once answered."""
        done = self.answered_on if self.state != FollowUpState.OPEN else None
        return deadlines.due_status(self.due_on, done, today=today)

    @property
    def is_overdue(self) -> bool:
        return self.due_status() == deadlines.DueStatus.OVERDUE


class MeetingKind(models.TextChoices):
    PROGRESS = "progress", _("推进会")
    SYMPOSIUM = "symposium", _("座谈会")
    ON_SITE = "on_site", _("现场会")


class Meeting(models.Model):
    """A 推进会, 座谈会 or 现场会 held by an organisation: where, when, the minutes and who came."""

    organization = models.ForeignKey(Organization, verbose_name=_("召开组织"), on_delete=models.PROTECT,
                                     related_name="campaign_meetings")
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    minutes = models.TextField(_("会议纪要"))
    head_count = models.PositiveIntegerField(_("参会人数"))
    attendees: models.ManyToManyField[Person, Any] = models.ManyToManyField(
        Person, verbose_name=_("参会人员"), blank=True, related_name="campaign_meetings")
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"], name="meeting_org_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:meeting-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class ResearchReport(models.Model):
    """A 调研报告 written by an organisation, attached to a campaign."""

    organization = models.ForeignKey(Organization, verbose_name=_("报告组织"), on_delete=models.PROTECT,
                                     related_name="research_reports")
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="research_reports")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("报告正文"), blank=True)
    attachment = models.ForeignKey(StoredFile, verbose_name=_("附件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("报告日期"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调研报告")
        verbose_name_plural = _("调研报告")
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["organization", "written_on"], name="report_org_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:report-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization
