"""Template tags of 承诺机制 for pages other topics draw: the portal's home section and the
pledges part of a campaign's page. Both read through the selectors (and so the access policy)."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.kernel.permissions import can

from ..selectors import pledge as selectors

register = template.Library()

PORTAL_ROWS = 5


@register.simple_tag
def pledges_on_portal() -> list[Any]:
    """The newest pledges on the portal, for its home page."""
    return list(selectors.public_pledges()[:PORTAL_ROWS])


@register.simple_tag
def pledge_rights(user: Any) -> dict[str, bool]:
    """May the user open the pledges pages, and write a pledge of her organisation?"""
    return {"view": can(user, "campaigns.view_pledge"), "make": can(user, "campaigns.make_pledge")}


@register.simple_tag
def campaign_pledges(campaign: Any, user: Any) -> selectors.CampaignPledges:
    """How many of a campaign's pledges the user reaches were made, rated and kept."""
    return selectors.campaign_pledge_figures(user=user, campaign=campaign)
