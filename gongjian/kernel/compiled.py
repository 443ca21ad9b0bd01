"""Compiled SQL of a hot read, kept per process (ADR 0033).

A list page's database answer can take well under a millisecond, and building its queryset and
compiling the SQL takes about as long again, on every request. A `CompiledRead` keeps the
compiled SQL of a read that is a pure function of two things:

- the user's reach, as `access.condition` computes it on *every* call (the access policy is
  never skipped: a grant that lapsed or a position that changed gives another condition);
- the read's own keyword arguments (plain values: a search word, a path, a date, a page).

Both make the key, so two calls share SQL only when it is the same SQL, and nothing stale can be
served. The cache is bounded (least recently used out) per read and per process.

    def _board(rows, *, today, within, offset, limit):   # rows: the visible Loans
        return rows.filter(next_due_on__lt=today).order_by("next_due_on", "id")
                   .values_list(*COLUMNS)[offset:offset + limit]

    BOARD = CompiledRead(Loan, _board)
    rows = BOARD(user, partial(BoardRow, today), today=today, within=None, offset=0, limit=31)
    # without a row type (the second, positional argument): tuples

`build` must read nothing but its arguments (no clock, no user, no settings) and return a
`values_list()` queryset. Only plain values make a key (str, int, float, Decimal, date, datetime,
time, UUID, an enum member, None, and tuples or lists of them); a reach condition or an argument holding anything
else (a subquery, an expression, a model instance) is not cached: the read is built and run as
usual, with the same answer.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from itertools import repeat, starmap
from typing import Any
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.query import ValuesListIterable
from django.dispatch import receiver

from . import access
from .http import Reader

Build = Callable[..., "models.QuerySet[Any]"]
Into = Callable[..., Any]


class Uncacheable(Exception):
    """A value that cannot be part of a key: the read runs without the cache."""


_PLAIN = frozenset({str, int, float, bool, date, time, timedelta, UUID, type(None)})


def key_of(value: object) -> Hashable:
    """A key that is equal only for values that give the same SQL and parameters: typed, so 1,
    1.0, True and Decimal("1.00") stay apart."""
    kind = type(value)
    if kind in _PLAIN:  # exact types only: a subclass may compare equal and print otherwise
        return (kind, value)
    if isinstance(value, Q):
        return (Q, value.connector, value.negated, tuple(key_of(child) for child in value.children))
    if isinstance(value, (tuple, list)):
        return (kind, tuple(key_of(item) for item in value))
    if isinstance(value, Enum):
        return (kind, value.value)
    if isinstance(value, (datetime, Decimal)):
        return (kind, str(value))  # str keeps the offset and the exponent, == does not
    raise Uncacheable(kind.__name__)


def _arguments_key(arguments: dict[str, Any]) -> Hashable:
    # In call order: the same read called with its arguments in another order is only another key.
    return tuple((name, type(value), value) if type(value) in _PLAIN else (name, key_of(value))
                 for name, value in arguments.items())


@dataclass(frozen=True)
class _Plan:
    sql: str | None  # None: the query matches nothing (Django's EmptyResultSet)
    params: tuple[Any, ...]
    width: int | None  # the selected columns, when the SQL selects more (extra ordering columns)
    converters: tuple[tuple[int, Callable[..., Any], Any], ...]  # (column, function, expression)


def _compiled(queryset: models.QuerySet[Any]) -> _Plan | None:
    """The SQL, parameters and value converters of a `values_list()` queryset, as Django's own
    iteration would use them; None when Django would reorder the columns (not kept)."""
    if queryset._iterable_class is not ValuesListIterable:
        raise TypeError("a CompiledRead builds a values_list() queryset (not flat, not named)")
    query = queryset.query
    chosen = queryset._fields  # type: ignore[attr-defined]
    if chosen:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if [*chosen, *(f for f in query.annotation_select if f not in chosen)] != names:
            return None
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Plan(None, (), None, ())
    selected = [column for column, _, _ in compiler.select[: compiler.col_count]]
    converters = tuple((pos, func, expression)
                       for pos, (funcs, expression) in compiler.get_converters(selected).items() for func in funcs)
    width = compiler.col_count if compiler.has_extra_select else None
    return _Plan(sql, tuple(params), width, converters)


def _run(plan: _Plan, alias: str, into: Into | None) -> list[Any]:
    if plan.sql is None:
        return []
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, plan.params)
        rows = cursor.fetchall()
    if plan.width is not None:
        rows = [row[: plan.width] for row in rows]
    if not plan.converters or not rows:
        # The drivers' rows are tuples already.
        return rows if into is None else list(starmap(into, rows))
    # Column by column (as SQLCompiler.apply_converters applies them row by row), and the rows
    # made straight from the columns.
    columns = list(zip(*rows, strict=True))
    for pos, func, expression in plan.converters:
        columns[pos] = tuple(map(func, columns[pos], repeat(expression), repeat(connection)))
    return list(zip(*columns, strict=True)) if into is None else list(map(into, *columns))


_reads: weakref.WeakSet[CompiledRead] = weakref.WeakSet()


class CompiledRead:
    """A read of `model`'s visible rows (`access.visible`, with the declared reach for `audience`
    or the one given), narrowed by `build(rows, **arguments)`, whose compiled SQL is kept per reach
    condition and arguments (at most `size` of them)."""

    def __init__(self, model: type[models.Model], build: Build, *, audience: str = access.STAFF,
                 reach: access.Reach | None = None, size: int = 256) -> None:
        self.model, self.build, self.audience, self.reach, self.size = model, build, audience, reach, size
        self._plans: OrderedDict[Hashable, _Plan] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        _reads.add(self)

    def __call__(self, user: Reader, into: Into | None = None, /, **arguments: Any) -> list[Any]:
        """The rows of `list(build(access.visible(user, …), **arguments))`: tuples, or each made
        by `into(*values)` (a named tuple, a dataclass, a `partial` of one)."""
        where = access.condition(user, self.model, audience=self.audience, reach=self.reach)
        if where is None:
            return []
        alias = router.db_for_read(self.model)
        try:
            key: Hashable = (alias, key_of(where), _arguments_key(arguments))
        except Uncacheable:
            return self._uncached(where, into, arguments)
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                self.hits += 1
        if plan is None:
            queryset = self.build(self.model._default_manager.filter(where), **arguments)
            found = _compiled(queryset) if queryset.db == alias else None
            if found is None:
                return self._uncached(where, into, arguments, queryset)
            plan = found
            with self._lock:
                self.misses += 1
                self._plans[key] = plan
                while len(self._plans) > self.size:
                    self._plans.popitem(last=False)
        return _run(plan, alias, into)

    def _uncached(self, where: Q, into: Into | None, arguments: dict[str, Any],
                  queryset: models.QuerySet[Any] | None = None) -> list[Any]:
        if queryset is None:
            queryset = self.build(self.model._default_manager.filter(where), **arguments)
        return list(queryset) if into is None else list(starmap(into, queryset))

    def __len__(self) -> int:
        return len(self._plans)

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()


def clear_all() -> None:
    """Forget every compiled read (a settings change in tests; a cold measurement in the bench)."""
    for read in list(_reads):
        read.clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    # The SQL may name the time zone (`__date` lookups) or another database.
    if setting in {"DATABASES", "TIME_ZONE", "USE_TZ", "DATABASE_ROUTERS"}:
        clear_all()
