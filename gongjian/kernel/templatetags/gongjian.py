"""Template helpers shared by every app."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.db import models
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_chrome(context: template.Context) -> str:
    """The workspace header, kept per account, position and language (kernel.navigation.chrome)."""
    from django.utils.safestring import mark_safe

    from gongjian.kernel import navigation

    assert context.template is not None
    chrome = context.template.engine.get_template("_workspace_chrome.html")
    request = context.get("request")
    user = context.get("user")

    def render(token: str | None) -> str:
        with context.push(csrf_token=token):
            return chrome.render(context)

    token = context.get("csrf_token")
    if request is None or user is None or not user.is_authenticated:
        return mark_safe(render(token))  # noqa: S308  (our own template's output)
    return mark_safe(navigation.chrome(user, request.path, str(token) if token else None, render))  # noqa: S308


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
