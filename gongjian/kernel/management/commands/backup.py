from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel import backup


class Command(BaseCommand):
    help = ("备份数据库和上传的文件为一个加密归档（SM4-GCM，密钥 GONGJIAN_BACKUP_KEY 与归档分开保管），"
            "附各文件的 SHA-256 和各表行数清单；然后按保留规则（7 日、4 周、12 月）清理备份目录。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", help="the backup folder (default GONGJIAN_BACKUP_DIR)")
        parser.add_argument("--keep-daily", type=int, default=7)
        parser.add_argument("--keep-weekly", type=int, default=4)
        parser.add_argument("--keep-monthly", type=int, default=12)
        parser.add_argument("--no-prune", action="store_true", help="do not apply the retention rule")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["dir"]) if options["dir"] else None
        try:
            result = backup.backup_create(folder=folder)
        except backup.BackupError as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"备份完成：{result.path}（{len(manifest['members'])} 个文件，{rows} 行，"
                          f"审计记录 {manifest['audit_head']['count']} 条）")
        if not options["no_prune"]:
            deleted = backup.retention_apply(folder, daily=options["keep_daily"], weekly=options["keep_weekly"],
                                             monthly=options["keep_monthly"])
            if deleted:
                self.stdout.write("按保留规则删除：" + "、".join(p.name for p in deleted))
