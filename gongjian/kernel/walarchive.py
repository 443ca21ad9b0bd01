"""Is PostgreSQL's WAL archiving working? (B-01, issue 12 §1; ADR 0051)

Point-in-time recovery is PostgreSQL's own (archive_command on the database host, base backups
with `pg_basebackup`): the app does not copy WAL itself. What the app can do is watch it: read the
server's settings and `pg_stat_archiver`, and say plainly when archiving is off, when the newest
attempt failed, or when nothing has been archived for longer than the recovery point allows. The
hourly job `kernel-wal-archive` (`gongjian pitr_check`) fails then — retried, then shown failed on
计划任务 — and the same page and `/healthz` show the state. `/healthz` never turns 503 for it: a
broken archive must page an operator, not take the app servers out of the load balancer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

# The settings that matter for archiving, read from pg_settings (a role without
# pg_read_all_settings may not see archive_command: that is reported as unknown, not as empty).
SETTINGS = ("wal_level", "archive_mode", "archive_command", "archive_library", "archive_timeout")


@dataclass
class ArchiveStatus:
    state: str  # ok | waiting | stale | failing | off | not-postgres
    settings: dict[str, str] = field(default_factory=dict)
    archived_count: int = 0
    failed_count: int = 0
    last_archived_wal: str = ""
    last_archived_at: datetime | None = None
    last_failed_wal: str = ""
    last_failed_at: datetime | None = None
    age_seconds: float | None = None
    max_age_seconds: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def working(self) -> bool:
        return self.state in ("ok", "waiting", "not-postgres")


def max_age(archive_timeout: int) -> int:
    """How old the newest archived segment may be: twice archive_timeout (the RPO), or the
    operator's GONGJIAN_WAL_ARCHIVE_MAX_AGE; an hour when neither is set."""
    configured = int(getattr(settings, "GONGJIAN_WAL_ARCHIVE_MAX_AGE", 0) or 0)
    if configured:
        return configured
    return 2 * archive_timeout if archive_timeout > 0 else 3600


def archive_status(cursor: Any = None) -> ArchiveStatus:
    """The archiver's state on the database `cursor` reads (the platform's by default)."""
    if cursor is None:
        if connection.vendor != "postgresql":
            return ArchiveStatus("not-postgres")
        with connection.cursor() as own:
            return archive_status(own)
    cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(SETTINGS)])
    found = dict(cursor.fetchall())
    cursor.execute("SELECT archived_count, last_archived_wal, last_archived_time, failed_count, "
                   "last_failed_wal, last_failed_time, now() FROM pg_stat_archiver")
    row = cursor.fetchone()
    timeout = int(found.get("archive_timeout") or 0)
    status = ArchiveStatus("ok", settings=found, archived_count=int(row[0]), last_archived_wal=row[1] or "",
                           last_archived_at=row[2], failed_count=int(row[3]), last_failed_wal=row[4] or "",
                           last_failed_at=row[5], max_age_seconds=max_age(timeout))
    now = row[6]
    if status.last_archived_at is not None:
        status.age_seconds = (now - status.last_archived_at).total_seconds()
    if found.get("wal_level") == "minimal":
        status.problems.append(_("wal_level = minimal：无法按时间点恢复，请设为 replica。"))
    if found.get("archive_mode", "off") == "off":
        status.state = "off"
        status.problems.append(_("未开启 WAL 归档（archive_mode = off）：只能恢复到最近一次每日备份。"))
        return status
    if "archive_command" in found and not found["archive_command"] and not found.get("archive_library"):
        status.problems.append(_("archive_command 为空：WAL 段没有归档，会一直堆积在 pg_wal 中。"))
    if status.last_failed_at is not None and (status.last_archived_at is None
                                              or status.last_failed_at > status.last_archived_at):
        status.state = "failing"
        status.problems.append(_("最近一次归档失败：%(wal)s（%(at)s），累计失败 %(n)d 次。请检查 archive_command "
                                 "和归档目录的空间与权限。") % {
            "wal": status.last_failed_wal, "at": f"{status.last_failed_at:%Y-%m-%d %H:%M}", "n": status.failed_count})
    elif status.last_archived_at is None:
        status.state = "waiting"  # archiving on, no segment full yet: normal right after it is turned on
    elif status.age_seconds is not None and status.age_seconds > status.max_age_seconds:
        status.state = "stale"
        status.problems.append(_("已有 %(minutes)d 分钟没有归档新的 WAL 段（上限 %(limit)d 分钟）：恢复点会超出目标。") % {
            "minutes": int(status.age_seconds // 60), "limit": status.max_age_seconds // 60})
    if status.state == "ok" and status.problems:
        status.state = "failing"
    return status


def recommended_config(archive_dir: str) -> str:
    """The postgresql.conf lines for archiving into `archive_dir` (operations.md, B-01)."""
    command = (f"test ! -f {archive_dir}/%f && cp %p {archive_dir}/%f.part && sync {archive_dir}/%f.part "
               f"&& mv {archive_dir}/%f.part {archive_dir}/%f")
    return "\n".join([
        "wal_level = replica",
        "archive_mode = on",
        f"archive_command = '{command}'",
        "archive_timeout = 900",
    ])
