"""Life cycles of 维权与关爱, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

# --- case ---
from .models.case import CaseState as _S  # noqa: E402

#: received → accepted (or not accepted, with the reason she is told) → handling (steps logged) →
#: referred (to a partner, or up the 三级维权网络: the receiving organisation accepts it again) →
#: resolved → followed up (回访) → closed. A follow-up that finds the problem unsolved reopens it.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.RECEIVED: frozenset({_S.ACCEPTED, _S.NOT_ACCEPTED, _S.REFERRED}),
    _S.ACCEPTED: frozenset({_S.HANDLING, _S.REFERRED, _S.RESOLVED}),
    _S.HANDLING: frozenset({_S.REFERRED, _S.RESOLVED}),
    _S.REFERRED: frozenset({_S.ACCEPTED, _S.HANDLING, _S.REFERRED, _S.RESOLVED}),
    _S.RESOLVED: frozenset({_S.FOLLOWED_UP, _S.HANDLING}),
    _S.FOLLOWED_UP: frozenset({_S.CLOSED, _S.HANDLING}),
    _S.NOT_ACCEPTED: frozenset(),
    _S.CLOSED: frozenset(),
}

#: The time limit of each open state, in working days (kernel.deadlines.add_days(working=True))
#: counted from the move into it. A risk case is accepted the same working day.
CASE_TIME_LIMITS: dict[str, int] = {
    _S.RECEIVED: 2,
    _S.ACCEPTED: 15,
    _S.HANDLING: 15,
    _S.REFERRED: 10,
    _S.RESOLVED: 10,
    _S.FOLLOWED_UP: 5,
}
RISK_ACCEPT_DAYS = 0
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# --- end service ---
