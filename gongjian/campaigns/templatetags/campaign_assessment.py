"""`{% assessment_summary campaign as summary %}`: the campaign's sets, each with the top of its
ranking, for the campaign page (which the core view renders without knowing about assessments)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import template

from gongjian.kernel.permissions import can

from ..models import Campaign, CriteriaSet
from ..selectors import assessment as selectors

register = template.Library()
TOP = 3


@dataclass
class SetSummary:
    criteria_set: CriteriaSet
    top: list[selectors.RankRow]


@dataclass
class Summary:
    allowed: bool = False  # she may read assessments at all (the party line may not)
    sets: list[SetSummary] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def assessment_summary(context: dict[str, Any], campaign: Campaign) -> Summary:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "campaigns.view_assessment"):
        return Summary()
    sets = list(selectors.criteria_set_list_visible_to(user=user, campaign=campaign))
    ranking = selectors.ranking_for(user=user, sets=sets)
    per_set: dict[int, list[selectors.RankRow]] = defaultdict(list)
    # One query: the first ranks of every set she owns (a filter on the window annotation, which
    # the type checker's plugin cannot see on a values() query), and her own rows.
    for row in [*selectors.rank_rows(ranking.owned.filter(**{"rank__lte": TOP})), *ranking.own_rows]:
        per_set[row.criteria_set_id].append(row)
    return Summary(allowed=True, sets=[SetSummary(s, per_set.get(s.pk, [])) for s in sets])
