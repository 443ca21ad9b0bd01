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
# --- end talent ---

# --- cultivation ---
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
# --- end demonstration ---
