"""Public pages of commendation (宣传先进事迹): the awarded exemplars with their deeds, filterable by
organisation, and the nominations on public notice. Reads through selectors only; of a person
nothing but her name and deeds."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.campaigns.models import NominationState, TitleKind
from gongjian.campaigns.selectors import commendation as selectors
from gongjian.kernel.decorators import public_view
from gongjian.kernel.selectors import paginate


@public_view
def exemplars(request: HttpRequest) -> HttpResponse:
    organization = selectors.public_organization(request.GET.get("org"))
    kind = request.GET.get("kind", "")
    rows = selectors.exemplars_public(organization=organization, kind=kind)
    return render(request, "portal/campaigns/commendation/exemplar_list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=20), "organization": organization,
        "kind": kind if kind in TitleKind.values else "", "kinds": TitleKind.choices,
        "organizations": selectors.public_organizations(),
        "running": selectors.nominations_on_notice(organization=organization)})


@public_view
def exemplar(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/campaigns/commendation/exemplar_detail.html", {
        "nomination": selectors.exemplar_public_get(nomination_id=pk)})


@public_view
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    found, nomination = selectors.notice_public_get(notice_id=notice_id)
    return render(request, "portal/campaigns/commendation/notice_detail.html", {
        "notice": found, "nomination": nomination, "running": found.is_running(),
        "awarded": nomination.state == NominationState.AWARDED})
