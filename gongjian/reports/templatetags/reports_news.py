"""Template tags of 信息报送: what the acting user may do (for the tabs), and the portal's latest
adopted pieces (for the portal's front page section)."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.kernel.permissions import can

from ..selectors import news as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def news_perms(context: dict[str, Any]) -> dict[str, bool]:
    user = context["request"].user
    return {"submit": can(user, "reports.submit_news"), "decide": can(user, "reports.decide_news")}


@register.simple_tag
def news_on_portal(limit: int = 5) -> list[Any]:
    return list(selectors.public_news()[:limit])
