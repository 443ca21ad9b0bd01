"""Settings of the app servers and workers that the two-instance test starts (test_scaleout.py): the
test settings with the real task queue (django-tasks' database backend, as in production), so two
workers share one queue, and — unlike the rest of the suite — the shared cache (GONGJIAN_REDIS_URL)
and the upload folder (GONGJIAN_MEDIA_ROOT) from the environment, as in production. The database and
the proxy count come from the environment too."""

from config.settings.base import MEDIA_ROOT as SHARED_MEDIA_ROOT
from config.settings.base import cache_from_env
from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CACHES = {"default": cache_from_env()}
MEDIA_ROOT = SHARED_MEDIA_ROOT
