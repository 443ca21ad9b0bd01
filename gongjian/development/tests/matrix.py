"""Records of development for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- talent ---
# isort: split
from datetime import date  # noqa: E402

from gongjian.development.models import (  # noqa: E402
    Talent,
    TalentFile,
    TalentKind,
    TalentState,
    TrainingNomination,
    TrainingOffer,
)
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


def training_offer(place: Place) -> TrainingOffer:
    """A training offered by the place. At a county it is offered by the county's party committee:
    the matrix's "another county" of a township lead is her own county (灵沙乡 under 平罗县), and her
    county federation's trainings are meant to reach her (`Below`, tested in test_talent_trainings.py)."""
    issuer = place.party if place.federation.depth == 1 else place.federation
    return TrainingOffer.objects.create(organization=issuer, title="矩阵测试培训", starts_on=date(2026, 3, 1),
                                        ends_on=date(2026, 3, 2), place="矩阵测试地点")


def training_nomination(place: Place) -> TrainingNomination:
    entry = talent(place)
    return TrainingNomination.objects.create(offer=training_offer(place), talent=entry, township=place.federation)
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
    TrainingOffer: training_offer,
    TrainingNomination: training_nomination,
    # --- end talent ---
    # --- cultivation ---
    # --- end cultivation ---
    # --- loan ---
    # --- end loan ---
    # --- demonstration ---
    # --- end demonstration ---
}
