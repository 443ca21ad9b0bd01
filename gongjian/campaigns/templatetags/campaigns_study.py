"""`{% study_on_campaign campaign %}`: the study and supervision part of a campaign's page, read
for the signed-in user through the access policy (a constant number of queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from gongjian.kernel import access
from gongjian.kernel.models import Organization

from ..models import Campaign
from ..selectors import study as study_selectors
from ..selectors import supervision as supervision_selectors

register = template.Library()

Kind = Organization.Kind
NOT_WRITING_UNITS = (Kind.LEADING_GROUP, Kind.OFFICE, Kind.WORK_GROUP)


@register.inclusion_tag("campaigns/study/_on_campaign_body.html", takes_context=True)
def study_on_campaign(context: template.Context, campaign: Campaign) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    acting = access.acting_organization(user)
    if acting is None:
        return {"campaign": campaign, "shown": False}
    start = campaign.starts_on
    end = campaign.ends_on or timezone.localdate()
    # Units that write study notes: not the leading groups, offices or work groups set up beside them.
    children = list(access.children(acting).exclude(kind__in=NOT_WRITING_UNITS)[:60])
    counts = study_selectors.note_counts([acting, *children], start, end, campaign=campaign)
    # Who wrote first (a cadre checking her units looks for the silent ones at the bottom).
    rows = sorted(((child, counts.get(child.pk, 0)) for child in children), key=lambda row: -row[1])
    written = sum(1 for _child, n in rows if n)
    return {
        "campaign": campaign, "shown": True, "acting": acting,
        "documents": list(study_selectors.document_list_visible_to(user=user, campaign=campaign)[:20]),
        "note_total": counts.get(acting.pk, 0),
        "note_rows": rows, "units_written": written, "units_silent": len(rows) - written,
        "visits": list(supervision_selectors.visit_list_visible_to(user=user, campaign=campaign)[:20]),
        "meetings": list(supervision_selectors.meeting_list_visible_to(user=user, campaign=campaign)[:20]),
        "reports": list(supervision_selectors.report_list_visible_to(user=user, campaign=campaign)[:20]),
        "start": start, "end": end,
    }
