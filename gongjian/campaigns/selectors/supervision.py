"""Reads of 督查指导, meetings and research reports, through the access policy (404 out of reach)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from gongjian.kernel import access
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization

from ..models import Campaign, FollowUp, FollowUpState, Meeting, ResearchReport, SupervisionVisit


def visit_list_visible_to(*, user: Reader, campaign: Campaign | None = None) -> QuerySet[SupervisionVisit]:
    qs = SupervisionVisit.objects.select_related("organization", "visited", "campaign").annotate(
        followup_count=Count("followups"),
        open_count=Count("followups", filter=Q(followups__state=FollowUpState.OPEN)))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return access.visible(user, qs)


def visit_get_for_user(*, user: Reader, visit_id: Any) -> SupervisionVisit:
    return access.get(user, SupervisionVisit.objects.select_related("organization", "visited", "campaign"), visit_id)


def followup_get_for_user(*, user: Reader, followup_id: Any) -> FollowUp:
    return access.get(user, FollowUp.objects.select_related(
        "visit__organization", "visit__visited", "visit__campaign", "answered_by__person"), followup_id)


def followups_for_organization(*, user: Reader, organization: Organization) -> QuerySet[FollowUp]:
    """The follow-ups the organisation has to answer (open or returned) or has answered,
    open ones first by deadline."""
    qs = FollowUp.objects.select_related("visit__organization").filter(visit__visited=organization).exclude(
        state=FollowUpState.CONFIRMED).order_by("-state", "due_on", "id")
    return access.visible(user, qs)


def followups_to_confirm(*, user: Reader, organization: Organization) -> QuerySet[FollowUp]:
    """Answers waiting for the visiting organisation to confirm."""
    qs = FollowUp.objects.select_related("visit__visited").filter(
        visit__organization=organization, state=FollowUpState.ANSWERED).order_by("answered_on", "id")
    return access.visible(user, qs)


def meeting_list_visible_to(*, user: Reader, campaign: Campaign | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("organization", "campaign")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return access.visible(user, qs)


def meeting_get_for_user(*, user: Reader, meeting_id: Any) -> Meeting:
    return access.get(user, Meeting.objects.select_related("organization", "campaign"), meeting_id)


def report_list_visible_to(*, user: Reader, campaign: Campaign | None = None) -> QuerySet[ResearchReport]:
    qs = ResearchReport.objects.select_related("organization", "campaign")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return access.visible(user, qs)


def report_get_for_user(*, user: Reader, report_id: Any) -> ResearchReport:
    return access.get(user, ResearchReport.objects.select_related("organization", "campaign", "attachment"),
                      report_id)
