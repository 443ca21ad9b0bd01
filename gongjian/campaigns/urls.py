"""Staff pages of the app, mounted under /work/campaigns/."""

from django.urls import include, path  # noqa: F401

from .views import campaign as campaign_views  # noqa: F401

app_name = "campaigns"

urlpatterns = [
    # --- campaigns (core) ---
    path("", campaign_views.campaign_list, name="campaign-list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    # --- end campaigns ---

    # --- assessments ---
    # --- end assessments ---

    # --- pledges ---
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---

    # --- study & supervision ---
    # Each module lists its own routes (`urlpatterns` at its end), in this namespace.
    path("study/", include("gongjian.campaigns.views.study")),
    path("supervision/", include("gongjian.campaigns.views.supervision")),
    # --- end study & supervision ---
]
