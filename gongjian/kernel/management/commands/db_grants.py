from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongjian.kernel import dbroles


class Command(BaseCommand):
    help = ("（PostgreSQL，以数据库所有者身份运行）给应用连接用的数据库角色授权：可以读写数据，"
            "不能修改表结构，审计记录只能追加。每次迁移后再运行一次。--print 只显示语句。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="应用连接用的数据库角色，例如 gongjian_app")
        parser.add_argument("--print", action="store_true", dest="print_only", help="只显示语句，不执行")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 有数据库角色；SQLite 以文件权限为界。")
        if options["print_only"]:
            for sql in dbroles.grant_statements(options["role"]):
                self.stdout.write(sql + ";")
            return
        done = dbroles.grant(options["role"])
        self.stdout.write(f"已为 {options['role']} 授权（{len(done)} 条语句）")
