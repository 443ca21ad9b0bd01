"""Records of reports for the role x route matrix (kernel/tests/test_matrix.py): one maker per record
type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- document ---
# --- end document ---
# --- news ---
# --- end news ---
# --- county ---
# The county report names only organisations (`?org=`): the kernel's Organization maker serves it.
# --- end county ---

RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- document ---
    # --- end document ---
    # --- news ---
    # --- end news ---
    # --- county ---
    # --- end county ---
}
