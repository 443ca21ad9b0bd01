"""Settings for the benchmark server and the prepare subprocess.

Production-like (DEBUG off, the production middleware, template and database configuration),
with fixed throw-away keys like config/settings/test.py, and `bench.urls` as the URLconf so the
bare baseline view exists without touching the production URLconf. The database comes from
DATABASE_URL, exactly as config.settings.base reads it.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("GONGJIAN_VAR_DIR", str(Path(tempfile.gettempdir()) / "gongjian-bench-var"))

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import VAR_DIR  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"

SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"
# Test-only constants (the same as config/settings/test.py): two keys, the first is current.
GONGJIAN_FIELD_KEYS = (
    "t1:dGVzdC1rZXktb25lLW5vdC1mb3ItcHJvZHVjdGlvbiE=,"
    "t0:dGVzdC1rZXktemVyby1ub3QtZm9yLXByb2R1Y3RpbzA="
)

# The bench's accounts have no phone to enrol a second factor with: enrolment is not forced (the
# two-factor middleware still runs on every request, so its cost is measured), as in the tests.
GONGJIAN_REQUIRE_2FA = False

# No collectstatic in a benchmark: plain storage builds the same /static/ URLs.
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "protected"

_db = DATABASES["default"]  # noqa: F405
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, as production runs them (base.py defaults to 60 s).
    _db["CONN_MAX_AGE"] = max(int(_db.get("CONN_MAX_AGE") or 0), 60)
elif os.environ.get("BENCH_SQLITE_CONN_MAX_AGE"):
    # An experiment knob only: base.py opens a new SQLite connection per request.
    _db["CONN_MAX_AGE"] = int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
