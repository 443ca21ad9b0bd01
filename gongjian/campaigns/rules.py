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
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
