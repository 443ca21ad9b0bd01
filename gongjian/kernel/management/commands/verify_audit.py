from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongjian.kernel import audit
from gongjian.kernel.models import AuditEvent


class Command(BaseCommand):
    help = ("检查审计记录哈希链，并与库外的检查点文件核对：报告被修改、删除、调换顺序或整段重算的记录，"
            "并说明最近的检查点之后还有多少条记录未受检查点保护。Exit 1 on any problem.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(audit.verify_chain()) + list(audit.verify_checkpoints())
        total = AuditEvent.objects.count()
        if problems:
            for p in problems:
                self.stderr.write(f"#{p.chain_index} {p.kind}: {p.detail}")
            raise CommandError(f"审计链校验失败：{len(problems)} 处问题（共 {total} 条记录）")
        self.stdout.write(f"审计链完整：{total} 条记录")
        latest = audit.checkpoint_latest()
        if latest is None:
            # Not a failure (a new platform, a restore on another host): but said, since without a
            # checkpoint a cut-off tail cannot be found at all (L-04).
            self.stderr.write(f"注意：没有可用的审计检查点（{settings.GONGJIAN_AUDIT_CHECKPOINTS}）："
                              "最新记录被整段删除时无法发现。检查点由计划任务每小时写入。")
            return
        tail = total - latest["count"]
        self.stdout.write(f"最近的检查点：{latest['at']}，覆盖前 {latest['count']} 条；"
                          + (f"其后的 {tail} 条尚未进入检查点（若这些被截断，下次检查点之前无法发现）。"
                             if tail > 0 else "之后没有新记录。"))
