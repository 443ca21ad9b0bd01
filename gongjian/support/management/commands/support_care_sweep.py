from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongjian.support.services.care import care_sweep


class Command(BaseCommand):
    help = "关爱的定时任务（每天运行）：爱心妈妈结对的走访到期前3天和超期后提醒登记组织（每条提醒只发一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="按这一天计算（测试用，YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = care_sweep(today=options.get("today"))
        self.stdout.write(f"爱心妈妈走访提醒 {sent} 条")
