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
# 承诺 → 践诺 → 评诺: a draft is published (承诺, on the portal when public) or withdrawn; a published
# pledge is reported on (践诺, updates need no move) and closed by the superior's rating (评诺).
from .models.pledge import PledgeComment, PledgeState  # noqa: E402

PLEDGE_TRANSITIONS: dict[str, set[str]] = {
    PledgeState.DRAFT: {PledgeState.PUBLISHED, PledgeState.WITHDRAWN},
    PledgeState.PUBLISHED: {PledgeState.EVALUATED},
    PledgeState.EVALUATED: set(),
    PledgeState.WITHDRAWN: set(),
}
# A public comment waits for the pledging organisation's staff, who show or hide it (and may
# change their mind).
COMMENT_TRANSITIONS: dict[str, set[str]] = {
    PledgeComment.State.PENDING: {PledgeComment.State.SHOWN, PledgeComment.State.HIDDEN},
    PledgeComment.State.SHOWN: {PledgeComment.State.HIDDEN},
    PledgeComment.State.HIDDEN: {PledgeComment.State.SHOWN},
}
# --- end pledges ---

# --- commendations ---
from .models.commendation import NominationState  # noqa: E402

# A nomination travels upward: the nominator drafts and submits it; the deciding organisation
# returns it for revision, does not select it, or approves it for 公示; after the notice it is
# awarded, or not (an objection upheld).
NOMINATION_TRANSITIONS: dict[str, set[str]] = {
    NominationState.DRAFT: {NominationState.SUBMITTED},
    NominationState.SUBMITTED: {NominationState.RETURNED, NominationState.NOT_SELECTED, NominationState.APPROVED},
    NominationState.RETURNED: {NominationState.SUBMITTED},
    NominationState.APPROVED: {NominationState.ON_NOTICE},
    NominationState.ON_NOTICE: {NominationState.AWARDED, NominationState.NOT_AWARDED},
    NominationState.NOT_SELECTED: set(),
    NominationState.AWARDED: set(),
    NominationState.NOT_AWARDED: set(),
}
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
