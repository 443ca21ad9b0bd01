"""小额贷款 / 贷免扶补 (第二篇 六, 第三篇 三, 第五篇): a woman's micro-loan from application to the
last instalment. The village checks it, the township federation reviews it, the partner (人社 or
the bank) decides — recorded by federation staff with the decision's document — and the loan is
disbursed and repaid in instalments; the interest subsidy (贴息) is recorded as it is paid.

The business plan and the guarantee are personal data: encrypted at rest, shown only through an
audited reveal. `next_due_on` (the due date of the earliest unpaid instalment) is kept by the
services, so the overdue board is one indexed query: a loan is overdue when it is before today."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.fields import EncryptedTextField
from gongjian.kernel.models import Organization, Person, StoredFile, User

__all__ = ["IN_REPAYMENT", "Instalment", "InterestSubsidy", "Loan", "LoanScheme", "LoanState", "PartnerKind"]


class LoanState(models.TextChoices):
    APPLIED = "applied", _("已申请")
    CHECKED = "checked", _("村级已核实")
    REVIEWED = "reviewed", _("乡镇妇联已审核")
    APPROVED = "approved", _("合作方已批准")
    REFUSED = "refused", _("合作方未批准")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISBURSED = "disbursed", _("已放款")
    REPAYING = "repaying", _("还款中")
    SETTLED = "settled", _("已结清")


#: States in which a loan has instalments to pay (the overdue board and the reminders look here).
IN_REPAYMENT = (LoanState.DISBURSED, LoanState.REPAYING)


class PartnerKind(models.TextChoices):
    """Who lends or guarantees: 人社 (创业担保贷款 / 贷免扶补) or a bank."""

    HRSS = "hrss", _("人社部门")
    BANK = "bank", _("银行")
    OTHER = "other", _("其他")


class LoanScheme(models.TextChoices):
    """How the schedule is built at disbursement."""

    EQUAL_PRINCIPAL = "equal_principal", _("等额本金（按月还本付息）")
    INTEREST_FREE = "interest_free", _("贷免扶补（免息，财政贴息）")


class Loan(models.Model):
    """One micro-loan of a woman, kept by her village federation."""

    applicant = models.ForeignKey(Person, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="loans")
    organization = models.ForeignKey(Organization, verbose_name=_("所属妇联"), on_delete=models.PROTECT,
                                     related_name="loans")
    cadre = models.ForeignKey(Person, verbose_name=_("责任干部"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="loans_in_charge")
    cadre_organization = models.ForeignKey(Organization, verbose_name=_("责任干部所在组织"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+",
                                           help_text=_("催还提醒发给这个组织"))
    purpose = models.CharField(_("贷款用途"), max_length=200)
    amount = models.DecimalField(_("贷款金额（元）"), max_digits=12, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("贷款期限（月）"))
    guarantee = EncryptedTextField(_("担保方式"), purpose="development.loan.guarantee")
    business_plan = EncryptedTextField(_("创业计划"), purpose="development.loan.business_plan")
    plan_file = models.ForeignKey(StoredFile, verbose_name=_("创业计划附件"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    jobs_created = models.PositiveIntegerField(_("带动就业（人）"), default=0)
    partner_kind = models.CharField(_("合作方类别"), max_length=8, choices=PartnerKind.choices,
                                    default=PartnerKind.HRSS)
    partner_name = models.CharField(_("合作方名称"), max_length=100, blank=True)
    scheme = models.CharField(_("还款方式"), max_length=16, choices=LoanScheme.choices,
                              default=LoanScheme.INTEREST_FREE)
    annual_rate = models.DecimalField(_("年利率（%）"), max_digits=5, decimal_places=2, default=Decimal("0"))
    state = models.CharField(_("状态"), max_length=10, choices=LoanState.choices, default=LoanState.APPLIED)
    applied_on = models.DateField(_("申请日期"), default=timezone.localdate)
    check_note = models.CharField(_("村级核实意见"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    review_note = models.CharField(_("乡镇审核意见"), max_length=300, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_on = models.DateField(_("合作方决定日期"), null=True, blank=True)
    decision_note = models.CharField(_("合作方意见"), max_length=300, blank=True)
    decision_file = models.ForeignKey(StoredFile, verbose_name=_("合作方批复文件"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    disbursed_on = models.DateField(_("放款日期"), null=True, blank=True)
    settled_on = models.DateField(_("结清日期"), null=True, blank=True)
    next_due_on = models.DateField(_("下次应还日期"), null=True, blank=True,
                                   help_text=_("最早一期未还清的应还日期；早于今天即为逾期"))
    outstanding = models.DecimalField(_("未还金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["guarantee", "business_plan"])

    class Meta:
        verbose_name = _("小额贷款")
        verbose_name_plural = _("小额贷款")
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "state"], name="loan_org_state"),
            # The overdue board: loans whose earliest unpaid instalment is past due.
            models.Index(fields=["next_due_on", "id"], name="loan_next_due",
                         condition=models.Q(next_due_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.applicant.name} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("development:loan-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def overdue(self) -> bool:
        return self.next_due_on is not None and self.next_due_on < timezone.localdate()

    @property
    def overdue_days(self) -> int:
        return (timezone.localdate() - self.next_due_on).days if self.overdue and self.next_due_on else 0


class Instalment(models.Model):
    """One instalment of the schedule made at disbursement."""

    loan = models.ForeignKey(Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("期数"))
    due_on = models.DateField(_("应还日期"))
    principal = models.DecimalField(_("应还本金"), max_digits=12, decimal_places=2)
    interest = models.DecimalField(_("应还利息"), max_digits=12, decimal_places=2, default=Decimal("0"))
    paid_amount = models.DecimalField(_("已还金额"), max_digits=12, decimal_places=2, default=Decimal("0"))
    paid_on = models.DateField(_("还清日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("还款计划")
        verbose_name_plural = _("还款计划")
        ordering = ["loan", "number"]
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="loan_instalment_number")]

    def __str__(self) -> str:
        return f"{self.loan_id}#{self.number}"

    @property
    def owning_organization(self) -> Organization:
        return self.loan.organization

    @property
    def amount_due(self) -> Decimal:
        return self.principal + self.interest

    @property
    def remaining(self) -> Decimal:
        return max(self.amount_due - self.paid_amount, Decimal("0"))

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class InterestSubsidy(models.Model):
    """贴息: interest paid for the woman (by the finance bureau through 人社) for a period."""

    loan = models.ForeignKey(Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="subsidies")
    period_start = models.DateField(_("贴息起始日期"))
    period_end = models.DateField(_("贴息截止日期"))
    amount = models.DecimalField(_("贴息金额（元）"), max_digits=12, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("贴息")
        verbose_name_plural = _("贴息")
        ordering = ["loan", "period_start"]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.amount}"

    @property
    def owning_organization(self) -> Organization:
        return self.loan.organization
