"""Commendation (表彰, 第三篇 (四), 第五篇 下阶段 三, 第二篇 六): an organisation puts forward an
organisation, a cadre or a woman for a title; the deciding organisation above reviews it, puts it
on public notice (公示, kernel.notices) and awards it. The awarded are the exemplars the portal
shows with their deeds (宣传先进事迹)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.models import Organization, Person, StoredFile, User

from .campaign import Campaign

__all__ = [
    "CADRE_TITLES",
    "ORGANIZATION_TITLES",
    "PERSON_TITLES",
    "WOMAN_TITLES",
    "Nomination",
    "NominationFile",
    "NominationState",
    "TitleKind",
]


class TitleKind(models.TextChoices):
    """The titles a federation awards: two for organisations, two for cadres, three for women."""

    ADVANCED_ORGANIZATION = "advanced_org", _("先进妇联组织")
    CIVILIZED_POST = "civilized_post", _("巾帼文明岗")
    EXCELLENT_CADRE = "excellent_cadre", _("优秀妇联干部")
    PACESETTER = "pacesetter", _("巾帼建功标兵")
    ENTREPRENEUR = "entrepreneur", _("巾帼创业之星")
    DOUBLE_LEARNING = "double_learning", _("双学双比女能手")
    RED_BANNER = "red_banner", _("三八红旗手")


ORGANIZATION_TITLES = (TitleKind.ADVANCED_ORGANIZATION, TitleKind.CIVILIZED_POST)
CADRE_TITLES = (TitleKind.EXCELLENT_CADRE, TitleKind.PACESETTER)
WOMAN_TITLES = (TitleKind.ENTREPRENEUR, TitleKind.DOUBLE_LEARNING, TitleKind.RED_BANNER)
PERSON_TITLES = CADRE_TITLES + WOMAN_TITLES


class NominationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送，待审核")
    RETURNED = "returned", _("退回修改")
    NOT_SELECTED = "not_selected", _("未入选")
    APPROVED = "approved", _("拟表彰，待公示")
    ON_NOTICE = "on_notice", _("公示中")
    AWARDED = "awarded", _("已表彰")
    NOT_AWARDED = "not_awarded", _("不予表彰")


class NominationQuerySet(models.QuerySet["Nomination"]):
    """What a template may ask of a campaign's nominations without a reach: only what is public
    (the awarded and those on notice); everything else goes through the selectors."""

    def awarded(self) -> NominationQuerySet:
        return self.filter(state=NominationState.AWARDED).select_related("organization").order_by("kind", "id")

    def on_notice(self) -> NominationQuerySet:
        return self.filter(state=NominationState.ON_NOTICE).select_related("organization").order_by("kind", "id")


class Nomination(models.Model):
    """One nomination (推荐) for a title, from the nominating organisation to a deciding one above."""

    organization = models.ForeignKey(Organization, verbose_name=_("推荐单位"), on_delete=models.PROTECT,
                                     related_name="nominations")
    deciding_organization = models.ForeignKey(Organization, verbose_name=_("表彰单位"), on_delete=models.PROTECT,
                                              related_name="nominations_to_decide")
    kind = models.CharField(_("表彰称号"), max_length=20, choices=TitleKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    nominee_organization = models.ForeignKey(Organization, verbose_name=_("被推荐组织"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("被推荐人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    public_name = models.CharField(_("名称"), max_length=100,
                                   help_text=_("公示和表彰名单上的名称：个人写姓名，集体写单位或岗位全称。"))
    deeds = models.TextField(_("先进事迹"))
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属创先争优活动"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="nominations")
    state = models.CharField(_("状态"), max_length=14, choices=NominationState.choices,
                             default=NominationState.DRAFT)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    awarded_on = models.DateField(_("表彰日期"), null=True, blank=True)

    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表彰推荐")
        verbose_name_plural = _("表彰推荐")
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["deciding_organization", "year", "state"], name="nomination_decider_year"),
            models.Index(fields=["state", "awarded_on"], name="nomination_state_awarded"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.public_name}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:nomination-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_for_person(self) -> bool:
        return self.kind in PERSON_TITLES

    @property
    def category(self) -> str:
        if self.kind in ORGANIZATION_TITLES:
            return str(_("集体"))
        if self.kind in CADRE_TITLES:
            return str(_("妇联干部"))
        return str(_("妇女"))

    @property
    def editable(self) -> bool:
        return self.state in (NominationState.DRAFT, NominationState.RETURNED)


class NominationFile(models.Model):
    """An attachment of a nomination (推荐表, 事迹材料, 照片); never public."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("表彰推荐"), on_delete=models.CASCADE,
                                   related_name="files")
    file = models.ForeignKey(StoredFile, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    added_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("推荐材料")
        verbose_name_plural = _("推荐材料")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.nomination.organization
