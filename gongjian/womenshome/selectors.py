"""Womenshome reads through the kernel's access policy: another subtree's record is a 404, never
a 403; each record type's reach is declared in rules.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from gongjian.kernel import access
from gongjian.kernel.figures import Line
from gongjian.kernel.models import Organization, Person, PublicNotice, User
from gongjian.kernel.notices import notices_for, notices_running
from gongjian.kernel.selectors import (
    organization_get_for_user,
    person_list_visible_to,
    visible_organizations,
)

from .models import (
    COVERED_STATUSES,
    Activity,
    ActivityKind,
    ActivityPhoto,
    Attendance,
    Honour,
    HonourKind,
    HonourQuota,
    SignIn,
    SitePhoto,
    SiteStatus,
    Team,
    TeamMember,
    WomensHome,
)
from .workflow import HonourState

Kind = Organization.Kind
UNIT_KINDS = (Kind.VILLAGE_FEDERATION,)


# --- organisations -------------------------------------------------------------------------------

def organization_for_user(*, user: User, organization_id: Any = None) -> Organization:
    """The organisation a page is about: the one asked for if visible (else 404), or the acting one."""
    if organization_id not in (None, ""):
        return organization_get_for_user(user=user, organization_id=organization_id)
    acting = user.acting
    if acting is None:
        raise Http404
    return acting.organization


def parent_of(organization: Organization) -> Organization | None:
    """The organisation one level up (None at a root)."""
    if organization.depth <= 1:
        return None
    return Organization.objects.filter(path=organization.path[: -organization.steplen]).first()


def federation_choices(*, user: User) -> models.QuerySet[Organization]:
    """Federation organisations in scope (for organiser and filter choices)."""
    return (visible_organizations(user).filter(kind__in=Organization.FEDERATION_KINDS)
            .select_related("region").order_by("path"))


def units_below(organization: Organization) -> models.QuerySet[Organization]:
    """The villages and communities (their federations) at or below an organisation."""
    return access.within(Organization.objects.filter(kind__in=UNIT_KINDS), organization, via="")


# --- sites ---------------------------------------------------------------------------------------

def site_list_visible_to(*, user: User, organization_id: Any = None, status: str = "",
                         covered: bool | None = None) -> models.QuerySet[WomensHome]:
    qs = access.visible(user, WomensHome.objects.all())
    if organization_id:
        org = organization_get_for_user(user=user, organization_id=organization_id)
        qs = access.within(qs, org)
    if status in SiteStatus.values:
        qs = qs.filter(status=status)
    if covered is True:
        qs = qs.filter(status__in=COVERED_STATUSES)
    elif covered is False:
        qs = qs.exclude(status__in=COVERED_STATUSES)
    return qs.select_related("organization", "organization__region").order_by("organization__path")


def site_get_for_user(*, user: User, site_id: Any) -> WomensHome:
    return access.get(user, WomensHome.objects.select_related("organization", "organization__region"), site_id)


def units_without_site(*, user: User) -> models.QuerySet[Organization]:
    """Villages and communities in scope that have no 妇女之家 record yet."""
    return (visible_organizations(user).filter(kind__in=UNIT_KINDS, womens_home__isnull=True)
            .select_related("region").order_by("path"))


@dataclass(frozen=True)
class CoverageRow:
    organization: Organization
    units: int
    covered: int
    by_status: dict[str, int]
    site: WomensHome | None = None  # for a single village or community

    @property
    def rate(self) -> float:
        return self.covered / self.units if self.units else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def coverage_totals(*, organization: Organization) -> CoverageRow:
    """Built sites / villages and communities below an organisation, in one query."""
    totals = units_below(organization).aggregate(
        units=Count("id"), covered=Count("id", filter=Q(womens_home__status__in=COVERED_STATUSES)))
    return CoverageRow(organization=organization, units=totals["units"], covered=totals["covered"], by_status={})


def coverage_board(*, organization: Organization) -> tuple[CoverageRow, list[CoverageRow]]:
    """Coverage of an organisation (total) and of each organisation one level down.

    A township's rows are its villages and communities; a county's, its townships."""
    units = list(units_below(organization).select_related("region").order_by("path"))
    sites = {s.organization_id: s for s in WomensHome.objects.filter(organization__in=units)}
    children = list(access.children(organization).filter(kind__in=Organization.FEDERATION_KINDS)
                    .select_related("region").order_by("region__code", "path"))

    def row_for(org: Organization) -> CoverageRow:
        mine = [u for u in units if u.path.startswith(org.path)]
        statuses = dict.fromkeys(SiteStatus.values, 0)
        statuses["none"] = 0
        covered = 0
        for unit in mine:
            site = sites.get(unit.pk)
            statuses[site.status if site else "none"] += 1
            covered += bool(site and site.is_covered)
        single = sites.get(org.pk) if org.kind in UNIT_KINDS else None
        return CoverageRow(organization=org, units=len(mine), covered=covered, by_status=statuses, site=single)

    return row_for(organization), [row_for(c) for c in children]


# --- teams ---------------------------------------------------------------------------------------

def team_list_visible_to(*, user: User, organization_id: Any = None, kind: str = "") -> models.QuerySet[Team]:
    qs = access.visible(user, Team.objects.all())
    if organization_id:
        org = organization_get_for_user(user=user, organization_id=organization_id)
        qs = access.within(qs, org)
    if kind:
        qs = qs.filter(kind=kind)
    return (qs.select_related("organization").annotate(member_count=Count("members"))
            .order_by("organization__path", "name"))


def team_get_for_user(*, user: User, team_id: Any) -> Team:
    return access.get(user, Team.objects.select_related("organization"), team_id)


def team_members(team: Team) -> models.QuerySet[TeamMember]:
    return team.members.select_related("person", "person__organization").order_by("-role", "person__name", "id")


def team_member_get(*, team: Team, member_id: Any) -> TeamMember:
    try:
        return team.members.select_related("person").get(pk=member_id)
    except (TeamMember.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


# --- activities ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityFilter:
    """The filters every activity list, figure drill-down and export shares."""

    organization: Organization | None = None
    site_id: int | None = None
    kind: str = ""
    line: str = ""
    training: bool = False
    public_performance: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    def apply(self, qs: models.QuerySet[Activity]) -> models.QuerySet[Activity]:
        from .models import TRAINING_KINDS

        if self.organization is not None:
            qs = access.within(qs, self.organization)
        if self.site_id:
            qs = qs.filter(site_id=self.site_id)
        if self.kind in ActivityKind.values:
            qs = qs.filter(kind=self.kind)
        if self.line in Line.values:
            qs = qs.filter(line=self.line)
        if self.training:
            qs = qs.filter(kind__in=TRAINING_KINDS)
        if self.public_performance:
            qs = qs.filter(is_public_performance=True)
        if self.date_from:
            qs = qs.filter(date__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(date__lte=self.date_to)
        if self.q:
            qs = qs.filter(Q(title__contains=self.q) | Q(place__contains=self.q))
        return qs

    def as_query(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.organization is not None:
            out["org"] = str(self.organization.pk)
        if self.site_id:
            out["site"] = str(self.site_id)
        if self.kind:
            out["kind"] = self.kind
        if self.line:
            out["line"] = self.line
        if self.training:
            out["training"] = "1"
        if self.public_performance:
            out["performance"] = "1"
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.q:
            out["q"] = self.q
        return out


def activity_list_visible_to(*, user: User, filters: ActivityFilter | None = None) -> models.QuerySet[Activity]:
    qs = access.visible(user, Activity.objects.all())
    if filters is not None:
        qs = filters.apply(qs)
    return (qs.select_related("organization", "site", "team")
            .annotate(attendance_count=Count("attendances"))
            .order_by("-date", "-id"))


def activity_get_for_user(*, user: User, activity_id: Any) -> Activity:
    return access.get(user, Activity.objects.select_related("organization", "site", "team", "created_by"), activity_id)


def activity_photo_get_for_user(*, user: User, activity: Activity, photo_id: Any) -> ActivityPhoto:
    """One photo of an activity the user reaches (Http404 for another activity's or place's)."""
    return access.get(user, activity.photos.select_related("file", "activity__organization"), photo_id)


def site_photo_get_for_user(*, user: User, site: WomensHome, photo_id: Any) -> SitePhoto:
    return access.get(user, site.photos.select_related("file", "site__organization"), photo_id)


def attendance_of(activity: Activity) -> models.QuerySet[Attendance]:
    return (activity.attendances.select_related("person", "person__organization")
            .order_by("signed_in_at", "id"))


def attendance_get(*, activity: Activity, attendance_id: Any) -> Attendance:
    try:
        return activity.attendances.select_related("person").get(pk=attendance_id)
    except (Attendance.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def attendance_list_visible_to(*, user: User, filters: ActivityFilter) -> models.QuerySet[Attendance]:
    """Named attendance behind the person-times figure (drill-down)."""
    activities = filters.apply(access.visible(user, Activity.objects.all()))
    return (Attendance.objects.filter(activity__in=activities)
            .select_related("person", "person__organization", "activity", "activity__organization")
            .order_by("-activity__date", "activity_id", "id"))


def people_trained_visible_to(*, user: User, filters: ActivityFilter) -> models.QuerySet[Person]:
    """The distinct people behind "people trained" (drill-down)."""
    from .models import TRAINING_KINDS

    activities = filters.apply(access.visible(user, Activity.objects.filter(kind__in=TRAINING_KINDS)))
    return (Person.objects.filter(attendances__activity__in=activities).distinct()
            .select_related("organization").annotate(sessions=Count("attendances"))
            .order_by("name", "id"))


def signins_of(activity: Activity, *, state: str | None = None) -> models.QuerySet[SignIn]:
    qs = activity.signins.select_related("person")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("submitted_at", "id")


def signin_get(*, activity: Activity, signin_id: Any) -> SignIn:
    try:
        return activity.signins.get(pk=signin_id)
    except (SignIn.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def signin_candidates(signin: SignIn) -> list[Person]:
    """Roster people of the organiser's subtree who could be this attendee: same mobile or name."""
    area = signin.activity.organization
    found = (access.within(Person.objects.all(), area)
             .filter(Q(mobile_index=signin.mobile_index) | Q(name=signin.name)).select_related("organization"))
    return list(found.order_by("name", "id")[:10])


def people_for_attendance(*, user: User, activity: Activity, q: str) -> list[Person]:
    """Search the roster to add someone to an activity (in the user's scope)."""
    q = (q or "").strip()
    if not q:
        return []
    taken = activity.attendances.values("person_id")
    return list(person_list_visible_to(user=user, q=q).exclude(pk__in=taken)[:20])


def photo_get_for_user(*, user: User, token: str) -> ActivityPhoto | SitePhoto:
    """A site or activity photo the user may see, by its file token."""
    photo = access.visible(user, ActivityPhoto.objects.select_related("file", "activity__organization")
                           .filter(file__token=token)).first()
    if photo is not None:
        return photo
    site_photo = access.visible(user, SitePhoto.objects.select_related("file", "site__organization")
                                .filter(file__token=token)).first()
    if site_photo is not None:
        return site_photo
    raise Http404


# --- honours -------------------------------------------------------------------------------------

def honour_list_visible_to(*, user: User, year: Any = None, kind: str = "", state: str = "",
                           organization_id: Any = None) -> models.QuerySet[Honour]:
    qs = access.visible(user, Honour.objects.all())
    if organization_id:
        org = organization_get_for_user(user=user, organization_id=organization_id)
        qs = access.within(qs, org)
    try:
        if year:
            qs = qs.filter(year=int(year))
    except (TypeError, ValueError):
        pass
    if kind in HonourKind.values:
        qs = qs.filter(kind=kind)
    if state in HonourState.values:
        qs = qs.filter(state=state)
    return qs.select_related("organization", "person").order_by("-year", "-nominated_at", "-id")


def honour_get_for_user(*, user: User, honour_id: Any) -> Honour:
    return access.get(user, Honour.objects.select_related("organization", "person", "quota_organization"), honour_id)


def notice_of_honours(honours: list[Honour]) -> dict[int, PublicNotice]:
    found = notices_for(Honour, [h.pk for h in honours])
    return {int(k): v for k, v in found.items()}


def quota_organization_for(organization: Organization) -> Organization:
    """The township federation above a village (or the organisation itself above that)."""
    if organization.kind == Kind.VILLAGE_FEDERATION:
        parent = parent_of(organization)
        if parent is not None:
            return parent
    return organization


def quota_of(*, organization: Organization, year: int, kind: str = HonourKind.MORAL_MODEL) -> int:
    from .models import DEFAULT_MORAL_MODEL_QUOTA

    row = HonourQuota.objects.filter(organization=organization, year=year, kind=kind).first()
    return row.quota if row is not None else DEFAULT_MORAL_MODEL_QUOTA


def quota_used(*, organization: Organization, year: int, kind: str = HonourKind.MORAL_MODEL) -> int:
    from .workflow import QUOTA_STATES

    return Honour.objects.filter(quota_organization=organization, year=year, kind=kind,
                                 state__in=QUOTA_STATES).count()


def quota_board(*, user: User, year: int) -> list[dict[str, Any]]:
    """Per township in scope for a year: the 道德模范 target and ceiling, how many were put
    forward (nominated, on notice or awarded) and how many hold a place (on notice or awarded)."""
    townships = visible_organizations(user).filter(kind=Kind.TOWNSHIP_FEDERATION).order_by("path")
    rows = {q.organization_id: q for q in HonourQuota.objects.filter(
        organization__in=townships, year=year, kind=HonourKind.MORAL_MODEL)}
    from .models import DEFAULT_MORAL_MODEL_QUOTA, DEFAULT_MORAL_MODEL_TARGET
    from .workflow import NOMINATED_STATES, QUOTA_STATES

    counted = (Honour.objects.filter(quota_organization__in=townships, year=year, kind=HonourKind.MORAL_MODEL)
               .values_list("quota_organization").order_by()
               .annotate(put=Count("id", filter=Q(state__in=NOMINATED_STATES)),
                         used=Count("id", filter=Q(state__in=QUOTA_STATES))))
    tally = {org_id: (put, used) for org_id, put, used in counted}
    board = []
    for township in townships:
        row = rows.get(township.pk)
        target = row.target if row is not None else DEFAULT_MORAL_MODEL_TARGET
        put, used = tally.get(township.pk, (0, 0))
        board.append({"organization": township, "year": year, "target": target,
                      "quota": row.quota if row is not None else DEFAULT_MORAL_MODEL_QUOTA,
                      "nominated": put, "used": used, "short": max(target - put, 0)})
    return board



# --- the public side (portal): only what is marked public, never personal data -------------------

def public_activities(*, organization_id: Any = None) -> models.QuerySet[Activity]:
    qs = Activity.objects.filter(is_public=True, date__lte=timezone.localdate())
    if organization_id:
        try:
            org = Organization.objects.get(pk=organization_id)
        except (Organization.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
            raise Http404 from exc
        qs = access.within(qs, org)
    public_photos = Prefetch("photos", queryset=ActivityPhoto.objects.filter(is_public=True).select_related("file"),
                             to_attr="public_photos")
    return (qs.select_related("organization", "site").prefetch_related(public_photos)
            .order_by("-date", "-id"))


def public_activity_get(*, activity_id: Any) -> Activity:
    try:
        return public_activities().get(pk=activity_id)
    except (Activity.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def public_attendance_count(activity: Activity) -> int:
    """How many took part: a number only, never who (the named attendees and QR sign-ins added
    to the typed head count)."""
    return activity.attendances.count() + activity.head_count


def public_photo_get(*, token: str) -> ActivityPhoto:
    photo = (ActivityPhoto.objects.select_related("file", "activity")
             .filter(file__token=token, is_public=True, activity__is_public=True).first())
    if photo is None:
        raise Http404
    return photo


def public_organizations_with_news() -> models.QuerySet[Organization]:
    return (Organization.objects.filter(activities__is_public=True).distinct().order_by("path"))


def honours_on_notice() -> list[tuple[PublicNotice, Honour]]:
    """Honours being publicly noticed right now, each with its notice."""
    notices = list(notices_running(model=Honour))
    honours = Honour.objects.in_bulk([int(n.object_id) for n in notices])
    return [(n, honours[int(n.object_id)]) for n in notices if int(n.object_id) in honours]


def honour_of_notice(notice: PublicNotice) -> Honour:
    try:
        return Honour.objects.select_related("organization").get(pk=int(notice.object_id))
    except (Honour.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def honours_awarded_public(*, limit: int = 20) -> models.QuerySet[Honour]:
    return (Honour.objects.filter(state=HonourState.AWARDED).select_related("organization")
            .order_by("-awarded_on", "-id")[:limit])
