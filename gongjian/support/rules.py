"""Support permissions: the table docs/permissions.md describes (## support).

The women's-federation line works here (cases, care and service sites are federation work; the party
line has no access). Each record type's reach is declared below, once, per topic."""

from __future__ import annotations

from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import acts_as_staff, acts_for_kind, is_authenticated, register

acts_for_federation = acts_for_kind(*Organization.FEDERATION_KINDS)
federation_staff = is_authenticated & acts_as_staff & acts_for_federation

# The home page of the app: any federation staff (each topic's pages check their own permission).
register({"support.view": federation_staff})

# --- case ---
# Need-to-know (Z-07): a case's content reaches its named handlers and the lead (or deputy) acting
# for the organisation handling it — nobody else, not the rest of its staff, not the federations
# above until it is referred to them. The federations of the subtree see counts and overdue flags
# only (audience "oversight": selectors aggregate it and never return a row).
from gongjian.kernel import access  # noqa: E402
from gongjian.kernel.access import Handlers, Own, Subtree  # noqa: E402
from gongjian.kernel.permissions import acts_as_lead  # noqa: E402

from .models import Case  # noqa: E402

access.declare(Case, Handlers("handlers", lead_of="organization"))
access.declare(Case, Subtree(), audience="oversight")

case_reader = federation_staff & access.reaches()

register(
    {
        # Any federation staff records a call, a letter or a visit for her own organisation.
        "support.record_case": federation_staff,
        "support.view_case": case_reader,
        # Accept (or not), log steps, refer, resolve, follow up, reply: a named handler or the lead.
        "support.handle_case": case_reader,
        # Name the handlers and close the case: the lead of the handling organisation.
        "support.assign_case": case_reader & acts_as_lead & access.reaches(Own()),
        "support.close_case": case_reader & acts_as_lead & access.reaches(Own()),
        # Counts and overdue flags of the subtree (never content), and the statistics.
        "support.view_case_board": federation_staff,
        "support.view_case_stats": federation_staff,
    }
)
_ = Subtree  # the oversight reach above
# --- end case ---

# --- care ---
# Care recipients and 爱心妈妈 pairings reach the federations of the subtree of the organisation
# keeping them (the village, usually); any federation staff member registers, pairs and logs
# visits in her reach. P-05: a minor's or a sensitive record's details (her name unmasked, the
# needs, the guardian's contact, the visit notes) are for the staff of the keeping organisation
# itself and for the leads (or deputies) in scope — the elevated permission below; the others
# see masked rows.
# isort: split
from gongjian.kernel import access as _care_access  # noqa: E402
from gongjian.kernel.access import Own as _CareOwn  # noqa: E402
from gongjian.kernel.access import Subtree as _CareSubtree  # noqa: E402
from gongjian.kernel.permissions import acts_as_lead as _care_acts_as_lead  # noqa: E402

from .models import CareRecipient  # noqa: E402

_care_access.declare(CareRecipient, _CareSubtree())

_care_in_reach = federation_staff & _care_access.reaches()

register({
    "support.view_recipient": _care_in_reach,
    "support.manage_recipient": _care_in_reach,
    "support.view_sensitive_recipient": federation_staff & (
        _care_access.reaches(_CareOwn()) | (_care_acts_as_lead & _care_access.reaches())),
    # Pairings are kernel Pairings of purpose `care` (their reach is the kernel's Subtree()).
    "support.view_pairing": _care_in_reach,
    "support.manage_pairing": _care_in_reach,
})
# --- end care ---

# --- service ---
# --- end service ---
