"""`gongjian organizations FILE.csv --as SYSADMIN [--dry-run]`: the initial setup of a county's
organisation tree in one go (the console's pages do one unit at a time). Each row goes through
`services.organization_create` as the named system admin — same checks, same audit rows — and
the file is written whole or not at all.

Columns (a header row first): 上级组织 (an organisation's number or exact name, or one made by an
earlier row; blank for a root), 类型 (the kind's label, e.g. 领导小组, or its code), 名称,
区划代码 and 所在地名称 (for a new township, village or community only)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gongjian.kernel import services
from gongjian.kernel.models import Organization, User
from gongjian.kernel.organizations import NewPlace

COLUMNS = ("上级组织", "类型", "名称", "区划代码", "所在地名称")
KINDS = {**{str(label): value for value, label in Organization.Kind.choices},
         **{value: value for value in Organization.Kind.values}}


class DryRun(Exception):
    """Raised to roll a checked file back."""


def _parent(text: str, made: dict[str, Organization]) -> Organization | None:
    text = text.strip()
    if not text:
        return None
    if text in made:
        return made[text]
    if text.isdigit():
        found = Organization.objects.filter(pk=int(text)).first()
    else:
        matches = list(Organization.objects.filter(name=text)[:2])
        if len(matches) > 1:
            raise ValidationError(f"有多个名为“{text}”的组织，请写组织编号。")
        found = matches[0] if matches else None
    if found is None:
        raise ValidationError(f"找不到上级组织“{text}”。")
    return found


class Command(BaseCommand):
    help = "批量设立组织（CSV）：先加 --dry-run 检查，每一行都没有问题时才会写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV 文件（UTF-8），列：" + "、".join(COLUMNS))
        parser.add_argument("--as", dest="username", required=True, help="系统管理员账户（记入审计）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到账户：{options['username']}")
        if actor.admin_role != User.AdminRole.SYSTEM:
            raise CommandError(f"账户 {actor.username} 不是系统管理员，不能批量设立组织。")
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        missing = [c for c in COLUMNS[:3] if rows and c not in rows[0]]
        if missing:
            raise CommandError("缺少列：" + "、".join(missing))
        problems: list[str] = []
        try:
            with transaction.atomic():
                made: dict[str, Organization] = {}
                for number, row in enumerate(rows, start=2):
                    try:
                        with transaction.atomic():
                            code = (row.get("区划代码") or "").strip()
                            unit = services.organization_create(
                                actor=actor, parent=_parent(row.get("上级组织") or "", made),
                                kind=KINDS.get((row.get("类型") or "").strip(), ""), name=row.get("名称") or "",
                                place=NewPlace(code=code, name=row.get("所在地名称") or "") if code else None)
                        made[unit.name] = unit
                    except ValidationError as exc:
                        problems.append(f"第 {number} 行：{' '.join(exc.messages)}")
                if problems or options["dry_run"]:
                    raise DryRun
        except DryRun:
            pass
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            self.stdout.write(f"共 {len(rows)} 行，{len(problems)} 行有问题，未写入。")
            raise SystemExit(1)
        verb = "检查通过，可以设立" if options["dry_run"] else "已设立"
        self.stdout.write(f"{verb} {len(rows)} 个组织。")
