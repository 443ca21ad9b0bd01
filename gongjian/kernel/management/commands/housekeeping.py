from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.kernel import idempotency, ratelimit


class Command(BaseCommand):
    help = "日常清理（每小时）：删除一天以前的访问频率计数和一个月以前的表单发送记录。"

    def handle(self, *args: Any, **options: Any) -> None:
        removed = ratelimit.purge()
        self.stdout.write(f"清理频率计数 {removed} 条")
        self.stdout.write(f"清理表单发送记录 {idempotency.purge()} 条")
