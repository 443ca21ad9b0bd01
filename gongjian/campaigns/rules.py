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
# --- end commendations ---

# --- study & supervision ---
from gongjian.kernel.access import Own  # noqa: E402

from .models import (  # noqa: E402
    FollowUp,
    Meeting,
    ResearchReport,
    StudyDocument,
    StudyNote,
    SupervisionVisit,
)

# A study document is issued downward: its issuer's subtree (the issuer keeps it) and every
# organisation below the issuer reads it. Notes, meetings and reports stay in their organisation's
# subtree. A visit is seen by the visitor's subtree and by the visited organisation and those above
# it, never by the units below the visited one (the findings are about their superior).
access.declare(StudyDocument, Subtree() | Below())
access.declare(StudyNote, Subtree())
access.declare(SupervisionVisit, Subtree(via=("organization", "visited")))
access.declare(FollowUp, Subtree(via=("visit__organization", "visit__visited")))
access.declare(Meeting, Subtree())
access.declare(ResearchReport, Subtree())

study_staff = is_authenticated & acts_as_staff & (acts_for_federation | acts_for_party)

register(
    {
        "campaigns.view_study": study_staff & reaches(),
        # What an organisation records, it records in its own name.
        "campaigns.issue_study_document": study_staff & reaches(Own()),
        "campaigns.write_study_note": study_staff & reaches(Own()),
        "campaigns.view_supervision": study_staff & reaches(),
        "campaigns.record_visit": study_staff & reaches(Own()),
        "campaigns.confirm_followup": study_staff & reaches(Own(via="visit__organization")),
        "campaigns.answer_followup": study_staff & reaches(Own(via="visit__visited")),
        "campaigns.record_meeting": study_staff & reaches(Own()),
        "campaigns.write_report": study_staff & reaches(Own()),
    }
)
# --- end study & supervision ---
