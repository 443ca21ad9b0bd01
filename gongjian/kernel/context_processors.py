from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def workspace(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .navigation import items_for

    return {
        "nav_items": items_for(user),
        "acting": getattr(user, "acting", None),
        "positions": getattr(user, "positions", []),
    }
