"""Template tag of service sites for the portal's home section: the public hotlines and how many
public sites there are, read through the selectors (the "reader" audience)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import service as selectors

register = template.Library()


@register.simple_tag
def support_services_on_portal() -> dict[str, Any]:
    places, lines = selectors.public_sites_by_place()
    return {"lines": lines, "sites": sum(len(p.sites) for p in places), "national": selectors.NATIONAL_HOTLINE,
            "national_label": selectors.NATIONAL_HOTLINE_LABEL,
            "rounds": selectors.public_rounds_announced(limit=3)}
