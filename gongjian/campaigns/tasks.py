"""Background work of 创先争优 (django-tasks): the daily sweep a timer runs."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .services import assessment as assessment_services
from .services import campaign as campaign_services


@task()
def daily_sweep() -> dict[str, Any]:
    """Remind the organisations whose plan is still missing (before plan_due and, weekly, after it)
    or returned, and those whose self-assessment is still open near or past its deadline."""
    return {"plan_reminders": campaign_services.plans_remind(),
            "assessment_reminders": assessment_services.self_assessments_remind()}
