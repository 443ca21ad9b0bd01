"""Public pages of the womenshome body of work."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
