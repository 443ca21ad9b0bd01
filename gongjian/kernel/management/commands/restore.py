from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel import backup


class Command(BaseCommand):
    help = ("把加密备份归档恢复到空数据库：解密、逐个核对校验和、载入数据库和文件，然后核验审计链、"
            "发布记录和各表行数。任何不符时退出码非零。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="a .gjbk archive written by `gongjian backup`")
        parser.add_argument("--force", action="store_true", help="overwrite a database that is not empty")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"找不到备份归档：{archive}")
        try:
            report = backup.restore(archive, force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        for note in report.notes:
            self.stdout.write(f"注意：{note}")
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"恢复后核验未通过：{len(report.problems)} 处问题")
        audit_count = report.manifest["audit_head"]["count"]
        self.stdout.write(f"恢复完成并核验通过：{len(report.counts)} 张表、{sum(report.counts.values())} 行与清单一致，"
                          f"审计链完整（{audit_count} 条），发布记录完整。")
