"""The portal's reads about rights cases: the federations a woman may ask for help, the hotlines to
call when in danger, and her own case found by tracking code and query password — the state, the
next step and the handler's public reply only (never the narrative, the handlers or anyone else)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import audit
from gongjian.kernel.models import Organization
from gongjian.kernel.tracking import find_tracked

from ..models.case import Case, CaseState, CaseStep, StepKind
from ..services.case_common import next_step

#: Where a woman may ask for help online: her township's or her village's federation.
HELP_KINDS = (Organization.Kind.TOWNSHIP_FEDERATION, Organization.Kind.VILLAGE_FEDERATION)


@dataclass(frozen=True)
class Hotline:
    label: str
    number: str
    note: str = ""


def whisper_lines(organization: Organization) -> list[Hotline]:
    """The public 妇女悄悄话 lines of her federation and those above it, nearest first — read from
    the service sites (`selectors.service.hotlines_for`, public data only: name, number, hours)."""
    from .service import hotlines_for

    return [Hotline(str(site.name), str(site.phone), str(getattr(site, "hours", "") or ""))
            for site in hotlines_for(organization)]


def hotlines(organization: Organization | None = None) -> list[Hotline]:
    """The numbers to call at once when in danger: 110, the 12338 hotline, and — once she has
    picked her federation — the 妇女悄悄话 lines of her village, township or county."""
    lines = [Hotline(_("报警电话（正在发生危险时）"), "110"),
             Hotline(_("妇女维权公益服务热线"), "12338")]
    if organization is not None:
        lines.extend(whisper_lines(organization))
    return lines


def help_organizations() -> list[tuple[int, str]]:
    """The active township and village federations, in tree order, labelled with the township a
    village lies in (one query)."""
    rows = list(Organization.objects.filter(kind__in=HELP_KINDS, is_active=True).order_by("path")
                .values_list("pk", "path", "name", "kind"))
    townships = {path: name.removesuffix("妇联") for _pk, path, name, kind in rows
                 if kind == Organization.Kind.TOWNSHIP_FEDERATION}
    out = []
    for pk, path, name, kind in rows:
        if kind == Organization.Kind.VILLAGE_FEDERATION:
            above = next((townships[p] for p in sorted(townships, key=len, reverse=True) if path.startswith(p)), "")
            out.append((pk, f"{above} · {name}" if above else name))
        else:
            out.append((pk, name))
    return out


def help_organization_get(*, organization_id: Any) -> Organization:
    """One federation a woman may ask for help, else Http404 (a party organisation, a closed one or
    a made-up id)."""
    try:
        return Organization.objects.get(pk=organization_id, kind__in=HELP_KINDS, is_active=True)
    except (Organization.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class CaseStatus:
    """All the woman is told about her case."""

    tracking_code: str
    state: str
    state_label: str
    next_step: str
    public_reply: str
    not_accepted_reason: str
    updated_on: date


def case_status(*, code: str, password: str) -> CaseStatus | None:
    """Her case, or None for a wrong code or a wrong password (the same answer, the same time).
    A lookup that finds it is audited (no actor: she has no account)."""
    found = find_tracked(Case.objects.only("pk", "tracking_code", "query_password_hash", "state", "public_reply",
                                           "not_accepted_reason", "received_at"), code, password)
    if found is None:
        return None
    # Every successful lookup is on the case's record (L-01): a handler can tell if someone else
    # holds her code. Recorded before she sees anything, so a failing audit shows nothing (L-07).
    audit.record(found, "support.case.public_lookup", actor=None)
    # The last thing done on it (an escalation inside the federation is not news for her).
    last = (CaseStep.objects.filter(case=found).exclude(kind=StepKind.ESCALATED).order_by("-at")
            .values_list("at", flat=True).first()) or found.received_at
    return CaseStatus(
        tracking_code=found.tracking_code, state=found.state, state_label=str(found.get_state_display()),
        next_step=next_step(found), public_reply=found.public_reply,
        not_accepted_reason=found.not_accepted_reason if found.state == CaseState.NOT_ACCEPTED else "",
        updated_on=timezone.localdate(last))
