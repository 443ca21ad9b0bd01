"""Public pages of 巾帼致富 (demonstration villages, bases and households): the portal's reads."""

from django.urls import path  # noqa: F401

from . import development_views as _demonstration_views  # noqa: E402  (demonstration)

urlpatterns: list = [
    # --- demonstration ---
    path("development/demonstrations/", _demonstration_views.demonstration_list, name="development-demonstrations"),
    path("development/demonstrations/<int:pk>/", _demonstration_views.demonstration_detail,
         name="development-demonstration"),
    path("development/demonstrations/photos/<str:token>/", _demonstration_views.demonstration_photo,
         name="development-demonstration-photo"),
    # --- end demonstration ---
]
