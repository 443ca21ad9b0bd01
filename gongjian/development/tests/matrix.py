"""Records of development for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- talent ---
# isort: split
from datetime import date  # noqa: E402

from gongjian.development.models import (  # noqa: E402
    Talent,
    TalentFile,
    TalentKind,
    TalentState,
    TrainingNomination,
    TrainingOffer,
)
from gongjian.kernel.models import Organization  # noqa: E402
from gongjian.kernel.tests.matrix import person as matrix_person  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as matrix_stored_file  # noqa: E402


def talent(place: Place) -> Talent:
    """An entry of the place's federation reported to the federation above (it waits there)."""
    parents = Organization.objects.filter(path=place.federation.path[:-place.federation.steplen],
                                          kind__in=Organization.FEDERATION_KINDS)
    holder = parents.first() or place.federation
    return Talent.objects.create(person=matrix_person(place), organization=place.federation, holder=holder,
                                 kind=TalentKind.RICH_LEADER_WOMAN, trade="矩阵测试种植", jobs=3,
                                 state=TalentState.REPORTED)


def talent_file(place: Place) -> TalentFile:
    return TalentFile.objects.create(talent=talent(place), file=matrix_stored_file(place.federation))


def training_offer(place: Place) -> TrainingOffer:
    """A training offered by the place. At a county it is offered by the county's party committee:
    the matrix's "another county" of a township lead is her own county (灵沙乡 under 平罗县), and her
    county federation's trainings are meant to reach her (`Below`, tested in test_talent_trainings.py)."""
    issuer = place.party if place.federation.depth == 1 else place.federation
    return TrainingOffer.objects.create(organization=issuer, title="矩阵测试培训", starts_on=date(2026, 3, 1),
                                        ends_on=date(2026, 3, 2), place="矩阵测试地点")


def training_nomination(place: Place) -> TrainingNomination:
    entry = talent(place)
    return TrainingNomination.objects.create(offer=training_offer(place), talent=entry, township=place.federation)
# --- end talent ---

# --- cultivation ---
# isort: split
from datetime import date as _date  # noqa: E402

from gongjian.development.models import CultivationStage, Recommendation  # noqa: E402
from gongjian.kernel.models import PoliticalStatus  # noqa: E402
from gongjian.kernel.tests.matrix import person as _person  # noqa: E402


def recommendation(place: Place) -> Recommendation:
    """A woman of the place recommended by its federation to its party organisation (awaiting the party side)."""
    return Recommendation.objects.create(
        person=_person(place), organization=place.federation, party_organization=place.party,
        recommended_on=_date(2026, 3, 1), reason="矩阵测试的推荐理由，内容足够长。",
        status_before=PoliticalStatus.MASSES, stage=CultivationStage.RECOMMENDED, stage_on=_date(2026, 3, 1))
# --- end cultivation ---

# --- loan ---
# isort: split
from datetime import date as _loan_date  # noqa: E402
from decimal import Decimal as _LoanDecimal  # noqa: E402

from gongjian.development.models import Instalment, InterestSubsidy, Loan, LoanState  # noqa: E402
from gongjian.kernel.tests.matrix import person as _loan_person  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as _loan_stored_file  # noqa: E402


def loan(place: Place) -> Loan:
    """A loan kept by the place's federation (reached from it upward), just applied."""
    return Loan.objects.create(applicant=_loan_person(place), organization=place.federation, purpose="矩阵测试养殖",
                               amount=_LoanDecimal("20000"), term_months=12, guarantee="矩阵测试担保",
                               business_plan="矩阵测试创业计划，内容足够长。", state=LoanState.APPLIED,
                               plan_file=_loan_stored_file(place.federation),
                               decision_file=_loan_stored_file(place.federation))


def instalment(place: Place) -> Instalment:
    return Instalment.objects.create(loan=loan(place), number=1, due_on=_loan_date(2026, 6, 1),
                                     principal=_LoanDecimal("1000"))


def interest_subsidy(place: Place) -> InterestSubsidy:
    return InterestSubsidy.objects.create(loan=loan(place), period_start=_loan_date(2026, 1, 1),
                                          period_end=_loan_date(2026, 6, 30), amount=_LoanDecimal("300"))
# --- end loan ---

# --- demonstration ---
DEMONSTRATION_TOPIC = "demonstration"  # (a statement: the imports below are this section's own block)


from gongjian.development.models import (  # noqa: E402
    Demonstration,
    DemonstrationKind,
    DemonstrationReview,
    DemonstrationState,
    Placement,
    PlacementScope,
    ReviewResult,
)
from gongjian.kernel.models import Organization as _Org  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as _stored_file  # noqa: E402


def demonstration(place: Place) -> Demonstration:
    """A designated demonstration base of the place's federation (a village's in the demo)."""
    today = _date.today()
    return Demonstration.objects.create(
        organization=place.federation, kind=DemonstrationKind.BASE, name="矩阵测试示范基地", trade="苹果种植",
        description="矩阵测试示范基地的基本情况。", women_count=5, state=DemonstrationState.DESIGNATED,
        proposed_by_organization=place.federation, proposed_on=today, designated_on=today,
        photo=_stored_file(place.federation))


def demonstration_review(place: Place) -> DemonstrationReview:
    found = demonstration(place)
    return DemonstrationReview.objects.create(demonstration=found, year=_date.today().year,
                                              result=ReviewResult.PASSED, reviewed_by_organization=place.federation)


def placement(place: Place) -> Placement:
    assert place.federation.kind in _Org.FEDERATION_KINDS
    return Placement.objects.create(organization=place.federation, person=_person(place), employer="矩阵测试公司",
                                    work="包装工", scope=PlacementScope.LOCAL, placed_on=_date.today())
# --- end demonstration ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- talent ---
    Talent: talent,
    TalentFile: talent_file,
    TrainingOffer: training_offer,
    TrainingNomination: training_nomination,
    # --- end talent ---
    # --- cultivation ---
    Recommendation: recommendation,
    # --- end cultivation ---
    # --- loan ---
    Loan: loan,
    Instalment: instalment,
    InterestSubsidy: interest_subsidy,
    # --- end loan ---
    # --- demonstration ---
    Demonstration: demonstration,
    DemonstrationReview: demonstration_review,
    Placement: placement,
    # --- end demonstration ---
}
