"""Records of campaigns for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gongjian.campaigns.models import Campaign, CampaignState, Phase
from gongjian.kernel.tests.matrix import Place


# --- campaigns (core) ---
def campaign(place: Place) -> Campaign:
    # A draft: an issued campaign is meant to reach the organisations below its issuer (a township
    # reads its county's campaign, `Below` in rules.py, tested there), which the matrix would count
    # as the county's record leaking. A draft reaches only the issuer's subtree.
    return Campaign.objects.create(title="矩阵测试活动", organization=place.federation, starts_on=date(2026, 3, 1),
                                   plan_due=date(2026, 4, 1), state=CampaignState.DRAFT)


def phase(place: Place) -> Phase:
    return Phase.objects.create(campaign=campaign(place), name="广泛发动", starts_on=date(2026, 3, 1))
# --- end campaigns ---

# --- assessments ---
# isort: split
from gongjian.campaigns.models import Assessment, CriteriaSet, Criterion, Evidence, Score  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file  # noqa: E402


def criteria_set(place: Place) -> CriteriaSet:
    return CriteriaSet.objects.create(title="矩阵测试考评", organization=place.federation, year=2026)


def assessment(place: Place) -> Assessment:
    # The place's federation both owns the set and is its subject: its own staff reach it either way,
    # and the other places' personas through neither.
    return Assessment.objects.create(criteria_set=criteria_set(place), organization=place.federation)


def evidence(place: Place) -> Evidence:
    found = assessment(place)
    criterion = Criterion.objects.create(criteria_set=found.criteria_set, name="组织机构好")
    score = Score.objects.create(assessment=found, criterion=criterion)
    return Evidence.objects.create(score=score, file=stored_file(place.federation))
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- campaigns (core) ---
    Campaign: campaign,
    Phase: phase,
    # --- end campaigns ---

    # --- assessments ---
    CriteriaSet: criteria_set,
    Assessment: assessment,
    Evidence: evidence,
    # --- end assessments ---

    # --- pledges ---
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---

    # --- study & supervision ---
    # --- end study & supervision ---
}
