"""Template tag of 示范 for the portal's home section: the newest designated demonstrations, read
through the selectors (the "reader" audience)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import demonstration as selectors

register = template.Library()

PORTAL_ROWS = 5


@register.simple_tag
def demonstrations_on_portal() -> list[Any]:
    return list(selectors.public_demonstrations()[:PORTAL_ROWS])
