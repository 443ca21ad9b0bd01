"""B-01: the app watches PostgreSQL's WAL archiving — settings and pg_stat_archiver — and says when it
is off, failing or stale: the hourly job `pitr_check`, 计划任务 and /healthz (ADR 0051). The real
archiver of a cluster the test starts is in test_pitr.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from gongjian.kernel import schedule, walarchive

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class FakeCursor:
    """What PostgreSQL answers to the two queries, as a DB-API cursor."""

    def __init__(self, conf: dict[str, str], archived: datetime | None = None, failed: datetime | None = None,
                 failed_count: int = 0) -> None:
        self.conf, self.answers = conf, []
        self.archiver = (12 if archived else 0, "00000001000000000000000C" if archived else None, archived,
                         failed_count, "00000001000000000000000D" if failed else None, failed, NOW)

    def execute(self, sql: str, params: Any = None) -> None:
        self.last = sql

    def fetchall(self) -> list[tuple[str, str]]:
        return list(self.conf.items())

    def fetchone(self) -> tuple[Any, ...]:
        return self.archiver


ON = {"wal_level": "replica", "archive_mode": "on", "archive_command": "cp %p /srv/wal/%f", "archive_timeout": "900"}


def test_archiving_that_keeps_up_is_ok():
    status = walarchive.archive_status(FakeCursor(ON, archived=NOW - timedelta(minutes=10)))
    assert status.state == "ok" and status.working and status.problems == []
    assert status.age_seconds == 600 and status.max_age_seconds == 1800


def test_archiving_off_is_reported_with_what_it_costs():
    status = walarchive.archive_status(FakeCursor({**ON, "archive_mode": "off"}))
    assert status.state == "off" and "只能恢复到最近一次每日备份" in status.problems[0]


def test_a_newest_attempt_that_failed_is_failing_even_after_earlier_successes():
    status = walarchive.archive_status(FakeCursor(ON, archived=NOW - timedelta(minutes=20),
                                                  failed=NOW - timedelta(minutes=1), failed_count=7))
    assert status.state == "failing" and not status.working
    assert "00000001000000000000000D" in status.problems[0] and "累计失败 7 次" in status.problems[0]
    # An old failure followed by successes is history, not a fault.
    recovered = walarchive.archive_status(FakeCursor(ON, archived=NOW - timedelta(minutes=1),
                                                     failed=NOW - timedelta(minutes=20), failed_count=7))
    assert recovered.state == "ok"


def test_no_new_segment_for_longer_than_twice_the_timeout_is_stale(settings):
    status = walarchive.archive_status(FakeCursor(ON, archived=NOW - timedelta(minutes=31)))
    assert status.state == "stale" and "31 分钟" in status.problems[0]
    settings.GONGJIAN_WAL_ARCHIVE_MAX_AGE = 3 * 3600
    assert walarchive.archive_status(FakeCursor(ON, archived=NOW - timedelta(minutes=31))).state == "ok"


def test_an_empty_archive_command_or_minimal_wal_is_a_fault():
    assert walarchive.archive_status(FakeCursor({**ON, "archive_command": ""},
                                                archived=NOW - timedelta(minutes=1))).state == "failing"
    minimal = walarchive.archive_status(FakeCursor({**ON, "wal_level": "minimal"}, archived=NOW))
    assert minimal.state == "failing" and "replica" in minimal.problems[0]
    # Turned on a minute ago, nothing archived yet: waiting, not failing.
    assert walarchive.archive_status(FakeCursor(ON)).state == "waiting"


def test_the_check_runs_hourly_from_the_scheduler():
    job = {j.name: j for j in schedule.jobs()}["kernel-wal-archive"]
    assert job.command == "pitr_check" and job.every == timedelta(hours=1)


@pytest.mark.django_db
def test_the_check_prints_the_archiving_lines_for_a_folder(capsys):
    call_command("pitr_check", "--archive-dir", "/srv/wal-archive")
    out = capsys.readouterr().out
    assert "archive_mode = on" in out and "archive_timeout = 900" in out
    assert "test ! -f /srv/wal-archive/%f" in out and "sync /srv/wal-archive/%f.part" in out


@pytest.mark.django_db
@pytest.mark.sqlite_only
def test_on_sqlite_there_is_nothing_to_archive(capsys, login):
    call_command("pitr_check")
    assert "SQLite" in capsys.readouterr().out
    assert "wal_archive" not in Client().get("/healthz").json()
    assert 'id="wal-archive"' not in login("sysadmin").get("/work/console/schedule/").content.decode()


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_on_postgresql_the_state_is_on_the_page_and_healthz_and_required_archiving_fails_the_job(
        settings, login, monkeypatch):
    state = walarchive.archive_status().state  # the suite's server: usually archiving off
    health = Client().get("/healthz")
    assert health.status_code == 200 and health.json()["wal_archive"] == state
    assert 'id="wal-archive"' in login("sysadmin").get("/work/console/schedule/").content.decode()

    failing = walarchive.ArchiveStatus("failing", problems=["最近一次归档失败：x"])
    monkeypatch.setattr(walarchive, "archive_status", lambda cursor=None: failing)
    page = login("sysadmin").get("/work/console/schedule/").content.decode()
    assert "归档失败" in page and "最近一次归档失败：x" in page
    health = Client().get("/healthz")
    assert health.status_code == 200 and health.json()["wal_archive"] == "failing"  # reported, not 503
    with pytest.raises(CommandError, match="failing"):
        call_command("pitr_check")
    monkeypatch.setattr(walarchive, "archive_status", lambda cursor=None: walarchive.ArchiveStatus("off"))
    settings.GONGJIAN_PITR_REQUIRED = False
    call_command("pitr_check")
    settings.GONGJIAN_PITR_REQUIRED = True
    with pytest.raises(CommandError, match="off"):
        call_command("pitr_check")
    assert connection.vendor == "postgresql"
