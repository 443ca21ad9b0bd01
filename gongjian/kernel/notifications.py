"""Reminders to an organisation's staff (待办): written once (deduplicated), shown in the workspace,
cleared by the service that moves their task on (`resolve`), pushed beyond the page by
kernel.pushes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import Notification, Organization


def subject_key(obj: models.Model) -> str:
    """How a reminder names the record its task is about: "disclosure.disclosure:42"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def subject_key_of(model: type[models.Model], pk: object) -> str:
    """The same, for a row known by its id (reminders written in bulk)."""
    return f"{model._meta.label_lower}:{pk}"


def notify(*, organization: Organization, code: str, message: str, link: str = "",
           dedupe_key: str = "", subject: models.Model | None = None) -> Notification | None:
    """Leave a message for the organisation; with a dedupe_key the same reminder is sent once.
    With a subject, the service that finishes the task clears it (`resolve`)."""
    try:
        with transaction.atomic():
            return Notification.objects.create(organization=organization, code=code, message=message[:300],
                                               link=link[:300], dedupe_key=dedupe_key[:200],
                                               subject=subject_key(subject) if subject is not None else "")
    except IntegrityError:
        return None


def resolve(*, subject: models.Model, codes: Iterable[str], organization: Organization | None = None) -> int:
    """The task is done: clear the open reminders of these codes about `subject` (for every
    organisation, or only `organization`). Called by the service that moves the task on, inside
    its transaction; returns how many were cleared."""
    rows = Notification.objects.filter(subject=subject_key(subject), read_at__isnull=True, code__in=list(codes))
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows.update(read_at=timezone.now())
