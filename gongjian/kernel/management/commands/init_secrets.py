from __future__ import annotations

import base64
import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "为本机开发环境在 var/secrets/ 下生成密钥（已存在则不变）。Never used in production."

    def handle(self, *args: Any, **options: Any) -> None:
        folder = settings.VAR_DIR / "secrets"
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        made = []
        for name, make in (
            ("secret_key", lambda: secrets.token_urlsafe(50)),
            ("field_keys", lambda: "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()),
            # Ed25519 seed that signs the disclosure publication log's tree heads (T-02).
            ("log_signing_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()),
            # HMAC key of the audit trail's checkpoints (L-04), kept out of the database.
            ("audit_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()),
            # Key of the backup archives (B-02): copy it to the secret store, apart from the backups.
            ("backup_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()),
        ):
            path = folder / name
            if not path.exists():
                path.write_text(make())
                os.chmod(path, 0o600)
                made.append(name)
        self.stdout.write("生成：" + "、".join(made) if made else "密钥已存在，未改动")
