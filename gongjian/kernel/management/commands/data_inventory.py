from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongjian.kernel import retention


class Command(BaseCommand):
    help = "输出个人信息清单（docs/data-inventory.md 由 --markdown 生成）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--markdown", action="store_true", help="输出 Markdown（写入 docs/data-inventory.md）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["markdown"]:
            self.stdout.write(retention.markdown(), ending="")
            return
        for category in retention.inventory().categories:
            self.stdout.write(f"{category.id}：{category.label}（{category.retention}）")
