"""The benchmark registry: what to set up, which URL to load, which goal to meet.

Imported by both sides of a run, so it must not import Django at module level:
the orchestrator (`bench.runner`) never configures Django, the prepare subprocess
(`bench.prepare`) does, and calls `setup` there.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: The baseline every figure is divided by: a bare Django view, anonymous (see bench/urls.py).
BASELINE = "bare"

SetupFn = Callable[[Any], "dict[str, Any] | None"]
UrlFn = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Benchmark:
    """One URL loaded over HTTP against the bench server.

    name           unique key; appears in the table and the JSON.
    setup          `setup(ctx)` runs in the prepare subprocess (Django configured, data
                   generated) and returns JSON-able state for `url`, or None. `ctx` is a
                   `bench.prepare.SetupContext` (the `County`, the scale, a seeded rng).
    url            `url(state)` -> path such as "/work/people/". `state` holds the county's
                   ids (`state["county"]`) and whatever `setup` returned.
    goal           minimum req/s of this benchmark divided by `goal_vs`'s, per backend
                   (None: informational only).
    goal_vs        what `goal` is relative to: the baseline (`bare`, the default) or another
                   benchmark of the same run (`bare_auth`: what every staff page pays first);
                   the ratio is taken round by round, the median counts.
    login          which generated account requests it: "county" (LEAD of the county
                   federation, sees the whole county), "village" (LEAD of one village
                   federation) or None (anonymous).
    cross_backend_goal  minimum PostgreSQL req/s divided by SQLite req/s (None: not checked).
    count_queries  also count SQL queries in-process at small scale (about 10 people, before
                   the bulk of the people and before any `setup` ran) and at full scale; the
                   two counts must be equal (no query per row, no query that grows with data).
    expect         a string a 200 response must contain (checked once before loading).
    row_marker     a string occurring once per rendered row (reported with query counts).
    """

    name: str
    setup: SetupFn | None
    url: UrlFn
    goal: float | None = None
    goal_vs: str = BASELINE
    login: str | None = "county"
    cross_backend_goal: float | None = None
    count_queries: bool = False
    expect: str | None = None
    row_marker: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


_registry: dict[str, Benchmark] = {}
_discovered = False


def register_benchmark(
    name: str,
    setup_fn: SetupFn | None,
    url_fn: UrlFn,
    goal: float | None = None,
    *,
    goal_vs: str = BASELINE,
    login: str | None = "county",
    cross_backend_goal: float | None = None,
    count_queries: bool = False,
    expect: str | None = None,
    row_marker: str | None = None,
) -> Benchmark:
    """Add a benchmark; registering the same name twice replaces the earlier one."""
    if login not in (None, "county", "village"):
        raise ValueError(f"login must be None, 'county' or 'village', not {login!r}")
    bench = Benchmark(
        name=name, setup=setup_fn, url=url_fn, goal=goal, goal_vs=goal_vs, login=login,
        cross_backend_goal=cross_backend_goal, count_queries=count_queries,
        expect=expect, row_marker=row_marker,
    )
    _registry[name] = bench
    return bench


def discover() -> None:
    """Import `bench.benchmarks` and every `bench/bench_*.py` module, which register themselves."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    importlib.import_module("bench.benchmarks")
    import bench

    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("bench_"):
            importlib.import_module(f"bench.{info.name}")


def all_benchmarks(only: list[str] | None = None) -> list[Benchmark]:
    """Registered benchmarks in registration order; the baseline is always included, first."""
    discover()
    if BASELINE not in _registry:
        raise RuntimeError(f"the baseline benchmark {BASELINE!r} is not registered")
    wanted = set(only or ())
    # A goal relative to another benchmark needs that one in the same run.
    wanted |= {b.goal_vs for b in _registry.values() if b.name in wanted and b.goal is not None}
    chosen = [b for b in _registry.values() if not only or b.name in wanted or b.name == BASELINE]
    unknown = set(only or ()) - set(_registry)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(_registry)}")
    chosen.sort(key=lambda b: b.name != BASELINE)
    return chosen


def setup_goal(check: str, ratio: float, goal: float, *, at_most: bool) -> dict[str, Any]:
    """A goal timed in a benchmark's setup (returned in its state under "goals"): `ratio` must be
    at most (or at least) `goal`."""
    return {"check": check, "ratio": ratio, "goal": goal, "at_most": at_most,
            "met": ratio <= goal if at_most else ratio >= goal}


def setup_info(check: str, ratio: float) -> dict[str, Any]:
    """A ratio timed in a benchmark's setup that is shown beside the goals but is not one (the
    cold first call of a read whose compiled SQL is then kept, next to its warm goal)."""
    return {"check": check, "ratio": ratio, "goal": None, "at_most": True, "met": True}
