"""The 大字 (large-text, high-contrast) display mode: a preference of the device, not of the account.

The page script (static/gongjian/display.js) keeps it in localStorage and sets the ``gj-large``
class on <html> before the first paint, so it works offline and for a visitor without an account.
It also writes the ``gj_large_text`` cookie, which the base template reads, so the class is right
in the HTML itself; :func:`large_text_toggle` is the same switch for a browser without JavaScript.
Nothing is stored on the server and nothing is audited: it changes how pages look, on one device.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from .decorators import public_view

COOKIE = "gj_large_text"
ONE_YEAR = 365 * 24 * 3600


def large_text_on(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


@public_view
def large_text_toggle(request: HttpRequest) -> HttpResponse:
    """The no-JavaScript switch: flip the cookie and go back to the page (only a local page)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(COOKIE, "0" if large_text_on(request) else "1", max_age=ONE_YEAR,
                        samesite="Lax", secure=not settings.DEBUG and request.is_secure())
    return response
