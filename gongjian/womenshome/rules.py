"""Womenshome permissions: the table docs/permissions.md describes (## womenshome).

Only the women's-federation line works here: a party committee or branch sees none of it, and
the three admin roles see no domain data. What an object-level check adds is scope: the object's
organisation must lie in the acting subtree (`in_scope`)."""

from __future__ import annotations

from typing import Any

import rules

from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import (
    acting_of,
    acts_as_lead,
    acts_as_staff,
    acts_for_kind,
    in_scope,
    is_authenticated,
    register,
)

Kind = Organization.Kind

acts_for_federation = acts_for_kind(*Organization.FEDERATION_KINDS)
acts_above_village = acts_for_kind(Kind.COUNTY_FEDERATION, Kind.TOWNSHIP_FEDERATION)
acts_for_county = acts_for_kind(Kind.COUNTY_FEDERATION)


@rules.predicate
def strictly_above(user: Any, obj: Any) -> bool:
    """The object's organisation lies below (never at) the acting organisation: nobody approves
    what her own organisation put forward."""
    if obj is None:
        return True
    acting = acting_of(user)
    if acting is None:
        return False
    owner = obj.owning_organization
    return bool(acting.organization.contains(owner) and acting.organization.pk != owner.pk)


federation_staff = is_authenticated & acts_as_staff & acts_for_federation & in_scope
federation_lead = is_authenticated & acts_as_lead & acts_for_federation & in_scope

register(
    {
        "womenshome.view": federation_staff,
        "womenshome.change_site": federation_staff,
        "womenshome.manage_team": federation_staff,
        "womenshome.change_activity": federation_staff,
        "womenshome.record_attendance": federation_staff,
        "womenshome.import": federation_staff,
        "womenshome.export": federation_staff,
        "womenshome.nominate_honour": federation_staff,
        # Review, 公示, objections and the award: the township or county chair above the nominator.
        "womenshome.decide_honour": federation_lead & acts_above_village & strictly_above,
        "womenshome.set_quota": federation_lead & acts_for_county,
    }
)
