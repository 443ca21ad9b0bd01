"""Records of development for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- talent ---
# --- end talent ---

# --- cultivation ---
# isort: split
from datetime import date as _date  # noqa: E402

from gongjian.development.models import CultivationStage, Recommendation  # noqa: E402
from gongjian.kernel.models import PoliticalStatus  # noqa: E402
from gongjian.kernel.tests.matrix import person as _person  # noqa: E402


def recommendation(place: Place) -> Recommendation:
    """A woman of the place recommended by its federation to its party organisation (awaiting the party side)."""
    return Recommendation.objects.create(
        person=_person(place), organization=place.federation, party_organization=place.party,
        recommended_on=_date(2026, 3, 1), reason="矩阵测试的推荐理由，内容足够长。",
        status_before=PoliticalStatus.MASSES, stage=CultivationStage.RECOMMENDED, stage_on=_date(2026, 3, 1))
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- talent ---
    # --- end talent ---
    # --- cultivation ---
    Recommendation: recommendation,
    # --- end cultivation ---
    # --- loan ---
    # --- end loan ---
    # --- demonstration ---
    # --- end demonstration ---
}
