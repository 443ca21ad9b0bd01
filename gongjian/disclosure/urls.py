"""Staff pages of the app, mounted under /work/disclosure/."""

from django.urls import path  # noqa: F401

app_name = "disclosure"

urlpatterns: list = []
