"""Reads of campaigns and their plans, through the access policy (invisible means 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.fields import CharField
from django.http import Http404

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization

from ..models import (
    Campaign,
    CampaignState,
    Phase,
    PlanAttachment,
    PlanRevision,
    PlanState,
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


def status_of(plan_due: date | None) -> Case:
    """A plan's board status in SQL (the same rule as `PlanSubmission.status`): a plan still
    being waited for is missing, a returned or accepted one says so, a submitted one is late
    when it first came in after plan_due."""
    late = [When(state=PlanState.SUBMITTED, first_submitted_on__gt=plan_due, then=Value(PlanStatus.LATE.value))] \
        if plan_due else []
    return Case(
        When(state=PlanState.PENDING, then=Value(PlanStatus.MISSING.value)),
        When(state=PlanState.RETURNED, then=Value(PlanStatus.RETURNED.value)),
        When(state=PlanState.ACCEPTED, then=Value(PlanStatus.ACCEPTED.value)),
        *late,
        default=Value(PlanStatus.ON_TIME.value), output_field=CharField())


def _status_filter(status: str, plan_due: date | None) -> Q:
    if status == PlanStatus.MISSING:
        return Q(state=PlanState.PENDING)
    if status in (PlanStatus.RETURNED, PlanStatus.ACCEPTED):
        return Q(state=status)
    submitted = Q(state=PlanState.SUBMITTED)
    if plan_due is None:
        return submitted if status == PlanStatus.ON_TIME else Q(pk__in=[])
    late = Q(first_submitted_on__gt=plan_due)
    return submitted & (late if status == PlanStatus.LATE else ~late)


def plan_board(*, user: Reader, campaign: Campaign, status: str = "") -> QuerySet[PlanSubmission]:
    """The campaign's plans the user reaches (the issuer: all of them; a target: its own and
    those below it), each with its `board_status`, in tree order; `status` filters."""
    rows = access.visible(user, PlanSubmission.objects.filter(campaign=campaign))
    if status in PlanStatus.values:
        rows = rows.filter(_status_filter(status, campaign.plan_due))
    return (rows.annotate(board_status=status_of(campaign.plan_due))
            .select_related("organization", "leading_group")
            .only("id", "campaign_id", "state", "title", "first_submitted_on", "submitted_at", "revision",
                  "organization__id", "organization__name", "organization__path", "organization__kind",
                  "leading_group__id", "leading_group__name")
            .order_by("organization__path"))


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
    """How many plans the user reaches stand in each status (one query)."""
    rows = access.visible(user, PlanSubmission.objects.filter(campaign=campaign))
    got = rows.aggregate(**{s.value: Count("pk", filter=_status_filter(s.value, campaign.plan_due))
                            for s in PlanStatus})
    return BoardCounts(**{k: int(v or 0) for k, v in got.items()})


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
