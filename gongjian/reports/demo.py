"""Demo records of 公文与报告 (idempotent, invented content only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

# --- document ---
# --- end document ---
# --- news ---
# --- end news ---


def load(result: Any) -> None:
    # --- document ---
    # --- end document ---
    # --- news ---
    # --- end news ---
    return None
