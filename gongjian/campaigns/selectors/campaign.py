"""Reads of campaigns and their plans, through the access policy (invisible means 404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import Page, paginate

from ..models import (
    Campaign,
    CampaignState,
    Phase,
    PlanAttachment,
    PlanRevision,
    PlanStatus,
    PlanSubmission,
)


def campaign_list_visible_to(*, user: Reader, state: str = "") -> QuerySet[Campaign]:
    """Campaigns the user reaches: her subtree's, and those issued to her organisation from above."""
    found = access.visible(user, Campaign.objects.select_related("organization").prefetch_related("phases"))
    return found.filter(state=state) if state in CampaignState.values else found


def campaign_get_for_user(*, campaign_id: object, user: Reader) -> Campaign:
    """One campaign the user reaches, or Http404."""
    return access.get(user, Campaign.objects.select_related("organization").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("sort_order", "starts_on", "id")),
        "co_organizations", "target_organizations"), campaign_id)


# --- the plan board ------------------------------------------------------------------------------


#: One row of the board, as plain values (the page and the API read these; no model instances).
BOARD_ROW = {"organization_name": F("organization__name"), "leading_group_name": F("leading_group__name")}
BOARD_FIELDS = ("id", "organization_id", "status", "title", "first_submitted_on", "submitted_at", "revision",
                "leading_group_id")


def plan_board(*, user: Reader, campaign: Campaign, status: str = "") -> QuerySet[Any]:
    """The campaign's plans the user reaches (the issuer: all of them; a target: its own and
    those below it), in tree order, as dicts of `BOARD_FIELDS` + organization_name and
    leading_group_name; `status` filters (one of PlanStatus, else all)."""
    rows = access.visible(user, PlanSubmission.objects.filter(campaign=campaign))
    if status in PlanStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("organization__path").values(*BOARD_FIELDS, **BOARD_ROW)


@dataclass(frozen=True)
class BoardCounts:
    on_time: int
    late: int
    missing: int
    returned: int
    accepted: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.missing + self.returned + self.accepted

    @property
    def submitted(self) -> int:
        return self.total - self.missing

    def items(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the board's order."""
        return [(s.value, str(s.label), getattr(self, s.value)) for s in PlanStatus]


def plan_counts(*, user: Reader, campaign: Campaign) -> BoardCounts:
    """How many plans the user reaches stand in each status (at most one query)."""
    return _counts(user, campaign, access.visible(user, PlanSubmission.objects.filter(campaign=campaign)))


def _counts(user: Reader, campaign: Campaign, reached: QuerySet[PlanSubmission]) -> BoardCounts:
    """Every target lies in the issuer's subtree: a reader whose reach covers the issuer reaches
    every plan, and reads the counts the services keep on the campaign (no query); anyone else
    (a township reading its county's campaign) has hers counted."""
    if access.may(user, campaign.organization, reach=access.reach_of(PlanSubmission)):
        got = campaign.plan_counts or {}
    else:
        got = {row["status"]: row["n"] for row in reached.order_by().values("status").annotate(n=Count("*"))}
    return BoardCounts(**{s.value: int(got.get(s.value, 0)) for s in PlanStatus})


def board_page(*, user: Reader, campaign: Campaign, status: str = "", page: object = 1,
               per_page: int = 50) -> tuple[Page, BoardCounts]:
    """One page of the board and the counts per status: two queries, whatever the campaign's size."""
    reached = access.visible(user, PlanSubmission.objects.filter(campaign=campaign))
    rows = reached.filter(status=status) if status in PlanStatus.values else reached
    found = paginate(rows.order_by("organization__path").values(*BOARD_FIELDS, **BOARD_ROW), page=page,
                     per_page=per_page)
    return found, _counts(user, campaign, reached)


def plan_get_for_user(*, user: Reader, campaign: Campaign, plan_id: object) -> PlanSubmission:
    """One plan of this campaign the user reaches, or Http404 (another campaign's plan too)."""
    return access.get(user, PlanSubmission.objects.filter(campaign=campaign).select_related(
        "campaign", "campaign__organization", "organization", "leading_group", "reviewed_by"), plan_id)


def own_plan(*, user: Reader, campaign: Campaign) -> PlanSubmission | None:
    """The plan of the organisation she acts for, if it is one of the campaign's targets."""
    org = access.acting_organization(user)
    if org is None:
        return None
    return PlanSubmission.objects.filter(campaign=campaign, organization=org).first()


def revisions_of(plan: PlanSubmission) -> QuerySet[PlanRevision]:
    """Every submission of a plan, newest first, with its files."""
    return plan.revisions.select_related("leading_group", "submitted_by", "reviewed_by").prefetch_related(
        Prefetch("attachments", queryset=PlanAttachment.objects.select_related("file")))


def attachment_get_for_user(*, user: Reader, token: str) -> PlanAttachment:
    """A plan's file the user reaches, by its token, or Http404."""
    found = access.visible(user, PlanAttachment.objects.select_related("file").filter(file__token=token)).first()
    if found is None:
        raise Http404
    return found


def reaches_organization(user: Reader, organization: Organization) -> bool:
    return access.visible(user, Organization.objects.filter(pk=organization.pk)).exists()


# --- figures offered to the other bodies of work (apps.py) --------------------------------------


def plan_figures(ask: figures.Ask) -> figures.Answer:
    """`campaigns.plans_submitted` / `plans_on_time`: plans first sent within the period by each
    asked organisation's subtree (on time = by its campaign's plan_due). Two queries, however
    many organisations are asked: one grouped count, one of paths (`figures.rollup_many`)."""
    rows = (PlanSubmission.objects.filter(first_submitted_on__gte=ask.start, first_submitted_on__lte=ask.end)
            .values("organization_id")
            .annotate(submitted=Count("pk"),
                      on_time=Count("pk", filter=Q(campaign__plan_due__isnull=True)
                                    | Q(first_submitted_on__lte=F("campaign__plan_due")))))
    counts = {row["organization_id"]: {"plans_submitted": row["submitted"], "plans_on_time": row["on_time"]}
              for row in rows}
    return figures.rollup_many(counts, ask.organizations)
