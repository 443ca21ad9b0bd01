"""`gongjian import-people FILE --org ORG_ID [--dry-run] [--as USERNAME]`: the roster import of the
staff page, from the command line. Exit status 0 only when every row is good; the bad rows are
listed as on the page ("第 N 行：原因")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.kernel.importing import import_people
from gongjian.kernel.models import Organization, User


class Command(BaseCommand):
    help = "导入人员名单（.xlsx/.csv）：先加 --dry-run 检查，每一行都没有问题时才会写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="名单文件（.xlsx、.xls 或 .csv）")
        parser.add_argument("--org", required=True, type=int, help="登记到哪个组织（组织编号）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--as", dest="username", default="",
                            help="以该账户的身份导入（检查其权限）；不填则以服务器操作员身份，记入审计")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        organization = Organization.objects.filter(pk=options["org"]).first()
        if organization is None:
            raise CommandError(f"找不到组织：{options['org']}")
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到账户：{options['username']}")
            from gongjian.kernel.context import Acting

            positions = list(actor.current_positions())
            chosen = next((p for p in positions if p.organization.contains(organization)), None)
            if chosen is None:
                raise CommandError(f"账户 {actor.username} 在 {organization.name} 没有可用的职务")
            actor.acting = Acting(chosen)
        report = import_people(actor=actor, organization=organization, data=path.read_bytes(),
                               filename=path.name, dry_run=options["dry_run"], source="cli")
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problem_count > len(report.problems):
            self.stderr.write(f"……共 {report.problem_count} 行有问题，只列出前 {len(report.problems)} 行。")
        self.stdout.write(report.summary())
        if not report.ok:
            raise SystemExit(1)
