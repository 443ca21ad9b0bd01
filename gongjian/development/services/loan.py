"""小额贷款 writes: apply, village check, township review, the partner's decision, disbursement
(the schedule), repayments, 贴息, the audited reveal of the plan and guarantee, and the reminders'
sweep. One use case each, one transaction, audited; the state moves through LOAN_TRANSITIONS."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, notifications, workflow
from gongjian.kernel.attachments import DOCUMENTS, store_upload
from gongjian.kernel.models import Organization, Person, Position, User
from gongjian.kernel.permissions import ensure_can

from ..models import Instalment, InterestSubsidy, Loan, LoanScheme, LoanState, PartnerKind
from ..workflow import LOAN_TRANSITIONS

LOAN_FIELDS = ("applicant", "cadre", "purpose", "amount", "term_months", "guarantee", "business_plan",
               "jobs_created", "partner_kind", "partner_name", "scheme", "annual_rate", "applied_on")
#: Audited by value; the plan and the guarantee are audited only as "changed" (they are personal data).
PLAIN_FIELDS = ("applicant", "cadre", "purpose", "amount", "term_months", "jobs_created", "partner_kind",
                "partner_name", "scheme", "annual_rate", "applied_on")
MAX_AMOUNT = Decimal("3000000")  # 创业担保贷款 for a woman's enterprise stays well below
MAX_TERM = 60
MAX_RATE = Decimal("24")
REVEALABLE = ("business_plan", "guarantee")
CENT = Decimal("0.01")
#: Days before an instalment's due date when the responsible cadre is reminded.
REMIND_BEFORE = 7


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _current_position(person: Person) -> Position | None:
    today = timezone.localdate()
    return (Position.objects.filter(person=person, start_date__lte=today).exclude(end_date__lt=today)
            .select_related("organization").order_by("sort_order", "id").first())


def _money(value: Any, field: str, errors: dict[str, str], message: str) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = message
        return None
    if not amount.is_finite():
        errors[field] = message
        return None
    return amount


def _check(actor: User, loan: Loan) -> None:
    """Validate an application and re-check the applicant and the cadre against scope (Z-02)."""
    errors: dict[str, str] = {}
    applicant = loan.applicant if loan.applicant_id is not None else None
    if applicant is None or not access.may(actor, applicant):
        errors["applicant"] = _("请选择本辖区的妇女作为申请人。")
    elif applicant.gender != "F":
        errors["applicant"] = _("小额贷款（贷免扶补）的申请人须为妇女。")
    elif applicant.organization is None or applicant.organization.kind not in Organization.FEDERATION_KINDS:
        errors["applicant"] = _("申请人须属于一个妇联组织（村妇联），请先在人员信息中调整。")
    else:
        loan.organization = applicant.organization
    today = timezone.localdate()
    if not isinstance(loan.applied_on, date) or not today - timedelta(days=366) <= loan.applied_on <= today:
        errors["applied_on"] = _("申请日期应在一年之内，且不晚于今天。")
    loan.purpose = _text(loan.purpose, 200)
    if len(loan.purpose) < 2:
        errors["purpose"] = _("请填写贷款用途。")
    amount = _money(loan.amount, "amount", errors, _("请填写贷款金额（元）。"))
    if amount is not None:
        if not Decimal("100") <= amount <= MAX_AMOUNT:
            errors["amount"] = _("贷款金额应在100元至300万元之间。")
        loan.amount = amount
    if not isinstance(loan.term_months, int) or not 1 <= loan.term_months <= MAX_TERM:
        errors["term_months"] = _("贷款期限应为1至60个月。")
    loan.guarantee = _text(loan.guarantee, 1000)
    if len(loan.guarantee) < 2:
        errors["guarantee"] = _("请填写担保方式（如：反担保人、信用社区担保）。")
    loan.business_plan = _text(loan.business_plan, 5000)
    if len(loan.business_plan) < 10:
        errors["business_plan"] = _("请写明创业计划（至少10个字）。")
    if not isinstance(loan.jobs_created, int) or not 0 <= loan.jobs_created <= 10000:
        errors["jobs_created"] = _("带动就业人数应为0至10000。")
    if loan.partner_kind not in PartnerKind.values:
        errors["partner_kind"] = _("请选择合作方类别。")
    loan.partner_name = _text(loan.partner_name, 100)
    if loan.scheme not in LoanScheme.values:
        errors["scheme"] = _("请选择还款方式。")
    rate = _money(loan.annual_rate or 0, "annual_rate", errors, _("年利率应为0至24。"))
    if rate is not None:
        if not Decimal("0") <= rate <= MAX_RATE:
            errors["annual_rate"] = _("年利率应为0至24。")
        loan.annual_rate = Decimal("0") if loan.scheme == LoanScheme.INTEREST_FREE else rate
    loan.cadre_organization = None
    if loan.cadre_id is not None and loan.cadre is not None:
        position = _current_position(loan.cadre)
        if position is None or not access.may(actor, loan.cadre):
            errors["cadre"] = _("责任干部须为本辖区的在任干部。")
        else:
            loan.cadre_organization = position.organization
    if errors:
        raise ValidationError(errors)
    ensure_can(actor, "development.apply_loan", loan)


def _snapshot(loan: Loan) -> dict[str, Any]:
    return audit.snapshot(loan, PLAIN_FIELDS)


def _move(loan: Loan, to: str, *extra: str) -> str:
    return workflow.move(loan, to=to, transitions=LOAN_TRANSITIONS, labels=LoanState, extra_update_fields=extra)


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("organization", "applicant").get(pk=loan.pk)


def _reminded(loan: Loan) -> Organization:
    """Where reminders of a loan go: the responsible cadre's organisation, else the loan's."""
    return loan.cadre_organization or loan.organization


def _notify(organization: Organization, code: str, message: str, loan: Loan, key: str) -> None:
    link = reverse("development:loan-detail", args=[loan.pk])
    transaction.on_commit(lambda: notifications.notify(organization=organization, code=code, message=message,
                                                       link=link, dedupe_key=key, subject=loan))


def _parent(org: Organization) -> Organization | None:
    if org.depth <= 1:
        return None
    return Organization.objects.filter(path=org.path[: -org.steplen]).first()


@transaction.atomic
def loan_apply(*, actor: User, data: dict[str, Any], plan_file: UploadedFile | None = None) -> Loan:
    """A woman's application (written by her village's federation, or one above it)."""
    values = {k: v for k, v in data.items() if k in LOAN_FIELDS}
    values.setdefault("applied_on", timezone.localdate())
    loan = Loan(**values, created_by=actor)
    _check(actor, loan)
    if plan_file is not None:
        loan.plan_file = store_upload(plan_file, actor=actor, organization=loan.organization, allowed=DOCUMENTS)
    loan.save()
    audit.record(loan, "development.loan.applied", actor=actor,
                 changes={**audit.diff({}, _snapshot(loan)), "business_plan": "***", "guarantee": "***",
                          "plan_file": loan.plan_file_id is not None})
    return loan


@transaction.atomic
def loan_check(*, actor: User, loan: Loan, note: str = "") -> Loan:
    """村级核实: the village federation confirms the application (she lives there, the plan is real)."""
    stored = _locked(loan)
    ensure_can(actor, "development.check_loan", stored)
    stored.check_note = _text(note, 300)
    stored.checked_at = timezone.now()
    _move(stored, LoanState.CHECKED, "check_note", "checked_at")
    audit.record(stored, "development.loan.checked", actor=actor, changes={"note": stored.check_note})
    notifications.resolve(subject=stored, codes=("development.loan.returned",))
    parent = _parent(stored.organization)
    if parent is not None:
        _notify(parent, "development.loan.checked",
                _("%(org)s报来一笔小额贷款申请待审核（%(name)s）") % {"org": stored.organization.name,
                                                                 "name": stored.applicant.name},
                stored, f"loan:{stored.pk}:checked:{stored.checked_at:%Y%m%d%H%M%S}")
    return stored


@transaction.atomic
def loan_withdraw(*, actor: User, loan: Loan, reason: str) -> Loan:
    """The woman does not go on (before the township's review): kept, never deleted."""
    stored = _locked(loan)
    ensure_can(actor, "development.check_loan", stored)
    reason = _text(reason, 300)
    if len(reason) < 2:
        raise ValidationError({"note": _("请填写撤回原因。")})
    stored.check_note = reason
    _move(stored, LoanState.WITHDRAWN, "check_note")
    audit.record(stored, "development.loan.withdrawn", actor=actor, changes={"reason": reason})
    notifications.resolve(subject=stored, codes=("development.loan.checked", "development.loan.returned"))
    return stored


@transaction.atomic
def loan_review(*, actor: User, loan: Loan, passed: bool, note: str = "") -> Loan:
    """乡镇妇联审核: passed on to the partner, or returned to the village with a reason."""
    stored = _locked(loan)
    ensure_can(actor, "development.review_loan", stored)
    note = _text(note, 300)
    if not passed and len(note) < 2:
        raise ValidationError({"note": _("退回时请写明原因。")})
    stored.review_note = note
    stored.reviewed_at = timezone.now()
    _move(stored, LoanState.REVIEWED if passed else LoanState.APPLIED, "review_note", "reviewed_at")
    audit.record(stored, "development.loan.reviewed" if passed else "development.loan.returned", actor=actor,
                 changes={"note": note})
    notifications.resolve(subject=stored, codes=("development.loan.checked",))
    if not passed:
        _notify(stored.organization, "development.loan.returned",
                _("小额贷款申请被退回（%(name)s）：%(note)s") % {"name": stored.applicant.name, "note": note},
                stored, f"loan:{stored.pk}:returned:{stored.reviewed_at:%Y%m%d%H%M%S}")
    return stored


@transaction.atomic
def loan_decide(*, actor: User, loan: Loan, approved: bool, decided_on: date, note: str = "",
                partner_name: str = "", document: UploadedFile | None = None) -> Loan:
    """The partner's (人社 / the bank's) decision, recorded by federation staff with its document."""
    stored = _locked(loan)
    ensure_can(actor, "development.approve_loan", stored)
    today = timezone.localdate()
    if not isinstance(decided_on, date) or not stored.applied_on <= decided_on <= today:
        raise ValidationError({"decided_on": _("批复日期应在申请日期与今天之间。")})
    note = _text(note, 300)
    if not approved and len(note) < 2:
        raise ValidationError({"note": _("未批准时请写明合作方的意见。")})
    stored.decision_on = decided_on
    stored.decision_note = note
    if partner_name.strip():
        stored.partner_name = _text(partner_name, 100)
    if document is not None:
        stored.decision_file = store_upload(document, actor=actor, organization=stored.organization,
                                            allowed=DOCUMENTS)
    _move(stored, LoanState.APPROVED if approved else LoanState.REFUSED,
          "decision_on", "decision_note", "partner_name", "decision_file")
    audit.record(stored, "development.loan.approved" if approved else "development.loan.refused", actor=actor,
                 changes={"decided_on": decided_on.isoformat(), "note": note, "partner_name": stored.partner_name,
                          "document": stored.decision_file_id is not None})
    _notify(stored.organization, "development.loan.decided",
            (_("小额贷款已获批准（%(name)s）") if approved else _("小额贷款未获批准（%(name)s）"))
            % {"name": stored.applicant.name}, stored, f"loan:{stored.pk}:decided")
    return stored


def schedule(*, amount: Decimal, term_months: int, start: date, annual_rate: Decimal,
             first_due_on: date | None = None) -> list[Instalment]:
    """Monthly equal principal (the last instalment takes the cents), interest on what is left."""
    first = first_due_on or add_months(start, 1)
    share = (amount / term_months).quantize(CENT, rounding=ROUND_DOWN)
    rows = []
    left = amount
    for number in range(1, term_months + 1):
        principal = left if number == term_months else share
        interest = (left * annual_rate / Decimal(1200)).quantize(CENT)
        rows.append(Instalment(number=number, due_on=add_months(first, number - 1), principal=principal,
                               interest=interest))
        left -= principal
    return rows


def _refresh_due(loan: Loan) -> None:
    """Keep `next_due_on` and `outstanding` in step with the instalments (the board reads them)."""
    unpaid = loan.instalments.filter(paid_on__isnull=True).order_by("number")
    first = unpaid.first()
    loan.next_due_on = first.due_on if first is not None else None
    due = unpaid.aggregate(p=Sum("principal"), i=Sum("interest"), paid=Sum("paid_amount"))
    loan.outstanding = ((due["p"] or 0) + (due["i"] or 0) - (due["paid"] or 0)) if first is not None else Decimal(0)


@transaction.atomic
def loan_disburse(*, actor: User, loan: Loan, disbursed_on: date, amount: Decimal | None = None,
                  first_due_on: date | None = None) -> Loan:
    """放款: the money is paid out; the repayment schedule is made."""
    stored = _locked(loan)
    ensure_can(actor, "development.disburse_loan", stored)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not isinstance(disbursed_on, date) or not (stored.decision_on or stored.applied_on) <= disbursed_on <= today:
        errors["disbursed_on"] = _("放款日期应在批复日期与今天之间。")
    if amount is not None:
        checked = _money(amount, "amount", errors, _("请填写放款金额（元）。"))
        if checked is not None and not Decimal("100") <= checked <= stored.amount:
            errors["amount"] = _("放款金额应在100元与申请金额之间。")
        elif checked is not None:
            stored.amount = checked
    if first_due_on is not None and isinstance(disbursed_on, date) and not (
            disbursed_on < first_due_on <= add_months(disbursed_on, 12)):
        errors["first_due_on"] = _("首期还款日应在放款后一年之内。")
    if errors:
        raise ValidationError(errors)
    stored.disbursed_on = disbursed_on
    rows = schedule(amount=stored.amount, term_months=stored.term_months, start=disbursed_on,
                    annual_rate=stored.annual_rate, first_due_on=first_due_on)
    for row in rows:
        row.loan = stored
    Instalment.objects.bulk_create(rows)
    _refresh_due(stored)
    _move(stored, LoanState.DISBURSED, "disbursed_on", "amount", "next_due_on", "outstanding")
    audit.record(stored, "development.loan.disbursed", actor=actor,
                 changes={"disbursed_on": disbursed_on.isoformat(), "amount": str(stored.amount),
                          "instalments": len(rows)})
    return stored


@dataclass(frozen=True)
class Repaid:
    loan: Loan
    instalments: list[Instalment]  # the instalments this payment went to


@transaction.atomic
def loan_repay(*, actor: User, loan: Loan, amount: Any, paid_on: date) -> Repaid:
    """还款: a payment goes to the earliest unpaid instalments; the last one settles the loan."""
    stored = _locked(loan)
    ensure_can(actor, "development.record_repayment", stored)
    errors: dict[str, str] = {}
    paid = _money(amount, "amount", errors, _("请填写还款金额（元）。"))
    if stored.state not in (LoanState.DISBURSED, LoanState.REPAYING):
        raise ValidationError(_("这笔贷款不在还款中。"))
    if not isinstance(paid_on, date) or not (stored.disbursed_on or date.min) <= paid_on <= timezone.localdate():
        errors["paid_on"] = _("还款日期应在放款日期与今天之间。")
    _refresh_due(stored)
    if paid is not None and not Decimal("0.01") <= paid <= stored.outstanding:
        errors["amount"] = _("还款金额应大于0且不超过未还金额%(left)s元。") % {"left": stored.outstanding}
    if errors:
        raise ValidationError(errors)
    assert paid is not None
    left = paid
    touched: list[Instalment] = []
    for row in stored.instalments.select_for_update().filter(paid_on__isnull=True).order_by("number"):
        if left <= 0:
            break
        part = min(left, row.remaining)
        row.paid_amount += part
        left -= part
        if row.remaining == 0:
            row.paid_on = paid_on
        row.save(update_fields=["paid_amount", "paid_on"])
        touched.append(row)
    _refresh_due(stored)
    if stored.next_due_on is None:
        stored.settled_on = paid_on
        _move(stored, LoanState.SETTLED, "next_due_on", "outstanding", "settled_on")
    elif stored.state == LoanState.DISBURSED:
        _move(stored, LoanState.REPAYING, "next_due_on", "outstanding")
    else:
        stored.save(update_fields=["next_due_on", "outstanding"])
    audit.record(stored, "development.loan.repaid", actor=actor,
                 changes={"amount": str(paid), "paid_on": paid_on.isoformat(),
                          "instalments": [row.number for row in touched], "outstanding": str(stored.outstanding),
                          "settled": stored.state == LoanState.SETTLED})
    return Repaid(loan=stored, instalments=touched)


@transaction.atomic
def loan_record_subsidy(*, actor: User, loan: Loan, period_start: date, period_end: date, amount: Any,
                        note: str = "") -> InterestSubsidy:
    """贴息: interest paid for her for a period (recorded from the finance bureau's notice)."""
    stored = _locked(loan)
    ensure_can(actor, "development.record_repayment", stored)
    errors: dict[str, str] = {}
    money = _money(amount, "amount", errors, _("请填写贴息金额（元）。"))
    if money is not None and not Decimal("0.01") <= money <= stored.amount:
        errors["amount"] = _("贴息金额应大于0且不超过贷款金额。")
    if stored.disbursed_on is None:
        raise ValidationError(_("放款后才能登记贴息。"))
    if not (isinstance(period_start, date) and isinstance(period_end, date)) or not (
            stored.disbursed_on <= period_start <= period_end <= timezone.localdate() + timedelta(days=366)):
        errors["period_end"] = _("贴息期间应在放款之后，且起始日期不晚于截止日期。")
    if errors:
        raise ValidationError(errors)
    assert money is not None
    subsidy = InterestSubsidy.objects.create(loan=stored, period_start=period_start, period_end=period_end,
                                             amount=money, note=_text(note, 200), created_by=actor)
    audit.record(stored, "development.loan.subsidy_recorded", actor=actor,
                 changes={"amount": str(money), "period": f"{period_start}~{period_end}"})
    return subsidy


@transaction.atomic
def loan_reveal(*, actor: User, loan: Loan, field: str, reason: str) -> str:
    """The business plan or the guarantee in full, for a federation lead, with the reason on record."""
    reason = (reason or "").strip()
    if field not in REVEALABLE:
        raise ValidationError(_("不能查看该字段。"))
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写查看原因。")})
    ensure_can(actor, "development.reveal_loan", loan)
    audit.record(loan, "development.loan.revealed", actor=actor, changes={"field": field, "reason": reason[:200]})
    return str(getattr(loan, field))


def sweep(*, today: date | None = None) -> dict[str, int]:
    """Reminders to the responsible cadre's organisation: an instalment due within REMIND_BEFORE
    days, and an overdue one (again every 30 days it stays unpaid). Deduplicated, so the sweep may
    run as often as wanted; reads only the loans due soon or overdue (the `loan_next_due` index)."""
    today = today or timezone.localdate()
    sent = {"due": 0, "overdue": 0}
    rows = (Loan.objects.filter(next_due_on__isnull=False, next_due_on__lte=today + timedelta(days=REMIND_BEFORE))
            .select_related("applicant", "organization", "cadre_organization").order_by("next_due_on", "id"))
    for loan in rows.iterator(chunk_size=500):
        due = loan.next_due_on
        assert due is not None
        link = reverse("development:loan-detail", args=[loan.pk])
        values = {"name": loan.applicant.name, "org": loan.organization.name, "due": due.isoformat()}
        if due < today:
            days = (today - due).days
            found = notifications.notify(
                organization=_reminded(loan), code="development.loan.overdue",
                message=_("%(org)s %(name)s的小额贷款已逾期%(days)s天（应还日期%(due)s），请督促还款。")
                % {**values, "days": days}, link=link,
                dedupe_key=f"loan:{loan.pk}:overdue:{due.isoformat()}:{days // 30}")
            sent["overdue"] += found is not None
        else:
            found = notifications.notify(
                organization=_reminded(loan), code="development.loan.due",
                message=_("%(org)s %(name)s的小额贷款将于%(due)s到期还款，请提醒。") % values,
                link=link, dedupe_key=f"loan:{loan.pk}:due:{due.isoformat()}")
            sent["due"] += found is not None
    return sent
