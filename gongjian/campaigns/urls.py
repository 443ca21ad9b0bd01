"""Staff pages of the app, mounted under /work/campaigns/."""

from django.urls import path  # noqa: F401

from .views import campaign as campaign_views  # noqa: F401

app_name = "campaigns"

urlpatterns = [
    # --- campaigns (core) ---
    path("", campaign_views.campaign_list, name="campaign-list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    path("new/", campaign_views.campaign_create, name="campaign-create"),
    path("<int:pk>/edit/", campaign_views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/issue/", campaign_views.campaign_move, {"to": "issue"}, name="campaign-issue"),
    path("<int:pk>/close/", campaign_views.campaign_move, {"to": "close"}, name="campaign-close"),
    path("<int:pk>/plans/", campaign_views.plan_board, name="plan-board"),
    path("<int:pk>/plans/<int:plan_id>/", campaign_views.plan_detail, name="plan-detail"),
    path("<int:pk>/plans/<int:plan_id>/submit/", campaign_views.plan_submit, name="plan-submit"),
    path("<int:pk>/plans/<int:plan_id>/return/", campaign_views.plan_review, {"to": "return"}, name="plan-return"),
    path("<int:pk>/plans/<int:plan_id>/accept/", campaign_views.plan_review, {"to": "accept"}, name="plan-accept"),
    path("plans/files/<str:token>/", campaign_views.plan_file, name="plan-file"),
    # --- end campaigns ---

    # --- assessments ---
    # --- end assessments ---

    # --- pledges ---
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---

    # --- study & supervision ---
    # --- end study & supervision ---
]
