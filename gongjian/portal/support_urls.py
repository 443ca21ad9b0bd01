"""Public pages of 维权与关爱: asking for help online and following one's own case with the tracking
code and password; the service sites and hotlines (the public part only). Each topic owns its lines."""

from django.urls import include, path  # noqa: F401

urlpatterns: list = [
    # --- case ---
    # --- end case ---
    # --- service ---
    path("", include("gongjian.portal.support_service_views")),
    # --- end service ---
]
