"""The REST API at /api/v1/, assembled from each app's api.py router."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from gongjian.campaigns.api import router as campaigns_router
from gongjian.development.api import router as development_router
from gongjian.disclosure.api import router as disclosure_router
from gongjian.kernel.api import router as kernel_router
from gongjian.kernel.apischema import error_lists, schema_error_lists
from gongjian.reports.api import router as reports_router
from gongjian.support.api import router as support_router
from gongjian.womenshome.api import router as womenshome_router


class ChineseJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses instead of \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title="共建 Gongjian API", version="1", urls_namespace="api",
               renderer=ChineseJSONRenderer())
api.add_router("/", kernel_router)
api.add_router("/", disclosure_router)
api.add_router("/", womenshome_router)
api.add_router("/", campaigns_router)
api.add_router("/", development_router)
api.add_router("/", support_router)
api.add_router("/", reports_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A rule of the service (or form) refused the data: 400, messages and codes field by field."""
    messages, codes = error_lists(exc)
    return api.create_response(
        request, {"detail": _("提交的数据有误，未作任何修改。"), "errors": messages, "codes": codes}, status=400)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request does not match the documented schema (a missing field, a value outside an
    enum …): 422, in the same shape as a 400."""
    messages, codes = schema_error_lists(exc.errors)
    fields = "、".join(f for f in messages if f != "__all__") or _("请求正文")
    return api.create_response(
        request, {"detail": _("请求数据格式不正确：%(fields)s") % {"fields": fields},
                  "errors": messages, "codes": codes},
        status=422,
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("未找到。")}, status=404)


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("没有权限执行此操作。")}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("请先获取令牌并登录。")}, status=401)


STATUS_MESSAGES = {
    400: _("请求内容无法解析，请检查格式（应为 JSON）。"),
    401: _("请先获取令牌并登录。"),
    403: _("没有权限执行此操作。"),
    404: _("未找到。"),
    405: _("不支持该请求方法。"),
    429: _("请求过于频繁，请稍后再试。"),
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if not _has_chinese(message):
        message = str(STATUS_MESSAGES.get(exc.status_code, _("请求有误。")))
    return api.create_response(request, {"detail": message}, status=exc.status_code)
