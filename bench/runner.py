"""The orchestrator: per database, a fresh database, the prepare subprocess (migrate, generate,
count queries), gunicorn on a free 127.0.0.1 port, logins, bounded load, a table of ratios.

It never configures Django in its own process: two databases in one run need two settings.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from . import loadgen
from .registry import BASELINE, Benchmark, all_benchmarks

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
#: Informational: the bare view with a logged-in session (what every staff page pays first).
AUTH_FLOOR = "bare_auth"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/gongjian_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class RunConfig:
    quick: bool
    people: int
    villages: int
    seconds: float
    rounds: int
    warmup: float
    connections: int
    workers: int
    threads: int
    tool: str
    backends: list[str]
    only: list[str] | None
    profile: int
    keep: bool
    postgres_url: str


# --- databases --------------------------------------------------------------------------------

def _pg_parts(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.hostname not in LOCAL_HOSTS:
        raise SystemExit(f"the benchmark database must be on this machine, not {parts.hostname}")
    name = parts.path.lstrip("/")
    return name, urlunsplit(parts._replace(path="/{}"))


def _pg_admin(url: str, timeout: float = 3) -> Any:
    import psycopg

    _, template = _pg_parts(url)
    last: Exception | None = None
    for admin_db in ("postgres", "test"):
        try:
            return psycopg.connect(template.format(admin_db), connect_timeout=timeout, autocommit=True)
        except psycopg.OperationalError as exc:
            last = exc
    raise RuntimeError(f"PostgreSQL does not answer: {last}")


def postgres_answers(url: str) -> bool:
    try:
        with _pg_admin(url, timeout=2):
            return True
    except Exception:  # noqa: BLE001  (any failure means "not available")
        return False


def _pg_name(url: str) -> str:
    name, _ = _pg_parts(url)
    if not re.fullmatch(r"gongjian_bench\w*", name):
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database must be gongjian_bench*")
    return name


def postgres_recreate(url: str) -> None:
    name = _pg_name(url)
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def postgres_drop(url: str) -> None:
    name = _pg_name(url)
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((loadgen.HOST, 0))
        return int(sock.getsockname()[1])


def request(port: int, method: str, path: str, headers: dict[str, str] | None = None,
            body: str | None = None) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection(loadgen.HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


class Server:
    """gunicorn serving bench.settings, in its own process group so it stops cleanly."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, logfile: Path) -> None:
        self.env, self.workers, self.threads, self.logfile = env, workers, threads, logfile
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> None:
        for _attempt in range(3):
            self.port = free_port()
            cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                   "--bind", f"{loadgen.HOST}:{self.port}", "--workers", str(self.workers),
                   "--threads", str(self.threads), "--worker-class", "gthread",
                   "--keep-alive", "5", "--timeout", "60", "--log-level", "warning"]
            with self.logfile.open("ab") as out:
                self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out,
                                             stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready():
                return
            self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.logfile}:\n{self.log_tail()}")

    def _wait_ready(self, timeout: float = 45) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # start_new_session: the master leads its own group
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass


def login(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through the real form (CSRF token from the page); returns the cookies."""
    cookies: dict[str, str] = {}

    def keep(headers: http.client.HTTPMessage) -> None:
        for raw in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            cookies.update({k: m.value for k, m in jar.items()})

    status, headers, body = request(port, "GET", "/work/login/")
    keep(headers)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match:
        raise RuntimeError(f"login page answered {status} without a CSRF token")
    form = urlencode({"csrfmiddlewaretoken": match.group(1), "username": username,
                      "password": password})
    status, headers, body = request(port, "POST", "/work/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)})
    keep(headers)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {username} failed: {status}")
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# --- one database -----------------------------------------------------------------------------

def check_page(port: int, bench: Benchmark, path: str, headers: dict[str, str]) -> None:
    status, _, body = request(port, "GET", path, headers)
    if status != 200:
        raise RuntimeError(f"{bench.name}: {path} answered {status}, expected 200")
    if bench.expect and bench.expect not in body:
        raise RuntimeError(f"{bench.name}: {path} does not contain {bench.expect!r}")


@dataclass
class Prepared:
    """One database migrated and filled, with its server once started."""

    backend: str
    env: dict[str, str]
    work: Path
    manifest: dict[str, Any]
    setup_seconds: float
    server: Server | None = None
    targets: list[tuple[Benchmark, str, dict[str, str]]] | None = None


def prepare_backend(backend: str, cfg: RunConfig, work: Path, stamp: str) -> Prepared:
    """A fresh database, migrated and filled by the prepare subprocess (no server yet)."""
    work.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        db_url = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        db_url = cfg.postgres_url
        postgres_recreate(db_url)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": db_url,
           "GONGJIAN_VAR_DIR": str(work), "PYTHONPATH": os.pathsep.join(
               p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    manifest_path = work / "manifest.json"
    cmd = [sys.executable, "-m", "bench.prepare", "--manifest", str(manifest_path),
           "--people", str(cfg.people), "--villages", str(cfg.villages)]
    if cfg.quick:
        cmd.append("--quick")
    for name in cfg.only or ():
        cmd += ["--only", name]
    if cfg.profile:
        RESULTS.mkdir(exist_ok=True)
        cmd += ["--profile-requests", str(cfg.profile), "--profile-prefix", str(RESULTS / f"{stamp}-")]
    log(f"[{backend}] migrate and generate {cfg.people:,} people in {cfg.villages} villages")
    started = time.monotonic()
    # A guard against a hung step, not a budget: a shared machine can take minutes to migrate.
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=(900 if cfg.profile else 600) if cfg.quick else 3600)
    return Prepared(backend, env, work, json.loads(manifest_path.read_text()), time.monotonic() - started)


def serve(prep: Prepared, cfg: RunConfig, benches: list[Benchmark]) -> None:
    """Start its gunicorn, log the accounts in, check every page once and warm it up."""
    server = Server(prep.env, cfg.workers, cfg.threads, prep.work / "gunicorn.log")
    prep.server = server
    server.start()
    manifest = prep.manifest
    sessions = {key: login(server.port, acc["username"], acc["password"])
                for key, acc in manifest["accounts"].items()
                if any(b.login == key for b in benches)}
    prep.targets = []
    for bench in benches:
        state = {"county": manifest["state"]["county"], **manifest["state"].get(bench.name, {})}
        headers = {"Cookie": cookie_header(sessions[bench.login])} if bench.login else {}
        path = bench.url(state)
        check_page(server.port, bench, path, headers)
        prep.targets.append((bench, path, headers))
    for _bench, path, headers in prep.targets:  # warm up every worker and connection
        loadgen.run_load(cfg.tool, server.port, path, headers, seconds=cfg.warmup,
                         connections=cfg.connections)


def load_interleaved(preps: list[Prepared], cfg: RunConfig, benches: list[Benchmark],
                     ) -> dict[str, dict[str, list[loadgen.LoadResult]]]:
    """Every server up at once; each round loads every benchmark on every database in turn (the
    order of benchmarks and of databases alternating between rounds to cancel drift), so the
    PostgreSQL / SQLite comparison comes from one time window, not from two."""
    log(f"[{'+'.join(p.backend for p in preps)}] load: {cfg.tool}, {cfg.connections} connections, "
        f"{cfg.rounds} rounds x {cfg.seconds:g}s per benchmark and database, interleaved")
    runs = {p.backend: {b.name: [] for b in benches} for p in preps}
    for round_no in range(cfg.rounds):
        indices = list(range(len(benches)))
        if round_no % 2:
            indices.reverse()
        for i in indices:
            order = preps if (round_no + i) % 2 == 0 else preps[::-1]
            for prep in order:
                assert prep.server is not None and prep.targets is not None
                bench, path, headers = prep.targets[i]
                runs[prep.backend][bench.name].append(loadgen.run_load(
                    cfg.tool, prep.server.port, path, headers, seconds=cfg.seconds,
                    connections=cfg.connections))
    for prep in preps:  # still logged in, still the right page
        assert prep.server is not None and prep.targets is not None
        for bench, path, headers in prep.targets:
            check_page(prep.server.port, bench, path, headers)
    return runs


def backend_result(prep: Prepared, cfg: RunConfig, benches: list[Benchmark],
                   runs: dict[str, list[loadgen.LoadResult]]) -> dict[str, Any]:
    manifest = prep.manifest
    ratios = {bench.name: round_ratios(runs, bench.name, BASELINE) for bench in benches}
    # Goals relative to another benchmark (bare_auth): its own rounds, the same window.
    ratios_vs = {bench.name: round_ratios(runs, bench.name, bench.goal_vs) for bench in benches
                 if bench.goal_vs != BASELINE and bench.goal_vs in runs}
    return {
        "backend": prep.backend,
        "vendor": manifest["vendor"],
        "people_total": manifest["people_total"],
        "tool": cfg.tool,
        "ratios_vs_bare": ratios,
        "ratios_vs_goal_base": ratios_vs,
        "errors": {name: sum(r.errors for r in rs) for name, rs in runs.items()},
        "raw_requests_per_second": {name: [round(r.rps, 1) for r in rs] for name, rs in runs.items()},
        "queries": manifest["queries"],
        "setup_timings": {**manifest["timings"], "total_setup": round(prep.setup_seconds, 2)},
        # Goals a benchmark's setup timed itself (bench_womenshome: the import, the figures).
        "setup_goals": [goal for value in manifest["state"].values() if isinstance(value, dict)
                        for goal in value.get("goals", [])],
        "profiles": manifest.get("profiles", {}),
    }


def round_ratios(runs: dict[str, list[loadgen.LoadResult]], name: str, base: str) -> dict[str, float]:
    """`name`'s req/s over `base`'s, round by round (both loaded in the same round): median, spread."""
    per_round = [r.rps / b.rps for r, b in zip(runs[name], runs[base], strict=True) if b.rps > 0]
    return {"median": statistics.median(per_round), "min": min(per_round), "max": max(per_round)}


def goal_ratio(res: dict[str, Any], bench: Benchmark) -> float:
    """The ratio `bench.goal` is about: against the baseline, or against `bench.goal_vs`."""
    if bench.goal_vs == BASELINE:
        return float(res["ratios_vs_bare"][bench.name]["median"])
    return float(res["ratios_vs_goal_base"][bench.name]["median"])


# --- the report -------------------------------------------------------------------------------

def status(met: bool) -> str:
    return "ok" if met else "MISSED"


def evaluate(results: dict[str, dict[str, Any]], benches: list[Benchmark], *, quick: bool = False,
             ) -> dict[str, Any]:
    goals: list[dict[str, Any]] = []
    timed: list[dict[str, Any]] = []
    for backend, res in results.items():
        for goal in res.get("setup_goals", []):
            # At quick scale fixed costs dominate: shown, not counted (the goals are for the full run).
            timed.append({**goal, "backend": backend, "counted": not quick})
    for backend, res in results.items():
        for bench in benches:
            if bench.goal is not None:
                ratio = goal_ratio(res, bench)
                goals.append({"check": f"{bench.name} / {bench.goal_vs}", "backend": backend,
                              "ratio": ratio, "goal": bench.goal, "met": ratio >= bench.goal})
    if "sqlite" in results and "postgresql" in results:
        pg, lite = results["postgresql"], results["sqlite"]
        for bench in benches:
            if bench.cross_backend_goal is None:
                continue
            # The two servers were loaded in the same rounds (load_interleaved): round by round,
            # PostgreSQL's req/s over SQLite's, taken minutes apart at most; the median counts.
            per_round = [a / b for a, b in zip(pg["raw_requests_per_second"][bench.name],
                                               lite["raw_requests_per_second"][bench.name], strict=True) if b > 0]
            raw = statistics.median(per_round)
            corrected = (pg["ratios_vs_bare"][bench.name]["median"]
                         / lite["ratios_vs_bare"][bench.name]["median"])
            goals.append({"check": f"{bench.name}: postgresql / sqlite", "backend": "both",
                          "ratio": raw, "drift_corrected": corrected,
                          "spread": [min(per_round), max(per_round)],
                          "goal": bench.cross_backend_goal, "met": raw >= bench.cross_backend_goal})
    queries: list[dict[str, Any]] = []
    for backend, res in results.items():
        for name, counts in res["queries"].items():
            queries.append({"benchmark": name, "backend": backend,
                            "small": counts["small"]["queries"], "small_rows": counts["small"]["rows"],
                            "full": counts["full"]["queries"], "full_rows": counts["full"]["rows"],
                            "met": counts["small"]["queries"] == counts["full"]["queries"]})
    return {"goals": goals, "queries": queries, "timed": timed}


def round_ratios_of(res: dict[str, Any], name: str, base: str) -> float:
    """The median per-round ratio of two benchmarks of one backend's run (from the raw rounds)."""
    raw = res["raw_requests_per_second"]
    per_round = [a / b for a, b in zip(raw[name], raw[base], strict=True) if b > 0]
    return statistics.median(per_round) if per_round else 0.0


def render(cfg: RunConfig, results: dict[str, dict[str, Any]], verdict: dict[str, Any],
           benches: list[Benchmark]) -> str:
    out = []
    mode = "quick" if cfg.quick else "full"
    out.append(f"Gongjian benchmarks ({mode}): {cfg.people:,} people, {cfg.villages} villages; "
               f"load by {cfg.tool}, {cfg.connections} connections, {cfg.rounds} rounds x "
               f"{cfg.seconds:g}s; gunicorn {cfg.workers} workers x {cfg.threads} threads")
    out.append(f"Every figure is a ratio of requests/second against '{BASELINE}' (an anonymous "
               "bare Django view) measured in the same run.")
    out.append("")
    auth = AUTH_FLOOR if any(b.name == AUTH_FLOOR for b in benches) else None
    header = (f"{'backend':<11} {'benchmark':<22} {'vs bare':>8} {'spread':>15} "
              f"{'vs ' + (auth or '-'):>13} {'goal':>18}  status")
    out.append(header)
    out.append("-" * len(header))
    for backend, res in results.items():
        for bench in benches:
            if bench.name == BASELINE:
                continue
            r = res["ratios_vs_bare"][bench.name]
            goal = "-"
            if bench.goal is not None:
                goal = f">={bench.goal:.2f}x" + ("" if bench.goal_vs == BASELINE else f" {bench.goal_vs}")
            state = status(goal_ratio(res, bench) >= bench.goal) if bench.goal is not None else "info"
            if res["errors"].get(bench.name):
                state += f" ({res['errors'][bench.name]} errors)"
            vs_auth = "-"
            if auth and bench.login and bench.name != auth:
                vs_auth = f"{round_ratios_of(res, bench.name, auth):.3f}x"
            out.append(f"{backend:<11} {bench.name:<22} {r['median']:>7.3f}x "
                       f"{r['min']:>7.3f}-{r['max']:<7.3f} {vs_auth:>13} {goal:>18}  {state}")
    for goal in verdict["goals"]:
        if goal["backend"] == "both":
            name = goal["check"].split(":")[0]
            drift = f"(drift {goal['drift_corrected']:.3f}x)"
            out.append(f"{'pg/sqlite':<11} {name:<22} {goal['ratio']:>7.3f}x {drift:>15} "
                       f"{'-':>13} {'>=' + format(goal['goal'], '.2f') + 'x':>18}  {status(goal['met'])}")
    out.append("(spread: lowest and highest per-round ratio; pg/sqlite: the two servers loaded in the "
               "same interleaved rounds, the median per-round ratio; drift: the same ratio divided "
               "through each database's own bare baseline)")
    if verdict["queries"]:
        out.append("")
        out.append("SQL queries per request, in-process: at ~10 people vs the full table (must be equal)")
        header = f"{'backend':<11} {'benchmark':<22} {'small':>6} {'(rows)':>7} {'full':>6} {'(rows)':>7}  status"
        out.append(header)
        out.append("-" * len(header))
        for q in verdict["queries"]:
            out.append(f"{q['backend']:<11} {q['benchmark']:<22} {q['small']:>6} {q['small_rows']!s:>7} "
                       f"{q['full']:>6} {q['full_rows']!s:>7}  {status(q['met'])}")
    if verdict.get("timed"):
        out.append("")
        out.append("Timed in the prepare step, as ratios within the same run"
                   + (" (quick scale: shown, not counted; the goals are for the full run)" if cfg.quick else ""))
        header = f"{'backend':<11} {'check':<62} {'ratio':>8} {'goal':>9}  status"
        out.append(header)
        out.append("-" * len(header))
        for g in verdict["timed"]:
            if g["goal"] is None:  # bench.setup_info: shown, not a goal
                out.append(f"{g['backend']:<11} {g['check']:<62} {g['ratio']:>8.3f} {'-':>9}  info")
                continue
            goal = ("<=" if g["at_most"] else ">=") + format(g["goal"], "g")
            state = status(g["met"]) if g["counted"] else ("ok" if g["met"] else "missed") + " (quick)"
            out.append(f"{g['backend']:<11} {g['check']:<62} {g['ratio']:>8.3f} {goal:>9}  {state}")
    missed = ([g for g in verdict["goals"] if not g["met"]] + [q for q in verdict["queries"] if not q["met"]]
              + [t for t in verdict.get("timed", []) if t["counted"] and not t["met"]])
    out.append("")
    out.append(f"{len(missed)} goal(s) MISSED" if missed else "all goals met")
    return "\n".join(out)


# --- entry point ------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> RunConfig:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, short load (make bench-quick)")
    parser.add_argument("--people", type=int, help="people to generate (100,000; quick: 2,000)")
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--seconds", type=float, help="load per benchmark per round (8; quick: 2)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds; the median ratio counts (3; quick: 2)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per benchmark (2; quick: 1)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--backend", choices=["auto", "sqlite", "postgresql", "both"], default="auto",
                        help="auto: SQLite, and PostgreSQL too if it answers within 2 s")
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also cProfile N in-process requests per benchmark into bench/results/")
    parser.add_argument("--keep", action="store_true", help="keep the databases and the work dir")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    args = parser.parse_args(argv)

    quick = args.quick
    backends = {"sqlite": ["sqlite"], "postgresql": ["postgresql"],
                "both": ["sqlite", "postgresql"]}.get(args.backend, [])
    if args.backend in ("postgresql", "both") and not postgres_answers(args.postgres_url):
        raise SystemExit(f"PostgreSQL does not answer at {args.postgres_url}")
    if args.backend == "auto":
        backends = ["sqlite"]
        if postgres_answers(args.postgres_url):
            backends.append("postgresql")
        else:
            log("PostgreSQL does not answer within 2 s: SQLite only")
    return RunConfig(
        quick=quick,
        people=args.people if args.people is not None else (2_000 if quick else 100_000),
        villages=args.villages,
        seconds=args.seconds if args.seconds is not None else (2.0 if quick else 8.0),
        rounds=args.rounds if args.rounds is not None else (2 if quick else 3),
        warmup=args.warmup if args.warmup is not None else (1.0 if quick else 2.0),
        connections=args.connections, workers=args.workers, threads=args.threads,
        tool=loadgen.choose_tool(args.loadgen), backends=backends, only=args.only,
        profile=args.profile, keep=args.keep, postgres_url=args.postgres_url,
    )


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    benches = all_benchmarks(cfg.only)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    work = Path(tempfile.mkdtemp(prefix="gongjian-bench-"))
    started = time.monotonic()
    results: dict[str, dict[str, Any]] = {}
    preps: list[Prepared] = []
    try:
        for backend in cfg.backends:
            preps.append(prepare_backend(backend, cfg, work / backend, stamp))
        try:
            for prep in preps:
                serve(prep, cfg, benches)
            runs = load_interleaved(preps, cfg, benches)
        finally:
            for prep in preps:
                if prep.server is not None:
                    prep.server.stop()
        for prep in preps:
            results[prep.backend] = backend_result(prep, cfg, benches, runs[prep.backend])
    finally:
        if not cfg.keep:
            shutil.rmtree(work, ignore_errors=True)
            if "postgresql" in cfg.backends:
                try:
                    postgres_drop(cfg.postgres_url)
                except Exception as exc:  # noqa: BLE001  (cleanup must not hide the real error)
                    log(f"could not drop the PostgreSQL benchmark database: {exc}")
        else:
            log(f"kept: {work} (and the PostgreSQL database, if any)")

    verdict = evaluate(results, benches, quick=cfg.quick)
    print(render(cfg, results, verdict, benches), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{stamp}{'-quick' if cfg.quick else ''}.json"
    out.write_text(json.dumps({
        "when": stamp, "config": asdict(cfg) | {"postgres_url": "(local)"},
        "wall_seconds": round(time.monotonic() - started, 1),
        "results": results, "verdict": verdict,
        "note": "raw_requests_per_second are machine-dependent; compare ratios only",
    }, ensure_ascii=False, indent=1))
    log(f"results: {out.relative_to(ROOT)} (wall {time.monotonic() - started:.0f}s)")
    return 0
