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

campaign_staff = is_authenticated & acts_as_staff & (acts_for_federation | acts_for_party)

register(
    {
        "campaigns.view": campaign_staff & reaches(),
    }
)
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
from gongjian.kernel.access import Own  # noqa: E402

from .models import Nomination, NominationFile  # noqa: E402

# A nomination reaches the nominating organisation's subtree and the deciding organisation's (it
# travels upward: the county sees everything put forward in its subtree, a village its own).
access.declare(Nomination, Subtree(via=("organization", "deciding_organization")))
access.declare(NominationFile, Subtree(via=("nomination__organization", "nomination__deciding_organization")))

commendation_staff = is_authenticated & acts_as_staff & acts_for_federation
# Only the deciding organisation's chair decides, and never on what her own organisation put
# forward: the nomination must come from strictly below (as womenshome's honours).
decides_here = reaches(Own(via="deciding_organization"))
nominated_below = reaches(Subtree(strictly_below=True))

register(
    {
        "campaigns.view_commendation": commendation_staff & reaches(),
        # Drafting, changing, sending up and adding materials: the nominating organisation itself.
        "campaigns.nominate": commendation_staff & reaches() & reaches(Own()),
        # Review, 公示, objections and the award.
        "campaigns.decide_commendation": commendation_staff & acts_as_lead & reaches() & decides_here
        & nominated_below,
    }
)
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
