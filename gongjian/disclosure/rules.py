"""Disclosure permissions: the table of docs/permissions.md § disclosure.

Who: staff (lead, deputy, staff) acting for a party organisation work on their own items; the
superior party committee reviews (审核备案); the leading group (领导小组 and its office) inspects
the organisations under its party committee; party members of a scope read internal items.
"""

from __future__ import annotations

from typing import Any

import rules

from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import (
    acting_of,
    acts_as_lead,
    acts_as_staff,
    in_scope,
    is_authenticated,
    register,
)

Kind = Organization.Kind
INSPECTOR_KINDS = (Kind.LEADING_GROUP, Kind.OFFICE)


def _org_of(obj: Any) -> Organization:
    return obj if isinstance(obj, Organization) else obj.owning_organization


@rules.predicate
def acts_for_party(user: Any) -> bool:
    acting = acting_of(user)
    return acting is not None and acting.organization.kind in Organization.PARTY_KINDS


@rules.predicate
def acts_for_committee(user: Any) -> bool:
    acting = acting_of(user)
    return acting is not None and acting.organization.kind == Kind.PARTY_COMMITTEE


@rules.predicate
def acts_as_inspector(user: Any) -> bool:
    """Any current position (members included) in a leading group or its office."""
    acting = acting_of(user)
    return acting is not None and acting.organization.kind in INSPECTOR_KINDS


@rules.predicate
def owns(user: Any, obj: Any) -> bool:
    """The object belongs to the very organisation she acts for (not merely one below it)."""
    if obj is None:
        return True
    acting = acting_of(user)
    return acting is not None and _org_of(obj).pk == acting.organization.pk


@rules.predicate
def is_superior_committee(user: Any, obj: Any) -> bool:
    """She acts for a party committee strictly above the object's organisation."""
    acting = acting_of(user)
    if acting is None or acting.organization.kind != Kind.PARTY_COMMITTEE:
        return False
    if obj is None:
        return True
    org = _org_of(obj)
    return org.pk != acting.organization.pk and acting.organization.contains(org)


def inspection_root(org: Organization) -> Organization | None:
    """The party committee a leading group (or its office) belongs to: its nearest ancestor
    committee. The group inspects that committee's whole subtree."""
    ancestors = Organization.objects.filter(
        path__in=[org.path[:i] for i in range(org.steplen, len(org.path), org.steplen)],
        kind=Kind.PARTY_COMMITTEE,
    ).order_by("-depth")
    return ancestors.first()


@rules.predicate
def in_inspection_scope(user: Any, obj: Any) -> bool:
    acting = acting_of(user)
    if acting is None or acting.organization.kind not in INSPECTOR_KINDS:
        return False
    if obj is None:
        return True
    cache = getattr(user, "_inspection_root", None)
    if cache is None or cache[0] != acting.organization.pk:
        cache = (acting.organization.pk, inspection_root(acting.organization))
        user._inspection_root = cache
    root = cache[1]
    return root is not None and root.contains(_org_of(obj))


@rules.predicate
def is_not_submitter(user: Any, obj: Any) -> bool:
    """The submitter cannot approve her own item."""
    return obj is None or getattr(obj, "submitted_by_id", None) != getattr(user, "pk", None)


party_staff_in_scope = is_authenticated & acts_for_party & acts_as_staff & in_scope
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
