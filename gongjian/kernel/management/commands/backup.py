from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel import backup


class Command(BaseCommand):
    help = ("备份数据库和上传的文件为一个加密归档（SM4-GCM，密钥 GONGJIAN_BACKUP_KEY 与归档分开保管），"
            "附各文件的 SHA-256 和各表行数清单；然后按保留规则（7 日、4 周、12 月）清理备份目录；"
            "配置了异地位置（GONGJIAN_OFFSITE_DIR 或 GONGJIAN_OFFSITE_S3_BUCKET）时，把异地缺少的归档复制过去，"
            "读回校验 SHA-256，并在异地同样按保留规则清理。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", help="the backup folder (default GONGJIAN_BACKUP_DIR)")
        parser.add_argument("--keep-daily", type=int, default=7)
        parser.add_argument("--keep-weekly", type=int, default=4)
        parser.add_argument("--keep-monthly", type=int, default=12)
        parser.add_argument("--no-prune", action="store_true", help="do not apply the retention rule")
        parser.add_argument("--copy-to", help="a mounted folder for the off-site copy (instead of the configured one)")
        parser.add_argument("--no-copy", action="store_true", help="do not copy off site this time")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["dir"]) if options["dir"] else None
        limits = {"daily": options["keep_daily"], "weekly": options["keep_weekly"], "monthly": options["keep_monthly"]}
        try:
            result = backup.backup_create(folder=folder)
        except backup.BackupError as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"备份完成：{result.path}（{len(manifest['members'])} 个文件，{rows} 行，"
                          f"审计记录 {manifest['audit_head']['count']} 条）")
        if not options["no_prune"]:
            deleted = backup.retention_apply(folder, **limits)
            if deleted:
                self.stdout.write("按保留规则删除：" + "、".join(p.name for p in deleted))
        if options["no_copy"]:
            return
        storage = FileSystemStorage(location=options["copy_to"]) if options["copy_to"] else backup.offsite_storage()
        if storage is None:
            self.stdout.write("未配置异地位置（GONGJIAN_OFFSITE_DIR / GONGJIAN_OFFSITE_S3_BUCKET）：请按运维手册把备份复制出本机。")
            return
        try:
            copy = backup.offsite_copy(storage, folder=folder, prune=not options["no_prune"], **limits)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(f"本机备份已完成，但异地复制失败：{exc}") from exc
        for warning in copy.warnings:
            self.stderr.write(f"注意：{warning}")
        self.stdout.write(f"异地副本（{copy.destination}）：新复制并校验 {len(copy.copied)} 个，"
                          f"已有 {len(copy.present)} 个" + (f"，按保留规则删除 {len(copy.deleted)} 个" if copy.deleted else "") + "。")
