"""Settings of the app servers and workers that the two-instance test starts (test_scaleout.py): the
test settings with the real task queue (django-tasks' database backend, as in production), so two
workers share one queue. The database, the shared cache (GONGJIAN_REDIS_URL), the shared upload
folder (GONGJIAN_MEDIA_ROOT) and the proxy count come from the environment, as in production."""

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
