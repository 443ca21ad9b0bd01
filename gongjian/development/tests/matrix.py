"""Records of development for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- talent ---
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- talent ---
    # --- end talent ---
    # --- cultivation ---
    # --- end cultivation ---
    # --- loan ---
    # --- end loan ---
    # --- demonstration ---
    # --- end demonstration ---
}
