"""维权 cases (第二篇 二 and 五, 第三篇 三(三), 第五篇 三 二): a woman's call to the 12338 hotline or a
township's 妇女悄悄话 line, a letter, a visit to a 维权投诉站 or 妇女之家, a request from the portal, or
a referral from a village — received, accepted (or not, with a reason given to her), handled
(every step logged), referred (to 公安, 法院, 民政, 司法所 … or up the 三级维权网络 village → township →
county), resolved, followed up and closed. Nothing is ever deleted.

Need-to-know (Z-07): a case is read by its named handlers and the lead of the organisation
handling it (`access.Handlers`), never by the rest of the subtree; organisations above see counts
and overdue flags (audience "oversight"), never content, until it is referred to them. The summary,
the narrative, the contact details and every step's note are SM4-encrypted (P-01); lists show
them masked. The woman follows her case with the tracking code and query password
(`kernel.tracking`), seeing the state, the next step and the handler's public reply only.

`due_on` is the time limit of the current step (working days, `workflow.CASE_TIME_LIMITS`), kept by
the services: the overdue board is one indexed range query on it."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.fields import BlindIndexField, EncryptedTextField
from gongjian.kernel.models import Organization, Person, User
from gongjian.kernel.tracking import TrackedByPublic

__all__ = [
    "OPEN_CASE_STATES",
    "Case",
    "CaseCategory",
    "CaseChannel",
    "CaseOutcome",
    "CaseState",
    "CaseStep",
    "LegalBasis",
    "Partner",
    "Satisfaction",
    "StepKind",
]


class CaseChannel(models.TextChoices):
    HOTLINE_12338 = "hotline_12338", _("12338妇女维权热线")
    WHISPER_LINE = "whisper_line", _("妇女悄悄话热线")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上求助")
    REFERRAL = "referral", _("村组或其他单位转来")


class CaseCategory(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("家庭暴力")
    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    PROPERTY = "property", _("财产权益")
    PERSONAL = "personal", _("人身权益")
    LABOUR = "labour", _("劳动与社会保障权益")
    CHILD = "child", _("儿童权益")
    LEGAL_ADVICE = "legal_advice", _("法律咨询")
    HEALTH_ADVICE = "health_advice", _("心理与健康咨询")
    OTHER = "other", _("其他")


#: Categories whose details are sensitive personal information by their nature (P-05): violence at
#: home, children, health (悄悄话's 妇科 and contraception questions).
SENSITIVE_CATEGORIES = frozenset({CaseCategory.DOMESTIC_VIOLENCE, CaseCategory.CHILD, CaseCategory.HEALTH_ADVICE})


class CaseState(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    HANDLING = "handling", _("办理中")
    REFERRED = "referred", _("已转介")
    RESOLVED = "resolved", _("已办结")
    FOLLOWED_UP = "followed_up", _("已回访")
    CLOSED = "closed", _("已结案")


#: States with a step still to take (and a time limit running).
OPEN_CASE_STATES = (CaseState.RECEIVED, CaseState.ACCEPTED, CaseState.HANDLING, CaseState.REFERRED,
                    CaseState.RESOLVED, CaseState.FOLLOWED_UP)


class Partner(models.TextChoices):
    """Where a case is referred outside the federation."""

    POLICE = "police", _("公安")
    COURT = "court", _("法院")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    JUSTICE = "justice", _("司法所/法律援助站")
    HEALTH = "health", _("卫健")
    EDUCATION = "education", _("教育")
    HRSS = "hrss", _("人社")
    OTHER = "other", _("其他单位")


class StepKind(models.TextChoices):
    """What a step of the log records: the handling work, and every move of the case."""

    CALL = "call", _("电话联系")
    VISIT = "visit", _("上门走访")
    MEDIATION = "mediation", _("调解")
    LEGAL_AID = "legal_aid", _("法律援助")
    SHELTER = "shelter", _("庇护救助")
    COUNSELLING = "counselling", _("心理疏导")
    NOTE = "note", _("其他办理情况")
    # Moves, written by the services alongside the state change.
    RECEIVED = "received", _("登记")
    ACCEPTED = "accepted", _("受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ASSIGNED = "assigned", _("指派承办人")
    REFERRED = "referred", _("转介")
    FEEDBACK = "feedback", _("转介单位反馈")
    RESOLVED = "resolved", _("办结")
    FOLLOWED_UP = "followed_up", _("回访")
    CLOSED = "closed", _("结案")
    REOPENED = "reopened", _("重新办理")
    ESCALATED = "escalated", _("超期提醒上级")


#: The handling work a handler logs by hand (the rest are written by the moves).
WORK_STEPS = (StepKind.CALL, StepKind.VISIT, StepKind.MEDIATION, StepKind.LEGAL_AID, StepKind.SHELTER,
              StepKind.COUNSELLING, StepKind.NOTE)


class CaseOutcome(models.TextChoices):
    MEDIATED = "mediated", _("调解成功")
    LEGAL_AID = "legal_aid", _("获得法律援助")
    PARTNER_HANDLED = "partner_handled", _("转介单位已处理")
    ADVICE = "advice", _("已解答咨询")
    SHELTERED = "sheltered", _("已庇护救助")
    WITHDRAWN = "withdrawn", _("当事人撤回")
    UNRESOLVED = "unresolved", _("未能解决")
    OTHER = "other", _("其他")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("未能联系上")


class LegalBasis(models.TextChoices):
    """Why the federation may hold sensitive personal information (P-05)."""

    STATUTORY = "statutory", _("履行法定职责（妇女权益保障法）")
    CONSENT = "consent", _("本人单独同意")
    GUARDIAN = "guardian", _("监护人同意")


class Case(TrackedByPublic):
    """One rights case, handled by one organisation at a time (`organization`)."""

    # The query password, returned once right after intake by the API (never stored).
    password: str = ""

    organization = models.ForeignKey(Organization, verbose_name=_("承办组织"), on_delete=models.PROTECT,
                                     related_name="support_cases")
    intake_organization = models.ForeignKey(Organization, verbose_name=_("登记组织"), on_delete=models.PROTECT,
                                            related_name="+")
    handlers = models.ManyToManyField(User, verbose_name=_("承办人"), blank=True, related_name="support_cases")
    channel = models.CharField(_("来源渠道"), max_length=16, choices=CaseChannel.choices)
    category = models.CharField(_("类别"), max_length=20, choices=CaseCategory.choices)
    risk = models.BooleanField(_("高风险"), default=False,
                               help_text=_("例如家暴中有威胁、伤害，或有人身危险：立即提醒承办组织负责人"))
    summary = EncryptedTextField(_("简要情况"), purpose="support.case.summary")
    narrative = EncryptedTextField(_("详细情况"), purpose="support.case.narrative", blank=True)
    contact_name = EncryptedTextField(_("当事人称呼"), purpose="support.case.contact_name", blank=True)
    contact_mobile = EncryptedTextField(_("回电号码"), purpose="support.case.contact_mobile", blank=True)
    contact_mobile_index = BlindIndexField(source="contact_mobile", purpose="support.case.contact_mobile")
    address = EncryptedTextField(_("住址"), purpose="support.case.address", blank=True)
    person = models.ForeignKey(Person, verbose_name=_("当事人（人员库）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="support_cases")
    anonymous = models.BooleanField(_("要求匿名"), default=False,
                                    help_text=_("除承办人外，任何人都看不到当事人的称呼和联系方式"))
    involves_minor = models.BooleanField(_("涉及未满十四周岁的未成年人"), default=False)
    sensitive = models.BooleanField(_("敏感个人信息"), default=False,
                                    help_text=_("涉及家暴、儿童、健康的个人信息（个人信息保护法第二十八条）"))
    legal_basis = models.CharField(_("处理依据"), max_length=10, choices=LegalBasis.choices,
                                   default=LegalBasis.STATUTORY)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=CaseState.choices, default=CaseState.RECEIVED)
    received_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    due_on = models.DateField(_("本环节办理时限"), null=True, blank=True,
                              help_text=_("按工作日计算；早于今天即为超期"))
    escalated_on = models.DateField(_("超期已提醒上级"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    not_accepted_reason = models.CharField(_("不予受理的理由"), max_length=300, blank=True,
                                           help_text=_("会告诉当事人"))
    referred_partner = models.CharField(_("转介单位"), max_length=16, choices=Partner.choices, blank=True)
    referred_partner_name = models.CharField(_("转介单位名称"), max_length=100, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=16, choices=CaseOutcome.choices, blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    public_reply = models.TextField(_("给当事人的答复"), blank=True,
                                    help_text=_("当事人凭查询码可以看到；不要写其他人的情况"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("维权案件")
        verbose_name_plural = _("维权案件")
        ordering = ["-received_at", "-id"]
        indexes = [
            # The lead's list of her organisation's cases, newest first.
            models.Index(fields=["organization", "-received_at", "-id"], name="case_org_received"),
            # The overdue board: open cases whose step's time limit has passed.
            models.Index(fields=["organization", "due_on"], name="case_org_due",
                         condition=models.Q(due_on__isnull=False)),
            models.Index(fields=["due_on", "organization"], name="case_due",
                         condition=models.Q(due_on__isnull=False)),
            models.Index(fields=["contact_mobile_index"], name="case_mobile_index"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("support:case-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()


class CaseStep(models.Model):
    """One line of a case's log: a piece of handling work or a move. The note is encrypted."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("类型"), max_length=16, choices=StepKind.choices)
    note = EncryptedTextField(_("情况说明"), purpose="support.case.step", blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("办理组织"), on_delete=models.PROTECT,
                                     related_name="+")
    to_organization = models.ForeignKey(Organization, verbose_name=_("转介到（组织）"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    to_partner = models.CharField(_("转介到（单位）"), max_length=16, choices=Partner.choices, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"

    @property
    def owning_organization(self) -> Organization:
        return self.case.organization
