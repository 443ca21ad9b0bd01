from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongjian.kernel import schedule


class Command(BaseCommand):
    help = ("定时任务调度：每30秒检查一次，到期的任务交给后台进程运行（每个任务每个时段只运行一次，"
            "失败自动重试）。--once 只检查一次后退出。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="只检查一次")
        parser.add_argument("--interval", type=int, default=30, help="检查间隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            started = schedule.tick()
            for run in started:
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 已安排 {run.job}（{run.slot:%m-%d %H:%M}）")
            if options["once"]:
                return
            time.sleep(max(5, options["interval"]))
