"""`manage.py reports_county_rollup`: the county report's monthly roll-ups (ADR county-roll-ups).

Nightly (scheduled): the last closed months again. `--rebuild`: every closed month since
`--since` (default five years back) — weekly, and by hand after a correction to an older month."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel import audit

from ...services import county


def _month(text: str) -> date:
    try:
        return date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError as exc:
        raise CommandError(f"月份格式应为 YYYY-MM：{text}") from exc


class Command(BaseCommand):
    help = "全县工作报告的月度汇总：默认重算最近几个已结束的月份；--rebuild 从记录重算全部已结束的月份。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="重算 --since 以来全部已结束的月份")
        parser.add_argument("--since", type=_month, default=None, help="重算的起始月份（YYYY-MM，与 --rebuild 一起用）")
        parser.add_argument("--months", type=int, default=None, help="夜间重算最近几个已结束的月份（默认 3）")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="按这一天计算（测试用，YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["since"] and not options["rebuild"]:
            raise CommandError("--since 只能与 --rebuild 一起使用。")
        if options["months"] is not None and options["months"] < 0:
            raise CommandError("--months 不能为负数。")
        if options["rebuild"]:
            kept = county.rebuild(today=options["today"], since=options["since"])
            event = "reports.county.rebuilt"
        else:
            kept = county.refresh_recent(today=options["today"], months=options["months"])
            event = "reports.county.refreshed"
        audit.record(None, event, actor=None, object_type="reports.FigureMonth",
                     changes={"rows": kept, "since": str(options["since"] or ""), "months": options["months"]})
        self.stdout.write(f"月度汇总：保存 {kept} 个数")
