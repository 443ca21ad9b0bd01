"""What the e2e tests judge on every page a cadre or a visitor uses on a phone.

Each check first waits for the page's `load` event: a click that navigates returns once the new
page is committed, and an element can be visible before the stylesheets have arrived, when a
`.btn` still has the browser's default height (seen on a loaded CI machine: a 25 px back link
that is 44 px once the CSS applies).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

MIN_TAP_PX = 40
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
FULL_ID_NUMBER = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")

NAV_TARGETS = "nav.navbar a, nav.navbar button, nav.navbar select"
FORM_TARGETS = (
    "main button, main .btn, main select, "
    "main input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
)

# Visible elements whose height is under the minimum, as [text, height] pairs.
_UNDERSIZED_JS = """([selector, minimum]) => Array.from(document.querySelectorAll(selector))
  .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
  .map(el => [(el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 30),
              Math.round(el.getBoundingClientRect().height * 10) / 10])
  .filter(([, h]) => h < minimum)"""


def settled(page: Page) -> None:
    """Wait until the page and its stylesheets have loaded."""
    page.wait_for_load_state("load")


def undersized(page: Page, selector: str = FORM_TARGETS) -> list[list[Any]]:
    settled(page)
    return page.evaluate(_UNDERSIZED_JS, [selector, MIN_TAP_PX])


def assert_no_sideways_scroll(page: Page) -> None:
    settled(page)
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, (
        f"{page.url} scrolls sideways: content {widths[0]}px > {widths[1]}px"
    )


def assert_phone_friendly(page: Page, selector: str = FORM_TARGETS) -> None:
    """Every button and field big enough to tap, and nothing wider than the screen."""
    small = undersized(page, selector)
    assert small == [], f"tap targets under {MIN_TAP_PX}px on {page.url}: {small}"
    assert_no_sideways_scroll(page)


def assert_no_full_numbers(page: Page) -> None:
    text = page.locator("body").inner_text()
    assert not FULL_MOBILE.search(text), f"a full mobile number is on {page.url}"
    assert not FULL_ID_NUMBER.search(text), f"a full ID number is on {page.url}"
