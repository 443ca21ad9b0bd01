"""Records of development for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# isort: split
from datetime import date as _loan_date  # noqa: E402
from decimal import Decimal as _LoanDecimal  # noqa: E402

from gongjian.development.models import Instalment, InterestSubsidy, Loan, LoanState  # noqa: E402
from gongjian.kernel.tests.matrix import person as _loan_person  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as _loan_stored_file  # noqa: E402


def loan(place: Place) -> Loan:
    """A loan kept by the place's federation (reached from it upward), just applied."""
    return Loan.objects.create(applicant=_loan_person(place), organization=place.federation, purpose="矩阵测试养殖",
                               amount=_LoanDecimal("20000"), term_months=12, guarantee="矩阵测试担保",
                               business_plan="矩阵测试创业计划，内容足够长。", state=LoanState.APPLIED,
                               plan_file=_loan_stored_file(place.federation),
                               decision_file=_loan_stored_file(place.federation))


def instalment(place: Place) -> Instalment:
    return Instalment.objects.create(loan=loan(place), number=1, due_on=_loan_date(2026, 6, 1),
                                     principal=_LoanDecimal("1000"))


def interest_subsidy(place: Place) -> InterestSubsidy:
    return InterestSubsidy.objects.create(loan=loan(place), period_start=_loan_date(2026, 1, 1),
                                          period_end=_loan_date(2026, 6, 30), amount=_LoanDecimal("300"))
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- talent ---
    # --- end talent ---
    # --- cultivation ---
    # --- end cultivation ---
    # --- loan ---
    Loan: loan,
    Instalment: instalment,
    InterestSubsidy: interest_subsidy,
    # --- end loan ---
    # --- demonstration ---
    # --- end demonstration ---
}
