"""Template tags of 小额贷款 for pages other topics draw (the app's tabs and home page)."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.kernel.permissions import can

register = template.Library()


@register.filter
def may_open_loans(user: Any) -> bool:
    """May the user open the loan pages (the tab and the tile show only then)?"""
    return can(user, "development.view_loan")
