"""Demo records of 巾帼致富 (idempotent, invented people only); called by kernel.demo.load_demo
after the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

from gongjian.kernel import audit

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# Three loans at 灵沙乡 (its villages' invented women): one awaiting the township's review, one
# repaying on time, one overdue (dates follow today, so the overdue one stays overdue).
# isort: split
from datetime import timedelta as _loan_timedelta  # noqa: E402
from decimal import Decimal as _LoanDecimal  # noqa: E402

from django.utils import timezone as _loan_timezone  # noqa: E402

DEMO_LOANS = [
    # village, purpose, amount, months, jobs, state, months since disbursement, instalments paid
    ("灵沙村", "扩大枸杞种植", "50000", 24, 3, "checked", None, 0),
    ("胜利村", "开办农家乐", "80000", 24, 5, "repaying", 3, 3),
    ("东灵村", "购买滩羊扩大养殖", "30000", 12, 2, "repaying", 4, 1),
]


def _loans(result: Any) -> None:
    from gongjian.kernel.models import Organization, Person, Position

    from .models import Instalment, Loan, LoanState
    from .services.loan import _refresh_due, add_months, schedule

    today = _loan_timezone.localdate()
    township = Organization.objects.filter(name="灵沙乡妇联").first()
    if township is None:
        return
    cadre_position = (Position.objects.filter(organization=township).select_related("person")
                      .order_by("sort_order", "id").first())
    for village, purpose, amount, months, jobs, state, since, paid in DEMO_LOANS:
        fed = Organization.objects.filter(name=f"{village}妇联").first()
        woman = Person.objects.filter(organization=fed, gender="F").order_by("id").last() if fed else None
        if fed is None or woman is None or Loan.objects.filter(applicant=woman, purpose=purpose).exists():
            continue
        applied = today - _loan_timedelta(days=30 * (since or 0) + 40)
        loan = Loan(applicant=woman, organization=fed, purpose=purpose, amount=_LoanDecimal(amount),
                    term_months=months, jobs_created=jobs, guarantee="反担保人一名（同村公职人员）",
                    business_plan=f"{purpose}：投入资金{amount}元，预计带动本村妇女{jobs}人就业，两年内收回成本。",
                    partner_kind="hrss", partner_name="平罗县人力资源和社会保障局", scheme="interest_free",
                    state=LoanState.CHECKED, applied_on=applied, check_note="经核实，情况属实。",
                    checked_at=_loan_timezone.now(),
                    cadre=cadre_position.person if cadre_position else None,
                    cadre_organization=township if cadre_position else None)
        if since is not None:
            disbursed = add_months(today, -since) - _loan_timedelta(days=3)
            loan.review_note = "同意，报人社部门。"
            loan.reviewed_at = _loan_timezone.now()
            loan.decision_on = disbursed - _loan_timedelta(days=7)
            loan.decision_note = "符合贷免扶补条件，同意发放。"
            loan.disbursed_on = disbursed
            loan.state = state
        loan.save()
        if since is not None:
            assert loan.disbursed_on is not None
            rows = schedule(amount=loan.amount, term_months=months, start=loan.disbursed_on,
                            annual_rate=_LoanDecimal(0))
            for row in rows[:paid]:
                row.paid_amount, row.paid_on = row.principal, row.due_on
            for row in rows:
                row.loan = loan
            Instalment.objects.bulk_create(rows)
            _refresh_due(loan)
            loan.save(update_fields=["next_due_on", "outstanding"])
        result.count("development.loan")
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


def load(result: Any) -> None:
    """Add the development demo records (idempotent)."""
    before = dict(getattr(result, "created", {}) or {})
    # --- load: talent ---
    # --- load: end talent ---
    # --- load: cultivation ---
    # --- load: end cultivation ---
    # --- load: loan ---
    _loans(result)
    # --- load: end loan ---
    # --- load: demonstration ---
    # --- load: end demonstration ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("development.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "development.demo.loaded", actor=None, username="demo", changes={"created": made})
