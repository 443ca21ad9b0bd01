"""承诺机制 (第五篇; 第二篇 总之): public pledges by organisations and cadres, their progress (践诺),
the superior's rating (评诺), and the public's moderated comments."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.models import Organization, Person, StoredFile, User

from .campaign import Campaign

__all__ = ["KEPT_RATINGS", "ON_PORTAL", "Pledge", "PledgeCategory", "PledgeComment", "PledgeRating",
           "PledgeState", "PledgeUpdate"]


class PledgeCategory(models.TextChoices):
    """第五篇's four pledges of a cadre, and 第二篇's federation pledge to women."""

    STUDY = "study", _("带头学习提升能力")
    INNOVATION = "innovation", _("改革创新推动发展")
    SERVICE = "service", _("爱岗敬业服务群众")
    INTEGRITY = "integrity", _("清正廉洁遵纪守法")
    WOMEN = "women", _("为民服务承诺（对妇女群众）")


class PledgeState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已承诺，践诺中")
    EVALUATED = "evaluated", _("已评诺")
    WITHDRAWN = "withdrawn", _("已撤销")


class PledgeRating(models.TextChoices):
    """评诺: the superior's rating of how the pledge was kept."""

    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


#: A pledge counts as kept (践诺) when its 评诺 is one of these.
KEPT_RATINGS = (PledgeRating.SATISFIED, PledgeRating.FAIRLY)
#: States in which a public pledge is on the portal.
ON_PORTAL = (PledgeState.PUBLISHED, PledgeState.EVALUATED)


class Pledge(models.Model):
    """One pledge (承诺) of an organisation, or of a cadre holding a position in it."""

    organization = models.ForeignKey(Organization, verbose_name=_("承诺组织"), on_delete=models.PROTECT,
                                     related_name="pledges")
    cadre = models.ForeignKey(Person, verbose_name=_("承诺干部"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="pledges")
    cadre_title = models.CharField(_("干部职务"), max_length=50, blank=True,
                                   help_text=_("承诺时所任职务，门户上只显示职务，不显示姓名"))
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="pledges")
    category = models.CharField(_("承诺类别"), max_length=12, choices=PledgeCategory.choices)
    title = models.CharField(_("承诺事项"), max_length=100)
    content = models.TextField(_("承诺内容"))
    measures = models.TextField(_("践诺措施"), blank=True)
    due_on = models.DateField(_("承诺完成时限"))
    is_public = models.BooleanField(_("在门户公开"), default=True)
    state = models.CharField(_("状态"), max_length=10, choices=PledgeState.choices, default=PledgeState.DRAFT)
    published_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    rating = models.CharField(_("评诺结果"), max_length=12, choices=PledgeRating.choices, blank=True, default="")
    evaluation = models.TextField(_("评诺意见"), blank=True)
    evaluated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evaluated_by_organization = models.ForeignKey(Organization, verbose_name=_("评诺组织"), null=True, blank=True,
                                                  on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("评诺时间"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"], name="pledge_org_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:pledge-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def on_portal(self) -> bool:
        return self.is_public and self.state in ON_PORTAL

    @property
    def overdue(self) -> bool:
        """Published, past its due date and not yet rated (评诺 is due)."""
        return self.state == PledgeState.PUBLISHED and self.due_on < timezone.localdate()

    @property
    def kept(self) -> bool:
        return self.state == PledgeState.EVALUATED and self.rating in KEPT_RATINGS


class PledgeUpdate(models.Model):
    """A progress report (践诺) by the pledging organisation."""

    pledge = models.ForeignKey(Pledge, verbose_name=_("承诺"), on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)
    photo = models.ForeignKey(StoredFile, verbose_name=_("照片"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    photo_is_public = models.BooleanField(_("照片可在门户公开"), default=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("践诺进展")
        verbose_name_plural = _("践诺进展")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.pledge} {self.date}"

    @property
    def owning_organization(self) -> Organization:
        return self.pledge.organization


class PledgeComment(models.Model):
    """A comment of the public on a pledge: no account, no contact data; shown only once the
    pledging organisation's staff approve it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        SHOWN = "shown", _("已显示")
        HIDDEN = "hidden", _("不显示")

    pledge = models.ForeignKey(Pledge, verbose_name=_("承诺"), on_delete=models.PROTECT, related_name="comments")
    nickname = models.CharField(_("称呼"), max_length=20, blank=True)
    content = models.TextField(_("留言内容"))
    submitted_at = models.DateTimeField(_("留言时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    hidden_reason = models.CharField(_("不显示的原因"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("承诺留言")
        verbose_name_plural = _("承诺留言")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["pledge", "state"], name="pledge_comment_state")]

    def __str__(self) -> str:
        return self.content[:20]

    @property
    def owning_organization(self) -> Organization:
        return self.pledge.organization

    @property
    def display_name(self) -> str:
        return self.nickname or str(_("网友"))
