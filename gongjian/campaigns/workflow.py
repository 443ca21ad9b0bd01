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
from .models.assessment import AssessmentState  # noqa: E402

# draft → self-assessed (the subject) → scored (the set owner) → published; the owner may return a
# self-assessment (or a scored one, before publication) for more evidence, and the subject resubmits.
ASSESSMENT_TRANSITIONS: dict[str, set[str]] = {
    AssessmentState.DRAFT: {AssessmentState.SELF_ASSESSED},
    AssessmentState.SELF_ASSESSED: {AssessmentState.SCORED, AssessmentState.RETURNED},
    AssessmentState.RETURNED: {AssessmentState.SELF_ASSESSED},
    AssessmentState.SCORED: {AssessmentState.PUBLISHED, AssessmentState.RETURNED},
    AssessmentState.PUBLISHED: set(),
}
#: States whose superior's scores count in a ranking (the owner's side sees them before publication).
RANKED_STATES = (AssessmentState.SCORED, AssessmentState.PUBLISHED)
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
