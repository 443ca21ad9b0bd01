"""Template helpers shared by every app."""

from __future__ import annotations

from functools import lru_cache
from html import unescape
from typing import Any

from django import template
from django.db import models
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.translation import get_language

from gongjian.kernel import idempotency, shortlinks

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


@register.simple_tag(takes_context=True)
def submission_key(context: template.Context) -> str:
    """The hidden field that makes a form count once however often it is sent (kernel.idempotency)."""
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD,
                       idempotency.key_for_page(context["request"]))


def _short_url(request: HttpRequest) -> str:
    link = shortlinks.shortlink_for(path=request.path)
    return request.build_absolute_uri(reverse("short-link", args=[link.code]))


@register.inclusion_tag("kernel/_share_meta.html", takes_context=True)
def share_meta(context: template.Context, title: str, description: str = "", image: str = "") -> dict[str, Any]:
    """Open Graph tags of a public page, so a link pasted into a WeChat group shows its title, a
    line of text and a picture (the page's own, else the platform's share picture)."""
    request: HttpRequest = context["request"]
    return {"title": title, "description": " ".join(unescape(strip_tags(str(description))).split())[:120],
            "image": request.build_absolute_uri(image or static("gongjian/share.png")),
            "url": request.build_absolute_uri(request.path)}


@register.inclusion_tag("kernel/_share_box.html", takes_context=True)
def share_box(context: template.Context) -> dict[str, Any]:
    """The page's short link with a copy button. Only public pages use it, for their own address:
    no private record is ever given a code (kernel.shortlinks)."""
    return {"short_url": _short_url(context["request"])}
