"""Demo records of 创先争优 (idempotent); called by kernel.demo.load_demo after the county.

Each topic adds its records in its own function, called from `load` in this order (plans need the
campaign, assessments and commendations read what came before)."""

from __future__ import annotations

from typing import Any

from gongjian.kernel import audit

# --- campaigns (core) ---
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---


def load(result: Any) -> None:
    """Add the campaigns demo records (idempotent)."""
    before = dict(getattr(result, "created", {}) or {})
    # --- load: campaigns (core) ---
    # --- load: end campaigns ---
    # --- load: assessments ---
    # --- load: end assessments ---
    # --- load: pledges ---
    # --- load: end pledges ---
    # --- load: commendations ---
    # --- load: end commendations ---
    # --- load: study & supervision ---
    # --- load: end study & supervision ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("campaigns.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "campaigns.demo.loaded", actor=None, username="demo", changes={"created": made})
