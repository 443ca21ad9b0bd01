"""Public pages of 巾帼致富: designated 巾帼科技致富示范村、示范基地 and 示范户 — name, place, trade,
description and a photo marked public. Reads through the development selectors only (the
"reader" audience): never a household head's name, ID number or mobile."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from gongjian.development.models import DemonstrationKind
from gongjian.development.selectors import demonstration as selectors
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import public_view
from gongjian.kernel.selectors import paginate


@public_view
def demonstration_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in DemonstrationKind.values else ""
    page = paginate(selectors.public_demonstrations(kind=kind), page=request.GET.get("page"), per_page=20)
    return render(request, "portal/development/list.html", {"page": page, "kind": kind,
                                                            "kinds": DemonstrationKind.choices})


@public_view
def demonstration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/development/detail.html",
                  {"d": selectors.public_demonstration_get(demonstration_id=pk)})


@public_view
def demonstration_photo(request: HttpRequest, token: str) -> HttpResponseBase:
    return file_response(request, selectors.public_photo_get(token=token), inline=True)
