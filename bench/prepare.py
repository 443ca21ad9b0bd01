"""The prepare subprocess: migrate the fresh database in DATABASE_URL, generate the county, run
each benchmark's setup, count SQL queries in-process, optionally profile; write a manifest.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.prepare \
        --manifest out.json --people 2000 --villages 200

The orchestrator (bench.runner) runs it once per database; it never configures Django itself.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: People generated before the first query count, so the page shows about 10 rows.
SMALL_ROWS = 10


@dataclass
class SetupContext:
    """What a benchmark's `setup(ctx)` gets: the county (bench.generate.County), the scale."""

    county: Any
    people: int
    villages: int
    quick: bool
    rng: random.Random = field(default_factory=lambda: random.Random(20110420))


def log(message: str) -> None:
    print(f"  [prepare] {message}", file=sys.stderr, flush=True)


def _client_for(username: str | None) -> Any:
    from django.test import Client

    from gongjian.kernel.models import User

    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def count_queries(path: str, username: str | None, row_marker: str | None) -> dict[str, Any]:
    """SQL queries of one request, after a warm-up request (which may write the session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client_for(username)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} while counting queries")
    body = response.content.decode()
    return {
        "queries": len(captured.captured_queries),
        "rows": body.count(row_marker) if row_marker else None,
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def profile(path: str, username: str | None, requests: int, out: Path) -> dict[str, Any]:
    """cProfile `requests` in-process requests (test client, full middleware stack)."""
    client = _client_for(username)
    for _ in range(5):
        client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    out.write_text(buffer.getvalue())
    profiler.dump_stats(str(out.with_suffix(".pstats")))
    return {"file": str(out), "requests": requests, "profiled_seconds": elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", action="append", default=None)
    parser.add_argument("--profile-requests", type=int, default=0)
    parser.add_argument("--profile-prefix", default="")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from . import generate
    from .registry import BASELINE, all_benchmarks

    benches = all_benchmarks(args.only)
    timings: dict[str, float] = {}

    def timed(name: str, started: float) -> None:
        timings[name] = round(time.monotonic() - started, 3)
        log(f"{name}: {timings[name]:.1f}s")

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    timed("migrate", started)

    started = time.monotonic()
    county = generate.generate_county(villages=args.villages)
    generate.add_standard_accounts(county)
    timed("county", started)

    # Small scale: about SMALL_ROWS people in the county lead's scope (the cadres count too).
    small = max(0, min(args.people, SMALL_ROWS - len(county.accounts)))
    generate.generate_people(county, small)
    state: dict[str, Any] = {"county": county.as_dict()}
    queries: dict[str, Any] = {}
    for bench in benches:
        if bench.count_queries:
            username = county.accounts.get(bench.login) if bench.login else None
            queries[bench.name] = {"small": count_queries(bench.url(state), username, bench.row_marker)}

    started = time.monotonic()
    generate.generate_people(county, args.people - small, progress=not args.quick)
    generate.check_person_storage(county)
    timed("people", started)

    ctx = SetupContext(county=county, people=args.people, villages=args.villages, quick=args.quick)
    for bench in benches:
        if bench.setup is not None:
            started = time.monotonic()
            state[bench.name] = bench.setup(ctx) or {}
            timed(f"setup:{bench.name}", started)
    state["county"] = county.as_dict()

    if connection.vendor == "postgresql":
        # What autovacuum's auto-analyze does soon after a bulk load, done now so every run
        # measures the same plans. (The app never runs ANALYZE on SQLite, so neither do we.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    for bench in benches:
        if bench.count_queries:
            username = county.accounts.get(bench.login) if bench.login else None
            queries[bench.name]["full"] = count_queries(bench.url(state), username, bench.row_marker)

    profiles: dict[str, Any] = {}
    if args.profile_requests:
        for bench in benches:
            if bench.name == BASELINE:
                continue
            username = county.accounts.get(bench.login) if bench.login else None
            out = Path(f"{args.profile_prefix}{connection.vendor}-{bench.name}.prof.txt")
            profiles[bench.name] = profile(bench.url(state), username, args.profile_requests, out)
            log(f"profile of {bench.name}: {out}")

    from gongjian.kernel.models import Person

    manifest = {
        "vendor": connection.vendor,
        "people_total": Person.objects.count(),
        "accounts": {key: {"username": name, "password": generate.BENCH_PASSWORD}
                     for key, name in county.accounts.items()},
        "state": state,
        "queries": queries,
        "timings": timings,
        "profiles": profiles,
    }
    Path(args.manifest).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
