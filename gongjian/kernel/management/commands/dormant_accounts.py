from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.kernel import services


class Command(BaseCommand):
    help = "停用长期未使用的账户（每天运行；默认90天内没有登录、没有使用接口、没有重新启用的账户）。"

    def handle(self, *args: Any, **options: Any) -> None:
        names = services.accounts_deactivate_dormant()
        self.stdout.write(f"停用长期未使用的账户 {len(names)} 个" + (f"：{'、'.join(names)}" if names else ""))
