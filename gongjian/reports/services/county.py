"""Keeping the county report's monthly roll-ups (ADR county-roll-ups).

`rollup_months(months)` asks every source, once per month, for the additive codes it declares
(`figures.Source.additive`) for every organisation at once (each for its subtree, in the sources'
constant number of queries) and replaces that month's kept rows in one transaction.
`refresh_recent()` is the nightly job (the last `RECENT_MONTHS` closed months: records entered late
into them are caught the next night); `rebuild()` recomputes every closed month since
`ROLLUP_YEARS` years ago (weekly, and by hand after a correction to an older month or a change to
the organisation tree). Values are kept unsuppressed; nobody reads them except through
`selectors.county`, which suppresses."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongjian.kernel import figures
from gongjian.kernel.models import Organization

from ..models import FigureMonth, RolledMonth

#: Closed months recomputed each night (late records into older months wait for the weekly rebuild).
RECENT_MONTHS = 3
#: How far back a rebuild goes (older months are read live: slower, never wrong).
ROLLUP_YEARS = 5


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def next_month(month: date) -> date:
    return month_end(month) + timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, inclusive."""
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def is_closed(month: date, today: date) -> bool:
    """A month is closed (may be kept) once its last day is over."""
    return month_end(month) < today


def signature(source: figures.Source) -> str:
    """Which codes a kept month holds for a source: a month kept for other codes is read live."""
    return hashlib.sha256(",".join(sorted(source.additive)).encode()).hexdigest()[:16]


def recent_months(today: date, count: int | None = None) -> list[date]:
    count = getattr(settings, "GONGJIAN_REPORTS_RECENT_MONTHS", RECENT_MONTHS) if count is None else count
    last_closed = month_start(today) - timedelta(days=1)
    months = []
    month = month_start(last_closed)
    for _i in range(max(count, 0)):
        months.append(month)
        month = month_start(month - timedelta(days=1))
    return sorted(months)


def rollup_months(months: Iterable[date], *, today: date | None = None) -> int:
    """Recompute the kept figures of these closed months (an open month is skipped); returns the
    number of rows kept. Each (month, source) is replaced in its own transaction."""
    today = today or timezone.localdate()
    organizations = list(Organization.objects.order_by("path"))
    kept = 0
    for month in sorted(set(months)):
        if not is_closed(month, today):
            continue
        for source in figures.sources():
            if not source.additive:
                continue
            codes = [f"{source.name}.{code}" for code in source.codes if code in source.additive]
            answer = figures.answer(organizations=organizations, start=month, end=month_end(month), codes=codes)
            rows = [FigureMonth(organization_id=org_id, month=month, code=code, value=Decimal(value),
                                integral=isinstance(value, int))
                    for org_id, values in answer.items() for code, value in values.items() if value]
            with transaction.atomic():
                FigureMonth.objects.filter(month=month, code__startswith=f"{source.name}.").delete()
                FigureMonth.objects.bulk_create(rows, batch_size=2000)
                RolledMonth.objects.update_or_create(month=month, source=source.name, defaults={
                    "signature": signature(source), "computed_at": timezone.now()})
            kept += len(rows)
    return kept


def refresh_recent(*, today: date | None = None, months: int | None = None) -> int:
    """The nightly job: the last closed months again (records entered late into them are caught)."""
    today = today or timezone.localdate()
    return rollup_months(recent_months(today, months), today=today)


def rebuild(*, today: date | None = None, since: date | None = None) -> int:
    """Every closed month since `since` (default: January, ROLLUP_YEARS years ago), from the records."""
    today = today or timezone.localdate()
    years = getattr(settings, "GONGJIAN_REPORTS_ROLLUP_YEARS", ROLLUP_YEARS)
    since = since or date(today.year - years, 1, 1)
    return rollup_months(months_between(since, today), today=today)
