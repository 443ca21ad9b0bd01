"""Site-wide public addresses at the root: the web app manifest, the service worker (its scope is
the folder it is served from, so it is served at /sw.js, not under /static/) and short links."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from . import shortlinks
from .decorators import public_view

# Kept by the service worker for opening without signal: the files every page needs.
SHELL = ["vendor/bootstrap/css/bootstrap.min.css", "gongjian/site.css", "womenshome/womenshome.css",
         "vendor/bootstrap/js/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js", "gongjian/app.js",
         "gongjian/offline.js", "gongjian/favicon.svg"]
# Pages the service worker keeps its last copy of: the activity form and the public sign-in page.
OFFLINE_PAGES = [r"^/work/womenshome/activities/new/$", r"^/womenshome/signin/[^/]+/$"]


@cache
def _version() -> str:
    """Changes when a kept file changes, so a new deployment replaces the phone's old copies."""
    digest = hashlib.sha256()
    for name in SHELL:
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@public_view
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: added to a phone's home screen, the platform opens as an app."""
    icon = static("gongjian/favicon.svg")
    response = JsonResponse({
        "name": _("共建 · 党群共建工作平台"), "short_name": _("共建"), "lang": "zh-CN",
        "start_url": reverse("kernel:home"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#b71c1c",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@public_view
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (`templates/kernel/sw.js`), written here: no third-party code."""
    response = render(request, "kernel/sw.js", {
        "shell": json.dumps([static(name) for name in SHELL]), "pages": json.dumps(OFFLINE_PAGES),
        "version": json.dumps(_version())}, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@public_view
def short_link(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """/s/<code>/ → the public page it was made for (which checks again that it is public)."""
    return HttpResponseRedirect(shortlinks.shortlink_resolve(code=code))
