"""Public pages of 巾帼致富 (demonstration villages, bases and households): the portal's reads."""

from django.urls import path  # noqa: F401

urlpatterns: list = [
    # --- demonstration ---
    # --- end demonstration ---
]
