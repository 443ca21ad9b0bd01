"""Talent pool (人才库, 第二篇 三、四 and 六, 第三篇 三): a village federation collects an able
woman (致富女能手 and the like) and reports her upward; the township reviews and forwards, the
county accepts her into the county pool; any step may return her to the village with a reason.
The pools of a township and a county are the accepted entries of their subtrees."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.models import Organization, Person, StoredFile, User

__all__ = ["Talent", "TalentFile", "TalentKind", "TalentState", "TrainingNomination", "TrainingOffer", "TrainingQuota"]


class TalentKind(models.TextChoices):
    """The kinds of able women the seed names."""

    RICH_LEADER_WOMAN = "rich_able", _("致富女能手")
    RICH_LEADER = "rich_leader", _("致富带头人")
    ENTREPRENEUR = "entrepreneur", _("巾帼创业之星")
    DOUBLE_LEARNING = "double_learning", _("双学双比女能手")
    NEW_FARMER = "new_farmer", _("新型女农民")
    ABLE_WOMAN = "able", _("女能人")
    BROKER = "broker", _("女经纪人")
    TECH_HOUSEHOLD = "tech_household", _("科技示范户")


class TalentState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REPORTED = "reported", _("已上报，待审核")
    FORWARDED = "forwarded", _("乡镇已转报，待县级入库")
    ACCEPTED = "accepted", _("已入库")
    RETURNED = "returned", _("已退回")


class Talent(models.Model):
    """One woman's entry in the talent pool, collected by a (village) federation."""

    person = models.ForeignKey(Person, verbose_name=_("姓名"), on_delete=models.PROTECT, related_name="talents")
    organization = models.ForeignKey(Organization, verbose_name=_("上报单位"), on_delete=models.PROTECT,
                                     related_name="talents")
    holder = models.ForeignKey(Organization, verbose_name=_("当前所在单位"), on_delete=models.PROTECT,
                               related_name="talents_held",
                               help_text=_("上报后由哪一级妇联审核；退回或入库后不变。"))
    kind = models.CharField(_("人才类别"), max_length=20, choices=TalentKind.choices)
    trade = models.CharField(_("从事行业"), max_length=60, help_text=_("如：苹果种植、电商、家政服务。"))
    skills = models.CharField(_("专长技能"), max_length=200, blank=True)
    enterprise = models.CharField(_("企业或合作社"), max_length=100, blank=True)
    income = models.DecimalField(_("年收入（万元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    jobs = models.PositiveIntegerField(_("带动就业（人）"), default=0)
    deeds = models.TextField(_("主要事迹"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=TalentState.choices, default=TalentState.DRAFT)
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("入库时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("妇女人才")
        verbose_name_plural = _("妇女人才库")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "kind"], name="talent_state_kind"),
            models.Index(fields=["holder", "state"], name="talent_holder_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person.name}"

    def get_absolute_url(self) -> str:
        return reverse("development:talent-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def editable(self) -> bool:
        return self.state in (TalentState.DRAFT, TalentState.RETURNED)


class TalentFile(models.Model):
    """Evidence of an entry (营业执照, 合作社证明, 照片); never public."""

    talent = models.ForeignKey(Talent, verbose_name=_("妇女人才"), on_delete=models.CASCADE, related_name="files")
    file = models.ForeignKey(StoredFile, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    added_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("人才证明材料")
        verbose_name_plural = _("人才证明材料")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.pk)

    @property
    def owning_organization(self) -> Organization:
        return self.talent.organization


class TrainingOffer(models.Model):
    """A training run above (第二篇 四: 新型女农民、女能人、女经纪人培训) by a county (or city)
    federation, with places per township; the townships nominate women from the pool."""

    organization = models.ForeignKey(Organization, verbose_name=_("举办单位"), on_delete=models.PROTECT,
                                     related_name="training_offers")
    title = models.CharField(_("培训名称"), max_length=100)
    kind = models.CharField(_("面向人才类别"), max_length=20, choices=TalentKind.choices, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("培训地点"), max_length=100)
    note = models.TextField(_("培训内容"), blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("development:training-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class TrainingQuota(models.Model):
    """The places a training gives one township."""

    offer = models.ForeignKey(TrainingOffer, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="quotas")
    township = models.ForeignKey(Organization, verbose_name=_("乡镇（街道）妇联"), on_delete=models.PROTECT,
                                 related_name="+")
    places = models.PositiveIntegerField(_("名额"))

    class Meta:
        verbose_name = _("培训名额")
        verbose_name_plural = _("培训名额")
        ordering = ["township__path"]
        constraints = [models.UniqueConstraint(fields=["offer", "township"], name="training_quota_once")]

    def __str__(self) -> str:
        return f"{self.offer} {self.township} {self.places}"


class TrainingNomination(models.Model):
    """A woman of the pool a township sends to a training; whether she attended is recorded by the
    offering federation afterwards and shows on her talent record."""

    offer = models.ForeignKey(TrainingOffer, verbose_name=_("培训"), on_delete=models.CASCADE,
                              related_name="nominations")
    talent = models.ForeignKey(Talent, verbose_name=_("妇女人才"), on_delete=models.PROTECT,
                               related_name="trainings")
    township = models.ForeignKey(Organization, verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("是否参训"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    nominated_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训推荐")
        verbose_name_plural = _("培训推荐")
        ordering = ["township__path", "id"]
        constraints = [models.UniqueConstraint(fields=["offer", "talent"], name="training_nomination_once")]

    def __str__(self) -> str:
        return f"{self.offer} {self.talent_id}"

    def get_absolute_url(self) -> str:
        return self.offer.get_absolute_url()

    @property
    def owning_organization(self) -> Organization:
        return self.township
