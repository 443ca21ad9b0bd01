from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gongjian.kernel import audit


class Command(BaseCommand):
    help = "给审计记录哈希链写一个检查点（每小时运行）：记录条数和最后的哈希，用库外的密钥签名，追加到库外的文件。"

    def handle(self, *args: Any, **options: Any) -> None:
        line = audit.checkpoint_write()
        self.stdout.write(f"审计检查点：{line['count']} 条记录，写入 {settings.GONGJIAN_AUDIT_CHECKPOINTS}")
