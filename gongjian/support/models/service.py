"""Service sites (留守流动儿童活动室, 维权投诉站, 法律援助站, 心理咨询室, 妇女悄悄话热线) and health service
rounds (两癌检查, 免费婚检, 母亲健康快车).

A site is a public place or line of an organisation: its address, hours and public phone are meant
for the portal; its contact person is a kernel Person whose mobile is never public. A health round
holds counts only — individual results are never stored, so the model has no relation to a Person."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization, Person, User

__all__ = ["HealthKind", "HealthPartnerKind", "HealthRound", "ServiceSite", "SiteKind", "WEEKDAYS"]


class SiteKind(models.TextChoices):
    CHILDREN_ROOM = "children_room", _("留守流动儿童活动室")
    COMPLAINT_STATION = "complaint_station", _("维权投诉站")
    LEGAL_AID = "legal_aid", _("法律援助站")
    COUNSELLING = "counselling", _("心理咨询室")
    WHISPER_LINE = "whisper_line", _("妇女悄悄话热线")
    WOMEN_CHILDREN_HOME = "women_children_home", _("妇女儿童之家")
    OTHER = "other", _("其他服务站点")


#: Structured opening days, stored as digits in `ServiceSite.open_days` ("12345" = 周一至周五).
WEEKDAYS = [("1", _("周一")), ("2", _("周二")), ("3", _("周三")), ("4", _("周四")), ("5", _("周五")),
            ("6", _("周六")), ("7", _("周日"))]


class ServiceSite(models.Model):
    """A service site or line of an organisation; closed, never deleted."""

    organization = models.ForeignKey(Organization, verbose_name=_("所属组织"), on_delete=models.PROTECT,
                                     related_name="service_sites")
    kind = models.CharField(_("类别"), max_length=20, choices=SiteKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True,
                               help_text=_("站点所在的公共场所，如村委会院内；热线可不填"))
    hours = models.CharField(_("开放时间"), max_length=100, help_text=_("如：周一至周五 8:30-17:30"))
    open_days = models.CharField(_("开放日"), max_length=7, blank=True)
    phone = models.CharField(_("公开电话"), max_length=20, blank=True,
                             help_text=_("站点或热线的电话，会在门户公开"))
    contact = models.ForeignKey(Person, verbose_name=_("联系人"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    contact_is_public = models.BooleanField(_("门户显示联系人姓名"), default=False,
                                            help_text=_("联系人的手机号任何时候都不公开"))
    partner = models.CharField(_("合作单位"), max_length=100, blank=True, help_text=_("如：太华路街道司法所"))
    description = models.TextField(_("服务内容"), blank=True)
    is_public = models.BooleanField(_("在门户公开"), default=True)
    opened_on = models.DateField(_("启用日期"))
    closed_on = models.DateField(_("停用日期"), null=True, blank=True)
    close_reason = models.CharField(_("停用原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("服务站点")
        verbose_name_plural = _("服务站点")
        ordering = ["organization__path", "kind", "name"]
        indexes = [models.Index(fields=["kind", "is_public", "closed_on"], name="service_site_public")]
        constraints = [models.CheckConstraint(
            condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
            name="service_site_closed_after_opened")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("support:site-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_line(self) -> bool:
        return self.kind == SiteKind.WHISPER_LINE

    @property
    def open_days_display(self) -> str:
        names = dict(WEEKDAYS)
        return "、".join(str(names[d]) for d in self.open_days if d in names)


class HealthKind(models.TextChoices):
    CANCER_SCREENING = "cancer_screening", _("两癌检查")
    PREMARITAL = "premarital", _("免费婚检")
    MOTHER_EXPRESS = "mother_express", _("母亲健康快车")
    OTHER = "other", _("其他健康服务")


class HealthPartnerKind(models.TextChoices):
    HEALTH_BUREAU = "health_bureau", _("卫健部门")
    MATERNAL_CHILD = "maternal_child", _("妇幼保健院")
    HOSPITAL = "hospital", _("医院")
    HEALTH_CENTRE = "health_centre", _("乡镇卫生院、社区卫生服务中心")
    OTHER = "other", _("其他单位")


class HealthRound(models.Model):
    """A health service round (两癌检查, 免费婚检, 母亲健康快车 …): when, where, with whom and how many
    women were served — counts only. A round dated after today is an announcement (预告)."""

    organization = models.ForeignKey(Organization, verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                     related_name="health_rounds")
    kind = models.CharField(_("服务类别"), max_length=20, choices=HealthKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("一天完成的不填"))
    place = models.CharField(_("服务地点"), max_length=200)
    partner = models.CharField(_("合作单位"), max_length=100, help_text=_("如：华阴市卫健局"))
    partner_kind = models.CharField(_("合作单位类别"), max_length=20, choices=HealthPartnerKind.choices,
                                    default=HealthPartnerKind.HEALTH_BUREAU)
    audience = models.CharField(_("服务对象"), max_length=200, blank=True,
                                help_text=_("谁可以参加，如：35-64岁农村妇女"))
    served = models.PositiveIntegerField(_("服务妇女人数"), default=0)
    cervical_screened = models.PositiveIntegerField(_("宫颈癌筛查人数"), null=True, blank=True)
    breast_screened = models.PositiveIntegerField(_("乳腺癌筛查人数"), null=True, blank=True)
    is_public = models.BooleanField(_("在门户预告"), default=False)
    note = models.TextField(_("备注"), blank=True, help_text=_("只写整体情况，不写任何个人的检查结果"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("健康服务")
        verbose_name_plural = _("健康服务")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on", "organization"], name="health_round_on_org"),
                   models.Index(fields=["is_public", "starts_on"], name="health_round_public")]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
            name="health_round_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("support:health-edit", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def last_day(self) -> date:
        return self.ends_on or self.starts_on

    @property
    def is_upcoming(self) -> bool:
        return self.starts_on > timezone.localdate()
