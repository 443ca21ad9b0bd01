from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.campaigns import tasks


class Command(BaseCommand):
    help = "创先争优的定时任务（每天运行）：方案报送截止前提醒未报送的组织，逾期后每周再提醒一次。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = tasks.daily_sweep.call()
        self.stdout.write(f"方案报送提醒 {result['plan_reminders']} 条")
