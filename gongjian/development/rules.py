"""Development permissions: the table docs/permissions.md describes (## development).

The women's-federation line works here; the party line decides the steps of party cultivation
(never the federation). Each record type's reach is declared below, once, per topic."""

from __future__ import annotations

from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import acts_as_staff, acts_for_kind, is_authenticated, register

acts_for_federation = acts_for_kind(*Organization.FEDERATION_KINDS)
acts_for_party = acts_for_kind(*Organization.PARTY_KINDS)
federation_staff = is_authenticated & acts_as_staff & acts_for_federation

# The home page of the app: any federation staff (each topic's pages check their own permission).
register({"development.view": federation_staff | (is_authenticated & acts_as_staff & acts_for_party)})

# --- talent ---
from gongjian.kernel import access  # noqa: E402
from gongjian.kernel.access import Own, Subtree, reaches  # noqa: E402

from .models import Talent, TalentFile  # noqa: E402

# A talent entry reaches the reporting organisation's subtree: the village itself and every
# federation above it (the township that reviews it, the county that accepts it); never a sibling.
access.declare(Talent, Subtree())
access.declare(TalentFile, Subtree(via=("talent__organization",)))

#: The entry sits with the acting organisation for review (the township or the county above).
talent_held_here = reaches(Own(via="holder"))

register(
    {
        "development.view_talent": federation_staff & reaches(),
        # Collecting, changing, adding evidence and reporting: the reporting organisation itself.
        "development.collect_talent": federation_staff & reaches() & reaches(Own()),
        # Forward, return, accept: the federation the entry now sits with (never its own entries).
        "development.review_talent": federation_staff & reaches() & talent_held_here
        & reaches(Subtree(strictly_below=True)),
        # The Excel of the pool (personal data masked).
        "development.export_talent": federation_staff,
    }
)

from gongjian.kernel.access import Below  # noqa: E402
from gongjian.kernel.permissions import acts_for_kind  # noqa: E402

from .models import TrainingNomination, TrainingOffer, TrainingQuota  # noqa: E402

# A training is offered downward: the offering federation's subtree and every organisation below it
# read it. A nomination belongs to the nominating township; the offering federation above and her
# village (her talent record) see it too.
access.declare(TrainingOffer, Subtree() | Below())
access.declare(TrainingQuota, Subtree(via=("offer__organization",)) | Below(via=("offer__organization",)))
access.declare(TrainingNomination, Subtree(via=("township", "offer__organization", "talent__organization")))

acts_for_county = acts_for_kind(Organization.Kind.COUNTY_FEDERATION)
acts_for_township = acts_for_kind(Organization.Kind.TOWNSHIP_FEDERATION)

register(
    {
        "development.view_training": federation_staff & reaches(),
        # The county federation offers trainings with places per township.
        "development.offer_training": federation_staff & acts_for_county & reaches(Own()),
        # A township nominates women of its pool to a training offered above it.
        "development.nominate_training": federation_staff & acts_for_township & reaches(),
        # The offering federation records who attended.
        "development.record_attendance": federation_staff & reaches(Own(via="offer__organization")),
    }
)
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
