"""Records of support for the role x route matrix (kernel/tests/test_matrix.py): one maker per record
type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- case ---
# isort: split
from gongjian.support.models import Case as _Case  # noqa: E402


def case(place: Place) -> _Case:
    """A case handled by the place's federation (no named handler: its lead reaches it)."""
    found = _Case(organization=place.federation, intake_organization=place.federation, channel="hotline_12338",
                  category="domestic_violence", summary="矩阵测试求助", narrative="矩阵测试详细情况",
                  contact_mobile="13900009999", sensitive=True)
    found.issue_credentials("WQ")
    found.save()
    return found
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# --- end service ---

RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- case: records ---
    _Case: case,
    # --- end case: records ---
    # --- care: records ---
    # --- end care: records ---
    # --- service: records ---
    # --- end service: records ---
}
