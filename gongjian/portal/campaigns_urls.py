"""Public pages of 创先争优: the portal's reads (pledges, exemplars, 公示), and the app's public
writes (comments on pledges, objections), which are views of the app (ADR 0024)."""

from django.urls import path  # noqa: F401

urlpatterns: list = [
    # --- pledges ---
    # --- end pledges ---

    # --- commendations ---
    # --- end commendations ---
]
