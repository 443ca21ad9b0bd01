"""Staff pages of the app, mounted under /work/development/. Each topic's views module ends with
its own `urlpatterns`, included below."""

from django.urls import include, path  # noqa: F401  (each topic adds its include)

from .views import home

app_name = "development"

urlpatterns = [
    path("", home.home, name="home"),
    # --- talent ---
    path("", include("gongjian.development.views.talent")),
    # --- end talent ---
    # --- cultivation ---
    path("", include("gongjian.development.views.cultivation")),
    # --- end cultivation ---
    # --- loan ---
    path("loans/", include("gongjian.development.views.loan")),
    # --- end loan ---
    # --- demonstration ---
    path("", include("gongjian.development.views.demonstration")),
    # --- end demonstration ---
]
