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
# Service sites and health rounds belong to an organisation: its subtree reaches them (the
# organisation itself and the federations above it), never a sibling. Federation staff of the
# organisation and above keep them. The portal ("reader") reaches the public, open sites and the
# health rounds announced ahead (public and not yet begun) — never a contact's mobile.
# isort: split
from datetime import date as _date  # noqa: E402

from django.db.models import Model as _Model  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402

from gongjian.kernel import access as _service_access  # noqa: E402
from gongjian.kernel.access import Subtree as _ServiceSubtree  # noqa: E402
from gongjian.kernel.http import Reader as _Reader  # noqa: E402

from .models import HealthRound, ServiceSite  # noqa: E402


class _PublicSite(_service_access.Reach):
    """Anyone, logged in or not: a site marked public and not closed."""

    def condition(self, user: _Reader, model: type[_Model]) -> _Q | None:
        return _Q(is_public=True, closed_on__isnull=True)

    def test(self, user: _Reader, obj: object) -> bool:
        return bool(getattr(obj, "is_public", False)) and getattr(obj, "closed_on", None) is None


class _AnnouncedRound(_service_access.Reach):
    """Anyone: a health round marked public that has not begun (an announcement)."""

    def condition(self, user: _Reader, model: type[_Model]) -> _Q | None:
        return _Q(is_public=True, starts_on__gt=_timezone.localdate())

    def test(self, user: _Reader, obj: object) -> bool:
        starts = getattr(obj, "starts_on", None)
        return bool(getattr(obj, "is_public", False)) and isinstance(starts, _date) \
            and starts > _timezone.localdate()


_service_access.declare(ServiceSite, _ServiceSubtree())
_service_access.declare(HealthRound, _ServiceSubtree())
_service_access.declare(ServiceSite, _PublicSite(), audience="reader")
_service_access.declare(HealthRound, _AnnouncedRound(), audience="reader")

_service_keeper = federation_staff & _service_access.reaches()

register(
    {
        "support.view_service_site": _service_keeper,
        # Create, change and close a site: federation staff of its organisation or one above it.
        "support.manage_service_site": _service_keeper,
        "support.view_health_round": _service_keeper,
        "support.record_health_round": _service_keeper,
    }
)
# --- end service ---
