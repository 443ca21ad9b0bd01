"""URL wiring only. Staff pages live under /work/, the public portal at the root."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from gongjian.api import api
from gongjian.kernel.decorators import public_view
from gongjian.kernel.display import large_text_toggle
from gongjian.kernel.http import account_of
from gongjian.kernel.views import healthz
from gongjian.kernel.views_site import manifest, service_worker, short_link

admin.site.site_header = "共建 系统控制台"


def _superuser_only(request: HttpRequest) -> bool:
    user = account_of(request)
    return user is not None and user.is_active and user.is_superuser


# A deliberate override on the one site instance (mypy forbids assigning to a method).
admin.site.has_permission = _superuser_only  # type: ignore[method-assign]

@public_view
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the platform's icon, not a 404."""
    return HttpResponsePermanentRedirect(static("gongjian/favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service-worker"),
    path("s/<str:code>/", short_link, name="short-link"),
    path("display/large-text/", large_text_toggle, name="large-text"),
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("work/disclosure/", include("gongjian.disclosure.urls")),
    path("work/womenshome/", include("gongjian.womenshome.urls")),
    path("work/campaigns/", include("gongjian.campaigns.urls")),
    path("work/development/", include("gongjian.development.urls")),
    path("work/support/", include("gongjian.support.urls")),
    path("work/reports/", include("gongjian.reports.urls")),
    path("work/", include("gongjian.kernel.urls")),
    path("api/v1/", api.urls),
    path(settings.GONGJIAN_ADMIN_PATH, admin.site.urls),
    path("", include("gongjian.portal.urls")),
]

handler400 = "gongjian.kernel.errors.bad_request"
handler403 = "gongjian.kernel.errors.permission_denied"
handler404 = "gongjian.kernel.errors.page_not_found"
handler500 = "gongjian.kernel.errors.server_error"
