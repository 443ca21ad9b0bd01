"""Life cycles of 巾帼致富, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

# --- talent ---
from .models.talent import TalentState as _T  # noqa: E402

#: village draft → reported to the township → forwarded to the county → accepted; any review step
#: may return it to the village, which changes it and reports it again.
TALENT_TRANSITIONS: dict[str, frozenset[str]] = {
    _T.DRAFT: frozenset({_T.REPORTED}),
    _T.RETURNED: frozenset({_T.REPORTED}),
    _T.REPORTED: frozenset({_T.FORWARDED, _T.ACCEPTED, _T.RETURNED}),
    _T.FORWARDED: frozenset({_T.ACCEPTED, _T.RETURNED}),
    _T.ACCEPTED: frozenset({_T.RETURNED}),
}
# --- end talent ---

# --- cultivation ---
# isort: split
from .models.cultivation import CultivationStage as _Stage  # noqa: E402

#: 党员推荐培养: no step is skipped; the party side may end it (未被吸收 / 终止培养) before 正式党员.
CULTIVATION_TRANSITIONS: dict[str, set[str]] = {
    _Stage.RECOMMENDED: {_Stage.ACTIVIST, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.ACTIVIST: {_Stage.DEVELOPMENT, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.DEVELOPMENT: {_Stage.PROBATIONARY, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.PROBATIONARY: {_Stage.MEMBER, _Stage.NOT_ADMITTED, _Stage.WITHDRAWN},
    _Stage.MEMBER: set(),
    _Stage.NOT_ADMITTED: set(),
    _Stage.WITHDRAWN: set(),
}
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
# Proposed by a township or village federation; the county designates it (or declines); a
# designated one is revoked by a decision or by a second 不合格 in its yearly reviews.
DEMONSTRATION_TRANSITIONS: dict[str, set[str]] = {
    "proposed": {"designated", "declined"},
    "designated": {"revoked"},
    "declined": set(),
    "revoked": set(),
}
# --- end demonstration ---
