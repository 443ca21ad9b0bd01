"""Demo records of 维权与关爱 (idempotent, invented people only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

# --- case ---
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# --- end service ---


def load(result: Any) -> None:
    # --- case: load ---
    # --- end case: load ---
    # --- care: load ---
    # --- end care: load ---
    # --- service: load ---
    # --- end service: load ---
    pass
