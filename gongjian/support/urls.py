"""Staff pages of the app, mounted under /work/support/. Each topic's views module ends with its own
`urlpatterns`, included below."""

from django.urls import include, path  # noqa: F401  (each topic adds its include)

from .views import home

app_name = "support"

urlpatterns = [
    path("", home.home, name="home"),
    # --- case ---
    path("cases/", include("gongjian.support.views.case")),
    # --- end case ---
    # --- case_public ---
    path("", include("gongjian.support.views.case_board")),
    # --- end case_public ---
    # --- care ---
    path("", include("gongjian.support.views.care")),
    # --- end care ---
    # --- service ---
    path("", include("gongjian.support.views.service")),
    # --- end service ---
]
