from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel import backup


class Command(BaseCommand):
    help = ("恢复演练：把最新的（或指定的）备份恢复到一个临时的空数据库，核验后删除，并记录演练结果"
            "（系统管理员在“计划任务”页面查看）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", nargs="?", help="default: the newest archive in GONGJIAN_BACKUP_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"]) if options["archive"] else backup.latest_archive()
        if archive is None or not archive.is_file():
            backup.drill_record({"archive": str(archive or ""), "result": "failed", "output": "没有可演练的备份归档"})
            raise CommandError("没有可演练的备份归档：请先运行 gongjian backup")
        entry = backup.drill_run(archive)
        if entry["result"] != "passed":
            raise CommandError(f"恢复演练未通过（{archive.name}）：{entry['output'][-500:]}")
        self.stdout.write(f"恢复演练通过：{archive.name}，用时 {entry['seconds']} 秒")
