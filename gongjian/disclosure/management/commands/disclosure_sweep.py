from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.disclosure import tasks


class Command(BaseCommand):
    help = ("党务公开的定时任务（每天运行）：先党内后党外的事项到期向社会公开、"
            "意见答复期限与定期公开逾期提醒、签发当天的签名树头。")

    def handle(self, *args: Any, **options: Any) -> None:
        result = tasks.daily_sweep.call()
        self.stdout.write(f"公开栏更新 {result['opened']} 个，提醒 {result['reminders']} 条，树头 {result['tree_size']}")
