"""The portal front page's 妇女之家 section: recent public activities and honours on notice."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.womenshome import selectors

register = template.Library()


@register.simple_tag
def womenshome_portal_summary() -> dict[str, Any]:
    return {"activities": list(selectors.public_activities()[:5]), "notices": selectors.honours_on_notice()[:5]}
