"""Public pages of the womenshome body of work: the portal's reads, and the app's public writes
(sign-in, objections), which are views of the app because the portal never calls services."""

from django.urls import path

from gongjian.womenshome import public_views

from . import womenshome_views as views

urlpatterns = [
    path("womenshome/activities/", views.activity_news, name="womenshome-activities"),
    path("womenshome/activities/<int:pk>/", views.activity_news_detail, name="womenshome-activity"),
    path("womenshome/photos/<str:token>/", views.activity_photo, name="womenshome-photo"),
    path("womenshome/notices/", views.honour_notices, name="womenshome-notices"),
    path("womenshome/notices/<int:notice_id>/", views.honour_notice, name="womenshome-notice"),
    path("womenshome/notices/<int:notice_id>/object/", public_views.objection, name="womenshome-objection"),
    path("womenshome/objections/track/", public_views.objection_track, name="womenshome-track"),
    path("womenshome/signin/<str:code>/", public_views.signin, name="womenshome-signin"),
]
