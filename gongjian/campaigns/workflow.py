"""Life cycles of 创先争优, each a table of allowed transitions (kernel.workflow.move checks it)."""

from __future__ import annotations

from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

from .models.campaign import CampaignState

# --- campaigns (core) ---
CAMPAIGN_TRANSITIONS = {
    CampaignState.DRAFT: {CampaignState.ISSUED},
    CampaignState.ISSUED: {CampaignState.CLOSED},
    CampaignState.CLOSED: set(),
}
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
from .models.supervision import FollowUpState  # noqa: E402

# The visited organisation answers a follow-up; the visitor confirms it or returns it to be answered again.
FOLLOWUP_TRANSITIONS: dict[str, set[str]] = {
    FollowUpState.OPEN: {FollowUpState.ANSWERED},
    FollowUpState.ANSWERED: {FollowUpState.CONFIRMED, FollowUpState.OPEN},
    FollowUpState.CONFIRMED: set(),
}
# --- end study & supervision ---
