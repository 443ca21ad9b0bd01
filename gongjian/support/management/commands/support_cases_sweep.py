from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongjian.support.services.case_public import cases_sweep


class Command(BaseCommand):
    help = ("维权案件的定时任务（每天运行）：超期的在办案件每天提醒承办组织和上一级妇联一次（只有件数，不含案情），"
            "并记录在案件办理记录中；一个工作日内到期的案件提醒承办组织。同一天重复运行不会重复提醒。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="按这一天运行（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = cases_sweep(today=options["today"])
        self.stdout.write(f"超期案件 {sent['escalated']} 件，超期提醒 {sent['notified']} 条，到期提醒 {sent['reminded']} 条")
