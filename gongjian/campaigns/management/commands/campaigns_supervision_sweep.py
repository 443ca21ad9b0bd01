from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.campaigns.services.supervision import followups_remind


class Command(BaseCommand):
    help = "督查指导的定时任务（每天运行）：整改事项到期前3天提醒被督查组织，逾期后提醒双方（每条提醒只发一次）。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = followups_remind()
        self.stdout.write(f"整改提醒 {sent} 条")
