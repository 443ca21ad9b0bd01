"""Every page, staff and public, passes axe-core with no serious or critical violation.

The pages are found, not listed by hand: for each persona the crawl starts at every route of the
URLconf that takes no argument, then follows the links on each page it opens, and opens ONE page
per URL pattern (the first 人员 detail it meets stands for every 人员 detail). So a new list,
detail page or form is checked as soon as a link leads to it. axe-core is the copy vendored in
gongjian/static/vendor/axe-core (package.json); no page loads it but these tests.

One browser, one login per persona; the personas together reach the county, township and village
federations, a party organisation, the audit console and the public portal.
"""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

AXE_URL = "/static/vendor/axe-core/axe.min.js"
BLOCKING = ("serious", "critical")
MAX_PAGES_PER_PERSONA = 160

# Paths never opened by the crawl: they end the session, change state on GET by design
# (none should), or answer with a file rather than a page.
SKIP_PREFIXES = ("/api/", "/static/", "/i18n/", "/healthz", "/favicon.ico")
SKIP_WORDS = ("logout", "export", "download", ".xlsx", ".csv", ".pdf", ".docx", ".ics", "/file/",
              "/files/", ".xml", ".txt", ".json", "/photo/", "/photos/", "/feed", "/rss", "/atom", "/print", "/poster")

# The routes seen so far across personas: one page per pattern is enough.
_seen_patterns: set[str] = set()


def _pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.url_name else match.route


def _parameterless_paths() -> list[str]:
    """Every route of the URLconf that needs no argument, as a path."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and not entry.pattern.regex.groupindex:
                if "<" in route or "(" in route or "\\" in route:
                    continue
                found.append("/" + (prefix + route).lstrip("^").replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def _wanted(path: str) -> bool:
    if settings.GONGJIAN_ADMIN_PATH and path.startswith("/" + settings.GONGJIAN_ADMIN_PATH):
        return False
    return not (path.startswith(SKIP_PREFIXES) or any(word in path for word in SKIP_WORDS))


def _axe(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        """async (blocking) => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.filter(v => blocking.includes(v.impact)).map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' +
                                         (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160))
          }));
        }""",
        list(BLOCKING),
    )


def crawl(page: Page, starts: list[str], *, staff: bool) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """Open one page per unseen URL pattern reachable from ``starts``; axe each; the violations
    and how many pages were checked. A route the persona may not use answers 403 (the browser
    logs it: allowed here), and an htmx fragment (no <main>) is not a page of its own."""
    host = urlsplit(page.url or "http://127.0.0.1/").netloc
    queue = deque(p for p in starts if _wanted(p))
    failures: dict[str, list[dict[str, Any]]] = {}
    opened = 0
    while queue and opened < MAX_PAGES_PER_PERSONA:
        path = queue.popleft()
        pattern = _pattern_of(path)
        if pattern is None or pattern in _seen_patterns:
            continue
        if staff != path.startswith("/work/"):
            continue
        try:
            response = page.goto(path)
        except PlaywrightError:  # a download, or a page that navigates away at once
            continue
        if (response is None or response.status != 200
                or "text/html" not in (response.headers.get("content-type") or "")
                or urlsplit(page.url).path != urlsplit(path).path):  # redirected elsewhere
            continue
        if not page.locator("main").count():
            continue
        _seen_patterns.add(pattern)
        opened += 1
        violations = _axe(page)
        if violations:
            failures[f"{path} ({pattern})"] = violations
        links = page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(a => a.href)")
        for href in links:
            parts = urlsplit(href)
            if parts.netloc == host and _wanted(parts.path) and _pattern_of(parts.path) not in _seen_patterns:
                queue.append(parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else ""))
    return failures, opened


def _leave(page: Page) -> None:
    """Off the last crawled page, whatever it was still doing (a form sent on load, a redirect)."""
    for _attempt in range(3):
        try:
            page.goto("about:blank")
            return
        except PlaywrightError:
            page.wait_for_load_state("load")
    page.goto("about:blank")


def _report(failures: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for where, violations in failures.items():
        lines.append(where)
        for v in violations:
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
            lines.extend(f"      {node}" for node in v["nodes"])
    return "\n".join(lines)


# The first persona opens most pages; each next one adds what only she reaches (a township's review
# pages, the county's reports, the party side, the audit and security consoles).
STAFF_PERSONAS = {"xiaoliu_women": 40, "taihua_fed": 1, "huayin_fed": 1, "taihua_party": 1, "auditor": 1,
                  "secadmin": 1}


def test_staff_pages_have_no_serious_accessibility_violations(desktop, login_as, allow_console_error):
    """One test, one browser page: each persona logs in once and crawls (a test per persona would
    reload the demo county each time)."""
    allow_console_error(desktop, r"status of 40[345]")
    failures: dict[str, list[dict[str, Any]]] = {}
    opened: dict[str, int] = {}
    for username in STAFF_PERSONAS:
        _leave(desktop)
        desktop.context.clear_cookies()
        login_as(desktop, username)
        starts = ["/work/"] + [p for p in _parameterless_paths() if p.startswith("/work/")]
        found, opened[username] = crawl(desktop, starts, staff=True)
        failures.update({f"[{username}] {where}": v for where, v in found.items()})
    too_few = {u: n for u, n in opened.items() if n < STAFF_PERSONAS[u]}
    assert not too_few, f"the crawl checked too few pages: {opened}"
    assert not failures, "axe found serious or critical violations:\n" + _report(failures)


def test_public_pages_have_no_serious_accessibility_violations(desktop, allow_console_error):
    allow_console_error(desktop, r"status of 40[345]")
    desktop.goto("/")
    starts = ["/"] + [p for p in _parameterless_paths() if not p.startswith("/work/")]
    failures, opened = crawl(desktop, starts, staff=False)
    assert opened >= 15, f"the public crawl checked only {opened} pages"
    # The login page lives under /work/ but is public: check it here too.
    desktop.goto("/work/login/")
    violations = _axe(desktop)
    if violations:
        failures["/work/login/"] = violations
    assert not failures, "axe found serious or critical violations:\n" + _report(failures)
