"""The workspace menu and home tiles: each app registers its entries in AppConfig.ready().

Which entries a user sees is asked of the permission policy on every workspace page (a dozen rule
checks, most of a page's chrome). The answer depends only on what the signed-in account's snapshot
holds (kernel.principal: her positions, organisations, grants), on the position she acts in, her
admin role and the language; so it is kept per process under exactly that key, with the account's
`access_stamp` — renewed in the database whenever any of it changes — in the key. No entry is
ever served for a stamp the database no longer holds, and none outlives its grants or `MAX_AGE`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
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


def _compute(user: User) -> list[dict[str, Any]]:
    return [
        {"label": str(i.label), "url": _url(i.url_name), "description": str(i.description)}
        for i in _items
        if can(user, i.permission)
    ]


MAX_AGE = 120.0  # seconds, as the account snapshot's
MAX_ENTRIES = 4096
_lock = threading.Lock()
_kept: OrderedDict[tuple[Any, ...], tuple[list[dict[str, Any]], float, datetime | None]] = OrderedDict()


def _key(user: User) -> tuple[Any, ...] | None:
    """None for an account not loaded by kernel.principal this request (its stamp may be old)."""
    if getattr(user, "principal_positions", None) is None or not getattr(user, "access_stamp", ""):
        return None
    acting = getattr(user, "acting", None)
    position = acting.position.pk if acting is not None else None
    return (user.pk, user.access_stamp, position, getattr(user, "admin_role", ""),
            translation.get_language(), timezone.localdate())


def items_for(user: User) -> list[dict[str, Any]]:
    """The menu entries she may open, as label, url and description (kept: see the module's text)."""
    key = _key(user)
    if key is None:
        return _compute(user)
    now, wall = time.monotonic(), timezone.now()
    with _lock:
        found = _kept.get(key)
    if found is not None:
        items, taken, expires = found
        if now - taken <= MAX_AGE and (expires is None or wall < expires):
            return items
    from .permissions import current_grants

    grants = current_grants(user)
    items = _compute(user)
    # A grant that lapses may take an entry away: the kept answer ends with the first to lapse.
    expires = min((g.expires_at for g in grants), default=None)
    with _lock:
        _kept[key] = (items, now, expires)
        _kept.move_to_end(key)
        while len(_kept) > MAX_ENTRIES:
            _kept.popitem(last=False)
    return items


#: Stands in for the CSRF token while the header is rendered for keeping; each page puts its own in.
CSRF_STAND_IN = "gjcsrfstandin0000000000000000000000000000000000000000000000000000"
_chrome: OrderedDict[tuple[Any, ...], tuple[str, float, datetime | None]] = OrderedDict()


def chrome(user: User, path: str, csrf_token: str | None, render: Callable[[str | None], str]) -> str:
    """The workspace header (`_workspace_chrome.html`) for this page: `render(token)` renders it.
    Kept under the menu's key and which entries this path highlights; the CSRF token, the one
    part that differs on every page, is put in afterwards."""
    key = _key(user)
    if key is None or not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105  (Django's "no token" marker)
        return render(csrf_token)
    items = items_for(user)
    highlighted = (path == "/work/", *(item["url"] in path for item in items))
    full = (*key, highlighted)
    now, wall = time.monotonic(), timezone.now()
    with _lock:
        found = _chrome.get(full)
    if found is not None and now - found[1] <= MAX_AGE and (found[2] is None or wall < found[2]):
        html = found[0]
    else:
        html = render(CSRF_STAND_IN)
        with _lock:
            menu = _kept.get(key)
            _chrome[full] = (html, now, menu[2] if menu is not None else None)
            _chrome.move_to_end(full)
            while len(_chrome) > MAX_ENTRIES:
                _chrome.popitem(last=False)
    return html.replace(CSRF_STAND_IN, csrf_token)


def forget() -> None:
    """Drop this process's kept menus (tests: the database rolls back, the process does not)."""
    with _lock:
        _kept.clear()
        _chrome.clear()


# Templates the public portal's front page includes, one per body of work, in `order` (then in
# registration order).
portal_sections: list[str] = []
_section_order: dict[str, int] = {}


def register_portal_section(template: str, *, order: int = 50) -> None:
    if template not in _section_order:
        _section_order[template] = order
        portal_sections.append(template)
        portal_sections.sort(key=lambda t: _section_order[t])
