"""Production: refuses to start without real secrets, never loads demo data."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import GONGJIAN_FIELD_KEYS, SECRET_KEY

GONGJIAN_ALLOW_DEMO = False
# Two-factor sign-in is never switched off in production (A-05, ADR 0034).
GONGJIAN_REQUIRE_2FA = True
DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value")
if not os.environ.get("GONGJIAN_FIELD_KEYS") or "dGVzdC1rZXk" in GONGJIAN_FIELD_KEYS:
    raise ImproperlyConfigured("GONGJIAN_FIELD_KEYS must come from the environment (P-01)")

if not os.environ.get("GONGJIAN_AUDIT_KEY"):
    raise ImproperlyConfigured("GONGJIAN_AUDIT_KEY must come from the environment (L-04: audit checkpoints)")

SECURE_SSL_REDIRECT = os.environ.get("GONGJIAN_SSL_REDIRECT", "true") == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
