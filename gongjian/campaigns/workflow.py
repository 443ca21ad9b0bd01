"""Life cycles of 创先争优, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

from .models.campaign import CampaignState

# --- campaigns (core) ---
CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    CampaignState.DRAFT: {CampaignState.ISSUED},
    CampaignState.ISSUED: {CampaignState.CLOSED},
    CampaignState.CLOSED: set(),
}
from .models.campaign import PlanStatus  # noqa: E402  (in this section: merges stay clean)

#: A plan comes in (on time or late), then is returned for revision (and comes in again) or accepted.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.MISSING: {PlanStatus.ON_TIME, PlanStatus.LATE},
    PlanStatus.ON_TIME: {PlanStatus.RETURNED, PlanStatus.ACCEPTED},
    PlanStatus.LATE: {PlanStatus.RETURNED, PlanStatus.ACCEPTED},
    PlanStatus.RETURNED: {PlanStatus.ON_TIME, PlanStatus.LATE},
    PlanStatus.ACCEPTED: set(),
}
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
