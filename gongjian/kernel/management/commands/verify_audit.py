from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongjian.kernel import audit
from gongjian.kernel.models import AuditEvent


class Command(BaseCommand):
    help = ("检查审计记录哈希链，并与库外的检查点文件核对：报告被修改、删除、调换顺序或整段重算的记录。"
            "Exit 1 on any problem.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(audit.verify_chain()) + list(audit.verify_checkpoints())
        total = AuditEvent.objects.count()
        if problems:
            for p in problems:
                self.stderr.write(f"#{p.chain_index} {p.kind}: {p.detail}")
            raise CommandError(f"审计链校验失败：{len(problems)} 处问题（共 {total} 条记录）")
        self.stdout.write(f"审计链完整：{total} 条记录")
