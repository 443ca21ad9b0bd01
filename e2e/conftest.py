"""The browser-test harness: the real app on a live server, driven by Debian's Chromium.

Fixtures
    live_server            pytest-django's, bound to 127.0.0.1 (static files served by the
                           staticfiles handler). Every e2e test uses it (autouse below).
    browser                one headless Chromium (/usr/bin/chromium; no browser downloads, never
                           ``playwright install``), launched once. Package scope, which is the
                           whole e2e run since e2e tests run last as one block; it guarantees
                           Playwright is stopped before any non-e2e test (see below).
    phone, desktop         a fresh page in a fresh context each (390×844 touch phone at 2×,
                           1366×900 desktop, both zh-CN), with ``base_url`` set, so
                           ``page.goto("/work/")`` works. A test FAILS at teardown if the page
                           logged a console error or threw an uncaught exception, or tried to
                           load anything from a host other than 127.0.0.1/localhost (the request
                           is aborted: deployments sit on intranets).
    allow_console_error    ``allow_console_error(page, r"regex")`` for the rare expected one.
    shot                   ``shot(page, "name")`` -> full-page PNG at e2e/artifacts/name.png.
    login_as               ``login_as(page, "xiaoliu_women")`` through the real login form.

The demo county and the database flush
    The root conftest loads the demo county once, when the test database is created. A test
    that uses ``live_server`` is transactional (the server thread must see committed rows), so
    pytest-django FLUSHES every table after it. Two things follow, both handled here:

    * The audit table is append-only by database trigger (kernel migration 0002), so a flush
      would abort. ``_e2e_database`` drops the triggers just before the flush; they are put
      back (``_triggers.install``) before the demo county is reloaded.
    * The flush empties the demo county. ``_e2e_database`` reloads it
      (``load_demo(password=DEMO_PASSWORD)``, idempotent) at the start of each e2e test when it
      is missing, and ``pytest_runtest_teardown`` below reloads it right after the flush when
      the next test is not an e2e test, so tests that run later still find it.

    E2E tests run last: ``pytest_collection_modifyitems`` moves them behind every other test
    (after pytest-django's own ordering), whatever order the paths were given in — as Django's
    runner puts TransactionTestCases last. testpaths lists ``gongjian`` before ``e2e`` anyway.
    Row ids after a reload differ from the first load (SQLite AUTOINCREMENT): never hard-code
    a primary key; look rows up by name.

Playwright and Django's async guard
    Playwright's sync API keeps an asyncio loop "running" in the main thread while it is
    started, and Django refuses ORM calls from a thread with a running loop. While the
    Playwright driver runs (package scope), ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set; both end with
    the e2e package, before any other test could run.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DEMO_SENTINEL_USERNAME = "xiaoliu_women"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

# pytest-django's live_server listens on "localhost" unless told otherwise (which may resolve to
# ::1); serve on the IPv4 loopback address itself. --liveserver still wins.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

# Console errors that are known app bugs, tolerated ONLY until the fix lands; each entry names
# the fix. Delete an entry as soon as its fix is in: the harness then guards against regression.
KNOWN_CONSOLE_ERRORS: dict[str, re.Pattern[str]] = {}

_BLOCKER = pytest.StashKey[Any]()
_PASSWORD = pytest.StashKey[str]()


# --- collection: mark everything here `e2e` and run it last ------------------------------------

def _is_e2e(item: pytest.Item) -> bool:
    return Path(str(item.path)).resolve().is_relative_to(E2E_DIR)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Runs after pytest-django's (tryfirst) reordering and before `-m` deselection."""
    e2e, other = [], []
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            e2e.append(item)
        else:
            other.append(item)
    items[:] = other + e2e


# --- the database: the demo county survives the flush ------------------------------------------

def _demo_present() -> bool:
    from gongjian.kernel.models import User

    return User.objects.filter(username=DEMO_SENTINEL_USERNAME).exists()


def restore_demo_county(password: str) -> None:
    """Append-only triggers back on, and the demo county loaded if a flush emptied it."""
    from django.db import connection

    from gongjian.kernel.demo import load_demo
    from gongjian.kernel.migrations import _triggers

    _triggers.install(connection)
    if not _demo_present():
        load_demo(password=password)


@pytest.fixture(autouse=True)
def _e2e_database(request: pytest.FixtureRequest, live_server: Any, transactional_db: None,
                  django_db_blocker: Any, demo_password: str) -> Iterator[None]:
    """Every e2e test: demo county present before, audit triggers off just before the flush."""
    request.node.stash[_BLOCKER] = django_db_blocker
    request.node.stash[_PASSWORD] = demo_password
    restore_demo_county(demo_password)
    yield
    from django.db import connection

    from gongjian.kernel.migrations import _triggers

    # This teardown runs before transactional_db's flush, which the triggers would abort.
    _triggers.uninstall(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """After the flush: if a non-e2e test comes next, give it its demo county back now."""
    try:
        return (yield)
    finally:
        blocker = item.stash.get(_BLOCKER, None)
        if blocker is not None and nextitem is not None and not _is_e2e(nextitem):
            with blocker.unblock():
                restore_demo_county(item.stash[_PASSWORD])


# --- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class PageWatch:
    """What a page did wrong; checked when the page's fixture ends."""

    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=lambda: list(KNOWN_CONSOLE_ERRORS.values()))

    def known(self) -> set[str]:
        return {label for label, p in KNOWN_CONSOLE_ERRORS.items() if any(p.search(e) for e in self.errors)}

    def problems(self) -> list[str]:
        unexpected = [e for e in self.errors if not any(p.search(e) for p in self.allowed)]
        return ([f"console/page error: {e}" for e in unexpected]
                + [f"request to a non-local host (aborted): {u}" for u in self.external])


class KnownAppBugWarning(UserWarning):
    """A console error listed in KNOWN_CONSOLE_ERRORS happened: still a bug, still to fix."""


_watches: dict[int, PageWatch] = {}


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True  # data:, blob:, about: never leave the machine
    return (parts.hostname or "") in LOCAL_HOSTS


def _open_page(browser: Browser, base_url: str, **options: Any) -> tuple[Page, PageWatch]:
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  service_workers="block", **options)
    context.set_default_timeout(10_000)
    watch = PageWatch()

    def guard(route: Route) -> None:
        if _is_local(route.request.url):
            route.continue_()
        else:
            watch.external.append(route.request.url)
            route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            watch.errors.append(f"{message.text} ({where})" if where else message.text)

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.errors.append(f"uncaught {exc.name}: {exc.message}"))
    page.on("websocket", lambda ws: None if _is_local(ws.url) else watch.external.append(ws.url))
    _watches[id(page)] = watch
    return page, watch


def _close_page(page: Page, watch: PageWatch) -> None:
    _watches.pop(id(page), None)
    page.context.close()
    for label in sorted(watch.known()):
        warnings.warn(KnownAppBugWarning(f"tolerated known app bug: {label}"), stacklevel=1)
    problems = watch.problems()
    if problems:
        pytest.fail("the page misbehaved:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    page, watch = _open_page(browser, live_server.url, **PHONE)
    yield page
    _close_page(page, watch)


@pytest.fixture
def desktop(browser: Browser, live_server: Any) -> Iterator[Page]:
    page, watch = _open_page(browser, live_server.url, **DESKTOP)
    yield page
    _close_page(page, watch)


@pytest.fixture
def allow_console_error() -> Callable[[Page, str], None]:
    """Declare one expected console error on a page (a regex searched in the message)."""

    def allow(page: Page, pattern: str) -> None:
        _watches[id(page)].allowed.append(re.compile(pattern))

    return allow


# --- helpers -----------------------------------------------------------------------------------

def take_shot(page: Page, name: str) -> Path:
    if not re.fullmatch(r"[\w.-]+", name):
        raise ValueError(f"screenshot name {name!r}: letters, digits, '_', '-', '.' only")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def shot() -> Callable[[Page, str], Path]:
    """``shot(page, name)``: a full-page PNG at e2e/artifacts/<name>.png; returns the path."""
    return take_shot


@pytest.fixture
def login_as(demo_password: str) -> Callable[[Page, str], Page]:
    """``login_as(page, username)``: log in through the login form and wait for the workspace."""

    def login(page: Page, username: str) -> Page:
        page.goto("/work/login/")
        page.get_by_label("用户名", exact=True).fill(username)
        page.get_by_label("密码", exact=True).fill(demo_password)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(lambda url: "/work/" in url and "/work/login/" not in url)
        # Every signed-in page carries the logout form (collapsed into the menu on a phone).
        expect(page.locator("form[action$='/work/logout/']")).to_be_attached()
        return page

    return login
