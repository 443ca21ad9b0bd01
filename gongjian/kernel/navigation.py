"""The workspace menu and home tiles: each app registers its entries in AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from .models import User
from .permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    description: str | Promise = ""
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda i: i.order)


@cache
def _url(url_name: str) -> str:
    return reverse(url_name)


def items_for(user: User) -> list[dict[str, Any]]:
    return [
        {"label": i.label, "url": _url(i.url_name), "description": i.description}
        for i in _items
        if can(user, i.permission)
    ]


# Templates the public portal's front page includes, one per body of work, in `order` (then in
# registration order).
portal_sections: list[str] = []
_section_order: dict[str, int] = {}


def register_portal_section(template: str, *, order: int = 50) -> None:
    if template not in _section_order:
        _section_order[template] = order
        portal_sections.append(template)
        portal_sections.sort(key=lambda t: _section_order[t])
