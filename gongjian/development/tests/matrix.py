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
DEMONSTRATION_TOPIC = "demonstration"  # (a statement: the imports below are this section's own block)

from datetime import date as _date  # noqa: E402

from gongjian.development.models import (  # noqa: E402
    Demonstration,
    DemonstrationKind,
    DemonstrationReview,
    DemonstrationState,
    Placement,
    PlacementScope,
    ReviewResult,
)
from gongjian.kernel.models import Organization as _Org  # noqa: E402
from gongjian.kernel.tests.matrix import person as _person  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as _stored_file  # noqa: E402


def demonstration(place: Place) -> Demonstration:
    """A designated demonstration base of the place's federation (a village's in the demo)."""
    today = _date.today()
    return Demonstration.objects.create(
        organization=place.federation, kind=DemonstrationKind.BASE, name="矩阵测试示范基地", trade="苹果种植",
        description="矩阵测试示范基地的基本情况。", women_count=5, state=DemonstrationState.DESIGNATED,
        proposed_by_organization=place.federation, proposed_on=today, designated_on=today,
        photo=_stored_file(place.federation))


def demonstration_review(place: Place) -> DemonstrationReview:
    found = demonstration(place)
    return DemonstrationReview.objects.create(demonstration=found, year=_date.today().year,
                                              result=ReviewResult.PASSED, reviewed_by_organization=place.federation)


def placement(place: Place) -> Placement:
    assert place.federation.kind in _Org.FEDERATION_KINDS
    return Placement.objects.create(organization=place.federation, person=_person(place), employer="矩阵测试公司",
                                    work="包装工", scope=PlacementScope.LOCAL, placed_on=_date.today())
# --- end demonstration ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- talent ---
    # --- end talent ---
    # --- cultivation ---
    # --- end cultivation ---
    # --- loan ---
    # --- end loan ---
    # --- demonstration ---
    Demonstration: demonstration,
    DemonstrationReview: demonstration_review,
    Placement: placement,
    # --- end demonstration ---
}
