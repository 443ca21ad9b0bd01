"""Fixtures of the disclosure tests.

`committed_db`: for the few tests whose threads must see committed rows (I-08 races on
PostgreSQL). Such a test is transactional, so pytest-django flushes every table after it: the
audit table's append-only triggers come off just before the flush, and the triggers and the demo
county are put back right after it (as e2e/conftest.py does for the browser tests)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import pytest

_RESTORE = pytest.StashKey[Any]()


@pytest.fixture
def committed_db(request: pytest.FixtureRequest, transactional_db: None, django_db_blocker: Any,
                 demo_password: str) -> Iterator[None]:
    from django.db import connection

    from gongjian.kernel.demo import load_demo
    from gongjian.kernel.migrations import _triggers

    def restore() -> None:
        with django_db_blocker.unblock():
            _triggers.install(connection)
            load_demo(password=demo_password)

    request.node.stash[_RESTORE] = restore
    yield
    _triggers.uninstall(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    try:
        return (yield)
    finally:
        # With no next test the session (and its database) has just been torn down too.
        restore = item.stash.get(_RESTORE, None)
        if restore is not None and nextitem is not None:
            restore()
