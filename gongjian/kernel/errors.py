"""Plain error pages without tracebacks or internals (B-06)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


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
    from django.db import InterfaceError, OperationalError

    # Django calls this while handling the exception, wherever it was raised (a view, a middleware
    # loading the session, the API — ninja hands unknown errors back to Django).
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        logger.warning("database busy or unreachable: %s %s", request.method, request.path[:200])
        return database_busy(request)
    return _render(request, "errors/500.html", 500)


BUSY_MESSAGE = _("系统繁忙（数据库暂时无法处理），刚才的操作没有保存，请稍后再试。")


def database_busy(request: HttpRequest) -> HttpResponse:
    """The database is locked or unreachable (B-06, issue 12): a Chinese page for people, JSON for
    the API, 503 with Retry-After — never an HTML 500. The request's transaction rolled back, so
    nothing is half-saved."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": str(BUSY_MESSAGE)}, status=503,
                                              json_dumps_params={"ensure_ascii": False})
    else:
        response = _render(request, "errors/503.html", 503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
