"""Records of development for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- talent ---
# isort: split
from gongjian.development.models import Talent, TalentFile, TalentKind, TalentState  # noqa: E402
from gongjian.kernel.models import Organization  # noqa: E402
from gongjian.kernel.tests.matrix import person as matrix_person  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as matrix_stored_file  # noqa: E402


def talent(place: Place) -> Talent:
    """An entry of the place's federation reported to the federation above (it waits there)."""
    parents = Organization.objects.filter(path=place.federation.path[:-place.federation.steplen],
                                          kind__in=Organization.FEDERATION_KINDS)
    holder = parents.first() or place.federation
    return Talent.objects.create(person=matrix_person(place), organization=place.federation, holder=holder,
                                 kind=TalentKind.RICH_LEADER_WOMAN, trade="矩阵测试种植", jobs=3,
                                 state=TalentState.REPORTED)


def talent_file(place: Place) -> TalentFile:
    return TalentFile.objects.create(talent=talent(place), file=matrix_stored_file(place.federation))
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- talent ---
    Talent: talent,
    TalentFile: talent_file,
    # --- end talent ---
    # --- cultivation ---
    # --- end cultivation ---
    # --- loan ---
    # --- end loan ---
    # --- demonstration ---
    # --- end demonstration ---
}
