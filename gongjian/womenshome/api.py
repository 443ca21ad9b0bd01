"""API operations of the app, mounted under /api/v1/: the same rules, scoping and masking as the
pages (selectors for reads, services for writes).

No `from __future__ import annotations` here: ninja resolves annotations through the wrapped
function's globals, which `requires` would hide (see gongjian/kernel/api.py)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import form_invalid
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate, person_get_for_user

from . import exports, selectors, services, stats
from .forms import ActivityForm, HonourForm
from .models import Activity, Honour, Team, WomensHome

router = Router(tags=["womenshome"], auth=token_auth)


class SiteOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    name: str
    status: str
    status_label: str
    established_on: date | None
    address: str
    rooms: str
    area_m2: int | None
    facilities: str
    opening_hours: str


def site_out(site: WomensHome) -> dict[str, Any]:
    return {"id": site.pk, "organization_id": site.organization_id, "organization_name": site.organization.name,
            "name": site.name, "status": site.status, "status_label": str(site.get_status_display()),
            "established_on": site.established_on, "address": site.address, "rooms": site.rooms,
            "area_m2": site.area_m2, "facilities": site.facilities, "opening_hours": site.opening_hours}


@router.get("/sites", response=list[SiteOut])
@requires("womenshome.view", objects={"org": Organization})
def list_sites(request: HttpRequest, org: int | None = None, status: str = "", page: int = 1,
               per_page: int = 20) -> list[dict[str, Any]]:
    sites = selectors.site_list_visible_to(user=request.user, organization_id=org, status=status)
    return [site_out(s) for s in paginate(sites, page=page, per_page=per_page).rows]


@router.get("/sites/{site_id}", response=SiteOut)
@requires("womenshome.view", objects={"site_id": WomensHome})
def get_site(request: HttpRequest, site_id: int) -> dict[str, Any]:
    return site_out(selectors.site_get_for_user(user=request.user, site_id=site_id))


class CoverageOut(Schema):
    organization_id: int
    organization_name: str
    units: int
    covered: int
    percent: int


class CoverageBoardOut(Schema):
    total: CoverageOut
    rows: list[CoverageOut]


def coverage_out(row: selectors.CoverageRow) -> dict[str, Any]:
    return {"organization_id": row.organization.pk, "organization_name": row.organization.name,
            "units": row.units, "covered": row.covered, "percent": row.percent}


@router.get("/coverage", response=CoverageBoardOut)
@requires("womenshome.view", objects={"org": Organization})
def get_coverage(request: HttpRequest, org: int | None = None) -> dict[str, Any]:
    organization = selectors.organization_for_user(user=request.user, organization_id=org)
    total, rows = selectors.coverage_board(organization=organization)
    return {"total": coverage_out(total), "rows": [coverage_out(r) for r in rows]}


class MemberOut(Schema):
    person_id: int
    name: str
    role: str
    mobile_masked: str


class TeamOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    name: str
    kind: str
    kind_label: str
    founded_on: date | None
    is_active: bool
    member_count: int


class TeamDetailOut(TeamOut):
    members: list[MemberOut]


def team_out(team: Team, member_count: int) -> dict[str, Any]:
    return {"id": team.pk, "organization_id": team.organization_id, "organization_name": team.organization.name,
            "name": team.name, "kind": team.kind, "kind_label": str(team.get_kind_display()),
            "founded_on": team.founded_on, "is_active": team.is_active, "member_count": member_count}


@router.get("/teams", response=list[TeamOut])
@requires("womenshome.view", objects={"org": Organization})
def list_teams(request: HttpRequest, org: int | None = None, kind: str = "", page: int = 1,
               per_page: int = 20) -> list[dict[str, Any]]:
    teams = selectors.team_list_visible_to(user=request.user, organization_id=org, kind=kind)
    return [team_out(t, t.member_count) for t in paginate(teams, page=page, per_page=per_page).rows]  # type: ignore[attr-defined]


@router.get("/teams/{team_id}", response=TeamDetailOut)
@requires("womenshome.view", objects={"team_id": Team})
def get_team(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = selectors.team_get_for_user(user=request.user, team_id=team_id)
    members = list(selectors.team_members(team))
    return {**team_out(team, len(members)), "members": [
        {"person_id": m.person_id, "name": m.person.name, "role": m.role, "mobile_masked": m.person.mobile_masked}
        for m in members]}


class ActivityOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    site_id: int | None
    team_id: int | None
    kind: str
    kind_label: str
    title: str
    date: date
    place: str
    partners: list[str]
    partner_note: str
    hours: Decimal
    summary: str
    is_public_performance: bool
    is_public: bool
    attendance_mode: str
    head_count: int
    attendance_count: int


class AttendanceOut(Schema):
    id: int
    person_id: int
    name: str
    organization_name: str
    mobile_masked: str
    method: str
    signed_in_at: datetime


class ActivityDetailOut(ActivityOut):
    attendance: list[AttendanceOut]


def activity_out(a: Activity, attendance_count: int) -> dict[str, Any]:
    return {"id": a.pk, "organization_id": a.organization_id, "organization_name": a.organization.name,
            "site_id": a.site_id, "team_id": a.team_id, "kind": a.kind, "kind_label": str(a.get_kind_display()),
            "title": a.title, "date": a.date, "place": a.place, "partners": list(a.partners or []),
            "partner_note": a.partner_note, "hours": a.hours, "summary": a.summary,
            "is_public_performance": a.is_public_performance, "is_public": a.is_public,
            "attendance_mode": a.attendance_mode, "head_count": a.head_count,
            "attendance_count": attendance_count}


def activity_detail_out(a: Activity) -> dict[str, Any]:
    rows = list(selectors.attendance_of(a))
    return {**activity_out(a, len(rows)), "attendance": [
        {"id": r.pk, "person_id": r.person_id, "name": r.person.name,
         "organization_name": r.person.organization.name, "mobile_masked": r.person.mobile_masked,
         "method": r.method, "signed_in_at": r.signed_in_at} for r in rows]}


@router.get("/activities", response=list[ActivityOut])
@requires("womenshome.view", objects={"org": Organization, "site": WomensHome})
def list_activities(request: HttpRequest, org: int | None = None, site: int | None = None, kind: str = "",
                    training: bool = False, performance: bool = False, date_from: date | None = None,
                    date_to: date | None = None, page: int = 1, per_page: int = 20) -> list[dict[str, Any]]:
    params = {"org": org, "site": site, "kind": kind, "training": "1" if training else "",
              "performance": "1" if performance else "", "from": date_from.isoformat() if date_from else "",
              "to": date_to.isoformat() if date_to else ""}
    filters = exports.filters_from(request.user, params)
    rows = selectors.activity_list_visible_to(user=request.user, filters=filters)
    return [activity_out(a, a.attendance_count) for a in paginate(rows, page=page, per_page=per_page).rows]  # type: ignore[attr-defined]


@router.get("/activities/{activity_id}", response=ActivityDetailOut)
@requires("womenshome.view", objects={"activity_id": Activity})
def get_activity(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return activity_detail_out(selectors.activity_get_for_user(user=request.user, activity_id=activity_id))


class ActivityIn(Schema):
    organization_id: int
    kind: str
    title: str
    date: date
    site_id: int | None = None
    team_id: int | None = None
    place: str = ""
    partners: list[str] = []
    partner_note: str = ""
    hours: Decimal = Decimal(0)
    summary: str = ""
    is_public_performance: bool = False
    is_public: bool = False
    attendance_mode: str = "person"
    head_count: int = 0


@router.post("/activities", response={201: ActivityDetailOut})
@requires("womenshome.change_activity")
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status:
    data = payload.dict()
    form = ActivityForm(data={
        "organization": data["organization_id"], "kind": data["kind"], "title": data["title"],
        "date": data["date"], "site": data["site_id"] or "", "team": data["team_id"] or "",
        "place": data["place"], "partners": data["partners"], "partner_note": data["partner_note"],
        "hours": data["hours"], "summary": data["summary"],
        "is_public_performance": data["is_public_performance"] or "", "is_public": data["is_public"] or "",
        "attendance_mode": data["attendance_mode"], "head_count": data["head_count"],
    }, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    activity = services.activity_create(actor=request.user, data=form.to_data())  # type: ignore[arg-type]
    return Status(201, activity_detail_out(activity))


class AttendanceIn(Schema):
    person_id: int


@router.post("/activities/{activity_id}/attendance", response={201: AttendanceOut})
@requires("womenshome.record_attendance", objects={"activity_id": Activity})
def add_attendance(request: HttpRequest, activity_id: int, payload: AttendanceIn) -> Status:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=activity_id)
    person = person_get_for_user(user=request.user, person_id=payload.person_id)
    row = services.attendance_add(actor=request.user, activity=activity, person=person)  # type: ignore[arg-type]
    return Status(201, {"id": row.pk, "person_id": person.pk, "name": person.name,
                        "organization_name": person.organization.name, "mobile_masked": person.mobile_masked,
                        "method": row.method, "signed_in_at": row.signed_in_at})


class HonourOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: str
    kind_label: str
    year: int
    person_id: int
    public_name: str
    deeds: str
    state: str
    state_label: str
    decision_reason: str
    awarded_on: date | None


def honour_out(h: Honour) -> dict[str, Any]:
    return {"id": h.pk, "organization_id": h.organization_id, "organization_name": h.organization.name,
            "kind": h.kind, "kind_label": str(h.get_kind_display()), "year": h.year, "person_id": h.person_id,
            "public_name": h.public_name, "deeds": h.deeds, "state": h.state,
            "state_label": str(h.get_state_display()), "decision_reason": h.decision_reason,
            "awarded_on": h.awarded_on}


@router.get("/honours", response=list[HonourOut])
@requires("womenshome.view")
def list_honours(request: HttpRequest, year: int | None = None, kind: str = "", state: str = "",
                 page: int = 1, per_page: int = 20) -> list[dict[str, Any]]:
    rows = selectors.honour_list_visible_to(user=request.user, year=year, kind=kind, state=state)
    return [honour_out(h) for h in paginate(rows, page=page, per_page=per_page).rows]


@router.get("/honours/{honour_id}", response=HonourOut)
@requires("womenshome.view", objects={"honour_id": Honour})
def get_honour(request: HttpRequest, honour_id: int) -> dict[str, Any]:
    return honour_out(selectors.honour_get_for_user(user=request.user, honour_id=honour_id))


class HonourIn(Schema):
    organization_id: int
    kind: str
    year: int
    person_id: int
    public_name: str = ""
    deeds: str


@router.post("/honours", response={201: HonourOut})
@requires("womenshome.nominate_honour")
def nominate_honour(request: HttpRequest, payload: HonourIn) -> Status:
    data = payload.dict()
    form = HonourForm(data={"organization": data["organization_id"], "kind": data["kind"], "year": data["year"],
                            "person": data["person_id"], "public_name": data["public_name"],
                            "deeds": data["deeds"]}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    honour = services.honour_nominate(actor=request.user, data=form.to_data())  # type: ignore[arg-type]
    return Status(201, honour_out(honour))


class KindFigureOut(Schema):
    kind: str
    label: str
    activities: int
    person_times: int
    hours: Decimal
    public_performances: int


class MonthFigureOut(Schema):
    month: str
    activities: int
    training_sessions: int
    person_times: int
    public_performances: int


class StatsOut(Schema):
    organization_id: int
    organization_name: str
    date_from: date
    date_to: date
    activities: int
    training_sessions: int
    people_trained: int
    training_person_times: int
    training_head_count: int
    person_times: int
    public_performances: int
    hours: Decimal
    sites_built: int | None
    units: int | None
    by_kind: list[KindFigureOut]
    monthly: list[MonthFigureOut]


@router.get("/stats/activities", response=StatsOut)
@requires("womenshome.view", objects={"org": Organization, "site": WomensHome})
def activity_stats(request: HttpRequest, org: int | None = None, site: int | None = None,
                   date_from: date | None = None, date_to: date | None = None) -> dict[str, Any]:
    """The figures for an organisation (or a site) and a period; `from`/`to` are accepted too."""
    params = request.GET
    start, end = exports.period_from({"from": (date_from.isoformat() if date_from else params.get("from")),
                                      "to": (date_to.isoformat() if date_to else params.get("to"))})
    organization = selectors.organization_for_user(user=request.user, organization_id=org)
    site_obj = selectors.site_get_for_user(user=request.user, site_id=site) if site else None
    f = stats.figures(organization=organization, date_from=start, date_to=end, site=site_obj)
    return {
        "organization_id": organization.pk, "organization_name": organization.name,
        "date_from": start, "date_to": end, "activities": f.activities,
        "training_sessions": f.training_sessions, "people_trained": f.people_trained,
        "training_person_times": f.training_person_times, "training_head_count": f.training_head_count,
        "person_times": f.person_times, "public_performances": f.public_performances, "hours": f.hours,
        "sites_built": f.coverage.covered if f.coverage else None, "units": f.coverage.units if f.coverage else None,
        "by_kind": [{"kind": r.kind, "label": r.label, "activities": r.activities, "person_times": r.person_times,
                     "hours": r.hours, "public_performances": r.public_performances} for r in f.by_kind],
        "monthly": [{"month": m.month.strftime("%Y-%m"), "activities": m.activities,
                     "training_sessions": m.training_sessions, "person_times": m.person_times,
                     "public_performances": m.public_performances} for m in f.monthly],
    }
