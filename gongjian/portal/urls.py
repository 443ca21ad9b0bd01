from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("", include("gongjian.portal.disclosure_urls")),
    path("", include("gongjian.portal.womenshome_urls")),
    path("", include("gongjian.portal.campaigns_urls")),
    path("", include("gongjian.portal.development_urls")),
    path("", include("gongjian.portal.support_urls")),
    # --- reports: news (信息报送) ---
    path("", include("gongjian.portal.reports_news_urls")),
    # --- end reports: news ---
]
