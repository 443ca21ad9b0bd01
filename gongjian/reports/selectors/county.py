"""The county report (issue 14): one row per organisation one level down and the total, columns
grouped by body of work, for any period — read only through `kernel.figures` (no body of work is
imported here; a test enforces it).

Additive codes (`figures.Source.additive`) of the closed months kept by `services.county` are
summed from the roll-ups; the rest of the period (a month not kept yet, a partial month at either
end, the open month) and every other code (people trained, a stock at a date, a rate) are asked
live (`figures.answer`, allowing a source to answer from roll-ups it keeps in step on write:
womenshome's people trained over whole months). The parts are added unsuppressed and `figures.shown` suppresses the sum,
exactly as `figures.read` would; a value is never stored suppressed. Where exactly one row of a
suppressing column is hidden, a second cell is withheld too (the smallest other non-zero row, or
else the total), so that the total minus the visible rows never gives the hidden count back.

Which columns, in which order: `LAYOUT`, a small declarative list of codes per source; a source
it does not name (a body of work added later, the news source) shows all its codes after them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization

from ..models import FigureMonth, RolledMonth
from ..services.county import (
    is_closed,
    month_end,
    month_start,
    months_between,
    next_month,
    signature,
)

#: The columns: (source, its codes in order). An empty tuple shows all the source's codes; a code
#: the source does not offer (yet) is skipped; a source not named here follows with all its codes.
LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coverage", ("units", "covered", "rate")),
    ("womenshome", ("activities", "trainings", "people_trained", "training_person_times", "performances")),
    ("commendations", ("nominated", "awarded")),
    ("campaigns", ("plans_submitted", "plans_on_time")),
    ("assessments", ()),
    ("pledges", ("made", "kept")),
    ("cases", ("received", "closed", "risk", "referred")),
    ("care", ("recipients", "pairings", "visits")),
    ("talents", ("reported", "accepted", "pool")),
    ("loans", ("loans", "amount", "jobs")),
    ("disclosure", ()),
    ("news", ()),
    ("health", ("rounds", "served")),
    ("sites", ("sites",)),
    ("cultivation", ("recommended", "developed")),
    ("demonstrations", ("designated", "placements")),
    ("study", ("meetings", "visits")),
)

#: The longest period a report covers (a longer one is refused with a sentence).
MAX_YEARS = 10


@dataclass(frozen=True)
class Column:
    code: str  # "<source>.<code>"
    label: str
    suppressing: bool  # the source suppresses small counts


@dataclass(frozen=True)
class Group:
    source: str
    label: str
    columns: list[Column]


@dataclass(frozen=True)
class Cell:
    """One value as shown: `value` is None when it is not shown (suppressed "<5" or withheld "*")."""

    value: figures.Number | None
    shown: str
    suppressed: bool = False
    withheld: bool = False


@dataclass
class Row:
    organization: Organization
    cells: list[Cell] = field(default_factory=list)
    drill: bool = False  # something lies below it (the row links to its own report)


@dataclass
class Report:
    organization: Organization
    start: date
    end: date
    groups: list[Group]
    rows: list[Row]
    total: Row
    kept_until: datetime | None  # when the roll-ups it used were last computed (None: all live)
    kept_months: int  # closed months answered from the roll-ups
    live_ranges: list[tuple[date, date]]

    @property
    def columns(self) -> list[Column]:
        return [c for g in self.groups for c in g.columns]

    def group_cells(self, row: Row) -> list[tuple[Group, list[Cell]]]:
        out, at = [], 0
        for group in self.groups:
            out.append((group, row.cells[at:at + len(group.columns)]))
            at += len(group.columns)
        return out


def layout(sources: Sequence[figures.Source] | None = None) -> list[Group]:
    """The column groups of the sources on offer, as LAYOUT orders them (then the unnamed ones)."""
    offered = {s.name: s for s in (figures.sources() if sources is None else sources)}
    named = dict(LAYOUT)
    groups: list[Group] = []
    order = [name for name, _codes in LAYOUT if name in offered] + [name for name in offered if name not in named]
    for name in order:
        source = offered[name]
        chosen = named.get(name) or tuple(source.codes)
        columns = [Column(f"{name}.{code}", str(source.codes[code]), bool(source.suppress_below))
                   for code in chosen if code in source.codes]
        if columns:
            groups.append(Group(name, str(source.label), columns))
    return groups


def report_organization(*, user: Reader, organization_id: Any = None) -> Organization:
    """The organisation asked (`?org=`, within the user's reach, else Http404) or her acting one."""
    if organization_id not in (None, ""):
        return access.get(user, Organization.objects.select_related("region"), organization_id)
    return access.acting_organization_required(user)


def below(organization: Organization) -> list[Organization]:
    """The organisations one level down, as the township and village lists order them."""
    return list(access.children(organization).select_related("region").order_by("region__code", "path"))


def trail(*, user: Reader, organization: Organization) -> list[Organization]:
    """The organisations from the user's acting one down to this one (the drill-down's way back)."""
    acting = access.acting_organization(user)
    top = acting.path if acting is not None and organization.path.startswith(acting.path) else organization.path
    paths = [organization.path[:n] for n in range(len(top), len(organization.path) + 1, Organization.steplen)]
    return list(Organization.objects.filter(path__in=paths).order_by("depth"))


def _live_ranges(start: date, end: date, kept: set[date]) -> list[tuple[date, date]]:
    """The parts of [start, end] not covered by the kept months."""
    out, cursor = [], start
    for month in sorted(kept):
        if month > cursor:
            out.append((cursor, month - timedelta(days=1)))
        cursor = max(cursor, next_month(month))
    if cursor <= end:
        out.append((cursor, end))
    return out


def _plan(codes: list[str], start: date, end: date, today: date
          ) -> tuple[dict[frozenset[date], list[str]], dict[tuple[tuple[date, date], ...], list[str]]]:
    """Which codes come from which kept months, which from which live date ranges."""
    full = [m for m in months_between(start, end) if m >= start and month_end(m) <= end and is_closed(m, today)]
    by_source: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        by_source[code.partition(".")[0]].append(code)
    rolled: dict[str, set[date]] = defaultdict(set)
    signatures = {s.name: signature(s) for s in figures.sources() if s.additive}
    if full and signatures:
        for month, source, sig in RolledMonth.objects.filter(
                month__gte=full[0], month__lte=full[-1], source__in=list(signatures)).values_list(
                "month", "source", "signature"):
            if signatures.get(source) == sig:
                rolled[source].add(month)
    from_kept: dict[frozenset[date], list[str]] = defaultdict(list)
    live: dict[tuple[tuple[date, date], ...], list[str]] = defaultdict(list)
    for name, source_codes in by_source.items():
        offering = figures.source_of(source_codes[0])
        additive = set(offering.additive) if offering is not None else set()
        kept = frozenset(m for m in full if m in rolled.get(name, ()))
        for code in source_codes:
            if code.partition(".")[2] in additive and kept:
                from_kept[kept].append(code)
                live[tuple(_live_ranges(start, end, set(kept)))].append(code)
            else:
                live[((start, end),)].append(code)
    return from_kept, live


def _kept_values(org_ids: list[int], from_kept: dict[frozenset[date], list[str]]) -> dict[int, dict[str, figures.Number]]:
    out: dict[int, dict[str, figures.Number]] = defaultdict(dict)
    condition = Q()
    for months, codes in from_kept.items():
        condition |= Q(month__in=sorted(months), code__in=codes)
    if not from_kept:
        return out
    rows = (FigureMonth.objects.filter(condition, organization_id__in=org_ids)
            .values_list("organization_id", "code", "integral").order_by().annotate(total=Sum("value")))
    for org_id, code, integral, total in rows:
        value: figures.Number = int(total) if integral else Decimal(total)
        out[org_id][code] = out[org_id].get(code, 0) + value
    return out


def raw_figures(*, organizations: list[Organization], start: date, end: date, codes: list[str],
                today: date | None = None) -> tuple[dict[int, dict[str, figures.Number]], int, list[tuple[date, date]]]:
    """The unsuppressed figures of each organisation's subtree: kept months summed, the rest live.
    Returns them, the number of kept months used and the live ranges asked."""
    today = today or timezone.localdate()
    from_kept, live = _plan(codes, start, end, today)
    values: dict[int, dict[str, figures.Number]] = {org.pk: dict.fromkeys(codes, 0) for org in organizations}
    for org_id, got in _kept_values([o.pk for o in organizations], from_kept).items():
        for code, value in got.items():
            values[org_id][code] += value
    ranges: set[tuple[date, date]] = set()
    by_range: dict[tuple[date, date], list[str]] = defaultdict(list)
    for parts, part_codes in live.items():
        for part in parts:
            by_range[part].extend(part_codes)
    for (first, last), part_codes in sorted(by_range.items()):
        ranges.add((first, last))
        answered = figures.answer(organizations=organizations, start=first, end=last, codes=part_codes,
                                  rolled=True)
        for org_id, got in answered.items():
            for code, value in got.items():
                values[org_id][code] += value
    kept_months = max((len(m) for m in from_kept), default=0)
    return values, kept_months, sorted(ranges)


def _format(value: figures.Number) -> str:
    if isinstance(value, figures.Suppressed):
        return str(value)
    if isinstance(value, Decimal):
        text = f"{value.quantize(Decimal('0.01')):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _cell(value: figures.Number) -> Cell:
    if isinstance(value, figures.Suppressed):
        return Cell(None, str(value), suppressed=True)
    return Cell(value, _format(value))


WITHHELD = "*"


def _protect(rows: list[Row], total: Row, index: int) -> None:
    """Complementary suppression of one column: with exactly one hidden row cell, withhold the
    smallest other non-zero row cell, or the total when there is none."""
    hidden = [r for r in rows if r.cells[index].suppressed]
    if len(hidden) != 1 or total.cells[index].value is None:
        return
    others = [r for r in rows if not r.cells[index].suppressed and r.cells[index].value]
    target = min(others, key=lambda r: r.cells[index].value or 0) if others else total
    target.cells[index] = Cell(None, WITHHELD, withheld=True)


def county_report(*, user: Reader, organization: Organization, start: date, end: date,
                  today: date | None = None) -> Report:
    """The report of `organization` (already fetched through `access.get`) for the period."""
    children = below(organization)
    organizations = [organization, *children]
    figures.check_reach(user, organizations)
    groups = layout()
    codes = [c.code for g in groups for c in g.columns]
    values, kept_months, ranges = raw_figures(organizations=organizations, start=start, end=end, codes=codes,
                                              today=today)
    numchild = dict(Organization.objects.filter(pk__in=[c.pk for c in children]).values_list("pk", "numchild"))

    def row_of(org: Organization) -> Row:
        return Row(org, [_cell(figures.shown(user, org, code, values[org.pk][code])) for code in codes],
                   drill=bool(numchild.get(org.pk)))

    rows = [row_of(child) for child in children]
    total = row_of(organization)
    for index, column in enumerate(c for g in groups for c in g.columns):
        if column.suppressing:
            _protect(rows, total, index)
    kept_until = None
    if kept_months:
        kept_until = RolledMonth.objects.aggregate(at=Max("computed_at"))["at"]
    return Report(organization=organization, start=start, end=end, groups=groups, rows=rows, total=total,
                  kept_until=kept_until, kept_months=kept_months, live_ranges=ranges)


# --- the period asked ---------------------------------------------------------------------------


class PeriodError(ValueError):
    """A bad or reversed period: the message is a sentence for the user."""


def parse_period(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """`from`/`to` as YYYY-MM-DD (this year by default); a Chinese sentence for a bad one."""
    def parse(text: str | None, default: date, label: str) -> date:
        if text in (None, ""):
            return default
        try:
            return date.fromisoformat(str(text).strip())
        except ValueError as exc:
            raise PeriodError(_("%(label)s“%(text)s”不是有效的日期，请按“年-月-日”填写，例如 2026-01-01。")
                              % {"label": label, "text": str(text)[:20]}) from exc

    start = parse(raw_from, date(today.year, 1, 1), str(_("起始日期")))
    end = parse(raw_to, date(today.year, 12, 31), str(_("截止日期")))
    if start > end:
        raise PeriodError(_("起始日期不能晚于截止日期。"))
    if start.year < 2000 or end.year > today.year + 1:
        raise PeriodError(_("统计期间应在2000年至明年之间。"))
    if (end - start).days > MAX_YEARS * 366:
        raise PeriodError(_("统计期间最长%(years)s年，请缩短后再查。") % {"years": MAX_YEARS})
    return start, end


def parse_month(text: str) -> tuple[date, date]:
    """A month picked as YYYY-MM: its first and last day."""
    try:
        first = date.fromisoformat(f"{str(text).strip()[:7]}-01")
    except ValueError as exc:
        raise PeriodError(_("月份“%(text)s”无效，请按“年-月”选择，例如 2026-11。") % {"text": str(text)[:20]}) from exc
    if first.year < 2000:
        raise PeriodError(_("统计期间应在2000年至明年之间。"))
    return first, month_end(first)


@dataclass(frozen=True)
class QuickPick:
    label: str
    start: date
    end: date


def quick_picks(today: date) -> list[QuickPick]:
    """This year, last year, this quarter, this month and last month."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter_end = month_end(date(today.year, quarter_start.month + 2, 1))
    this_month = month_start(today)
    last_month = month_start(this_month - timedelta(days=1))
    return [
        QuickPick(str(_("今年")), date(today.year, 1, 1), date(today.year, 12, 31)),
        QuickPick(str(_("去年")), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        QuickPick(str(_("本季度")), quarter_start, quarter_end),
        QuickPick(str(_("本月")), this_month, month_end(this_month)),
        QuickPick(str(_("上月")), last_month, month_end(last_month)),
    ]
