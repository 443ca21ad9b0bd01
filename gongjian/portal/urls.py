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
]
