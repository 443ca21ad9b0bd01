"""Reminders to an organisation's staff: written once (deduplicated), shown in the workspace."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Notification, Organization


def notify(*, organization: Organization, code: str, message: str, link: str = "",
           dedupe_key: str = "") -> Notification | None:
    """Leave a message for the organisation; with a dedupe_key the same reminder is sent once."""
    try:
        with transaction.atomic():
            return Notification.objects.create(organization=organization, code=code, message=message[:300],
                                               link=link[:300], dedupe_key=dedupe_key[:200])
    except IntegrityError:
        return None
