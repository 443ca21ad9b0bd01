"""Plain error pages without tracebacks or internals (B-06)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader


def _render(request: HttpRequest, template: str, status: int) -> HttpResponse:
    body: str
    try:
        body = loader.render_to_string(template, {"request_path": request.path[:200]}, request)
    except Exception:  # noqa: BLE001  (an error page must never fail)
        body = "<h1>出错了</h1>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _render(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, "errors/500.html", 500)
