"""The public site (no login). It reads through selectors only, never services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.kernel.decorators import public_view


@public_view
def index(request: HttpRequest) -> HttpResponse:
    from gongjian.kernel.navigation import portal_sections

    return render(request, "portal/index.html", {"portal_sections": portal_sections})
