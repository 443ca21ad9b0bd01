"""Fixtures shared by every app's tests: the demo county, loaded once per test database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

DEMO_PASSWORD = "Demo-Passw0rd!x"  # noqa: S105  (test-only)


def _vendor() -> str:
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.db import connection

        return connection.vendor
    except ImproperlyConfigured:  # run with -p no:django: no database, nothing to deselect
        return ""


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Vendor-specific tests are deselected on the other database, so a skip always means trouble."""
    vendor = _vendor()
    if not vendor:
        return
    keep, drop = [], []
    for item in items:
        if (item.get_closest_marker("sqlite_only") and vendor != "sqlite") or (
            item.get_closest_marker("postgres_only") and vendor != "postgresql"
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """In CI (GONGJIAN_FAIL_ON_SKIP=1) a skipped test fails the run: nothing hides."""
    import os

    if os.environ.get("GONGJIAN_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"FAIL: {skipped} test(s) skipped; CI treats a skip as a failure", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from gongjian.kernel.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(password=DEMO_PASSWORD)


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def account(db: Any) -> Callable[[str], Any]:
    from gongjian.kernel.models import User

    def get(username: str) -> Any:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def login(db: Any) -> Callable[[str], Client]:
    """A logged-in test client for a demo username (force_login: no lock-out bookkeeping)."""
    from gongjian.kernel.models import User

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def acting(db: Any) -> Callable[[str], Any]:
    """A demo user with `.acting` set as the middleware would, for service and rule tests."""
    from gongjian.kernel.tests.matrix import persona

    return persona


@pytest.fixture
def api_client(db: Any) -> Callable[[str], Client]:
    """A client carrying a bearer token issued through the real token endpoint."""

    def make(username: str) -> Client:
        client = Client()
        response = client.post("/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        token = response.json()["token"]
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


@pytest.fixture
def org(db: Any) -> Callable[[str], Any]:
    from gongjian.kernel.models import Organization

    def get(name: str) -> Any:
        return Organization.objects.get(name=name)

    return get


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings: Any) -> None:
    """Each test writes its audit checkpoints (L-04) to a file of its own: the database rolls back
    after a test, a shared file would not."""
    import tempfile
    import uuid
    from pathlib import Path

    settings.GONGJIAN_AUDIT_CHECKPOINTS = Path(tempfile.gettempdir()) / "gj-checkpoints" / f"{uuid.uuid4().hex}.jsonl"


@pytest.fixture(autouse=True)
def _fresh_principal_snapshots() -> None:
    """The signed-in account's snapshot (kernel.principal) is per process and keyed by a stamp in
    the database; a test's rolled-back database must not meet the previous test's snapshot."""
    from gongjian.kernel import navigation, principal

    principal.forget()
    navigation.forget()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language (zh-hans) and leaves it so: a test that switches to
    English (a request with the language cookie, `translation.activate`) must not change the
    messages a later test in the same process reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
