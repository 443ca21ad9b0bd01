"""A form is acted on once, however often a phone on a weak line sends it (ADR 0048).

The page carries a random key in a hidden field (`{% submission_key %}`). The first send that
succeeds stores the key with where it led, in the same transaction as the record it made; a
second send with the same key finds it and gets that answer again. Two sends racing each other
meet at the unique constraint: the loser's transaction rolls back and it is told the form was
already received. A key only counts when the work succeeded: a refused form keeps its key for the
corrected send."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .http import account_of
from .models import SubmissionKey

T = TypeVar("T")

FIELD = "submission_key"
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP = timedelta(days=30)


def new_key() -> str:
    return secrets.token_urlsafe(18)


def posted_key(request: HttpRequest) -> str:
    """The key the form carried, or "" when it carried none or one that is not ours."""
    value = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return value if _KEY.fullmatch(value) else ""


def key_for_page(request: HttpRequest) -> str:
    """The key a rendered form carries: the posted one when a refused form is shown again, so the
    corrected send is still the same send; a new one otherwise."""
    return posted_key(request) or new_key()


def _scoped(request: HttpRequest, scope: str) -> str:
    """A staff key counts within its user's sends only: one user's key never answers another."""
    user = account_of(request)
    return f"{scope}:user{user.pk}" if user is not None else scope


def already_sent(request: HttpRequest, *, scope: str) -> SubmissionKey | None:
    """The earlier successful send of this form, if this is a resend."""
    key = posted_key(request)
    if not key:
        return None
    return SubmissionKey.objects.filter(scope=_scoped(request, scope), key=key).first()


def once(request: HttpRequest, *, scope: str, action: Callable[[], T],
         result: Callable[[T], str] = lambda made: "") -> T:
    """Run `action` and remember the key with `result(made)` in one transaction. A concurrent
    send of the same key ends in a ValidationError the form shows; a form without a key (an old
    page, a script) simply runs."""
    key = posted_key(request)
    if not key:
        return action()
    scope = _scoped(request, scope)
    try:
        with transaction.atomic():
            remembered = SubmissionKey.objects.create(scope=scope, key=key, user=account_of(request))
            made = action()
            remembered.result = result(made)[:300]
            remembered.save(update_fields=["result"])
    except IntegrityError as exc:
        if not SubmissionKey.objects.filter(scope=scope, key=key).exists():
            raise
        raise ValidationError(_("这份表单已经收到，没有重复登记。")) from exc
    return made


def purge(older_than: timedelta = KEEP) -> int:
    """Keys older than a month: no phone holds a form that long."""
    deleted, _count = SubmissionKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
