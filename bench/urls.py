"""The bench URLconf: the production one plus the bare baseline view, at /bench/bare."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as production
from gongjian.kernel.decorators import public_view


@public_view
def bare_view(request: HttpRequest) -> HttpResponse:
    """The baseline: the full middleware stack and a tiny response, no template, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare_view, name="bench-bare"), *production.urlpatterns]

handler400 = production.handler400
handler403 = production.handler403
handler404 = production.handler404
handler500 = production.handler500
