"""Campaign permissions: the table docs/permissions.md describes (## campaigns).

The women's-federation line runs campaigns; the party line co-issues them (联动机制). What an
object-level check adds is scope: each record type's reach is declared below, once."""

from __future__ import annotations

from gongjian.kernel import access
from gongjian.kernel.access import Below, Subtree, reaches  # noqa: F401
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import (  # noqa: F401
    acts_as_lead,
    acts_as_staff,
    acts_for_kind,
    is_authenticated,
    register,
)

from .models import Campaign, CampaignState, Phase

acts_for_federation = acts_for_kind(*Organization.FEDERATION_KINDS)
acts_for_party = acts_for_kind(*Organization.PARTY_KINDS)

# --- campaigns (core) ---
# A campaign reaches its issuer's subtree (drafts included) and, once issued, every organisation
# at or below its issuer or a co-issuer: it is a notice sent downward.
ISSUED = (CampaignState.ISSUED, CampaignState.CLOSED)
access.declare(Campaign, Subtree() | Below(via=("organization", "co_organizations"), only=("state", ISSUED)))
access.declare(Phase, Subtree(via=("campaign__organization",))
               | Below(via=("campaign__organization",), only=("campaign__state", ISSUED)))

from .models import PlanAttachment, PlanSubmission  # noqa: E402  (in this section: merges stay clean)

# A plan belongs to its target organisation: the target and everyone above it (the issuer is
# always above its targets) reach it; a sibling township does not.
access.declare(PlanSubmission, Subtree())
access.declare(PlanAttachment, Subtree(via=("revision__plan__organization",)))

campaign_staff = is_authenticated & acts_as_staff & (acts_for_federation | acts_for_party)
federation_staff = is_authenticated & acts_as_staff & acts_for_federation
federation_lead = is_authenticated & acts_as_lead & acts_for_federation
#: The issuing organisation itself (not the county above a township's own campaign).
of_issuer = access.reaches(access.Own(via="organization"))
#: The plan's own organisation submits it; the campaign's issuer reviews it.
of_target = access.reaches(access.Own(via="organization"))
of_plan_issuer = access.reaches(access.Own(via="campaign__organization"))

register(
    {
        "campaigns.view": campaign_staff & reaches(),
        # The federation line runs campaigns: its staff draft them, its lead issues and closes them.
        "campaigns.manage_campaign": federation_staff & of_issuer,
        "campaigns.issue_campaign": federation_lead & of_issuer,
        "campaigns.submit_plan": federation_staff & of_target,
        "campaigns.review_plan": federation_staff & of_plan_issuer,
    }
)
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
