from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongjian.kernel.demo import load_demo

ACCOUNTS = ["huayin_fed", "taihua_fed", "taihua_party", "xiaoliu_women", "guojia_women",
            "xiaoliu_branch", "lingsha_fed", "lingsha_line", "auditor", "secadmin", "secadmin2", "sysadmin"]


class Command(BaseCommand):
    help = "加载演示县（华阴市太华路街道、平罗县灵沙乡）。可重复运行，不会重复创建。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "GONGJIAN_ALLOW_DEMO", False):
            raise CommandError("生产环境不允许加载演示数据。")
        password = os.environ.get("GONGJIAN_DEMO_PASSWORD") or None
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError("GONGJIAN_DEMO_PASSWORD 不符合密码规则：" + " ".join(exc.messages)) from exc
        result = load_demo(password=password)
        store = settings.VAR_DIR / "secrets" / "demo_accounts.json"
        store.parent.mkdir(parents=True, exist_ok=True)
        known = json.loads(store.read_text()) if store.exists() else {}
        known.update(result.accounts)
        store.write_text(json.dumps(known, ensure_ascii=False, indent=1))
        os.chmod(store, 0o600)
        created = "、".join(f"{k} {v}" for k, v in result.created.items()) or "无（已加载过）"
        self.stdout.write(f"演示数据新建：{created}")
        self.stdout.write("演示账户（用户名 / 密码）：")
        for name in ACCOUNTS:
            self.stdout.write(f"  {name:<15} {password or known.get(name, '（密码见首次运行的输出）')}")
