"""Public pages of 承诺机制: published public pledges with their progress and the comments their
organisations chose to show. Reads through the campaigns selectors only (the "reader" audience):
no cadre's name, no commenter's contact, photos only when marked public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from gongjian.campaigns.forms.pledge import CommentForm
from gongjian.campaigns.selectors import pledge as selectors
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import public_view
from gongjian.kernel.selectors import paginate


@public_view
def pledge_list(request: HttpRequest) -> HttpResponse:
    org_id = request.GET.get("org") or None
    org = selectors.public_organization_get(organization_id=org_id) if org_id else None
    page = paginate(selectors.public_pledges(organization_id=org_id), page=request.GET.get("page"), per_page=20)
    return render(request, "portal/campaigns/pledge/list.html", {
        "page": page, "org": org, "org_id": str(org_id or ""),
        "organizations": selectors.public_organizations_with_pledges()})


@public_view
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = selectors.public_pledge_get(pledge_id=pk)
    return render(request, "portal/campaigns/pledge/detail.html", {
        "pledge": pledge, "updates": selectors.public_updates(pledge), "comments": selectors.public_comments(pledge),
        "form": CommentForm()})


@public_view
def pledge_photo(request: HttpRequest, token: str) -> HttpResponseBase:
    return file_response(request, selectors.public_photo_get(token=token), inline=True)
