"""Public page of 维权与关爱服务: the hotlines (12338 and the 妇女悄悄话 lines), the public service
sites by township and village (kind, address, hours, public phone), and the health rounds announced
ahead. Reads through the support selectors only (the "reader" audience): a contact's name only
where the site marks it public, her mobile never."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from gongjian.kernel.decorators import public_view
from gongjian.support.selectors import service as selectors


@public_view
def services(request: HttpRequest) -> HttpResponse:
    places, lines = selectors.public_sites_by_place()
    return render(request, "portal/support/service/services.html", {
        "places": places, "lines": lines, "rounds": selectors.public_rounds_announced(),
        "national": selectors.NATIONAL_HOTLINE, "national_label": selectors.NATIONAL_HOTLINE_LABEL})


urlpatterns = [
    path("support/services/", services, name="support-services"),
]
