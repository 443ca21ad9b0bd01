"""Public pages of the disclosure body of work."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
