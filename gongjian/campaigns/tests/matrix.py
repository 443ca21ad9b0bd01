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


from django.utils import timezone  # noqa: E402  (in this section: merges stay clean)

from gongjian.campaigns.models import PlanAttachment, PlanRevision, PlanStatus, PlanSubmission  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file  # noqa: E402


def plan(place: Place) -> PlanSubmission:
    # The place's own plan (its federation both issues and is targeted: the reach is the target's).
    return PlanSubmission.objects.create(campaign=campaign(place), organization=place.federation,
                                         status=PlanStatus.ON_TIME, title="矩阵测试方案",
                                         first_submitted_on=date(2026, 3, 10), submitted_at=timezone.now(),
                                         revision=1)


def plan_attachment(place: Place) -> PlanAttachment:
    found = plan(place)
    revision = PlanRevision.objects.create(plan=found, number=1, title=found.title, submitted_at=timezone.now())
    return PlanAttachment.objects.create(revision=revision, file=stored_file(place.federation))
# --- end campaigns ---

# --- assessments ---
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
    PlanSubmission: plan,
    PlanAttachment: plan_attachment,
    # --- end campaigns ---

    # --- assessments ---
    # --- end assessments ---

    # --- pledges ---
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---

    # --- study & supervision ---
    # --- end study & supervision ---
}
