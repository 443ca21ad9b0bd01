"""`{% assessment_summary campaign as summary %}`: the campaign's sets and the top of their ranking
for the campaign page (which the core view renders without knowing about assessments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from gongjian.kernel.permissions import can

from ..models import Campaign, CriteriaSet
from ..selectors import assessment as selectors

register = template.Library()
TOP = 5


@dataclass
class Summary:
    sets: list[CriteriaSet] = field(default_factory=list)
    top: list[selectors.RankRow] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def assessment_summary(context: dict[str, Any], campaign: Campaign) -> Summary:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "campaigns.view_assessment"):
        return Summary()
    sets = list(selectors.criteria_set_list_visible_to(user=user, campaign=campaign))
    ranking = selectors.ranking_for(user=user, sets=sets)
    return Summary(sets=sets, top=selectors.rank_rows(ranking.owned[:TOP]) or ranking.own_rows[:TOP])
