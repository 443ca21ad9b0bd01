"""Background work of the app (django-tasks): the daily sweep a timer runs, and reminders."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from . import publication, services


@task()
def daily_sweep() -> dict[str, Any]:
    """Open party-first items whose day has come, send reminders, and sign a fresh tree head
    (T-02: at least daily, even when nothing was published)."""
    opened = services.boards_open_due()
    reminders = services.reminders_send()
    with transaction.atomic():
        log = publication.get_log(lock=True)
        head = publication.sign_tree_head(log)
    return {"opened": opened, "reminders": reminders, "tree_size": head.size}


@task()
def send_reminders() -> int:
    return services.reminders_send()
