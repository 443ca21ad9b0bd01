"""Records of reports for the role x route matrix (kernel/tests/test_matrix.py): one maker per record
type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- document ---
# isort: split
from datetime import date as _doc_date  # noqa: E402

from gongjian.kernel.models import User as _DocUser  # noqa: E402
from gongjian.reports.models import Document as _Document  # noqa: E402
from gongjian.reports.models import DocumentVersion as _DocumentVersion  # noqa: E402


def document(place: Place) -> _Document:
    """A draft 情况汇报 of the place's federation, with its first version."""
    author = _DocUser.objects.filter(is_active=True).order_by("pk").first()
    assert author is not None
    today = _doc_date.today()
    found = _Document.objects.create(organization=place.federation, kind="situation_report", title="矩阵测试汇报",
                                     period_from=today, period_to=today, created_by=author)
    _DocumentVersion.objects.create(document=found, n=1, content={"title": "矩阵测试汇报", "sections": []},
                                    content_sha256="0" * 64, organization=place.federation, created_by=author)
    return found

# --- end document ---
# --- news ---
# --- end news ---
# --- county ---
# --- end county ---

RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- document ---
    _Document: document,
    # --- end document ---
    # --- news ---
    # --- end news ---
    # --- county ---
    # --- end county ---
}
