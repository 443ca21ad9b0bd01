"""Staff pages of the app, mounted under /work/womenshome/."""

from django.urls import path  # noqa: F401

app_name = "womenshome"

urlpatterns: list = []
