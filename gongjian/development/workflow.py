"""Life cycles of 巾帼致富, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
