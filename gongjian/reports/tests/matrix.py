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
# isort: split
from django.utils import timezone as _news_timezone  # noqa: E402

from gongjian.kernel.models import Organization as _NewsOrganization  # noqa: E402
from gongjian.kernel.models import User as _NewsUser  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as _news_stored_file  # noqa: E402
from gongjian.reports.models import NewsPhoto, NewsSubmission  # noqa: E402


def news_submission(place: Place) -> NewsSubmission:
    """A piece the place's federation sent to the federation above it, waiting to be adopted; a
    county's federation (nothing above it) sent to its county's party committee, so that nothing
    below the county reaches it."""
    sender = place.federation
    above = sender.path[:-_NewsOrganization.steplen]
    receiver = _NewsOrganization.objects.filter(path=above).first() if above else None
    now = _news_timezone.now()
    return NewsSubmission.objects.create(organization=sender, receiver=receiver or place.party, title="矩阵测试稿件",
                                         body="矩阵测试正文，一段文字。", byline="矩阵测试供稿",
                                         submitted_by=_NewsUser.objects.order_by("pk")[0],
                                         first_submitted_at=now, submitted_at=now)


def news_photo(place: Place) -> NewsPhoto:
    piece = news_submission(place)
    return NewsPhoto.objects.create(submission=piece, file=_news_stored_file(piece.organization), caption="矩阵测试")
# --- end news ---
# --- county ---
# The county report names only organisations (`?org=`): the kernel's Organization maker serves it.
# --- end county ---

RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- document ---
    _Document: document,
    # --- end document ---
    # --- news ---
    NewsSubmission: news_submission,
    NewsPhoto: news_photo,
    # --- end news ---
    # --- county ---
    # --- end county ---
}
