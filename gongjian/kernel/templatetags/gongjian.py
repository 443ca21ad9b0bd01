"""Template helpers shared by every app."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.db import models
from django.utils.html import format_html
from django.utils.translation import get_language

from gongjian.kernel import idempotency

register = template.Library()


@lru_cache(maxsize=512)
def _labels(model: type[models.Model], field_name: str, language: str) -> dict[Any, str]:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in getattr(field, "choices", None) or []}


@register.filter
def label(obj: models.Model, field_name: str) -> str:
    """The display label of a choice field, from a per-language cache (get_FOO_display per row is slow)."""
    value = getattr(obj, field_name, None)
    return _labels(type(obj), field_name, get_language() or "")\
        .get(value, "" if value is None else str(value))


@register.simple_tag(takes_context=True)
def submission_key(context: template.Context) -> str:
    """The hidden field that makes a form count once however often it is sent (kernel.idempotency)."""
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD,
                       idempotency.key_for_page(context["request"]))
