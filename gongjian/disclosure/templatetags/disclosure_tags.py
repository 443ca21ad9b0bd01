"""Template helpers: rich text is cleaned again on the way out (I-01: on save and on render)."""

from __future__ import annotations

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def rich_text(value: str) -> SafeString:
    from gongjian.disclosure.services import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

    cleaned = nh3.clean(value or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return mark_safe(cleaned)  # noqa: S308  (the output of the nh3 allow-list)


@register.filter
def hexdigest(value: bytes | memoryview | None) -> str:
    return bytes(value).hex() if value is not None else ""
