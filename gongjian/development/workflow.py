"""Life cycles of 巾帼致富, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
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
