"""Public pages of 创先争优: the portal's reads (pledges, exemplars, 公示), and the app's public
writes (comments on pledges, objections), which are views of the app (ADR 0024)."""

from django.urls import path  # noqa: F401

from gongjian.campaigns import public_commendation_views as commendation_public
from gongjian.campaigns import public_views as pledge_public_views

from . import campaigns_commendation_views as commendation_views
from . import campaigns_pledge_views as pledge_views

urlpatterns: list = [
    # --- pledges ---
    path("campaigns/pledges/", pledge_views.pledge_list, name="campaigns-pledges"),
    path("campaigns/pledges/<int:pk>/", pledge_views.pledge_detail, name="campaigns-pledge"),
    path("campaigns/pledges/<int:pk>/comment/", pledge_public_views.pledge_comment, name="campaigns-pledge-comment"),
    path("campaigns/pledges/photos/<str:token>/", pledge_views.pledge_photo, name="campaigns-pledge-photo"),
    # --- end pledges ---

    # --- commendations ---
    path("campaigns/commendations/", commendation_views.exemplars, name="campaigns-exemplars"),
    path("campaigns/commendations/<int:pk>/", commendation_views.exemplar, name="campaigns-exemplar"),
    path("campaigns/commendations/notices/<int:notice_id>/", commendation_views.notice,
         name="campaigns-commendation-notice"),
    path("campaigns/commendations/notices/<int:notice_id>/object/", commendation_public.objection,
         name="campaigns-commendation-objection"),
    path("campaigns/commendations/objections/track/", commendation_public.objection_track,
         name="campaigns-commendation-track"),
    # --- end commendations ---
]
