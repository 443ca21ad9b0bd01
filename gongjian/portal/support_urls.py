"""Public pages of 维权与关爱: asking for help online and following one's own case with the tracking
code and password; the service sites and hotlines (the public part only). Each topic owns its lines."""

from django.urls import include, path  # noqa: F401

# --- case_public ---
from . import support_case_views as _case_public_views  # noqa: E402

# --- end case_public ---

urlpatterns: list = [
    # --- case ---
    # --- end case ---
    # --- case_public ---
    path("support/help/", _case_public_views.help_request, name="support-case-help"),
    path("support/help/track/", _case_public_views.track, name="support-case-track"),
    # --- end case_public ---
    # --- service ---
    path("", include("gongjian.portal.support_service_views")),
    # --- end service ---
]
