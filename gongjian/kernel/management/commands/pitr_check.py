from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel import walarchive


class Command(BaseCommand):
    help = ("检查 PostgreSQL 的 WAL 归档（按时间点恢复，B-01）：服务器设置和 pg_stat_archiver。归档失败、"
            "长时间没有新的归档段、或要求归档（GONGJIAN_PITR_REQUIRED）却未开启时以非零状态退出。"
            "--archive-dir 给出归档目录时，先打印 postgresql.conf 中应写的几行。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--archive-dir", help="print the postgresql.conf lines for archiving into this folder")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["archive_dir"]:
            self.stdout.write("# postgresql.conf（修改后重启 PostgreSQL；归档目录应在另一块磁盘上）")
            self.stdout.write(walarchive.recommended_config(options["archive_dir"]))
            self.stdout.write("")
        status = walarchive.archive_status()
        if status.state == "not-postgres":
            self.stdout.write("此平台使用 SQLite，没有 WAL 归档：每日的 gongjian backup 就是它的备份。")
            return
        conf = status.settings
        self.stdout.write("服务器设置：" + "，".join(f"{k} = {conf[k]!r}" for k in walarchive.SETTINGS if k in conf))
        hidden = [k for k in ("archive_command",) if k not in conf]
        if hidden:
            self.stdout.write("（本账户看不到 archive_command；授予 pg_read_all_settings 后可以核对。）")
        if status.last_archived_at is not None:
            self.stdout.write(f"最近归档：{status.last_archived_wal}（{status.last_archived_at:%Y-%m-%d %H:%M:%S %Z}，"
                              f"{int(status.age_seconds or 0) // 60} 分钟前），共 {status.archived_count} 段，"
                              f"失败 {status.failed_count} 次")
        for problem in status.problems:
            self.stderr.write(problem)
        required = bool(getattr(settings, "GONGJIAN_PITR_REQUIRED", False))
        if status.state in ("failing", "stale") or (status.state == "off" and required):
            raise CommandError(f"WAL 归档状态：{status.state}")
        if status.state == "waiting":
            self.stdout.write("归档已开启，还没有归档过 WAL 段（刚开启时正常；可运行 SELECT pg_switch_wal() 试一次）。")
        elif status.state == "ok":
            self.stdout.write("WAL 归档正常。")
        else:
            self.stdout.write("WAL 归档未开启（未设置 GONGJIAN_PITR_REQUIRED，不作为失败）。")
