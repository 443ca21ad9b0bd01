"""Reads of commendation: staff reads through the access policy (out of reach is a 404); the
public reads (portal, public API) see only awarded exemplars and running notices, and of a person
never more than her name and deeds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from gongjian.kernel import access, figures, notices
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, PublicNotice

from ..models import (
    ORGANIZATION_TITLES,
    Campaign,
    Nomination,
    NominationFile,
    NominationState,
    TitleKind,
)

# --- staff -----------------------------------------------------------------------------------------


def _year(raw: Any) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def nomination_list_visible_to(*, user: Reader, year: Any = None, kind: str = "", state: str = "",
                               campaign: Campaign | None = None) -> models.QuerySet[Nomination]:
    """Nominations in reach (her subtree's, and those sent up to her organisation), filtered."""
    qs = access.visible(user, Nomination.objects.all())
    found_year = _year(year)
    if found_year is not None:
        qs = qs.filter(year=found_year)
    if kind in TitleKind.values:
        qs = qs.filter(kind=kind)
    if state in NominationState.values:
        qs = qs.filter(state=state)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.select_related("organization", "deciding_organization").order_by("-year", "kind", "-id")


def campaign_filter(*, user: Reader, campaign_id: Any) -> Campaign | None:
    """The campaign a list is narrowed to (`?campaign=`), in reach, or None."""
    if campaign_id in (None, ""):
        return None
    return access.get(user, Campaign.objects.all(), campaign_id)


def nomination_get_for_user(*, user: Reader, nomination_id: Any) -> Nomination:
    return access.get(user, Nomination.objects.select_related(
        "organization", "deciding_organization", "nominee_organization", "person", "campaign"), nomination_id)


def files_of(nomination: Nomination) -> list[NominationFile]:
    return list(nomination.files.select_related("file"))


def file_get(*, user: Reader, nomination: Nomination, file_id: Any) -> NominationFile:
    """One attachment of this nomination within reach, or Http404."""
    return access.get(user, NominationFile.objects.filter(nomination=nomination).select_related("file"), file_id)


BOARD_STATES = (NominationState.SUBMITTED, NominationState.APPROVED, NominationState.ON_NOTICE)


@dataclass(frozen=True)
class BoardRow:
    nomination: Nomination
    notice: PublicNotice | None


@dataclass(frozen=True)
class BoardColumn:
    state: NominationState
    rows: list[BoardRow]


def review_board(*, user: Reader, year: int) -> list[BoardColumn]:
    """What the acting organisation has to decide this year: submitted, approved, on notice (with
    each notice's period), in three queries."""
    acting = access.acting_organization(user)
    if acting is None:
        return [BoardColumn(NominationState(s), []) for s in BOARD_STATES]
    rows = list(access.visible(user, Nomination.objects.filter(deciding_organization=acting, year=year,
                                                                state__in=BOARD_STATES))
                .select_related("organization").order_by("kind", "submitted_at", "id"))
    found = notices_of([n for n in rows if n.state == NominationState.ON_NOTICE])
    by_state: dict[str, list[BoardRow]] = defaultdict(list)
    for row in rows:
        by_state[row.state].append(BoardRow(row, found.get(row.pk)))
    return [BoardColumn(NominationState(s), by_state[s]) for s in BOARD_STATES]


def notices_of(nominations: list[Nomination]) -> dict[int, PublicNotice]:
    """The latest notice of each nomination, in one query (for lists)."""
    return {int(k): v for k, v in notices.notices_for(Nomination, [n.pk for n in nominations]).items()}


def deciding_choices(organization: Organization | None) -> models.QuerySet[Organization]:
    """The federations above an organisation: who may award what it puts forward."""
    if organization is None:
        return Organization.objects.none()
    above = access.ancestor_paths(organization.path, organization.steplen)[:-1]
    return (Organization.objects.filter(path__in=above, kind__in=Organization.FEDERATION_KINDS, is_active=True)
            .order_by("-depth"))


def roll_organization(*, user: Reader, organization_id: Any) -> Organization:
    """The deciding organisation whose 表彰名单 is asked for: in reach, the acting one by default."""
    if organization_id in (None, ""):
        return access.acting_organization_required(user)
    return access.get(user, Organization.objects.all(), organization_id)


@dataclass(frozen=True)
class RollSection:
    kind: TitleKind
    rows: list[Nomination]

    @property
    def collective(self) -> bool:
        return self.kind in ORGANIZATION_TITLES


def commendation_roll(*, user: Reader, organization: Organization, year: int) -> list[RollSection]:
    """The 表彰名单 of one deciding organisation for a year, by title (the annex of a 表彰决定)."""
    rows = (access.visible(user, Nomination.objects.filter(deciding_organization=organization, year=year,
                                                           state=NominationState.AWARDED))
            .select_related("organization", "person__organization").order_by("organization__path", "id"))
    by_kind: dict[str, list[Nomination]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    return [RollSection(TitleKind(kind), by_kind[kind]) for kind in TitleKind.values if by_kind[kind]]


# --- figures (kernel.figures) -----------------------------------------------------------------------

def figures_provide(ask: figures.Ask) -> figures.Answer:
    """Nominations submitted and titles awarded in the period, per asked organisation's subtree
    (by the nominating organisation): two grouped queries and one of paths, however many asked."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if ask.wants("nominated"):
        nominated = (Nomination.objects.filter(submitted_at__date__gte=ask.start, submitted_at__date__lte=ask.end)
                     .values_list("organization").annotate(n=Count("id")).values_list("organization", "n"))
        for org_id, n in nominated:
            counts[org_id]["nominated"] = n
    if ask.wants("awarded"):
        awarded = (Nomination.objects.filter(state=NominationState.AWARDED, awarded_on__gte=ask.start,
                                             awarded_on__lte=ask.end)
                   .values_list("organization").annotate(n=Count("id")).values_list("organization", "n"))
        for org_id, n in awarded:
            counts[org_id]["awarded"] = n
    return figures.rollup_many(counts, ask.organizations)


# --- public (portal, public API): awarded exemplars and running notices only ------------------------

def public_organization(organization_id: Any) -> Organization | None:
    """The organisation a public list is narrowed to (`?org=`); Http404 for a bad id."""
    if organization_id in (None, ""):
        return None
    try:
        return Organization.objects.get(pk=organization_id, kind__in=Organization.FEDERATION_KINDS)
    except (Organization.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def exemplars_public(*, organization: Organization | None = None, kind: str = "") -> models.QuerySet[Nomination]:
    """Awarded exemplars, newest first; within an organisation's subtree when one is given."""
    qs: models.QuerySet[Nomination] = Nomination.objects.filter(state=NominationState.AWARDED,
                                                                awarded_on__lte=timezone.localdate())
    if organization is not None:
        qs = access.within(qs, organization)
    if kind in TitleKind.values:
        qs = qs.filter(kind=kind)
    return qs.select_related("organization", "deciding_organization").order_by("-awarded_on", "kind", "-id")


def exemplar_public_get(*, nomination_id: Any) -> Nomination:
    try:
        return exemplars_public().get(pk=nomination_id)
    except (Nomination.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def nominations_on_notice(*, organization: Organization | None = None) -> list[tuple[PublicNotice, Nomination]]:
    """Nominations on public notice right now, each with its notice (two queries)."""
    running = list(notices.notices_running(model=Nomination))
    found = Nomination.objects.filter(state=NominationState.ON_NOTICE).select_related("organization").in_bulk(
        [int(n.object_id) for n in running])
    out = [(n, found[int(n.object_id)]) for n in running if int(n.object_id) in found]
    if organization is not None:
        out = [(n, m) for n, m in out if organization.contains(m.organization)]
    return out


def notice_public_get(*, notice_id: Any) -> tuple[PublicNotice, Nomination]:
    """A started notice about a nomination, and the nomination (Http404 otherwise)."""
    notice = notices.notice_get_public(notice_id=notice_id, model=Nomination)
    try:
        nomination = Nomination.objects.select_related("organization", "deciding_organization").get(
            pk=int(notice.object_id))
    except (Nomination.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    return notice, nomination


def public_organizations() -> models.QuerySet[Organization]:
    """Organisations with an awarded exemplar in their subtree's records, for the filter."""
    awarded = Nomination.objects.filter(state=NominationState.AWARDED)
    return Organization.objects.filter(
        Q(pk__in=awarded.values("organization")) | Q(pk__in=awarded.values("deciding_organization"))).order_by("path")
