"""Reads of 学习教育 through the access policy (invisible means 404), and the note counts per
organisation subtree in a constant number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Gender, Organization, Person, PoliticalStatus

from ..models import Campaign, StudyDocument, StudyNote

PARTY_STATUSES = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY_MEMBER)


def period(raw_from: object, raw_to: object) -> tuple[date, date]:
    """`?from=&to=` as dates (this year by default; a reversed period is put right)."""
    today = timezone.localdate()

    def parse(raw: object, default: date) -> date:
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            return default

    start, end = parse(raw_from, date(today.year, 1, 1)), parse(raw_to, date(today.year, 12, 31))
    return (end, start) if start > end else (start, end)


def organization_for_user(*, user: Reader, organization_id: Any = None) -> Organization:
    """The organisation asked for (in reach, else 404), or the acting one."""
    if organization_id:
        return access.get(user, Organization.objects.all(), organization_id)
    return access.acting_organization_required(user)


def parent_in_reach(*, user: Reader, organization: Organization) -> Organization | None:
    """The organisation one level up, when it is still in her reach (for a "back up" link)."""
    if organization.depth <= 1:
        return None
    return access.visible(user, Organization.objects.filter(path=organization.path[: -organization.steplen])).first()


def document_list_visible_to(*, user: Reader, campaign: Campaign | None = None) -> QuerySet[StudyDocument]:
    """Documents of her subtree and those issued to her from above."""
    qs = StudyDocument.objects.select_related("organization", "campaign").annotate(note_count=Count("notes"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return access.visible(user, qs)


def document_get_for_user(*, user: Reader, document_id: Any) -> StudyDocument:
    return access.get(user, StudyDocument.objects.select_related("organization", "campaign", "attachment"),
                      document_id)


def note_list_visible_to(*, user: Reader, organization: Organization | None = None,
                         document: StudyDocument | None = None, start: date | None = None,
                         end: date | None = None) -> QuerySet[StudyNote]:
    """Notes of her subtree (one organisation's subtree, one document's, one period's when asked)."""
    qs = access.visible(user, StudyNote.objects.select_related("organization", "author", "document"))
    if organization is not None:
        qs = access.within(qs, organization)
    if document is not None:
        qs = qs.filter(document=document)
    if start is not None and end is not None:
        qs = qs.filter(written_on__range=(start, end))
    return qs


def note_get_for_user(*, user: Reader, note_id: Any) -> StudyNote:
    return access.get(user, StudyNote.objects.select_related("organization", "author", "document", "campaign"),
                      note_id)


def eligible_authors(organization: Organization, *, on: date | None = None) -> QuerySet[Person]:
    """Who may be the author of a 学习心得 of the organisation: its cadres (a current position
    there) and the women party members registered there or whose 党组织关系 is there."""
    day = on or timezone.localdate()
    cadre = Q(positions__organization=organization, positions__start_date__lte=day) & (
        Q(positions__end_date__isnull=True) | Q(positions__end_date__gte=day))
    woman_member = Q(gender=Gender.FEMALE, political_status__in=PARTY_STATUSES) & (
        Q(organization=organization) | Q(party_organization=organization))
    ids = Person.objects.filter(cadre | woman_member).values("pk")
    return Person.objects.filter(pk__in=ids).order_by("name", "id")


def note_counts(organizations: Sequence[Organization], start: date, end: date, *,
                campaign: Campaign | None = None) -> dict[int, int]:
    """Notes written in the period by each organisation's subtree: two queries however many."""
    qs = StudyNote.objects.filter(written_on__range=(start, end))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    counts = dict(qs.order_by().values_list("organization").annotate(n=Count("id"))
                  .values_list("organization", "n"))
    return {k: int(v) for k, v in figures.rollup(counts, organizations).items()}


def writer_counts(organizations: Sequence[Organization], start: date, end: date) -> dict[int, int]:
    """How many different people wrote in the period: per organisation, summed up its subtree
    (someone who wrote for two organisations counts in each)."""
    pairs = (StudyNote.objects.filter(written_on__range=(start, end)).order_by()
             .values_list("organization", "author").distinct())
    per_org: dict[int, int] = {}
    for org_id, _author in pairs:
        per_org[org_id] = per_org.get(org_id, 0) + 1
    return {k: int(v) for k, v in figures.rollup(per_org, organizations).items()}


@dataclass(frozen=True)
class CountRow:
    organization: Organization
    notes: int
    writers: int


def count_board(*, organization: Organization, start: date, end: date) -> tuple[CountRow, list[CountRow]]:
    """The organisation's own total and one row per organisation directly below it (the
    organisation came through `access.get`, so its children are in reach too)."""
    children = list(access.children(organization))
    asked = [organization, *children]
    notes = note_counts(asked, start, end)
    writers = writer_counts(asked, start, end)

    def row(org: Organization) -> CountRow:
        return CountRow(org, notes.get(org.pk, 0), writers.get(org.pk, 0))

    return row(organization), [row(child) for child in children]


# --- figures offered to the other bodies of work (apps.py) ----------------------------------

FIGURE_CODES = ("notes", "documents", "meetings", "visits")
#: Codes that are counted under a campaign line: all of these are 学习讨论座谈.
TAGGABLE = frozenset({"notes", "documents", "meetings"})


def provide_figures(ask: figures.Ask) -> dict[int, dict[str, figures.Number]]:
    """学习心得 written, study documents issued, meetings held and supervision visits made in the
    period by each asked organisation's subtree: one query per code plus one of paths per code,
    however many organisations are asked. With a tag, only 学习讨论座谈 counts these records."""
    from ..models import Meeting, SupervisionVisit

    by_code = {"notes": (StudyNote.objects.all(), "written_on"),
               "documents": (StudyDocument.objects.all(), "published_on"),
               "meetings": (Meeting.objects.all(), "held_on"),
               "visits": (SupervisionVisit.objects.all(), "visited_on")}
    out: dict[int, dict[str, figures.Number]] = {org.pk: {} for org in ask.organizations}
    for code, (qs, day) in by_code.items():
        if not ask.wants(code):
            continue
        if ask.tag and (code not in TAGGABLE or ask.tag != figures.Line.STUDY):
            counts: dict[int, figures.Number] = {}
        else:
            counts = dict(qs.filter(**{f"{day}__range": (ask.start, ask.end)}).order_by().values_list("organization")
                          .annotate(n=Count("id")).values_list("organization", "n"))
        for org_id, value in figures.rollup(counts, ask.organizations).items():
            out[org_id][code] = value
    return out
