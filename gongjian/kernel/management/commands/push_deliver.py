from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongjian.kernel import pushes


class Command(BaseCommand):
    help = "推送待办（每分钟）：即时推送新的待办，到点发送每日汇总，重试到期的失败推送。"

    def handle(self, *args: Any, **options: Any) -> None:
        done = pushes.deliver()
        self.stdout.write("推送：成功 {sent} 个，失败 {failed} 个（稍后重试），无新待办 {nothing} 个".format(
            sent=done["sent"], failed=done["failed"], nothing=done["nothing"]))
