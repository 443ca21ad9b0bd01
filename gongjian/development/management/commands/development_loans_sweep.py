from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.development.services.loan import REMIND_BEFORE, sweep


class Command(BaseCommand):
    help = (f"小额贷款的定时任务（每天运行）：还款日前{REMIND_BEFORE}天提醒责任干部所在组织，"
            "逾期后提醒，此后每30天再提醒一次（每条提醒只发一次）。")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = sweep()
        self.stdout.write(f"到期提醒 {sent['due']} 条，逾期提醒 {sent['overdue']} 条")
