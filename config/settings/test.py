"""Test settings: fixed throw-away keys, immediate tasks, fast password hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("GONGJIAN_VAR_DIR", str(Path(tempfile.gettempdir()) / "gongjian-test-var"))

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
# Two keys so rotation paths are exercised; both are test-only constants.
GONGJIAN_FIELD_KEYS = (
    "t1:dGVzdC1rZXktb25lLW5vdC1mb3ItcHJvZHVjdGlvbiE=,"
    "t0:dGVzdC1rZXktemVyby1ub3QtZm9yLXByb2R1Y3RpbzA="
)
# Test-only Ed25519 seed for the publication log's signed tree heads.
GONGJIAN_LOG_SIGNING_KEY = "dGVzdC1sb2ctc2lnbmluZy1rZXktbm90LWZvci1wciE="  # noqa: S105
GONGJIAN_AUDIT_KEY = "dGVzdC1hdWRpdC1rZXktbm90LWZvci1wcm9kdWN0aW9uIQ=="  # noqa: S105
GONGJIAN_BACKUP_KEY = "dGVzdC1iYWNrdXAta2V5LW5vdC1mb3ItcHJvZHVjdGk="  # noqa: S105
GONGJIAN_BACKUP_DIR = VAR_DIR / f"backups-{os.getpid()}"
GONGJIAN_AUDIT_CHECKPOINTS = VAR_DIR / f"audit-{os.getpid()}" / "checkpoints.jsonl"
# Leads, deputies and administrators must enrol a second factor; the suite's logged-in
# clients (force_login) act without one, and the two-factor tests turn it back on (ADR 0034).
GONGJIAN_REQUIRE_2FA = False
# The push tests post to a receiver on 127.0.0.1 (kernel/tests/test_pushes.py).
GONGJIAN_PUSH_ALLOW_LOOPBACK = True
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Fixed whatever the shell says (GONGJIAN_REDIS_URL, GONGJIAN_MEDIA_ROOT, GONGJIAN_S3_*): the suite
# never writes into a real cache, folder or bucket. The two-instance test's servers read them
# (kernel/tests/scaleout_settings.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "protected"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongjian"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

# An on-disk test database, so WAL, durability and "no plaintext in the file" are real.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test process, so two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
