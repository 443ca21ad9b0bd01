"""Reads of campaigns, through the access policy (invisible means 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from gongjian.kernel import access
from gongjian.kernel.http import Reader

from ..models import Campaign


def campaign_list_visible_to(*, user: Reader) -> QuerySet[Campaign]:
    """Campaigns the user reaches: her subtree's, and those issued to her organisation from above."""
    return access.visible(user, Campaign.objects.select_related("organization").prefetch_related("phases"))


def campaign_get_for_user(*, campaign_id: object, user: Reader) -> Campaign:
    """One campaign the user reaches, or Http404."""
    return access.get(user, Campaign.objects.select_related("organization").prefetch_related(
        "phases", "co_organizations"), campaign_id)
