"""Disclosure reads. Staff reads are scoped in SQL (out of scope = 404); public reads only ever
return what the public may see (Z-04), or what a party member of the item's scope may see."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from gongjian.kernel import access, pinyin
from gongjian.kernel.access import PartyMembers
from gongjian.kernel.deadlines import DueStatus, due_status
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, StoredFile, User

from . import search
from .models import (
    Category,
    Disclosure,
    DisclosureVersion,
    DueItem,
    Inspection,
    Scope,
    SearchDocument,
    Suggestion,
    VersionAttachment,
)
from .rules import SUPERIOR_COMMITTEE, party_scope, reader_reach
from .workflow import State

BOARD_ITEMS_PER_CATEGORY = 8


# ------------------------------------------------------------------------ staff scope


def organizations_for_user(*, user: User) -> models.QuerySet[Organization]:
    """The party organisations she reaches (her own subtree, or her committee's as inspector)."""
    return access.visible(user, Organization.objects.filter(kind__in=Organization.PARTY_KINDS),
                          reach=party_scope(""))


def organization_get_for_user(*, user: User, organization_id: Any) -> Organization:
    return access.get(user, Organization.objects.filter(kind__in=Organization.PARTY_KINDS),
                      organization_id, reach=party_scope(""))


def disclosure_list_visible_to(*, user: User, state: str = "", organization_id: Any = None,
                               q: str = "") -> models.QuerySet[Disclosure]:
    qs = access.visible(user, Disclosure.objects.select_related("organization", "current_version"))
    if state in State.values:
        qs = qs.filter(state=state)
    if organization_id:
        qs = access.within(qs, organization_get_for_user(user=user, organization_id=organization_id))
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(title__contains=q)
    return qs.order_by("-updated_at", "-id")


def disclosure_get_for_user(*, user: User, disclosure_id: Any) -> Disclosure:
    return access.get(user, Disclosure.objects.select_related("organization", "current_version", "submitted_by"),
                      disclosure_id)


def review_queue_for(*, user: User) -> models.QuerySet[Disclosure]:
    """Items submitted by the organisations below her committee, waiting for 审核备案."""
    return (access.visible(user, Disclosure.objects.filter(state=State.SUBMITTED), reach=SUPERIOR_COMMITTEE)
            .select_related("organization").order_by("updated_at", "id"))


def versions_of(*, disclosure: Disclosure) -> list[DisclosureVersion]:
    return list(disclosure.versions.order_by("number").prefetch_related("files"))


def attachment_get_for_user(*, user: User, disclosure: Disclosure, file_id: Any) -> StoredFile:
    """A draft or published attachment of an item she may see."""
    try:
        return disclosure.attachments.get(pk=file_id)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        pass
    try:
        return VersionAttachment.objects.select_related("stored").get(
            version__disclosure=disclosure, stored_id=file_id).stored
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        meeting = getattr(disclosure, "meeting", None)
        if meeting is not None and str(meeting.minutes_id) == str(file_id):
            return meeting.minutes
        raise Http404 from exc


# --------------------------------------------------------------------------- diffs


@dataclass(frozen=True)
class DiffPiece:
    op: str  # "same", "add", "del"
    text: str


def text_diff(old: str, new: str) -> list[DiffPiece]:
    """Character diff of two plain texts (Chinese has no spaces to split words on)."""
    pieces: list[DiffPiece] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(DiffPiece("same", old[i1:i2]))
        else:
            if i2 > i1:
                pieces.append(DiffPiece("del", old[i1:i2]))
            if j2 > j1:
                pieces.append(DiffPiece("add", new[j1:j2]))
    return pieces


def version_diff(old: DisclosureVersion, new: DisclosureVersion) -> dict[str, Any]:
    return {
        "title": text_diff(old.title, new.title),
        "body": text_diff(search.plain_text(old.body), search.plain_text(new.body)),
    }


# ------------------------------------------------------------------ suggestions (staff)


def suggestion_list_visible_to(*, user: User, status: str = "", overdue: bool = False
                               ) -> models.QuerySet[Suggestion]:
    qs = access.visible(user, Suggestion.objects.select_related("organization", "disclosure", "assignee"))
    if status in Suggestion.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.exclude(status=Suggestion.Status.ANSWERED).filter(due_on__lt=timezone.localdate())
    return qs.order_by("due_on", "id") if overdue else qs.order_by("-created_at", "-id")


def suggestion_get_for_user(*, user: User, suggestion_id: Any) -> Suggestion:
    return access.get(user, Suggestion.objects.select_related("organization", "disclosure", "assignee"),
                      suggestion_id)


# -------------------------------------------------------------------------- calendar


@dataclass
class DueRow:
    item: DueItem
    status: str
    label: str


def calendar_for(*, user: User, organization: Organization, today: date | None = None) -> dict[str, list[DueRow]]:
    """What is due, overdue and done (on time or late) for one organisation's regular items."""
    today = today or timezone.localdate()
    labels = dict(DueStatus.choices)
    groups: dict[str, list[DueRow]] = {"overdue": [], "due": [], "done": []}
    items = (DueItem.objects.filter(organization=organization).select_related("disclosure")
             .order_by("due_on", "id"))
    for item in items:
        status = due_status(item.due_on, item.done_on, today=today)
        row = DueRow(item, str(status), str(labels[status]))
        key = "done" if item.done_on else ("overdue" if status == DueStatus.OVERDUE else "due")
        groups[key].append(row)
    return groups


def rollup_for(*, user: User, year: int, by: str = "month", today: date | None = None
               ) -> tuple[list[str], list[dict[str, Any]]]:
    """Per organisation of her subtree and per month or quarter of `year`: counts of on time,
    late, overdue and pending due items."""
    today = today or timezone.localdate()
    orgs = {o.pk: o for o in organizations_for_user(user=user).order_by("path")}
    if not orgs:
        return [], []
    root = next(iter(orgs.values()))
    buckets = [f"{m}月" for m in range(1, 13)] if by == "month" else ["一季度", "二季度", "三季度", "四季度"]
    rows: dict[int, dict[str, Any]] = {}
    for org in orgs.values():
        rows[org.pk] = {"org": org, "cells": [defaultdict(int) for _ in buckets], "total": defaultdict(int)}
    items = access.visible(user, DueItem.objects.filter(due_on__year=year))
    for item in items.values("organization_id", "due_on", "done_on").iterator():
        row = rows.get(item["organization_id"])
        if row is None:
            continue
        index = item["due_on"].month - 1 if by == "month" else (item["due_on"].month - 1) // 3
        status = str(due_status(item["due_on"], item["done_on"], today=today)).replace("due_soon", "pending")
        row["cells"][index][status] += 1
        row["total"][status] += 1
    return buckets, [r for r in rows.values() if r["total"] or r["org"].pk == root.pk]


# ------------------------------------------------------------------------ inspections


def inspection_list_visible_to(*, user: User) -> models.QuerySet[Inspection]:
    return access.visible(user, Inspection.objects.select_related("organization", "inspector_organization")
                          ).order_by("-inspected_on", "-id")


def inspection_get_for_user(*, user: User, inspection_id: Any) -> Inspection:
    return access.get(user, Inspection.objects.select_related("organization", "inspector_organization"),
                      inspection_id)


def ranking_for(*, user: User, year: int) -> list[dict[str, Any]]:
    """Organisations of her township ranked by their latest inspection score in `year`."""
    latest: dict[int, Inspection] = {}
    for ins in inspection_list_visible_to(user=user).filter(inspected_on__year=year).order_by("inspected_on", "id"):
        latest[ins.organization_id] = ins
    ranked = sorted(latest.values(), key=lambda i: (-i.total, i.organization.name))
    out, previous, rank = [], None, 0
    for position, ins in enumerate(ranked, start=1):
        if ins.total != previous:
            rank, previous = position, ins.total
        out.append({"rank": rank, "inspection": ins, "organization": ins.organization, "total": ins.total})
    return out


# ============================================================================ public


def party_member_of(user: Reader, organization: Organization) -> bool:
    """A signed-in party member (正式 or 预备) whose 党组织关系 lies in the organisation's
    subtree (ADR 0007): she reads its internal items."""
    return access.may(user, organization, reach=PartyMembers())


def public_organization_get(*, organization_id: Any) -> Organization:
    """A party organisation that has a public board."""
    try:
        return Organization.objects.get(pk=organization_id, kind__in=Organization.PARTY_KINDS, is_active=True)
    except (Organization.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_organizations() -> models.QuerySet[Organization]:
    return Organization.objects.filter(kind__in=Organization.PARTY_KINDS, is_active=True).order_by("path")


def public_organizations_matching(query: str) -> list[Organization]:
    """The boards whose name, pinyin or pinyin initials hold the query ("xlc" finds 小留村)."""
    return [org for org in public_organizations().select_related("region")
            if pinyin.name_matches(org.name, query)]


def _public_q(today: date) -> Q:
    return Q(is_live=True, visible_from__isnull=False, visible_from__lte=today)


def public_items(*, organization: Organization, category: str = "", user: Reader = None,
                 today: date | None = None) -> models.QuerySet[Disclosure]:
    """The organisation's current items the reader may see, newest first."""
    qs = access.visible(user, Disclosure.objects.filter(organization=organization, is_live=True),
                        reach=reader_reach(today))
    if category in Category.values:
        qs = qs.filter(category=category)
    return qs.select_related("current_version").order_by("-published_at", "-id")


def board_for(*, organization: Organization, user: Reader = None, today: date | None = None) -> list[dict[str, Any]]:
    """The board: per category its newest items (a fixed number, so no COUNT over the table)."""
    out = []
    for value, label in Category.choices:
        rows = list(public_items(organization=organization, category=value, user=user, today=today)
                    [: BOARD_ITEMS_PER_CATEGORY + 1])
        out.append({"category": value, "label": label, "items": rows[:BOARD_ITEMS_PER_CATEGORY],
                    "more": len(rows) > BOARD_ITEMS_PER_CATEGORY})
    return out


@dataclass(frozen=True)
class BoardState:
    organization_id: int
    name: str
    revision: int
    next_opening: date | None

    def cache_key(self, *, today: date | None = None, variant: str = "html") -> str:
        """Changes with every publication, withdrawal or opening of the board."""
        today = today or timezone.localdate()
        # A party-first item whose day has come opens without any write: the day joins the key.
        opened = self.next_opening is not None and self.next_opening <= today
        day = today.isoformat() if opened else "-"
        return f"disclosure:board:{variant}:{self.organization_id}:{self.revision}:{day}"


def _board_state_sql() -> str:
    from .models import Board

    org, board = Organization._meta.db_table, Board._meta.db_table
    return (f"SELECT o.id, o.name, b.revision, b.next_opening FROM {org} o "  # noqa: S608  (table names from the models)
            f"LEFT JOIN {board} b ON b.organization_id = o.id "
            f"WHERE o.id = %s AND o.kind IN (%s, %s) AND o.is_active = %s")


def board_state(*, organization_id: Any) -> BoardState:
    """A public board's organisation and revision in one indexed read (404 if there is none).
    Plain SQL: this read is all a cached board costs, and the ORM would cost more than it."""
    try:
        pk = int(organization_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not -(2**63) <= pk < 2**63:  # no row has an id the database cannot even store
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute(_board_state_sql(), [pk, *Organization.PARTY_KINDS, True])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    opening = row[3]
    if isinstance(opening, str):
        opening = date.fromisoformat(opening)
    return BoardState(row[0], row[1], int(row[2] or 0), opening)


def board_cache_key(*, organization: Organization, today: date | None = None, variant: str = "html") -> str:
    """The key the rendered public board is cached under (see BoardState.cache_key)."""
    return board_state(organization_id=organization.pk).cache_key(today=today, variant=variant)


def cached(key: str, render: Any, timeout: int = 24 * 3600) -> Any:
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, timeout)
    return value


def public_disclosure_get(*, disclosure_id: Any, user: Reader = None, today: date | None = None) -> Disclosure:
    """An item the reader may see: published (or withdrawn, for the 410 page) and public, or
    internal and she is a party member of its scope. Anything else does not exist."""
    published = Disclosure.objects.select_related("organization", "current_version").filter(
        current_version__isnull=False)
    return access.get(user, published, disclosure_id, reach=reader_reach(today))


def public_version_by_id(*, version_id: Any, user: Reader = None) -> DisclosureVersion:
    """A version (for its inclusion proof) of an item the reader may see, in one query."""
    readable = access.visible(user, Disclosure.objects.filter(current_version__isnull=False),
                              reach=reader_reach())
    try:
        return DisclosureVersion.objects.select_related("disclosure").get(
            pk=version_id, disclosure__in=readable)
    except (DisclosureVersion.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_versions(*, disclosure: Disclosure) -> list[DisclosureVersion]:
    return list(disclosure.versions.order_by("number").prefetch_related("files"))


def public_version_get(*, disclosure: Disclosure, number: Any) -> DisclosureVersion:
    try:
        return disclosure.versions.prefetch_related("files").get(number=number)
    except (DisclosureVersion.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_attachment_get(*, disclosure: Disclosure, attachment_id: Any) -> VersionAttachment:
    try:
        return VersionAttachment.objects.select_related("stored").get(
            pk=attachment_id, version__disclosure=disclosure)
    except (VersionAttachment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_search(*, q: str, organization: Organization | None = None, today: date | None = None,
                  limit: int = 30) -> list[dict[str, Any]]:
    """Search the public items (never an internal one: those are not even indexed)."""
    today = today or timezone.localdate()
    docs = SearchDocument.objects.filter(visible_from__lte=today)
    if organization is not None:
        docs = docs.filter(organization=organization)
    ids = list(search.matching(docs, q).values_list("disclosure_id", flat=True)[: limit * 2])
    items = (Disclosure.objects.filter(_public_q(today), pk__in=ids)
             .select_related("organization", "current_version").order_by("-published_at", "-id")[:limit])
    out = []
    for item in items:
        version = item.current_version
        assert version is not None
        out.append({"item": item, "version": version,
                    "snippet": search.snippet(search.plain_text(version.body), q)})
    return out


def public_feed_items(*, organization: Organization | None = None, today: date | None = None,
                      limit: int = 30) -> list[DisclosureVersion]:
    """The newest public versions (a correction is a new entry), for the Atom feed."""
    today = today or timezone.localdate()
    qs = DisclosureVersion.objects.filter(
        Q(scope=Scope.PUBLIC) | Q(scope=Scope.PARTY_FIRST, public_from__lte=today),
        disclosure__withdrawn_at__isnull=True,
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return list(qs.select_related("organization").order_by("-published_at", "-id")[:limit])


def suggestion_for_public(*, code: str, password: str) -> Suggestion | None:
    from gongjian.kernel.tracking import find_tracked

    return find_tracked(Suggestion.objects.select_related("organization", "disclosure"), code, password)

