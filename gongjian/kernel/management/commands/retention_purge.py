from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongjian.kernel import retention


class Command(BaseCommand):
    help = ("按个人信息清单（gongjian/kernel/data_inventory.toml）的保存期限清除或删除到期的个人信息"
            "（每天运行；设置了保留的记录不动）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不改动")

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = retention.purge(dry_run=options["dry_run"])
        verb = "将处理" if options["dry_run"] else "已处理"
        for outcome in outcomes:
            self.stdout.write(f"{outcome.category}：{outcome.rule.describe()}，{verb} {outcome.count} 条")
        self.stdout.write(f"到期个人信息{verb} {sum(o.count for o in outcomes)} 条")
