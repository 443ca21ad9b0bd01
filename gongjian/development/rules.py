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
# 党员推荐培养: a recommendation (and its steps) is reached from the recommending federation's
# subtree and from the receiving party organisation's subtree. Federation staff recommend and
# follow; only party staff whose subtree holds the receiving party organisation decide a step.
from gongjian.kernel import access as _access  # noqa: E402
from gongjian.kernel.access import Subtree as _Subtree  # noqa: E402

from .models.cultivation import CultivationStep, Recommendation  # noqa: E402

_access.declare(Recommendation, _Subtree(via=("organization", "party_organization")))
_access.declare(CultivationStep, _Subtree(via=("recommendation__organization",
                                               "recommendation__party_organization")))
party_staff = is_authenticated & acts_as_staff & acts_for_party
register({
    "development.view_recommendation": (federation_staff | party_staff) & _access.reaches(),
    "development.recommend": federation_staff & _access.reaches(_Subtree(via=("organization",))),
    "development.decide_cultivation": party_staff & _access.reaches(_Subtree(via=("party_organization",))),
})
# --- end cultivation ---

# --- loan ---
# A loan belongs to the applicant's village federation: it and every federation above reach it
# (with its instalments and subsidies); a sibling village does not. The village's own staff apply
# and check (村级核实); a federation strictly above the village (the township, or the county)
# reviews, records the partner's decision, the disbursement, repayments and 贴息. The business
# plan and the guarantee are revealed to a federation lead in reach, each reveal audited.
from gongjian.kernel import access as _loan_access  # noqa: E402
from gongjian.kernel.access import Own as _LoanOwn  # noqa: E402
from gongjian.kernel.access import Subtree as _LoanSubtree  # noqa: E402
from gongjian.kernel.permissions import acts_as_lead as _loan_acts_as_lead  # noqa: E402

from .models import Instalment, InterestSubsidy, Loan  # noqa: E402

_loan_access.declare(Loan, _LoanSubtree())
_loan_access.declare(Instalment, _LoanSubtree(via=("loan__organization",)))
_loan_access.declare(InterestSubsidy, _LoanSubtree(via=("loan__organization",)))

loan_keeper = federation_staff & _loan_access.reaches()
loan_village = federation_staff & _loan_access.reaches(_LoanOwn())
loan_above = federation_staff & _loan_access.reaches(_LoanSubtree(strictly_below=True))

register(
    {
        "development.view_loan": loan_keeper,
        # Applied by (or for) a woman by the federation of her village, or by one above it.
        "development.apply_loan": loan_keeper,
        "development.check_loan": loan_village,
        "development.review_loan": loan_above,
        "development.approve_loan": loan_above,
        "development.disburse_loan": loan_above,
        "development.record_repayment": loan_above,
        "development.reveal_loan": is_authenticated & _loan_acts_as_lead & acts_for_federation
        & _loan_access.reaches(),
    }
)
# --- end loan ---

# --- demonstration ---
# Staff of the federation line reach demonstrations, placements and 牵手结对 pairings in their
# subtree; any of them proposes a demonstration of a village in her subtree and records
# placements and pairings. Designation, the yearly review and revocation are the county
# federation's, strictly above the demonstration's village. The portal ("reader") reaches
# designated demonstrations only.
from django.db.models import Model as _Model  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402

from gongjian.development.models import Demonstration as _Demo  # noqa: E402
from gongjian.development.models import DemonstrationReview as _DemoReview  # noqa: E402
from gongjian.development.models import DemonstrationState as _DemoState  # noqa: E402
from gongjian.development.models import Placement as _Placement  # noqa: E402
from gongjian.kernel import access as _access  # noqa: E402
from gongjian.kernel.access import Subtree as _Subtree  # noqa: E402
from gongjian.kernel.http import Reader as _Reader  # noqa: E402


class _Designated(_access.Reach):
    """Anyone, logged in or not: a designated demonstration (not proposed, declined or revoked)."""

    def condition(self, user: _Reader, model: type[_Model]) -> _Q | None:
        return _Q(state=_DemoState.DESIGNATED)

    def test(self, user: _Reader, obj: object) -> bool:
        return getattr(obj, "state", None) == _DemoState.DESIGNATED


_access.declare(_Demo, _Subtree())
_access.declare(_DemoReview, _Subtree(via=("demonstration__organization",)))
_access.declare(_Placement, _Subtree())
_access.declare(_Demo, _Designated(), audience="reader")

_county_federation = is_authenticated & acts_as_staff & acts_for_kind(Organization.Kind.COUNTY_FEDERATION)
_in_reach = _access.reaches()

register({
    "development.view_demonstration": federation_staff & _in_reach,
    "development.propose_demonstration": federation_staff & _in_reach,
    "development.designate_demonstration": _county_federation & _access.reaches(_Subtree(strictly_below=True)),
    "development.view_placement": federation_staff & _in_reach,
    "development.record_placement": federation_staff & _in_reach,
    "development.view_pairing": federation_staff & _in_reach,
    "development.manage_pairing": federation_staff & _in_reach,
})
# --- end demonstration ---
