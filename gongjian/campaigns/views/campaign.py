"""Staff pages of campaigns: the list, one campaign."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.selectors import paginate

from ..models import Campaign
from ..selectors import campaign as selectors


@staff_view("campaigns.view")
def campaign_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(selectors.campaign_list_visible_to(user=request.user), page=request.GET.get("page"),
                    per_page=30)
    return render(request, "campaigns/campaign_list.html", {"page": page})


@staff_view("campaigns.view", objects={"pk": Campaign})
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(campaign_id=pk, user=request.user)
    return render(request, "campaigns/campaign_detail.html", {"campaign": campaign,
                                                              "phase": campaign.current_phase()})
