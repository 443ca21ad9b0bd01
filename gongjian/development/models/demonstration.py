"""示范 and 转移 (第二篇 六): 巾帼科技致富示范村、示范基地、示范户 — proposed from below, designated by
the county federation with criteria and an evaluation, reviewed every year, shown on the portal —
and 富余劳动力转移: who was placed where and when after a training. (牵手结对 is the kernel's
`Pairing`, purpose `development`.)"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization, Person, StoredFile, User

__all__ = ["Demonstration", "DemonstrationKind", "DemonstrationReview", "DemonstrationState", "Placement",
           "PlacementScope", "ReviewResult"]


class DemonstrationKind(models.TextChoices):
    VILLAGE = "village", _("巾帼科技致富示范村")
    BASE = "base", _("巾帼科技致富示范基地")
    HOUSEHOLD = "household", _("示范户")


class DemonstrationState(models.TextChoices):
    PROPOSED = "proposed", _("已推荐，待县妇联认定")
    DESIGNATED = "designated", _("已认定")
    DECLINED = "declined", _("未予认定")
    REVOKED = "revoked", _("已撤销")


class ReviewResult(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class Demonstration(models.Model):
    """A demonstration village, base or household of a village federation."""

    organization = models.ForeignKey(Organization, verbose_name=_("所属妇联"), on_delete=models.PROTECT,
                                     related_name="demonstrations")
    kind = models.CharField(_("类别"), max_length=10, choices=DemonstrationKind.choices)
    name = models.CharField(_("名称"), max_length=100,
                            help_text=_("示范户填户名（如“王家苹果种植户”），门户只显示户名"))
    person = models.ForeignKey(Person, verbose_name=_("示范户户主"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="demonstrations")
    trade = models.CharField(_("产业"), max_length=50)
    description = models.TextField(_("基本情况"))
    women_count = models.PositiveIntegerField(_("带动妇女人数"), default=0)
    photo = models.ForeignKey(StoredFile, verbose_name=_("照片"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    photo_is_public = models.BooleanField(_("照片可在门户公开"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=DemonstrationState.choices,
                             default=DemonstrationState.PROPOSED)
    proposed_by_organization = models.ForeignKey(Organization, verbose_name=_("推荐单位"), on_delete=models.PROTECT,
                                                 related_name="+")
    proposed_on = models.DateField(_("推荐日期"))
    criteria = models.TextField(_("认定标准"), blank=True)
    evaluation = models.TextField(_("评定意见"), blank=True)
    designated_by_organization = models.ForeignKey(Organization, verbose_name=_("认定单位"), null=True, blank=True,
                                                   on_delete=models.PROTECT, related_name="+")
    designated_on = models.DateField(_("认定日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("巾帼科技致富示范")
        verbose_name_plural = _("巾帼科技致富示范")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["state", "designated_on"], name="demonstration_state_on")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("development:demonstration-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def on_portal(self) -> bool:
        return self.state == DemonstrationState.DESIGNATED


class DemonstrationReview(models.Model):
    """The county's yearly review (年度复核) of a designated demonstration."""

    demonstration = models.ForeignKey(Demonstration, verbose_name=_("示范"), on_delete=models.PROTECT,
                                      related_name="reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    result = models.CharField(_("复核结果"), max_length=10, choices=ReviewResult.choices)
    note = models.TextField(_("复核意见"), blank=True)
    reviewed_by_organization = models.ForeignKey(Organization, verbose_name=_("复核单位"), on_delete=models.PROTECT,
                                                 related_name="+")
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("示范年度复核")
        verbose_name_plural = _("示范年度复核")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["demonstration", "year"], name="demonstration_review_year")]

    def __str__(self) -> str:
        return f"{self.demonstration} {self.year}"

    @property
    def owning_organization(self) -> Organization:
        return self.demonstration.organization


class PlacementScope(models.TextChoices):
    LOCAL = "local", _("本地就业")
    AWAY = "away", _("外出务工")


class Placement(models.Model):
    """富余劳动力转移: a woman placed in work after a training (who, where, when)."""

    organization = models.ForeignKey(Organization, verbose_name=_("登记妇联"), on_delete=models.PROTECT,
                                     related_name="placements")
    person = models.ForeignKey(Person, verbose_name=_("转移就业妇女"), on_delete=models.PROTECT,
                               related_name="placements")
    training = models.CharField(_("参加的培训"), max_length=100, blank=True)
    employer = models.CharField(_("就业单位"), max_length=100)
    work = models.CharField(_("工种"), max_length=50)
    scope = models.CharField(_("本地或外出"), max_length=6, choices=PlacementScope.choices)
    place = models.CharField(_("就业地点"), max_length=100, blank=True)
    placed_on = models.DateField(_("上岗日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("转移就业")
        verbose_name_plural = _("转移就业")
        ordering = ["-placed_on", "-id"]
        indexes = [models.Index(fields=["placed_on", "organization"], name="placement_on_org")]

    def __str__(self) -> str:
        return f"{self.person} {self.employer}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization
