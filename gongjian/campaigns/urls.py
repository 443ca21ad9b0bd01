"""Staff pages of the app, mounted under /work/campaigns/."""

from django.urls import path  # noqa: F401

from .views import campaign as campaign_views  # noqa: F401
from .views import pledge as pledge_views

app_name = "campaigns"

urlpatterns = [
    # --- campaigns (core) ---
    path("", campaign_views.campaign_list, name="campaign-list"),
    path("<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    # --- end campaigns ---

    # --- assessments ---
    # --- end assessments ---

    # --- pledges ---
    path("pledges/", pledge_views.pledge_list, name="pledge-list"),
    path("pledges/new/", pledge_views.pledge_create, name="pledge-create"),
    path("pledges/<int:pk>/", pledge_views.pledge_detail, name="pledge-detail"),
    path("pledges/<int:pk>/edit/", pledge_views.pledge_edit, name="pledge-edit"),
    path("pledges/<int:pk>/publish/", pledge_views.pledge_publish, name="pledge-publish"),
    path("pledges/<int:pk>/withdraw/", pledge_views.pledge_withdraw, name="pledge-withdraw"),
    path("pledges/<int:pk>/progress/", pledge_views.pledge_progress, name="pledge-progress"),
    path("pledges/<int:pk>/evaluate/", pledge_views.pledge_evaluate, name="pledge-evaluate"),
    path("pledges/comments/", pledge_views.comment_queue, name="pledge-comments"),
    path("pledges/comments/<int:comment_id>/moderate/", pledge_views.comment_moderate, name="pledge-comment-moderate"),
    path("pledges/updates/<int:update_id>/photo/", pledge_views.update_photo, name="pledge-photo"),
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---

    # --- study & supervision ---
    # --- end study & supervision ---
]
