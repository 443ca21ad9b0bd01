"""Womenshome permissions: the table docs/permissions.md describes (## womenshome).

Only the women's-federation line works here: a party committee or branch sees none of it, and
the three admin roles see no domain data. What an object-level check adds is scope: the object's
organisation must lie in the acting subtree: each record type's reach is declared below, once."""

from __future__ import annotations

from gongjian.kernel import access
from gongjian.kernel.access import Subtree, reaches
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import (
    acts_as_lead,
    acts_as_staff,
    acts_for_kind,
    is_authenticated,
    register,
)

from .models import (
    Activity,
    ActivityPhoto,
    Attendance,
    Honour,
    HonourQuota,
    SignIn,
    SitePhoto,
    Team,
    TeamMember,
    WomensHome,
)

Kind = Organization.Kind

# The reach of every record of the app: the acting subtree, through the owning organisation.
for owned in (WomensHome, Team, Activity, Honour, HonourQuota):
    access.declare(owned, Subtree())
access.declare(SitePhoto, Subtree(via=("site__organization",)))
access.declare(TeamMember, Subtree(via=("team__organization",)))
for part in (ActivityPhoto, Attendance, SignIn):
    access.declare(part, Subtree(via=("activity__organization",)))

acts_for_federation = acts_for_kind(*Organization.FEDERATION_KINDS)
acts_above_village = acts_for_kind(Kind.COUNTY_FEDERATION, Kind.TOWNSHIP_FEDERATION)
acts_for_county = acts_for_kind(Kind.COUNTY_FEDERATION)


# Nobody approves what her own organisation put forward: the record must lie strictly below.
strictly_above = reaches(Subtree(strictly_below=True))

federation_staff = is_authenticated & acts_as_staff & acts_for_federation & reaches()
federation_lead = is_authenticated & acts_as_lead & acts_for_federation & reaches()

register(
    {
        "womenshome.view": federation_staff,
        "womenshome.change_site": federation_staff,
        "womenshome.manage_team": federation_staff,
        "womenshome.change_activity": federation_staff,
        "womenshome.record_attendance": federation_staff,
        "womenshome.export": federation_staff,
        "womenshome.nominate_honour": federation_staff,
        # Review, 公示, objections and the award: the township or county chair above the nominator.
        "womenshome.decide_honour": federation_lead & acts_above_village & strictly_above,
        "womenshome.set_quota": federation_lead & acts_for_county,
    }
)
