"""The app's home page: one tile per topic the user may open."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.http import AuthedRequest


@staff_view("reports.view")
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "reports/home.html", {})
