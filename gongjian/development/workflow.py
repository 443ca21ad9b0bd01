"""Life cycles of 巾帼致富, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# A loan: the village checks it (or returns it to the applicant's village: back to applied), the
# township reviews it, the partner's decision is recorded (approved / refused), it is disbursed
# (its schedule made), repaid instalment by instalment, and settled. Overdue is not a state: it is
# `Loan.overdue`, derived from the earliest unpaid instalment.
# isort: split
from .models.loan import LoanState  # noqa: E402

LOAN_TRANSITIONS: dict[str, set[str]] = {
    LoanState.APPLIED: {LoanState.CHECKED, LoanState.WITHDRAWN},
    LoanState.CHECKED: {LoanState.REVIEWED, LoanState.APPLIED, LoanState.WITHDRAWN},
    LoanState.REVIEWED: {LoanState.APPROVED, LoanState.REFUSED, LoanState.APPLIED},
    LoanState.APPROVED: {LoanState.DISBURSED},
    LoanState.REFUSED: set(),
    LoanState.WITHDRAWN: set(),
    LoanState.DISBURSED: {LoanState.REPAYING, LoanState.SETTLED},
    LoanState.REPAYING: {LoanState.SETTLED},
    LoanState.SETTLED: set(),
}
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
