"""Staff pages of the app, mounted under /work/reports/. Each topic's views module ends with its own
`urlpatterns`, included below."""

from django.urls import include, path  # noqa: F401  (each topic adds its include)

from .views import home

app_name = "reports"

urlpatterns = [
    path("", home.home, name="home"),
    # --- document ---
    path("", include("gongjian.reports.views.document")),
    # --- end document ---
    # --- news ---
    path("news/", include("gongjian.reports.views.news")),
    # --- end news ---
    # --- county ---
    path("", include("gongjian.reports.views.county")),
    # --- end county ---
]
