"""Public pages of 信息报送 (reports, topic news): the adopted pieces."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("gongjian.portal.reports_news_views")),
]
