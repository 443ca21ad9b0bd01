"""Disclosure permissions: the table of docs/permissions.md § disclosure.

Who: staff (lead, deputy, staff) acting for a party organisation work on their own items; the
superior party committee reviews (审核备案); the leading group (领导小组 and its office) inspects
the organisations under its party committee; party members of a scope read internal items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import rules
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongjian.kernel import access
from gongjian.kernel.access import Own, PartyMembers, Reach, Subtree, reaches
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import (
    acts_as_lead,
    acts_as_staff,
    acts_for_kind,
    is_authenticated,
    register,
)

from .models import (
    Disclosure,
    DisclosureVersion,
    DueItem,
    Inspection,
    Rectification,
    Scope,
    Suggestion,
)
from .workflow import State

Kind = Organization.Kind
INSPECTOR_KINDS = (Kind.LEADING_GROUP, Kind.OFFICE)


acts_for_party = acts_for_kind(*Organization.PARTY_KINDS)
acts_for_committee = acts_for_kind(Kind.PARTY_COMMITTEE)
# Any current position (members included) in a leading group or its office.
acts_as_inspector = acts_for_kind(*INSPECTOR_KINDS)


def inspected_committee(user: Any) -> Organization | None:
    """For a leading group (or its office): the party committee it belongs to, its nearest
    ancestor committee, whose whole subtree it inspects. Cached on the user per position."""
    acting = access.acting_of(user)
    if acting is None or acting.organization.kind not in INSPECTOR_KINDS:
        return None
    cache = getattr(user, "_inspected_committee", None)
    if cache is None or cache[0] != acting.organization.pk:
        cache = (acting.organization.pk,
                 access.nearest_ancestor_of_kind(acting.organization, Kind.PARTY_COMMITTEE))
        user._inspected_committee = cache
    return cache[1]


acting_party_org = access.acting_of_kinds(*Organization.PARTY_KINDS)
acting_committee = access.acting_of_kinds(Kind.PARTY_COMMITTEE)


def party_scope(*via: str) -> Reach:
    """Party staff see their own subtree; the leading group the subtree of its committee."""
    vias = via or ("organization",)
    return Subtree(via=vias, root=acting_party_org) | Subtree(via=vias, root=inspected_committee)


# What a party organisation's staff reach (every record below is owned through `organization`).
STAFF_REACH = party_scope()
# The superior committee (审核备案): a committee strictly above the item's organisation.
SUPERIOR_COMMITTEE = Subtree(root=acting_committee, strictly_below=True)
INSPECTED = Subtree(root=inspected_committee)

for model in (Disclosure, Suggestion, Inspection, DueItem):
    access.declare(model, STAFF_REACH)
access.declare(DisclosureVersion, STAFF_REACH)
access.declare(Rectification, party_scope("disclosure__organization"))



@dataclass(frozen=True)
class Opened(Reach):
    """Open to everyone: published and public by `today` (a 先党内后党外 item from its date); a
    withdrawn item keeps the visibility its last version had (for its 410 page)."""

    today: date | None = None

    def condition(self, user: Reader, model: type[models.Model]) -> Q | None:
        today = self.today or timezone.localdate()
        kept = (Q(state=State.WITHDRAWN, withdrawn_at__isnull=False)
                & (Q(current_version__scope=Scope.PUBLIC) | Q(current_version__public_from__lte=today)))
        return Q(current_version__isnull=False) & (Q(visible_from__lte=today) | kept)

    def test(self, user: Reader, obj: Any) -> bool:
        today = self.today or timezone.localdate()
        if obj.current_version_id is None:
            return False
        if obj.visible_from is not None and obj.visible_from <= today:
            return True
        version = obj.current_version
        return bool(obj.state == State.WITHDRAWN and obj.withdrawn_at is not None and (
            version.scope == Scope.PUBLIC or (version.public_from is not None and version.public_from <= today)))


def reader_reach(today: date | None = None) -> Reach:
    """What a reader of the public site may see: what is open to everyone, and internal (党内)
    items to party members of their scope (ADR 0007)."""
    return Opened(today) | PartyMembers()


access.declare(Disclosure, reader_reach(), audience="reader")

owns = reaches(Own(root=acting_party_org))
is_superior_committee = acts_for_committee & reaches(SUPERIOR_COMMITTEE)
in_inspection_scope = acts_as_inspector & reaches(INSPECTED)


@rules.predicate
def is_not_submitter(user: Reader, obj: Any) -> bool:
    """The submitter cannot approve her own item."""
    return obj is None or getattr(obj, "submitted_by_id", None) != getattr(user, "pk", None)


party_staff_in_scope = is_authenticated & acts_for_party & acts_as_staff & reaches()
owner_staff = is_authenticated & acts_for_party & acts_as_staff & owns
inspector = is_authenticated & in_inspection_scope

register(
    {
        "disclosure.view_disclosure": party_staff_in_scope | inspector,
        "disclosure.add_disclosure": owner_staff,
        "disclosure.change_disclosure": owner_staff,
        "disclosure.submit_disclosure": owner_staff,
        "disclosure.review_disclosure": is_authenticated & acts_as_staff & is_superior_committee & is_not_submitter,
        "disclosure.publish_disclosure": owner_staff,
        "disclosure.withdraw_disclosure": is_authenticated & acts_as_lead & (owns | is_superior_committee),
        "disclosure.require_rectification": (
            is_authenticated & acts_as_staff & (owns | is_superior_committee)) | inspector,
        "disclosure.view_suggestion": party_staff_in_scope,
        "disclosure.answer_suggestion": party_staff_in_scope,
        "disclosure.view_calendar": party_staff_in_scope | inspector,
        "disclosure.view_inspection": party_staff_in_scope | inspector,
        "disclosure.add_inspection": inspector,
        "disclosure.follow_up_inspection": inspector,
    }
)
