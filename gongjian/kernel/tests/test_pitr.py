"""PostgreSQL point-in-time recovery drill (B-01, issue 12 §1; docs/operations.md "Backups and restore").

The test starts a cluster of its own with WAL archiving, takes a base backup, commits A, notes the
time T, commits B, and recovers the base backup with the archived WAL to T: A is there, B is not.
It runs in the PostgreSQL run of the suite (the machine has PostgreSQL 15's server binaries)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres_only


def _bindir() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        pytest.fail("initdb is not installed: the PITR drill needs PostgreSQL's server binaries")
    return Path(candidates[-1]).parent


class Cluster:
    """A throw-away cluster run as the postgres OS user (initdb refuses root)."""

    def __init__(self, root: Path) -> None:
        self.root, self.bin = root, _bindir()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.archive = root / "wal-archive"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        program = str(self.bin / args[0]) if (self.bin / args[0]).exists() else args[0]
        command = [program, *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=self.root)  # noqa: S603
        if check and result.returncode != 0:
            raise AssertionError(f"{args[0]} failed: {result.stdout}{result.stderr}")
        return result

    def sql(self, query: str) -> str:
        return self.run("psql", "-h", str(self.root), "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                        "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", query).stdout.strip()

    def start(self, data: Path) -> None:
        self.run("pg_ctl", "-D", str(data), "-l", str(self.root / f"{data.name}.log"), "-w", "-t", "60", "start")

    def stop(self, data: Path, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(data), "-m", mode, "-w", "stop", check=False)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="gongjian-pitr-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    made = Cluster(root)
    made.run("mkdir", str(made.archive))
    try:
        yield made
    finally:
        for data in ("primary", "restored"):
            if (root / data / "postmaster.pid").exists():
                made.stop(root / data, "immediate")
        shutil.rmtree(root, ignore_errors=True)


def test_a_base_backup_and_the_archived_wal_recover_to_a_point_in_time(cluster):
    primary, base, restored = cluster.root / "primary", cluster.root / "base", cluster.root / "restored"
    cluster.run("initdb", "-D", str(primary), "-U", "postgres", "-A", "trust", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:  # written as root: postgres only reads it
        conf.write(f"""
listen_addresses = ''
unix_socket_directories = '{cluster.root}'
port = {cluster.port}
wal_level = replica
archive_mode = on
archive_command = 'test ! -f {cluster.archive}/%f && cp %p {cluster.archive}/%f.part && mv {cluster.archive}/%f.part {cluster.archive}/%f'
archive_timeout = 60
""")
    cluster.start(primary)
    cluster.sql("CREATE TABLE drill (v text NOT NULL)")
    cluster.run("pg_basebackup", "-h", str(cluster.root), "-p", str(cluster.port), "-U", "postgres",
                "-D", str(base), "--checkpoint=fast", "--wal-method=none", "--no-sync")

    cluster.sql("INSERT INTO drill VALUES ('A')")
    time.sleep(1.1)
    moment = cluster.sql("SELECT clock_timestamp()")
    time.sleep(1.1)
    cluster.sql("INSERT INTO drill VALUES ('B')")
    segment = cluster.sql("SELECT pg_walfile_name(pg_current_wal_lsn())")
    cluster.sql("SELECT pg_switch_wal()")
    for _ in range(60):  # wait for the segment holding B to be archived
        if (cluster.archive / segment).exists():
            break
        time.sleep(0.5)
    assert (cluster.archive / segment).exists(), "the WAL segment was not archived"
    assert sorted(cluster.sql("SELECT v FROM drill ORDER BY v").split()) == ["A", "B"]
    cluster.stop(primary)

    # Recover: the base backup, the archive's WAL replayed up to T, then promoted.
    cluster.run("cp", "-a", str(base), str(restored))
    with (restored / "postgresql.conf").open("a") as conf:
        conf.write(f"""
archive_mode = off
restore_command = 'cp {cluster.archive}/%f %p'
recovery_target_time = '{moment}'
recovery_target_action = 'promote'
""")
    cluster.run("touch", str(restored / "recovery.signal"))
    cluster.start(restored)
    for _ in range(60):
        if cluster.sql("SELECT pg_is_in_recovery()") == "f":
            break
        time.sleep(0.5)
    assert cluster.sql("SELECT pg_is_in_recovery()") == "f"
    assert cluster.sql("SELECT v FROM drill ORDER BY v").split() == ["A"]
    cluster.stop(restored)


def test_the_apps_check_sees_the_real_archiver_succeed_and_then_fail(cluster):
    """`walarchive.archive_status` on a live server: waiting, ok after a segment is archived, failing
    once the archive command starts failing (as a full or unmounted archive disk makes it)."""
    import psycopg

    from gongjian.kernel import walarchive

    primary = cluster.root / "primary"
    cluster.run("initdb", "-D", str(primary), "-U", "postgres", "-A", "trust", "--no-sync")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(f"""
listen_addresses = ''
unix_socket_directories = '{cluster.root}'
port = {cluster.port}
wal_level = replica
archive_mode = on
archive_command = 'test ! -f {cluster.archive}/%f && cp %p {cluster.archive}/%f'
archive_timeout = 60
""")
    cluster.start(primary)

    def status() -> walarchive.ArchiveStatus:
        with psycopg.connect(host=str(cluster.root), port=cluster.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn, conn.cursor() as cursor:
            return walarchive.archive_status(cursor)

    def wait_for(state: str) -> walarchive.ArchiveStatus:
        for _ in range(60):
            found = status()
            if found.state == state:
                return found
            time.sleep(0.5)
        raise AssertionError(f"the archiver never reached {state}: {found}")

    first = status()
    assert first.state == "waiting" and first.settings["archive_mode"] == "on"
    cluster.sql("CREATE TABLE probe (v int); INSERT INTO probe VALUES (1)")
    cluster.sql("SELECT pg_switch_wal()")
    ok = wait_for("ok")
    assert ok.archived_count >= 1 and (cluster.archive / ok.last_archived_wal).exists()
    assert ok.max_age_seconds == 120  # twice archive_timeout

    cluster.sql("ALTER SYSTEM SET archive_command = 'false'")
    cluster.sql("SELECT pg_reload_conf()")
    time.sleep(1)
    cluster.sql("INSERT INTO probe VALUES (2)")
    cluster.sql("SELECT pg_switch_wal()")
    failing = wait_for("failing")
    assert failing.failed_count >= 1 and failing.last_failed_wal
    assert "最近一次归档失败" in failing.problems[0]
    cluster.stop(primary)
