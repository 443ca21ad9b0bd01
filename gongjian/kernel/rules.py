"""Kernel permissions (the table docs/permissions.md describes) and the reach of its records."""

from . import access
from .access import Mine, Own, Subtree
from .models import (
    ApiToken,
    Notification,
    Objection,
    Organization,
    Person,
    Position,
    PublicNotice,
    PushChannel,
    StoredFile,
)
from .permissions import (
    acts_as_chief,
    acts_for_kind,
    has_acting_position,
    is_auditor,
    is_authenticated,
    is_security_admin,
    is_system_admin,
    lead_in_scope,
    reaches,
    register,
    staff_in_scope,
)

# Each record type's reach, declared once: kernel.access derives the list filter and the check.
access.declare(Organization, Subtree(via=("",)))
# A person is reached through her organisation and through her 党组织关系.
access.declare(Person, Subtree(via=("organization", "party_organization")))
access.declare(Position, Subtree())
access.declare(StoredFile, Subtree())
# Reminders are addressed to one organisation and read by those acting for it.
access.declare(Notification, Own())
access.declare(PublicNotice, Subtree())
access.declare(Objection, Subtree(via=("notice__organization",)))
# An API token is its account's own: she lists and revokes hers, nobody else's (issue 12).
access.declare(ApiToken, Mine())
# So is where her 待办 are pushed (issue 13).
access.declare(PushChannel, Mine())

# Units strictly below the acting organisation: the ones her lead may rename, close and staff
# (never her own organisation: she cannot close it or appoint herself colleagues).
UNITS_BELOW = Subtree(via=("",), strictly_below=True)

register(
    {
        "kernel.use_workspace": is_authenticated & has_acting_position,
        "kernel.view_organization": is_authenticated & has_acting_position & reaches,
        "kernel.view_person": staff_in_scope,
        "kernel.add_person": staff_in_scope,
        "kernel.change_person": staff_in_scope,
        # Rosters of residents are kept by the women's federations (an import places people in
        # the village federations below the chosen organisation).
        "kernel.import_people": staff_in_scope & acts_for_kind(*Organization.FEDERATION_KINDS),
        "kernel.reveal_pii": lead_in_scope,
        # The organisation tree maintained in the app (issue 9). The object is the parent for
        # add_unit (her organisation or a unit below it), the unit itself for manage_unit (its
        # name, closing it, its positions). The system admin maintains the rest (manage_system).
        "kernel.add_unit": is_authenticated & acts_as_chief & reaches,
        "kernel.manage_unit": is_authenticated & acts_as_chief & access.reaches(UNITS_BELOW),
        "kernel.view_audit": is_auditor,
        "kernel.manage_accounts": is_security_admin,
        "kernel.manage_system": is_system_admin,
        "kernel.use_console": is_authenticated & (is_auditor | is_security_admin | is_system_admin),
        "kernel.change_own_password": is_authenticated,
        "kernel.manage_own_tokens": is_authenticated & reaches,
        # Staff (an account acting in a position) choose where their 待办 are pushed (issue 13).
        "kernel.manage_own_pushes": is_authenticated & has_acting_position & reaches,
    }
)

# --- pairings (kernel/pairings.py) ---
# A pairing and its meetings belong to the organisation that keeps the pair; each body of work
# names the permissions of its purpose (`pairings.register_purpose`).
from .models import Pairing, PairingMeeting  # noqa: E402

access.declare(Pairing, Subtree())
access.declare(PairingMeeting, Subtree(via=("pairing__organization",)))
# --- end pairings ---
