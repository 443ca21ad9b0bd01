"""Life cycles of 创先争优, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

from .models.campaign import CampaignState, PlanState

# --- campaigns (core) ---
CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    CampaignState.DRAFT: {CampaignState.ISSUED},
    CampaignState.ISSUED: {CampaignState.CLOSED},
    CampaignState.CLOSED: set(),
}
#: A plan is submitted (again, after a return), then returned for revision or accepted.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanState.PENDING: {PlanState.SUBMITTED},
    PlanState.SUBMITTED: {PlanState.RETURNED, PlanState.ACCEPTED},
    PlanState.RETURNED: {PlanState.SUBMITTED},
    PlanState.ACCEPTED: set(),
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
