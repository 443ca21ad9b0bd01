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
    # --- load: end loan ---
    # --- load: demonstration ---
    # --- load: end demonstration ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("development.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "development.demo.loaded", actor=None, username="demo", changes={"created": made})
