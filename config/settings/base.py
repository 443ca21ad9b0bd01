"""Settings shared by every environment; everything that varies comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGJIAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_local_secret(name: str) -> str:
    """A secret generated once per install under var/ (development only, never committed)."""
    path = VAR_DIR / "secrets" / name
    return path.read_text().strip() if path.exists() else ""


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_local_secret("secret_key")
DEBUG = env_bool("GONGJIAN_DEBUG", False)
ALLOWED_HOSTS = env_list("GONGJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("GONGJIAN_CSRF_TRUSTED_ORIGINS")

# Field-encryption keys (P-01): "k1:BASE64,k0:BASE64", first is current. Never in the database.
GONGJIAN_FIELD_KEYS = os.environ.get("GONGJIAN_FIELD_KEYS") or read_local_secret("field_keys")
GONGJIAN_ALLOW_DEMO = True
GONGJIAN_ADMIN_PATH = os.environ.get("GONGJIAN_ADMIN_PATH", "sys-console/")
GONGJIAN_API_TOKEN_TTL = timedelta(hours=int(os.environ.get("GONGJIAN_API_TOKEN_HOURS", "8")))
# A token unused this long stops working, as an idle session does (A-03, issue 12).
GONGJIAN_API_TOKEN_IDLE = timedelta(minutes=int(os.environ.get("GONGJIAN_API_TOKEN_IDLE_MINUTES", "30")))
GONGJIAN_PASSWORD_MAX_AGE = timedelta(days=int(os.environ.get("GONGJIAN_PASSWORD_MAX_DAYS", "90")))
# An account unused this long is deactivated by the dormant-account job.
GONGJIAN_DORMANT_AFTER = timedelta(days=int(os.environ.get("GONGJIAN_DORMANT_DAYS", "90")))
GONGJIAN_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("GONGJIAN_IDLE_MINUTES", "30")))
GONGJIAN_SESSION_MAX_AGE = timedelta(hours=12)
# Leads, deputies and the three administrators must sign in with a second factor (A-05, ADR 0034).
GONGJIAN_REQUIRE_2FA = env_bool("GONGJIAN_REQUIRE_2FA", True)
GONGJIAN_MERKLE_HASH = os.environ.get("GONGJIAN_MERKLE_HASH", "sha256")
# Ed25519 key that signs the publication log's tree heads (T-02): base64 of the 32-byte seed.
GONGJIAN_LOG_SIGNING_KEY = os.environ.get("GONGJIAN_LOG_SIGNING_KEY") or read_local_secret("log_signing_key")
AUDIT_RETENTION_DAYS = 183
# 待办 pushed to group robots and by SMS (issue 13, ADR 0046). Webhooks go only over https to the
# robot services' hosts (a county on 政务钉钉 adds its host); plain http to this machine only where
# GONGJIAN_PUSH_ALLOW_LOOPBACK is on (tests, development). The SMS sender is a class with
# send(*, mobile, text) that raises on failure; the default only writes to the log.
GONGJIAN_PUSH_HOSTS = {
    "dingtalk": env_list("GONGJIAN_PUSH_DINGTALK_HOSTS", "oapi.dingtalk.com"),
    "wecom": env_list("GONGJIAN_PUSH_WECOM_HOSTS", "qyapi.weixin.qq.com"),
}
GONGJIAN_PUSH_ALLOW_LOOPBACK = env_bool("GONGJIAN_PUSH_ALLOW_LOOPBACK", False)
GONGJIAN_SMS_SENDER = os.environ.get("GONGJIAN_SMS_SENDER", "gongjian.kernel.pushes.LoggingSmsSender")
GONGJIAN_PUSH_DIGEST_AT = os.environ.get("GONGJIAN_PUSH_DIGEST_AT", "08:00")
# The platform's address, for the "打开平台" link in a push (none when empty).
GONGJIAN_SITE_URL = os.environ.get("GONGJIAN_SITE_URL", "")
# /healthz reports the disk as low below this much free space under var/ (or below 5 %).
GONGJIAN_MIN_FREE_BYTES = int(os.environ.get("GONGJIAN_MIN_FREE_MB", "1024")) * 1024 * 1024
# The audit trail's checkpoints (L-04, issue 12): HMAC-SHA256 key kept outside the database, and the
# append-only file they are written to — outside the database too, to be copied off the host.
GONGJIAN_AUDIT_KEY = os.environ.get("GONGJIAN_AUDIT_KEY") or read_local_secret("audit_key")
GONGJIAN_AUDIT_CHECKPOINTS = Path(os.environ.get("GONGJIAN_AUDIT_CHECKPOINTS",
                                                 str(VAR_DIR / "audit" / "checkpoints.jsonl")))
# Backups (B-02, B-03, issue 12): the archives' key (base64 of 32 bytes, SM4-GCM through HKDF-SM3) is
# kept apart from the archives, never inside one; the folder where `gongjian backup` writes and prunes.
GONGJIAN_BACKUP_KEY = os.environ.get("GONGJIAN_BACKUP_KEY") or read_local_secret("backup_key")
GONGJIAN_BACKUP_DIR = Path(os.environ.get("GONGJIAN_BACKUP_DIR", str(VAR_DIR / "backups")))
# PostgreSQL point-in-time recovery (B-01): whether WAL archiving must be on (then `pitr_check`, the
# hourly job, fails while it is off), and how old the newest archived segment may be, in seconds
# (default twice archive_timeout).
GONGJIAN_PITR_REQUIRED = env_bool("GONGJIAN_PITR_REQUIRED", False)
GONGJIAN_WAL_ARCHIVE_MAX_AGE = int(os.environ.get("GONGJIAN_WAL_ARCHIVE_MAX_AGE", "0"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "treebeard",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "gongjian.kernel",
    "gongjian.disclosure",
    "gongjian.womenshome",
    "gongjian.campaigns",
    "gongjian.development",
    "gongjian.support",
    "gongjian.reports",
    "gongjian.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongjian.kernel.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongjian.kernel.middleware.SessionLimitsMiddleware",
    "gongjian.kernel.middleware.ActingOrganizationMiddleware",
    "gongjian.kernel.middleware.PasswordChangeRequiredMiddleware",
    "gongjian.kernel.twofactor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongjian.kernel.context_processors.workspace",
            ],
        },
    },
]


def database_from_env() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongjian.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # B-03: WAL + synchronous=FULL so a committed write survives power loss; IMMEDIATE
        # takes the write lock at BEGIN so concurrent writers wait instead of failing.
        # Opening a SQLite connection parses the schema and runs the PRAGMAs: keep it per thread.
        config["CONN_MAX_AGE"] = int(os.environ.get("GONGJIAN_CONN_MAX_AGE", "60"))
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
        }
    else:
        config["CONN_MAX_AGE"] = int(os.environ.get("GONGJIAN_CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kernel.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongjian.kernel.loginguard.LoginGuardBackend",
    "rules.permissions.ObjectPermissionBackend",
    "gongjian.kernel.backends.UserBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "gongjian.kernel.passwords.PersonSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("GONGJIAN_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "gongjian.kernel.passwords.CharacterClassValidator"},
    {"NAME": "gongjian.kernel.passwords.CommonPatternValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600

LOGIN_URL = "kernel:login"
LOGIN_REDIRECT_URL = "kernel:home"
LOGOUT_REDIRECT_URL = "kernel:login"

# the cookie lives at most 12 hours; idle expiry is enforced by SessionLimitsMiddleware.
# Database sessions, their every-request read precompiled (kernel/sessions.py, ADR 0038).
SESSION_ENGINE = "gongjian.kernel.sessions"
SESSION_COOKIE_AGE = int(GONGJIAN_SESSION_MAX_AGE.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# five failures per account lock it for 30 minutes; the lock-out page says nothing
# about whether the account exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# A lock holds an (account, address) pair: a guesser elsewhere never locks the owner out (ADR 0031);
# kernel.loginguard throttles one address across accounts and slows one account across addresses.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongjian.kernel.views_auth.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# An ID number or a mobile typed as the account name is stored masked in the lock-out rows (L-06).
AXES_USERNAME_CALLABLE = "gongjian.kernel.loginguard.axes_username"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("GONGJIAN_PROXY_COUNT", "0")) or None
# Axes reads the client's address as the rest of the platform does (the address the proxy in front
# put last into X-Forwarded-For): without django-ipware installed axes would take REMOTE_ADDR — the
# proxy's — and lock an account for everyone behind it.
AXES_CLIENT_IP_CALLABLE = "gongjian.kernel.middleware.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "gongjian" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "gongjian" / "static"]
# Uploaded files are never served by the web server directly (P-03): views check access first and
# stream them from the default storage (kernel.attachments). On one server: a folder under var/; on
# several app servers, storage every one of them reads: S3-compatible object storage when
# GONGJIAN_S3_BUCKET is set (docs/operations.md), or one shared folder mounted at MEDIA_ROOT.
MEDIA_ROOT = Path(os.environ.get("GONGJIAN_MEDIA_ROOT", str(VAR_DIR / "protected")))


def file_storage_from_env() -> dict[str, Any]:
    bucket = os.environ.get("GONGJIAN_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # django-storages' S3 backend (needs boto3): private objects, never overwritten, read only
    # through the app; nothing is ever handed out by a bucket URL.
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("GONGJIAN_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("GONGJIAN_S3_REGION") or None,
        "access_key": os.environ.get("GONGJIAN_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("GONGJIAN_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("GONGJIAN_S3_PREFIX", "protected"),
        "addressing_style": os.environ.get("GONGJIAN_S3_ADDRESSING_STYLE") or None,
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 60,
        "verify": env_bool("GONGJIAN_S3_VERIFY_TLS", True),
    }
    if os.environ.get("GONGJIAN_S3_SSE"):
        options["object_parameters"] = {"ServerSideEncryption": os.environ["GONGJIAN_S3_SSE"]}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def offsite_storage_from_env() -> dict[str, Any] | None:
    """Where `gongjian backup` copies its encrypted archives off the machine (B-02): a mounted
    folder of another disk or host (NFS, sshfs, a USB disk) or an S3-compatible bucket. The backup
    key never goes there."""
    folder = os.environ.get("GONGJIAN_OFFSITE_DIR", "")
    if folder:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": folder, "file_permissions_mode": 0o600,
                            "directory_permissions_mode": 0o700}}
    bucket = os.environ.get("GONGJIAN_OFFSITE_S3_BUCKET", "")
    if not bucket:
        return None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("GONGJIAN_OFFSITE_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("GONGJIAN_OFFSITE_S3_REGION") or None,
        "access_key": os.environ.get("GONGJIAN_OFFSITE_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("GONGJIAN_OFFSITE_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("GONGJIAN_OFFSITE_S3_PREFIX", "gongjian-backups"),
        "default_acl": "private", "file_overwrite": True, "querystring_auth": True,
        "verify": env_bool("GONGJIAN_OFFSITE_S3_VERIFY_TLS", True),
    }}


STORAGES = {
    "default": file_storage_from_env(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if (offsite := offsite_storage_from_env()) is not None:
    STORAGES["offsite"] = offsite
MEDIA_URL = "/nonexistent-media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def cache_from_env() -> dict[str, Any]:
    """Local memory on one server (`make run`); Redis shared by every app server when
    GONGJIAN_REDIS_URL is set. The cache only ever holds what can be rebuilt from the database
    (rendered public pages under version keys): counters, locks, sessions and one-use tokens live in
    the database, so a Redis outage costs speed, never correctness (kernel.cache, ADR 0040)."""
    url = os.environ.get("GONGJIAN_REDIS_URL", "")
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongjian"}
    return {
        "BACKEND": "gongjian.kernel.cache.SharedRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("GONGJIAN_CACHE_PREFIX", "gongjian"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


CACHES = {"default": cache_from_env()}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGJIAN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
