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
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import rules  # noqa: E402
from django.db.models import Q  # noqa: E402

from gongjian.kernel.access import Own, Reach  # noqa: E402
from gongjian.kernel.http import Reader  # noqa: E402

from .models import Assessment, CriteriaSet, Evidence, Score  # noqa: E402


@dataclass(frozen=True)
class Assessed(Reach):
    """A criteria set reaches the organisations assessed under it (they read the criteria)."""

    def condition(self, user: Reader, model: type[Any]) -> Q | None:
        acting = access.acting_organization(user)
        if acting is None:
            return None
        return Q(pk__in=Assessment.objects.filter(organization=acting).values("criteria_set_id"))

    def test(self, user: Reader, obj: Any) -> bool:
        acting = access.acting_organization(user)
        return acting is not None and obj.assessments.filter(organization=acting).exists()


# The set owner (and whoever lies above it) sees the set and all its assessments; a subject's
# organisation sees its own assessment and the set's criteria; nobody else sees anything.
ASSESSOR = Subtree(via=("criteria_set__organization",))
access.declare(CriteriaSet, Subtree() | Assessed())
access.declare(Assessment, ASSESSOR | Own(via="organization"))
access.declare(Score, Subtree(via=("assessment__criteria_set__organization",))
               | Own(via="assessment__organization"))
access.declare(Evidence, Subtree(via=("score__assessment__criteria_set__organization",))
               | Own(via="score__assessment__organization"))

assessment_staff = is_authenticated & acts_as_staff & acts_for_federation
acts_above_village = acts_for_kind(Organization.Kind.COUNTY_FEDERATION, Organization.Kind.TOWNSHIP_FEDERATION)
owns_the_set = access.reaches(Subtree())  # on a CriteriaSet: the owner's side only
assesses = access.reaches(ASSESSOR)  # on an Assessment: the set owner's side
is_the_subject = access.reaches(Own(via="organization"))  # on an Assessment: the subject's own staff


@rules.predicate
def not_the_subject(user: Reader, obj: Any) -> bool:
    """True without an object; on an assessment, she does not act for the assessed organisation."""
    return obj is None or not access.may(user, obj, reach=Own(via="organization"))


register(
    {
        "campaigns.view_assessment": assessment_staff & reaches(),
        # Sets are made by the county or township federations, for what lies below them.
        "campaigns.manage_criteria": assessment_staff & acts_above_village & owns_the_set,
        # The subject's own staff fill in the self-assessment, never the assessor's.
        "campaigns.self_assess": assessment_staff & is_the_subject,
        # The set owner's staff score; nobody scores her own organisation.
        "campaigns.score_assessment": assessment_staff & acts_above_village & assesses & not_the_subject,
    }
)
# --- end assessments ---

# --- pledges ---
# Staff reach a pledge (its updates and comments) in their subtree: the pledging organisation and
# every one above it. The portal's readers ("reader") reach published public pledges only, their
# updates, and the comments the pledging organisation chose to show.
from dataclasses import dataclass as _dataclass  # noqa: E402
from typing import Any as _Any  # noqa: E402

from django.db.models import Model as _Model  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402

from gongjian.kernel.access import Own, Reach  # noqa: E402
from gongjian.kernel.http import Reader as _Reader  # noqa: E402

from .models import ON_PORTAL, Pledge, PledgeComment, PledgeUpdate  # noqa: E402


@_dataclass(frozen=True)
class OnPortal(Reach):
    """Anyone, logged in or not: a pledge published (or already rated) and marked public, reached
    through `via` ("" for the pledge itself); with `shown`, only comments its staff approved."""

    via: str = ""
    shown: bool = False

    def condition(self, user: _Reader, model: type[_Model]) -> _Q | None:
        prefix = f"{self.via}__" if self.via else ""
        found = _Q(**{f"{prefix}is_public": True, f"{prefix}state__in": ON_PORTAL})
        return found & _Q(state=PledgeComment.State.SHOWN) if self.shown else found

    def test(self, user: _Reader, obj: _Any) -> bool:
        pledge = getattr(obj, self.via) if self.via else obj
        if self.shown and obj.state != PledgeComment.State.SHOWN:
            return False
        return bool(pledge.is_public and pledge.state in ON_PORTAL)


access.declare(Pledge, Subtree())
access.declare(PledgeUpdate, Subtree(via=("pledge__organization",)))
access.declare(PledgeComment, Subtree(via=("pledge__organization",)))
access.declare(Pledge, OnPortal(), audience="reader")
access.declare(PledgeUpdate, OnPortal(via="pledge"), audience="reader")
access.declare(PledgeComment, OnPortal(via="pledge", shown=True), audience="reader")

federation_staff = is_authenticated & acts_as_staff & acts_for_federation
# The pledging organisation's own staff keep it (write, report progress, moderate comments).
pledge_own = federation_staff & reaches(Own())
# 评诺: the lead of a federation strictly above the pledging organisation.
pledge_superior = is_authenticated & acts_as_lead & acts_for_federation & reaches(Subtree(strictly_below=True))

register(
    {
        "campaigns.view_pledge": federation_staff & reaches(),
        "campaigns.make_pledge": pledge_own,
        "campaigns.moderate_pledge": pledge_own,
        "campaigns.evaluate_pledge": pledge_superior,
    }
)
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
