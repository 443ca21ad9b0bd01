"""Several app servers, one PostgreSQL, one Redis (issue 12 §6; ADR 0040).

Two gunicorn instances (A and B, each on its own loopback port, each with its own var/ folder)
and two task workers run against one committed copy of the test database (the demo county), one
Redis database of the test's own (flushed before and after) as the shared cache and one shared
upload folder, behind a pretend reverse proxy (`GONGJIAN_PROXY_COUNT=1`, the client's address in
`X-Forwarded-For`). Then, from outside, over HTTP:

- a disclosure drafted with an attachment on A, approved on B and published on A is on B's public
  board at once, though B had just cached that board in the shared cache;
- the attachment uploaded through A is served by B, to a session that signed in on A;
- failed logins counted on A lock the (account, address) on B, and a public form's rate limit
  counted on A holds on B;
- tasks enqueued once each are run once each by the two workers together; the same scheduled slot
  ticked by two schedulers at once is one run, and that run enqueued twice runs once.

PostgreSQL only (deselected on SQLite: one SQLite file is not shared by servers). Without Redis on
GONGJIAN_TEST_REDIS_URL (default 127.0.0.1:6379, database 13) it is skipped with the reason — but
in CI, which runs Redis, that is a failure."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import (
    HTTPCookieProcessor,
    HTTPRedirectHandler,
    OpenerDirector,
    Request,
    build_opener,
)

import pytest
from django.conf import settings

from gongjian.kernel import backup

pytestmark = [pytest.mark.postgres_only]

BASE_DIR = Path(settings.BASE_DIR)
REDIS_URL = os.environ.get("GONGJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
PDF = b"%PDF-1.4 two-instance attachment " + uuid.uuid4().hex.encode() + b"\n"
DEMO_PASSWORD = "Demo-Passw0rd!x"  # noqa: S105  (the root conftest's test-only demo password)


# --- the platform: one database, one Redis, two app servers, two workers ------------------------------


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis is not reachable at {REDIS_URL} ({exc}): the two-instance test needs it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " — CI runs Redis, so this is a failure")
        pytest.skip(reason)
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Platform:
    database_url: str
    shared_media: Path
    redis: Any
    servers: dict[str, str] = field(default_factory=dict)  # "A"/"B" → base URL
    processes: list[subprocess.Popen[str]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return list(conn.execute(query, params).fetchall())

    def django(self, code: str, *, name: str = "helper") -> subprocess.Popen[str]:
        """Python with Django set up as the servers have it (another process, same settings)."""
        script = "import django\ndjango.setup()\n" + code
        return subprocess.Popen([sys.executable, "-c", script], env=self.env_for(name), cwd=BASE_DIR,  # noqa: S603
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def env_for(self, name: str) -> dict[str, str]:
        var = self.shared_media.parent / f"var-{name}"
        var.mkdir(exist_ok=True)
        return {**self.env, "GONGJIAN_VAR_DIR": str(var)}

    def start(self, name: str, command: list[str], **env: str) -> Path:
        log = self.shared_media.parent / f"{name}.log"
        self.logs.append(log)
        with log.open("w") as out:
            self.processes.append(subprocess.Popen(command, env={**self.env_for(name), **env},  # noqa: S603
                                                   cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, text=True))
        return log

    def tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-1500:]}" for log in self.logs if log.exists())


def _copy_test_database(name: str) -> None:
    """A committed copy of the test database (the demo county) the subprocesses can see: the
    test's own connection stays inside its transaction."""
    with backup._pg_connect(autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    args, env = backup._pg_params()
    dump = subprocess.run(["pg_dump", "-Fc", "-Z0", *args], env=env, check=True, capture_output=True)  # noqa: S603,S607
    target = [a if a != str(backup.connection.settings_dict["NAME"]) else name for a in args]
    # One transaction: one commit to wait for, not one per table, index and trigger.
    subprocess.run(["pg_restore", "--no-owner", "--single-transaction", "-d", *target[1:]], input=dump.stdout,  # noqa: S603,S607
                   env=env, check=True, capture_output=True)


@pytest.fixture
def platform(db: Any, tmp_path: Path) -> Iterator[Platform]:
    redis = _redis()
    redis.flushdb()
    shared = tmp_path / "shared-media"
    shared.mkdir()
    name = f"scaleout_{os.getpid()}_{int(time.time() * 1000)}"
    p = Platform(backup._scratch_database_url(name), shared, redis)
    p.env = {**os.environ, "DATABASE_URL": p.database_url,
             "DJANGO_SETTINGS_MODULE": "gongjian.kernel.tests.scaleout_settings", "PYTHONPATH": str(BASE_DIR),
             "GONGJIAN_REDIS_URL": REDIS_URL, "GONGJIAN_MEDIA_ROOT": str(shared), "GONGJIAN_PROXY_COUNT": "1",
             "GONGJIAN_LOG_LEVEL": "WARNING", "GONGJIAN_CONN_MAX_AGE": "0"}
    p.env.pop("GONGJIAN_FAIL_ON_SKIP", None)
    try:
        # The app servers load Django while the database is copied: they touch it only when asked.
        for server in ("A", "B"):
            port = _free_port()
            p.servers[server] = f"http://127.0.0.1:{port}"
            p.start(f"server-{server}", [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                                         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                                         "--graceful-timeout", "1", "--log-level", "warning"])
        _copy_test_database(name)
        workers = [p.start(f"worker-{n}", [sys.executable, "-m", "gongjian.cli", "db_worker", "--queue-name", "*",
                                           "--interval", "0.2", "--no-startup-delay", "--worker-id",
                                           f"scaleout-{n}"], GONGJIAN_LOG_LEVEL="INFO")
                   for n in (1, 2)]
        for server, base in p.servers.items():
            _wait_healthy(p, server, base)
        for log in workers:  # both polling the queue before anything is enqueued
            _wait_until(partial(_says, log, "Starting worker"), p, f"{log.stem} did not start")
        yield p
    finally:
        for process in p.processes:
            process.terminate()
        for process in p.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        redis.flushdb()
        with backup._pg_connect(autocommit=True) as admin:  # a half-made copy is dropped too
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _says(log: Path, text: str) -> bool:
    return text in log.read_text()


def _wait_until(condition: Callable[[], bool], p: Platform, failure: str) -> None:
    deadline = time.monotonic() + 40
    while not condition():
        if time.monotonic() > deadline or any(process.poll() is not None for process in p.processes):
            pytest.fail(f"{failure}\n{p.tail()}")
        time.sleep(0.2)


def without_archive(report: dict) -> dict:
    """/healthz also reports PostgreSQL's WAL archiving (B-01): checked to be a state, then set aside."""
    rest = dict(report)
    assert rest.pop("wal_archive", None) in {"ok", "waiting", "stale", "failing", "off", "unknown"}, report
    return rest


def _wait_healthy(p: Platform, name: str, base: str) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in p.processes):
            pytest.fail(f"a process of the platform exited early\n{p.tail()}")
        try:
            status, _, body = Visitor("127.0.0.1").get(base, "/healthz")
        except (URLError, ConnectionError, OSError):
            time.sleep(0.3)
            continue
        health = json.loads(body)
        # Both servers report the shared cache: they really share Redis, not two local caches.
        assert status == 200 and without_archive(health) == {"database": "ok", "disk": "ok", "cache": "ok"}, (
            name, health)
        return
    pytest.fail(f"app server {name} did not answer /healthz\n{p.tail()}")


# --- a visitor: cookies kept across both servers (as a browser behind one site name) ---------------------


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    """A browser at a client address: the proxy in front of the app servers would put it into
    X-Forwarded-For. The cookie jar holds 127.0.0.1's cookies whatever the port: one site."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.jar = CookieJar()
        self.opener: OpenerDirector = build_opener(HTTPCookieProcessor(self.jar), _NoRedirect)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken" and c.value)

    def send(self, base: str, path: str, *, data: bytes | None = None,
             content_type: str | None = None) -> tuple[int, dict[str, str], bytes]:
        request = Request(base + path, data=data, headers={"X-Forwarded-For": self.address})  # noqa: S310  (http on loopback)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
            return exc.code, dict(exc.headers), exc.read()

    def get(self, base: str, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.send(base, path)

    def post(self, base: str, path: str, fields: dict[str, Any],
             files: dict[str, tuple[str, bytes, str]] | None = None) -> tuple[int, dict[str, str], bytes]:
        if not any(c.name == "csrftoken" for c in self.jar):
            self.get(base, "/work/login/")
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for key, value in fields.items():
            for one in value if isinstance(value, list) else [value]:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{one}\r\n'.encode())
        for key, (filename, content, kind) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                         f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.send(base, path, data=body, content_type=f"multipart/form-data; boundary={boundary}")

    def sign_in(self, base: str, username: str, password: str = DEMO_PASSWORD) -> tuple[int, dict[str, str], bytes]:
        self.get(base, "/work/login/")
        return self.post(base, "/work/login/", {"username": username, "password": password})


# --- the test -------------------------------------------------------------------------------------------

SCHEDULER = """
from gongjian.kernel import schedule
from gongjian.kernel.tests.scaleout_tasks import count_run
for n in range(%(first)s, %(first)s + 6):
    count_run.enqueue(n)
started = schedule.tick(names=["kernel-housekeeping"])
for run in started:
    schedule.run_scheduled.enqueue(run.pk)  # a second time: a redelivered task
print(len(started))
"""


def test_two_app_servers_and_two_workers_share_one_database_one_cache_and_one_storage(platform: Platform):
    A, B = platform.servers["A"], platform.servers["B"]
    started = time.monotonic()
    # Two schedulers tick the same slot; each enqueues half of twelve tasks too, and the one that
    # started the slot enqueues its run a second time. They go on while the HTTP checks below run.
    schedulers = [platform.django(SCHEDULER % {"first": 6 * n}, name=f"scheduler-{n}") for n in (0, 1)]

    # Publication: drafted with an attachment on A, approved on B, published on A.
    drafter = Visitor("10.20.0.1")
    assert drafter.sign_in(A, "xiaoliu_branch")[0] == 302
    title = f"两台服务器公开测试{uuid.uuid4().hex[:6]}"
    status, headers, body = drafter.post(A, "/work/disclosure/new/", {
        "title": title, "category": "self_building", "body": "本季度党费收缴情况。", "channels": ["board", "web"],
        "timing": "regular", "period": "quarterly", "scope": "public", "stage": "final"},
        files={"attachments": ("收缴明细.pdf", PDF, "application/pdf")})
    assert status == 302, body.decode()[-2000:]
    pk = int(re.search(r"/work/disclosure/(\d+)/", headers["Location"]).group(1))  # type: ignore[union-attr]
    org_id, = platform.sql("SELECT organization_id FROM disclosure_disclosure WHERE id = %s", pk)[0]
    board = f"/disclosure/org/{org_id}/"

    # B renders the board now, into the shared cache; A reads it from there.
    anonymous = Visitor("10.20.0.9")
    for base in (B, A):
        status, _, page = anonymous.get(base, board)
        assert status == 200 and title not in page.decode()
    assert platform.redis.keys("*disclosure:board:page*"), "the rendered board is not in the shared cache"

    assert drafter.post(A, f"/work/disclosure/{pk}/submit/", {})[0] == 302
    reviewer = Visitor("10.20.0.2")
    assert reviewer.sign_in(B, "taihua_party")[0] == 302
    assert reviewer.post(B, f"/work/disclosure/{pk}/approve/", {"comment": "同意"})[0] == 302
    assert drafter.post(A, f"/work/disclosure/{pk}/publish/", {})[0] == 302
    assert platform.sql("SELECT state FROM disclosure_disclosure WHERE id = %s", pk)[0][0] == "published"
    status, _, page = anonymous.get(B, board)
    assert status == 200 and title in page.decode(), "B served a stale public board"

    # The file uploaded through A is served by B, to the session that signed in on A.
    file_id, = platform.sql("SELECT storedfile_id FROM disclosure_disclosure_attachments WHERE disclosure_id = %s",
                            pk)[0]
    status, headers, content = drafter.get(B, f"/work/disclosure/{pk}/files/{file_id}/")
    assert status == 200 and content == PDF
    assert headers["Cache-Control"] == "private, no-store"

    # Lock-out: five failures at one account from one address on A; B refuses even the right password.
    guesser = Visitor("10.20.0.3")
    for n in range(5):  # the fifth failure locks the pair (axes), on A
        status, _, page = guesser.sign_in(A, "taihua_fed", "wrong-Passw0rd!")
        assert status == (429 if n == 4 else 200), page.decode()[-1500:]
    status, _, page = guesser.sign_in(B, "taihua_fed")
    assert status == 429, page.decode()[-1500:]
    # …and the owner at her own address is not locked out, on either server (ADR 0031).
    assert Visitor("10.20.0.4").sign_in(B, "taihua_fed")[0] == 302

    # A public form's rate limit (30 lookups an hour per address) counted on A holds on B.
    _not_at_the_turn_of_the_hour()
    tracker = Visitor("10.20.0.5")
    tracker.get(A, "/support/help/track/")
    for n in range(30):
        status, _, _ = tracker.post(A, "/support/help/track/", {"code": f"NOPE{n:04d}", "password": "nothing-1"})
        assert status != 429, n
    status, _, page = tracker.post(B, "/support/help/track/", {"code": "NOPE9999", "password": "nothing-1"})
    assert status == 429 and "查询次数过多" in page.decode()

    # Tasks: twelve enqueued once each, run once each by the two workers together.
    outputs = [helper.communicate(timeout=60) for helper in schedulers]
    assert all(helper.returncode == 0 for helper in schedulers), [err for _, err in outputs]
    ran = _wait_for_rows(platform, "SELECT status, return_value FROM django_tasks_database_dbtaskresult "
                                   "WHERE task_path LIKE %s", "%count_run", count=12)
    assert {status for status, _ in ran} == {"SUCCESSFUL"}, ran
    assert len({pid for _, pid in ran}) == 2, "both workers took tasks from the one queue"
    counts = platform.sql("SELECT key, count FROM kernel_ratecounter WHERE key LIKE 'scaleout-task:%%'")
    assert sorted(counts) == sorted((f"scaleout-task:{n}", 1) for n in range(12))

    # The schedule: the slot ticked by two schedulers is one run; enqueued twice, it ran once.
    assert sorted(int(out.strip()) for out, _ in outputs) == [0, 1]
    run_id, = platform.sql("SELECT id FROM kernel_scheduledrun WHERE job = 'kernel-housekeeping'")[0]
    results = _wait_for_rows(platform, "SELECT status, return_value FROM django_tasks_database_dbtaskresult "
                                       "WHERE task_path LIKE %s", "%run_scheduled", count=2)
    assert sorted(value for _, value in results) == ["skipped", "succeeded"]
    state, attempts = platform.sql("SELECT state, attempts FROM kernel_scheduledrun WHERE id = %s", run_id)[0]
    assert (state, attempts) == ("succeeded", 1)

    for process in platform.processes:
        assert process.poll() is None, f"a process of the platform died\n{platform.tail()}"
    assert time.monotonic() - started < 60


def _not_at_the_turn_of_the_hour() -> None:
    """The counters are fixed one-hour windows: never count across the turn of an hour."""
    left = 3600 - time.time() % 3600
    if left < 15:
        time.sleep(left + 1)


def _wait_for_rows(platform: Platform, query: str, *params: Any, count: int) -> list[tuple[Any, ...]]:
    deadline = time.monotonic() + 30
    rows: list[tuple[Any, ...]] = []
    while time.monotonic() < deadline:
        rows = platform.sql(query, *params)
        if len(rows) >= count and all(status in ("SUCCESSFUL", "FAILED") for status, *_ in rows):
            return rows
        time.sleep(0.2)
    pytest.fail(f"the workers did not finish: {rows}\n{platform.tail()}")
