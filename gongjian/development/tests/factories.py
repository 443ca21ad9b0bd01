"""Builders of development records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# isort: split
from datetime import date as _loan_date  # noqa: E402
from datetime import timedelta as _LoanTimedelta  # noqa: E402
from decimal import Decimal as _LoanDecimal  # noqa: E402
from typing import Any as _LoanAny  # noqa: E402

from gongjian.development.models import Loan  # noqa: E402
from gongjian.development.services import loan as _loan_services  # noqa: E402
from gongjian.kernel.models import Organization as _LoanOrganization  # noqa: E402
from gongjian.kernel.models import Person as _LoanPerson  # noqa: E402
from gongjian.kernel.models import User as _LoanUser  # noqa: E402


def village_woman(village: str = "小留村", *, index: int = 0) -> _LoanPerson:
    """A demo woman of a village (kept by its federation)."""
    fed = _LoanOrganization.objects.get(name=f"{village}妇联")
    return _LoanPerson.objects.filter(organization=fed, gender="F").order_by("id")[index]


def loan_applied(actor: _LoanUser, applicant: _LoanPerson | None = None, **data: _LoanAny) -> Loan:
    """An application through the service (by the village's staff, or one above)."""
    values: dict[str, _LoanAny] = {
        "applicant": applicant or village_woman(), "purpose": "扩大苹果园", "amount": _LoanDecimal("24000"),
        "term_months": 12, "guarantee": "反担保人一名", "business_plan": "扩种苹果二十亩，带动本村妇女五人就业。",
        "jobs_created": 5, "partner_kind": "hrss", "partner_name": "华阴市人社局", "scheme": "interest_free",
        "annual_rate": 0, "cadre": None}
    values.update(data)
    return _loan_services.loan_apply(actor=actor, data=values)


def loan_disbursed(village_actor: _LoanUser, township_actor: _LoanUser, *, disbursed_on: _loan_date,
                   applicant: _LoanPerson | None = None, **data: _LoanAny) -> Loan:
    """Applied, checked, reviewed, approved and disbursed (the schedule made) through the services."""
    data.setdefault("applied_on", disbursed_on - _LoanTimedelta(days=20))
    found = loan_applied(village_actor, applicant, **data)
    found = _loan_services.loan_check(actor=village_actor, loan=found, note="属实")
    found = _loan_services.loan_review(actor=township_actor, loan=found, passed=True, note="同意")
    found = _loan_services.loan_decide(actor=township_actor, loan=found, approved=True,
                                       decided_on=disbursed_on - _LoanTimedelta(days=5),
                                       note="同意发放")
    return _loan_services.loan_disburse(actor=township_actor, loan=found, disbursed_on=disbursed_on)
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
