"""Staff pages of the app, mounted under /work/disclosure/."""

from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.disclosure_list, name="list"),
    path("new/", views.disclosure_create, name="create"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("<int:pk>/edit/", views.disclosure_edit, name="edit"),
    path("<int:pk>/meeting/", views.meeting_edit, name="meeting"),
    path("<int:pk>/files/<int:file_id>/", views.disclosure_attachment, name="attachment"),
    path("<int:pk>/<str:action>/", views.disclosure_action, name="action"),
    path("suggestions/", views.suggestion_list, name="suggestion-list"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion-detail"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/rollup/", views.rollup, name="rollup"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/ranking/", views.ranking, name="ranking"),
]
