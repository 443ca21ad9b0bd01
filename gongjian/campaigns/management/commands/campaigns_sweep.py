from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.campaigns import tasks


class Command(BaseCommand):
    help = "创先争优的定时任务（每天运行）：方案报送截止前提醒未报送的组织，逾期或退回后每周再提醒；自评截止前后提醒未完成自评的组织。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = tasks.daily_sweep.call()
        self.stdout.write(f"方案报送提醒 {result['plan_reminders']} 条，自评提醒 {result['assessment_reminders']} 条")
