"""Template tags of 维权案件 for pages other topics draw (the app's tabs and home page)."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.kernel.permissions import can

register = template.Library()


@register.filter
def may_open_cases(user: Any) -> bool:
    """May the user open the case pages (the tab and the tile show only then)?"""
    return can(user, "support.view_case")


@register.filter
def overdue_cases(user: Any) -> int:
    """How many cases in her reach are past their step's time limit (the tile's badge)."""
    from ..selectors.case import my_overdue_count

    return my_overdue_count(user=user) if can(user, "support.view_case") else 0
