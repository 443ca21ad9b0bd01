"""Browser tests: a real Chromium drives the real app on a live server (see e2e/conftest.py)."""
