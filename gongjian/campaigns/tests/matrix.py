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
# --- end assessments ---

# --- pledges ---
from gongjian.campaigns.models import (  # noqa: E402
    Pledge,
    PledgeCategory,
    PledgeComment,
    PledgeState,
    PledgeUpdate,
)
from gongjian.kernel.tests.matrix import stored_file  # noqa: E402


def pledge(place: Place) -> Pledge:
    return Pledge.objects.create(organization=place.federation, category=PledgeCategory.SERVICE, title="矩阵测试承诺",
                                 content="矩阵测试承诺内容，每月走访。", due_on=date(2026, 12, 31),
                                 state=PledgeState.PUBLISHED)


def pledge_update(place: Place) -> PledgeUpdate:
    return PledgeUpdate.objects.create(pledge=pledge(place), date=date(2026, 4, 1), text="矩阵测试进展",
                                       photo=stored_file(place.federation))


def pledge_comment(place: Place) -> PledgeComment:
    return PledgeComment.objects.create(pledge=pledge(place), content="矩阵测试留言内容")
# --- end pledges ---

# --- commendations ---
from gongjian.campaigns.models import Nomination, NominationFile, NominationState, TitleKind  # noqa: E402
from gongjian.kernel.models import Organization  # noqa: E402


def nomination(place: Place) -> Nomination:
    """A submitted nomination of the place's federation, to be decided by the federation above."""
    parents = Organization.objects.filter(path=place.federation.path[:-place.federation.steplen],
                                          kind__in=Organization.FEDERATION_KINDS)
    decider = parents.first() or place.federation
    return Nomination.objects.create(
        organization=place.federation, deciding_organization=decider, kind=TitleKind.CIVILIZED_POST,
        year=2026, public_name="矩阵测试岗", deeds="矩阵测试的先进事迹，内容足够长，用于权限测试。",
        state=NominationState.SUBMITTED)


def nomination_file(place: Place) -> NominationFile:
    return NominationFile.objects.create(nomination=nomination(place), file=stored_file(place.federation))
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- campaigns (core) ---
    Campaign: campaign,
    Phase: phase,
    # --- end campaigns ---

    # --- assessments ---
    # --- end assessments ---

    # --- pledges ---
    Pledge: pledge,
    PledgeUpdate: pledge_update,
    PledgeComment: pledge_comment,
    # --- end pledges ---

    # --- commendations ---
    Nomination: nomination,
    NominationFile: nomination_file,
    # --- end commendations ---

    # --- study & supervision ---
    # --- end study & supervision ---
}
