"""API operations of the app, mounted under /api/v1/: the same rules, scoping and masking as the
pages (selectors for reads, services for writes).

No `from __future__ import annotations` here: ninja resolves annotations through the wrapped
function's globals, which `requires` would hide (see gongjian/kernel/api.py)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.figures import Line
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate, person_get_for_user

from . import exports, selectors, services, stats
from .forms import ActivityForm, HonourForm
from .models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMode,
    Honour,
    HonourKind,
    Partner,
    SiteStatus,
    Team,
    TeamKind,
    TeamMember,
    WomensHome,
)
from .workflow import HonourState

router = Router(tags=["womenshome"], auth=token_auth)


class SiteOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    name: str
    status: Choice[SiteStatus]
    status_label: str
    established_on: date | None
    address: str
    rooms: str
    area_m2: int | None
    facilities: str
    opening_hours: str

    @staticmethod
    def resolve_organization_name(obj: WomensHome) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_status_label(obj: WomensHome) -> str:
        return str(obj.get_status_display())


@router.get("/sites", response=list[SiteOut])
@requires("womenshome.view", objects={"org": Organization})
def list_sites(request: AuthedRequest, org: int | None = None, status: OptionalChoice[SiteStatus] = None,
               page: int = 1, per_page: int = 20) -> list[WomensHome]:
    sites = selectors.site_list_visible_to(user=request.user, organization_id=org, status=status or "")
    return paginate(sites, page=page, per_page=per_page).rows


@router.get("/sites/{site_id}", response=SiteOut)
@requires("womenshome.view", objects={"site_id": WomensHome})
def get_site(request: AuthedRequest, site_id: int) -> WomensHome:
    return selectors.site_get_for_user(user=request.user, site_id=site_id)


class CoverageOut(Schema):
    organization_id: int
    organization_name: str
    units: int
    covered: int
    percent: int

    @staticmethod
    def resolve_organization_id(obj: selectors.CoverageRow) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_organization_name(obj: selectors.CoverageRow) -> str:
        return obj.organization.name


class CoverageBoardOut(Schema):
    total: CoverageOut
    rows: list[CoverageOut]


@router.get("/coverage", response=CoverageBoardOut)
@requires("womenshome.view", objects={"org": Organization})
def get_coverage(request: AuthedRequest, org: int | None = None) -> dict[str, object]:
    organization = selectors.organization_for_user(user=request.user, organization_id=org)
    total, rows = selectors.coverage_board(organization=organization)
    return {"total": total, "rows": rows}


class MemberOut(Schema):
    person_id: int
    name: str
    role: Choice[TeamMember.Role]
    mobile_masked: str

    @staticmethod
    def resolve_name(obj: TeamMember) -> str:
        return obj.person.name

    @staticmethod
    def resolve_mobile_masked(obj: TeamMember) -> str:
        return obj.person.mobile_masked


class TeamOut(Schema):
    """A team; `member_count` is the list's annotation, or counted for a single team."""

    id: int
    organization_id: int
    organization_name: str
    name: str
    kind: Choice[TeamKind]
    kind_label: str
    founded_on: date | None
    is_active: bool
    member_count: int

    @staticmethod
    def resolve_organization_name(obj: Team) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: Team) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_member_count(obj: Team) -> int:
        count = getattr(obj, "member_count", None)
        return obj.members.count() if count is None else int(count)


class TeamDetailOut(TeamOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj: Team) -> list[TeamMember]:
        return list(selectors.team_members(obj))


@router.get("/teams", response=list[TeamOut])
@requires("womenshome.view", objects={"org": Organization})
def list_teams(request: AuthedRequest, org: int | None = None, kind: OptionalChoice[TeamKind] = None,
               page: int = 1, per_page: int = 20) -> list[Team]:
    teams = selectors.team_list_visible_to(user=request.user, organization_id=org, kind=kind or "")
    return paginate(teams, page=page, per_page=per_page).rows


@router.get("/teams/{team_id}", response=TeamDetailOut)
@requires("womenshome.view", objects={"team_id": Team})
def get_team(request: AuthedRequest, team_id: int) -> Team:
    return selectors.team_get_for_user(user=request.user, team_id=team_id)


class ActivityOut(Schema):
    """An activity; `attendance_count` is the list's annotation, or counted for a single one."""

    id: int
    organization_id: int
    organization_name: str
    site_id: int | None
    team_id: int | None
    kind: Choice[ActivityKind]
    kind_label: str
    line: OptionalChoice[Line]
    line_label: str
    title: str
    date: date
    place: str
    partners: list[Choice[Partner]]
    partner_note: str
    hours: Decimal
    summary: str
    is_public_performance: bool
    is_public: bool
    attendance_mode: Choice[AttendanceMode]
    head_count: int
    attendance_count: int

    @staticmethod
    def resolve_organization_name(obj: Activity) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_line(obj: Activity) -> str | None:
        return obj.line or None

    @staticmethod
    def resolve_line_label(obj: Activity) -> str:
        return str(obj.get_line_display()) if obj.line else ""

    @staticmethod
    def resolve_partners(obj: Activity) -> list[str]:
        return list(obj.partners or [])

    @staticmethod
    def resolve_attendance_count(obj: Activity) -> int:
        count = getattr(obj, "attendance_count", None)
        return obj.attendances.count() if count is None else int(count)


class AttendanceOut(Schema):
    id: int
    person_id: int
    name: str
    organization_name: str
    mobile_masked: str
    method: Choice[Attendance.Method]
    signed_in_at: datetime

    @staticmethod
    def resolve_name(obj: Attendance) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organization_name(obj: Attendance) -> str:
        return obj.person.organization.name

    @staticmethod
    def resolve_mobile_masked(obj: Attendance) -> str:
        return obj.person.mobile_masked


class ActivityDetailOut(ActivityOut):
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(obj: Activity) -> list[Attendance]:
        return list(selectors.attendance_of(obj))


@router.get("/activities", response=list[ActivityOut])
@requires("womenshome.view", objects={"org": Organization, "site": WomensHome})
def list_activities(request: AuthedRequest, org: int | None = None, site: int | None = None,
                    kind: OptionalChoice[ActivityKind] = None, line: OptionalChoice[Line] = None,
                    training: bool = False, performance: bool = False,
                    date_from: date | None = None, date_to: date | None = None, page: int = 1,
                    per_page: int = 20) -> list[Activity]:
    params = {"org": org, "site": site, "kind": kind or "", "line": line or "", "training": "1" if training else "",
              "performance": "1" if performance else "", "from": date_from.isoformat() if date_from else "",
              "to": date_to.isoformat() if date_to else ""}
    filters = exports.filters_from(request.user, params)
    rows = selectors.activity_list_visible_to(user=request.user, filters=filters)
    return paginate(rows, page=page, per_page=per_page).rows


@router.get("/activities/{activity_id}", response=ActivityDetailOut)
@requires("womenshome.view", objects={"activity_id": Activity})
def get_activity(request: AuthedRequest, activity_id: int) -> Activity:
    return selectors.activity_get_for_user(user=request.user, activity_id=activity_id)


class ActivityIn(Schema):
    organization_id: int
    kind: Choice[ActivityKind]
    line: OptionalChoice[Line] = None
    title: str
    date: date
    site_id: int | None = None
    team_id: int | None = None
    place: str = ""
    partners: list[Choice[Partner]] = []
    partner_note: str = ""
    hours: Decimal = Decimal(0)
    summary: str = ""
    is_public_performance: bool = False
    is_public: bool = False
    attendance_mode: Choice[AttendanceMode] = AttendanceMode.BY_PERSON
    head_count: int = 0


@router.post("/activities", response={201: ActivityDetailOut})
@requires("womenshome.change_activity")
def create_activity(request: AuthedRequest, payload: ActivityIn) -> Status:
    data = payload.dict()
    form = ActivityForm(data={
        "organization": data["organization_id"], "kind": data["kind"], "line": data["line"] or "",
        "title": data["title"],
        "date": data["date"], "site": data["site_id"] or "", "team": data["team_id"] or "",
        "place": data["place"], "partners": data["partners"], "partner_note": data["partner_note"],
        "hours": data["hours"], "summary": data["summary"],
        "is_public_performance": data["is_public_performance"] or "", "is_public": data["is_public"] or "",
        "attendance_mode": data["attendance_mode"], "head_count": data["head_count"],
    }, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    activity = services.activity_create(actor=request.user, data=form.to_data())
    return Status(201, activity)


class AttendanceIn(Schema):
    person_id: int


@router.post("/activities/{activity_id}/attendance", response={201: AttendanceOut})
@requires("womenshome.record_attendance", objects={"activity_id": Activity})
def add_attendance(request: AuthedRequest, activity_id: int, payload: AttendanceIn) -> Status:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=activity_id)
    person = person_get_for_user(user=request.user, person_id=payload.person_id)
    row = services.attendance_add(actor=request.user, activity=activity, person=person)
    return Status(201, row)


class HonourOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    kind: Choice[HonourKind]
    kind_label: str
    year: int
    person_id: int
    public_name: str
    deeds: str
    state: Choice[HonourState]
    state_label: str
    decision_reason: str
    awarded_on: date | None

    @staticmethod
    def resolve_organization_name(obj: Honour) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj: Honour) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: Honour) -> str:
        return str(obj.get_state_display())


@router.get("/honours", response=list[HonourOut])
@requires("womenshome.view")
def list_honours(request: AuthedRequest, year: int | None = None, kind: OptionalChoice[HonourKind] = None,
                 state: OptionalChoice[HonourState] = None, page: int = 1, per_page: int = 20) -> list[Honour]:
    rows = selectors.honour_list_visible_to(user=request.user, year=year, kind=kind or "", state=state or "")
    return paginate(rows, page=page, per_page=per_page).rows


@router.get("/honours/{honour_id}", response=HonourOut)
@requires("womenshome.view", objects={"honour_id": Honour})
def get_honour(request: AuthedRequest, honour_id: int) -> Honour:
    return selectors.honour_get_for_user(user=request.user, honour_id=honour_id)


class HonourIn(Schema):
    organization_id: int
    kind: Choice[HonourKind]
    year: int
    person_id: int
    public_name: str = ""
    deeds: str


@router.post("/honours", response={201: HonourOut})
@requires("womenshome.nominate_honour")
def nominate_honour(request: AuthedRequest, payload: HonourIn) -> Status:
    data = payload.dict()
    form = HonourForm(data={"organization": data["organization_id"], "kind": data["kind"], "year": data["year"],
                            "person": data["person_id"], "public_name": data["public_name"],
                            "deeds": data["deeds"]}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    honour = services.honour_nominate(actor=request.user, data=form.to_data())
    return Status(201, honour)


class KindFigureOut(Schema):
    kind: Choice[ActivityKind]
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

    @staticmethod
    def resolve_month(obj: stats.MonthRow) -> str:
        return obj.month.strftime("%Y-%m")


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

    @staticmethod
    def resolve_organization_id(obj: stats.Figures) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_organization_name(obj: stats.Figures) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_sites_built(obj: stats.Figures) -> int | None:
        return obj.coverage.covered if obj.coverage else None

    @staticmethod
    def resolve_units(obj: stats.Figures) -> int | None:
        return obj.coverage.units if obj.coverage else None


@router.get("/stats/activities", response=StatsOut)
@requires("womenshome.view", objects={"org": Organization, "site": WomensHome})
def activity_stats(request: AuthedRequest, org: int | None = None, site: int | None = None,
                   date_from: date | None = None, date_to: date | None = None) -> stats.Figures:
    """The figures for an organisation (or a site) and a period; `from`/`to` are accepted too."""
    params = request.GET
    start, end = exports.period_from({"from": (date_from.isoformat() if date_from else params.get("from")),
                                      "to": (date_to.isoformat() if date_to else params.get("to"))})
    organization = selectors.organization_for_user(user=request.user, organization_id=org)
    site_obj = selectors.site_get_for_user(user=request.user, site_id=site) if site else None
    return stats.figures(user=request.user, organization=organization, date_from=start, date_to=end, site=site_obj)
