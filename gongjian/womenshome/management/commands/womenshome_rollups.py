"""`manage.py womenshome_rollups`: recompute the women's home roll-ups from the records (ADR 0022).

Services keep `MonthlyFigure`, `TrainedPerson` and `TrainedMonth` in step on every write; this
rebuilds all three after a bulk load, a repair, or an organisation moved in the tree.
`--trained-months` rebuilds only `TrainedMonth` (people trained per organiser and month)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongjian.kernel import audit

from ... import rollups


class Command(BaseCommand):
    help = "从活动和参加记录重算妇女之家的月度统计、年度参训人员和月度参训人员。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trained-months", action="store_true", help="只重算月度参训人员")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["trained_months"]:
            made = {"trained_months": rollups.rebuild_trained_months()}
        else:
            made = rollups.rebuild()
        audit.record(None, "womenshome.rollups.rebuilt", actor=None, object_type="womenshome.MonthlyFigure",
                     changes=made)
        self.stdout.write("重算完成：" + "，".join(f"{key} {value}" for key, value in made.items()))
