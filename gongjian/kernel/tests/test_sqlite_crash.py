"""B-03: a SQLite platform killed mid-write keeps every commit it acknowledged and a sound file.

A second process opens the database through the app's own settings (`database_from_env`: WAL,
synchronous=FULL, IMMEDIATE transactions, the busy timeout) and commits 1000 rows one transaction
at a time, printing each row's number only after its commit returned. The test kills it with
SIGKILL part-way, then opens the file as a restarted platform would."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROWS = 1000

WRITER = r"""
import os, sys
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as c:
    c.execute("PRAGMA journal_mode"); journal = c.fetchone()[0]
    c.execute("PRAGMA synchronous"); synchronous = c.fetchone()[0]
    c.execute("PRAGMA busy_timeout"); busy = c.fetchone()[0]
    c.execute("CREATE TABLE IF NOT EXISTS crash_probe (n INTEGER PRIMARY KEY, body TEXT NOT NULL)")
print(f"ready {journal} {synchronous} {busy}", flush=True)
for n in range(1, int(sys.argv[1]) + 1):
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("INSERT INTO crash_probe (n, body) VALUES (%s, %s)", [n, "x" * 2000])
    # Printed only after the commit returned: an acknowledged row.
    print(n, flush=True)
"""


def test_a_writer_killed_mid_run_keeps_every_acknowledged_row_and_a_sound_file(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GONGJIAN_VAR_DIR": str(tmp_path / "var"),
           "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(settings.BASE_DIR)}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(ROWS)], env=env,  # noqa: S603
                              cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    ready = writer.stdout.readline().split()
    assert ready == ["ready", "wal", "2", "20000"], (ready, writer.stderr.read() if not ready else "")

    acknowledged = 0
    deadline = time.monotonic() + 120
    while acknowledged < 300 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        assert line, writer.stderr.read()
        acknowledged = int(line)
    os.kill(writer.pid, signal.SIGKILL)  # no atexit, no close, no checkpoint: as a power cut to the process
    writer.wait(timeout=30)
    # The pipe may hold a few more acknowledgements written before the kill landed.
    for line in writer.stdout.read().split():
        acknowledged = max(acknowledged, int(line))
    assert writer.returncode == -signal.SIGKILL
    assert 300 <= acknowledged < ROWS, "the writer was not killed mid-run"

    # The -wal file the killed writer left behind is replayed on open, as at a restart.
    assert Path(str(database) + "-wal").exists()
    with sqlite3.connect(str(database)) as reopened:
        assert reopened.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {row[0] for row in reopened.execute("SELECT n FROM crash_probe")}
    assert set(range(1, acknowledged + 1)) <= present
    assert max(present) <= acknowledged + 1  # at most the one commit in flight when the kill came
