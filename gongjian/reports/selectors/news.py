"""Reads of 信息报送 through the access policy: her organisation's pieces, the inbox of the
organisation they were sent to, one piece (404 out of reach), the portal's adopted news (the
"reader" audience), the year's ranking of a subtree, the editor's changes as a difference, and
the `news` figures for kernel.figures in a constant number of queries."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization

from ..models.news import (
    RECEIVER_KINDS,
    SUBMITTER_KINDS,
    NewsPhoto,
    NewsState,
    NewsSubmission,
    paragraphs_of,
)

READER = "reader"

#: The figures this body offers (kernel.figures source `news`).
FIGURE_CODES = {"submitted": _("报送信息篇数"), "adopted": _("信息被采用篇数")}


# --- staff -----------------------------------------------------------------------------------------

def receivers_of(organization: Organization) -> list[Organization]:
    """The open organisations above `organization` that receive pieces, nearest first (one query):
    for a village federation its township federation, then the county's."""
    paths = access.ancestor_paths(organization.path, organization.steplen)[:-1]
    if not paths:
        return []
    return list(Organization.objects.filter(path__in=paths, kind__in=RECEIVER_KINDS, is_active=True)
                .order_by("-depth"))


def _with_photos(rows: QuerySet[NewsSubmission]) -> QuerySet[NewsSubmission]:
    return rows.select_related("organization", "receiver").prefetch_related(
        Prefetch("photos", queryset=NewsPhoto.objects.select_related("file")))


def news_list_of_own(*, user: Reader, state: str = "") -> QuerySet[NewsSubmission]:
    """The pieces of the organisation she acts for, newest first."""
    org = access.acting_organization(user)
    if org is None:
        return NewsSubmission.objects.none()
    rows = access.visible(user, NewsSubmission.objects.filter(organization=org))
    if state:
        rows = rows.filter(state=state)
    return _with_photos(rows).order_by("-submitted_at", "-id")


def news_inbox(*, user: Reader, state: str = "") -> QuerySet[NewsSubmission]:
    """The pieces sent to the organisation she acts for: undecided first, then newest first."""
    org = access.acting_organization(user)
    if org is None:
        return NewsSubmission.objects.none()
    rows = access.visible(user, NewsSubmission.objects.filter(receiver=org)).exclude(state=NewsState.WITHDRAWN)
    if state:
        rows = rows.filter(state=state)
    waiting = Case(When(state=NewsState.SUBMITTED, then=Value(0)), default=Value(1), output_field=IntegerField())
    return _with_photos(rows).annotate(waiting=waiting).order_by("waiting", "-submitted_at", "-id")


def news_inbox_waiting(*, user: Reader) -> int:
    org = access.acting_organization(user)
    if org is None:
        return 0
    return access.visible(user, NewsSubmission.objects.filter(receiver=org, state=NewsState.SUBMITTED)).count()


def news_get_for_user(*, user: Reader, submission_id: Any) -> NewsSubmission:
    return access.get(user, _with_photos(NewsSubmission.objects.all()), submission_id)


def news_photo_get_for_user(*, user: Reader, token: str) -> NewsPhoto:
    found = access.visible(user, NewsPhoto.objects.select_related("file")).filter(file__token=str(token)[:64]).first()
    if found is None:
        raise Http404
    return found


def events_of(piece: NewsSubmission) -> QuerySet[Any]:
    return piece.events.select_related("by", "by__person", "organization").order_by("at", "id")


# --- the editor's changes --------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A run of text in a difference: kept, added by the editor, or taken out."""

    text: str
    kind: str  # "same" | "added" | "removed"


def difference(before: str, after: str) -> list[list[Piece]]:
    """The editor's changes paragraph by paragraph, character by character within a paragraph (Chinese
    has no spaces to split words at): a list of paragraphs, each a list of runs."""
    old, new = paragraphs_of(before), paragraphs_of(after)
    out: list[list[Piece]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend([Piece(text, "same")] for text in old[i1:i2])
        elif op == "delete":
            out.extend([Piece(text, "removed")] for text in old[i1:i2])
        elif op == "insert":
            out.extend([Piece(text, "added")] for text in new[j1:j2])
        else:
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                a = old[i1 + k] if i1 + k < i2 else ""
                b = new[j1 + k] if j1 + k < j2 else ""
                out.append(_runs(a, b))
    return out


def _runs(a: str, b: str) -> list[Piece]:
    runs: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(Piece(a[i1:i2], "same"))
            continue
        if i2 > i1:
            runs.append(Piece(a[i1:i2], "removed"))
        if j2 > j1:
            runs.append(Piece(b[j1:j2], "added"))
    return runs


# --- the portal ------------------------------------------------------------------------------------

def public_news() -> QuerySet[NewsSubmission]:
    """Adopted pieces, newest adoption first, with their photos."""
    return _with_photos(access.visible(None, NewsSubmission.objects.all(), audience=READER)).order_by(
        "-adopted_at", "-id")


def public_news_get(*, submission_id: Any) -> NewsSubmission:
    return access.get(None, _with_photos(NewsSubmission.objects.all()), submission_id, audience=READER)


def public_photo_get(*, token: str) -> NewsPhoto:
    """A photo of an adopted piece; anything else is a 404."""
    found = (access.visible(None, NewsPhoto.objects.select_related("file"), audience=READER)
             .filter(file__token=str(token)[:64]).first())
    if found is None:
        raise Http404
    return found


# --- the year's counts -----------------------------------------------------------------------------

def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes, local days inclusive."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end, time.max), tz))


def _counts_per_org(rows: QuerySet[NewsSubmission], start: date, end: date,
                    wanted: set[str]) -> dict[int, dict[str, int]]:
    """{submitting organisation: {"submitted": n, "adopted": n}} in one query. A piece counts as
    submitted in the period it was first sent (withdrawn ones not at all), as adopted in the period
    it was adopted; a returned and resubmitted piece is one piece."""
    since, until = _moments(start, end)
    sent = Q(first_submitted_at__gte=since, first_submitted_at__lte=until) & ~Q(state=NewsState.WITHDRAWN)
    adopted = Q(state=NewsState.ADOPTED, adopted_at__gte=since, adopted_at__lte=until)
    per_org: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows.filter(sent | adopted).values("organization_id").order_by().annotate(
            submitted=Count("pk", filter=sent), adopted=Count("pk", filter=adopted)):
        for code in wanted:
            per_org[row["organization_id"]][code] = row[code]
    return per_org


def provide_figures(ask: figures.Ask) -> figures.Answer:
    """Pieces submitted and adopted in the period per asked subtree: one query of rows plus one of
    paths, however many organisations are asked."""
    wanted = {code for code in FIGURE_CODES if ask.wants(code)}
    if not ask.organizations or not wanted:
        return {}
    rows = figures.within_asked(NewsSubmission.objects.all(), ask)
    return figures.rollup_many(_counts_per_org(rows, ask.start, ask.end, wanted), ask.organizations)


@dataclass
class RankRow:
    rank: int
    organization: Organization
    submitted: int
    adopted: int

    @property
    def rate(self) -> int:
        """Adopted per hundred submitted (rounded), for the table."""
        return round(100 * self.adopted / self.submitted) if self.submitted else 0


def ranking(*, user: Reader, organization: Organization, year: int) -> list[RankRow]:
    """Every federation and party organisation strictly below `organization` (which came through
    `access.get`), each with the pieces it sent itself in the year, ranked by adopted, then
    submitted (equal counts share a rank). Two queries however big the subtree."""
    start, end = year_bounds(year)
    units = list(access.within(access.visible(user, Organization.objects.filter(
        kind__in=SUBMITTER_KINDS, depth__gt=organization.depth)), organization, via="").order_by("path"))
    rows = access.within(access.visible(user, NewsSubmission.objects.all()), organization)
    counts = _counts_per_org(rows, start, end, set(FIGURE_CODES))
    found = [RankRow(0, unit, counts.get(unit.pk, {}).get("submitted", 0), counts.get(unit.pk, {}).get("adopted", 0))
             for unit in units if unit.is_active or unit.pk in counts]
    found.sort(key=lambda r: (-r.adopted, -r.submitted, r.organization.path))
    previous: tuple[int, int] | None = None
    for n, row in enumerate(found, start=1):
        key = (row.adopted, row.submitted)
        row.rank = n if key != previous else found[n - 2].rank
        previous = key
    return found


def ranking_years(*, back: int = 5) -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - back - 1, -1))
