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
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
