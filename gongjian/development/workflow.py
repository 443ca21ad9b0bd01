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
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
