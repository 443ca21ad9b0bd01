"""Records of support for the role x route matrix (kernel/tests/test_matrix.py): one maker per record
type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- case ---
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# --- end service ---

RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- case: records ---
    # --- end case: records ---
    # --- care: records ---
    # --- end care: records ---
    # --- service: records ---
    # --- end service: records ---
}
