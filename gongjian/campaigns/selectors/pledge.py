"""Reads of 承诺机制 through the access policy: staff see their subtree's pledges; the portal's
readers (`audience="reader"`) see published public pledges, their updates and shown comments,
and never who wrote a comment or which cadre by name."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, Person, Position, StoredFile

from ..models import (
    KEPT_RATINGS,
    ON_PORTAL,
    Campaign,
    Pledge,
    PledgeComment,
    PledgeState,
    PledgeUpdate,
)

READER = "reader"


# --- staff ---------------------------------------------------------------------------------------

def pledge_list_visible_to(*, user: Reader, organization_id: Any = None, state: str = "",
                           campaign_id: Any = None) -> QuerySet[Pledge]:
    """Pledges of the user's subtree, newest first; narrowed to one organisation's subtree, a
    state or a campaign (an organisation or campaign out of reach is a 404)."""
    rows = access.visible(user, Pledge.objects.select_related("organization", "campaign"))
    if organization_id:
        org = access.get(user, Organization.objects.all(), organization_id)
        rows = access.within(rows, org)
    if state in PledgeState.values:
        rows = rows.filter(state=state)
    if campaign_id:
        campaign = access.get(user, Campaign.objects.all(), campaign_id)
        rows = rows.filter(campaign=campaign)
    return rows.annotate(pending_comments=Count("comments", filter=Q(comments__state=PledgeComment.State.PENDING))
                         ).order_by("-published_at", "-id")


def pledge_get_for_user(*, user: Reader, pledge_id: Any) -> Pledge:
    return access.get(user, Pledge.objects.select_related(
        "organization", "campaign", "cadre", "evaluated_by_organization"), pledge_id)


def updates_of(pledge: Pledge) -> QuerySet[PledgeUpdate]:
    return pledge.updates.select_related("photo").order_by("-date", "-id")


def comments_of(pledge: Pledge) -> QuerySet[PledgeComment]:
    return pledge.comments.order_by("-submitted_at", "-id")


def update_photo_get_for_user(*, user: Reader, update_id: Any) -> StoredFile:
    update = access.get(user, PledgeUpdate.objects.select_related("photo", "pledge__organization"), update_id)
    if update.photo is None:
        raise Http404
    return update.photo


def comment_get_for_user(*, user: Reader, comment_id: Any) -> PledgeComment:
    return access.get(user, PledgeComment.objects.select_related("pledge", "pledge__organization"), comment_id)


def comments_to_moderate(*, user: Reader, state: str = PledgeComment.State.PENDING) -> QuerySet[PledgeComment]:
    """Comments on the pledges of the acting organisation itself (its staff moderate them)."""
    acting = access.acting_organization(user)
    if acting is None:
        return PledgeComment.objects.none()
    rows = access.visible(user, PledgeComment.objects.select_related("pledge")).filter(
        pledge__organization=acting)
    if state in PledgeComment.State.values:
        rows = rows.filter(state=state)
    return rows.order_by("submitted_at", "id")


def cadre_choices(*, user: Reader) -> QuerySet[Person]:
    """The people holding a current position in the acting organisation (who may pledge as cadres)."""
    acting = access.acting_organization(user)
    if acting is None:
        return Person.objects.none()
    today = timezone.localdate()
    holders = (Position.objects.filter(organization=acting, start_date__lte=today)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values("person"))
    return access.visible(user, Person.objects.filter(pk__in=holders)).order_by("name", "id")


def campaign_choices(*, user: Reader) -> QuerySet[Campaign]:
    """Issued campaigns the user reaches (hers or issued to her from above)."""
    return access.visible(user, Campaign.objects.filter(state="issued")).order_by("-starts_on", "-id")


@dataclass(frozen=True)
class CampaignPledges:
    made: int
    kept: int
    evaluated: int


def campaign_pledge_figures(*, user: Reader, campaign: Campaign) -> CampaignPledges:
    """The campaign's pledges the user reaches: made (published or rated), rated, and kept."""
    rows = access.visible(user, Pledge.objects.filter(campaign=campaign, state__in=ON_PORTAL))
    found = rows.aggregate(made=Count("pk"), evaluated=Count("pk", filter=Q(state=PledgeState.EVALUATED)),
                           kept=Count("pk", filter=Q(state=PledgeState.EVALUATED, rating__in=KEPT_RATINGS)))
    return CampaignPledges(made=found["made"] or 0, kept=found["kept"] or 0, evaluated=found["evaluated"] or 0)


# --- the portal ----------------------------------------------------------------------------------

def public_pledges(*, user: Reader = None, organization_id: Any = None) -> QuerySet[Pledge]:
    """Published public pledges (of one organisation's subtree when asked), newest first, with
    their latest progress."""
    rows = access.visible(user, Pledge.objects.select_related("organization", "campaign"), audience=READER)
    if organization_id:
        rows = access.within(rows, public_organization_get(organization_id=organization_id))
    latest = Prefetch("updates", queryset=PledgeUpdate.objects.order_by("-date", "-id"), to_attr="recent_updates")
    return rows.prefetch_related(latest).order_by("-published_at", "-id")


def public_pledge_get(*, pledge_id: Any, user: Reader = None) -> Pledge:
    return access.get(user, Pledge.objects.select_related("organization", "campaign", "evaluated_by_organization"),
                      pledge_id, audience=READER)


def public_updates(pledge: Pledge) -> QuerySet[PledgeUpdate]:
    return access.visible(None, pledge.updates.select_related("photo"), audience=READER).order_by("-date", "-id")


def public_comments(pledge: Pledge) -> QuerySet[PledgeComment]:
    return access.visible(None, pledge.comments.all(), audience=READER).order_by("submitted_at", "id")


def public_photo_get(*, token: str) -> StoredFile:
    """A progress photo marked public, of a pledge on the portal."""
    update = (access.visible(None, PledgeUpdate.objects.select_related("photo"), audience=READER)
              .filter(photo__token=token, photo_is_public=True).first())
    if update is None or update.photo is None:
        raise Http404
    return update.photo


def public_organization_get(*, organization_id: Any) -> Organization:
    """An organisation named in a portal address (`?org=`): any active one, or 404."""
    try:
        return Organization.objects.get(pk=organization_id, is_active=True)
    except (Organization.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_organizations_with_pledges() -> QuerySet[Organization]:
    """The organisations with a pledge on the portal (for the portal's filter)."""
    on_portal = access.visible(None, Pledge.objects.all(), audience=READER).values("organization")
    return Organization.objects.filter(pk__in=on_portal).order_by("path")


# --- figures (kernel.figures) --------------------------------------------------------------------

def provide_figures(ask: figures.Ask) -> figures.Answer:
    """承诺: pledges made (published in the period) and kept (rated 满意/基本满意 in the period),
    per asked organisation's subtree; three queries however many organisations are asked."""
    start, end = ask.start, ask.end
    per_org: dict[int, dict[str, int]] = defaultdict(dict)
    if ask.wants("made"):
        made = (Pledge.objects.filter(state__in=ON_PORTAL, published_at__date__gte=start,
                                      published_at__date__lte=end)
                .values("organization").annotate(n=Count("pk")))
        for row in made:
            per_org[row["organization"]]["made"] = row["n"]
    if ask.wants("kept"):
        kept = (Pledge.objects.filter(state=PledgeState.EVALUATED, rating__in=KEPT_RATINGS,
                                      evaluated_at__date__gte=start, evaluated_at__date__lte=end)
                .values("organization").annotate(n=Count("pk")))
        for row in kept:
            per_org[row["organization"]]["kept"] = row["n"]
    return figures.rollup_many(per_org, ask.organizations)
