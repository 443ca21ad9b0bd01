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
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
