"""Staff pages of 妇女之家 work (/work/womenshome/): parse, call one selector or service, render.

Every view declares its permission; objects come through scoped selectors (another subtree's
record is a 404); pages that show people are `handles_pii` (never cached)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from gongjian.kernel import idempotency, importing, notices
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.figures import Line
from gongjian.kernel.forms import (
    PhotosField,
    RosterUploadForm,
    add_service_errors,
    posted_roster,
    run_posted,
    run_service,
)
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Objection, Organization, User
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate, person_list_visible_to
from gongjian.kernel.tabular import Heading, write_rows_xlsx

from . import exports, selectors, services, stats
from .forms import (
    ActivityForm,
    AnswerForm,
    DecideForm,
    HonourForm,
    PhotoForm,
    QuotaForm,
    ReviewForm,
    SiteForm,
    TeamForm,
    TeamMemberForm,
)
from .models import (
    TRAINING_KINDS,
    Activity,
    ActivityKind,
    ActivityPhoto,
    Attendance,
    Honour,
    HonourKind,
    SignIn,
    SitePhoto,
    SiteStatus,
    Team,
    TeamKind,
    TeamMember,
    WomensHome,
)
from .workflow import HonourState

ACTIVITY_CREATE = "womenshome.activity.create"


class HtmxRequest(AuthedRequest):
    """A staff request as django-htmx's middleware leaves it (it sets `htmx` on every request)."""

    htmx: HtmxDetails


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _form_messages(form: BaseForm) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


def _status(form: BaseForm) -> int:
    return 400 if form.is_bound and form.errors else 200




# --- home, coverage, figures --------------------------------------------------------------------

@staff_view("womenshome.view")
def dashboard(request: AuthedRequest) -> HttpResponse:
    """The acting organisation's year at a glance, from the roll-ups."""
    org = selectors.organization_for_user(user=request.user)
    year = _year(request.GET.get("year"))
    figs = stats.dashboard(user=request.user, organization=org, year=year)
    return render(request, "womenshome/dashboard.html", {
        "org": org, "year": year, "figs": figs, "chart": figs.chart_data(),
        "presets": exports.period_presets(timezone.localdate()), "training_kinds": _training_kinds(),
        "period": {"from": date(year, 1, 1).isoformat(), "to": date(year, 12, 31).isoformat()},
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
    })


def _training_kinds() -> str:
    """The activity kinds that count as 培训, as the pages name them."""
    return "、".join(str(ActivityKind(kind).label) for kind in TRAINING_KINDS)


def _year(raw: Any) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@staff_view("womenshome.view", objects={"org": Organization})
def coverage(request: AuthedRequest) -> HttpResponse:
    org = selectors.organization_for_user(user=request.user, organization_id=request.GET.get("org"))
    total, rows = selectors.coverage_board(organization=org)
    return render(request, "womenshome/coverage.html", {"org": org, "total": total, "rows": rows,
                                                        "parent": _visible_parent(request.user, org)})


def _visible_parent(user: User, org: Organization) -> Organization | None:
    acting = user.acting
    if acting is None or org.pk == acting.organization.pk or org.depth <= 1:
        return None
    return selectors.parent_of(org)


@staff_view("womenshome.view", objects={"org": Organization, "site": WomensHome})
def figures(request: AuthedRequest) -> HttpResponse:
    """The figures of any organisation in scope and any period, each drilling down to records."""
    start, end = exports.period_from(request.GET)
    org = selectors.organization_for_user(user=request.user, organization_id=request.GET.get("org"))
    site = None
    if request.GET.get("site"):
        site = selectors.site_get_for_user(user=request.user, site_id=request.GET.get("site"))
    # A calendar year is answered from the roll-ups kept on write; any other period from the records.
    from_rollups = site is None and stats.is_calendar_year(start, end)
    if from_rollups:
        figs = stats.dashboard(user=request.user, organization=org, year=start.year)
    else:
        figs = stats.figures(user=request.user, organization=org, date_from=start, date_to=end, site=site)
    base = {"org": str(org.pk), "from": start.isoformat(), "to": end.isoformat()}
    if site is not None:
        base["site"] = str(site.pk)
    drill = _drill_links(base)
    for row in figs.by_kind:
        row.url = _link("womenshome:activity-list", base, kind=row.kind)
    return render(request, "womenshome/figures.html", {
        "org": org, "site": site, "figs": figs, "chart": figs.chart_data(), "start": start, "end": end,
        "presets": exports.period_presets(timezone.localdate(), start=start, end=end),
        "training_kinds": _training_kinds(),
        "base": base, "kind_rows": figs.by_kind,
        "headline": [(label, value, key, drill.get(key, "")) for label, value, key in figs.headline()],
        "breakdown": ([] if site else stats.breakdown_year(user=request.user, organization=org, year=start.year) if from_rollups
                      else stats.breakdown(user=request.user, organization=org, date_from=start, date_to=end)),
        "parent": _visible_parent(request.user, org),
    })


def _link(name: str, base: dict[str, str], **extra: str) -> str:
    return reverse(name) + "?" + urlencode({**base, **extra})


def _drill_links(base: dict[str, str]) -> dict[str, str]:
    return {
        "activities": _link("womenshome:activity-list", base),
        "training": _link("womenshome:activity-list", base, training="1"),
        "trained": _link("womenshome:trained-list", base),
        "training_attendance": _link("womenshome:attendance-list", base, training="1"),
        "attendance": _link("womenshome:attendance-list", base),
        "performance": _link("womenshome:activity-list", base, performance="1"),
        "coverage": reverse("womenshome:coverage") + "?" + urlencode({"org": base["org"]}),
    }


# --- sites ---------------------------------------------------------------------------------------

@staff_view("womenshome.view", objects={"org": Organization})
def site_list(request: AuthedRequest) -> HttpResponse:
    covered = {"1": True, "0": False}.get(request.GET.get("covered", ""))
    sites = selectors.site_list_visible_to(user=request.user, organization_id=request.GET.get("org") or None,
                                           status=request.GET.get("status", ""), covered=covered)
    page = paginate(sites, page=request.GET.get("page"), per_page=request.GET.get("per_page", 30))
    return render(request, "womenshome/site_list.html", {
        "page": page, "statuses": SiteStatus.choices, "status": request.GET.get("status", ""),
        "query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        "missing": selectors.units_without_site(user=request.user)[:50],
        "can_add": can(request.user, "womenshome.change_site"),
    })


@staff_view("womenshome.change_site")
def site_create(request: AuthedRequest) -> HttpResponse:
    form = SiteForm(request.POST or None, user=request.user, initial={"organization": request.GET.get("org")})
    done = run_service(request, form, lambda: services.site_create(
        actor=request.user, organization=form.cleaned_data["organization"], data=form.to_data()),
        lambda site: _("已登记：%(name)s") % {"name": site.name})
    if done:
        return done
    return render(request, "womenshome/site_form.html", {"form": form}, status=_status(form))


def _photos_context(photo_form: PhotoForm, notice: str = "") -> dict[str, Any]:
    field = photo_form.fields["file"]
    assert isinstance(field, PhotosField)
    return {"photo_form": photo_form, "photo_notice": notice, "max_photo_bytes": field.max_bytes,
            "max_photo_mb": field.max_bytes // (1024 * 1024), "max_photos": field.max_files}


def _uploaded(count: int) -> str:
    return ngettext("已上传 %(n)d 张照片。", "已上传 %(n)d 张照片。", count) % {"n": count}


def _site_page(request: AuthedRequest, site: WomensHome, *, photo_form: PhotoForm | None = None,
               notice: str = "", status: int = 200) -> HttpResponse:
    context = {"site": site, "photos": site.photos.select_related("file"),
               "can_edit": can(request.user, "womenshome.change_site", site),
               **_photos_context(photo_form or PhotoForm(public_choice=False), notice)}
    if request.htmx and request.htmx.target == "photos":
        return render(request, "womenshome/_site_photos.html", context, status=status)
    context["recent"] = selectors.activity_list_visible_to(
        user=request.user, filters=selectors.ActivityFilter(site_id=site.pk))[:10]
    return render(request, "womenshome/site_detail.html", context, status=status)


@staff_view("womenshome.view", objects={"pk": WomensHome})
def site_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _site_page(request, selectors.site_get_for_user(user=request.user, site_id=pk))


@staff_view("womenshome.change_site", objects={"pk": WomensHome})
def site_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for_user(user=request.user, site_id=pk)
    form = SiteForm(request.POST or None, instance=site, user=request.user)
    done = run_service(request, form, lambda: services.site_update(
        actor=request.user, site=site, data=form.to_data()), _("已保存。"))
    if done:
        return done
    if form.errors:
        site.refresh_from_db()
    return render(request, "womenshome/site_form.html", {"form": form, "site": site}, status=_status(form))


@staff_view("womenshome.change_site", objects={"pk": WomensHome})
@require_POST
def site_photo_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Several photos at once; a refused one shows the form again with its reason and the caption."""
    site = selectors.site_get_for_user(user=request.user, site_id=pk)
    form = PhotoForm(request.POST, request.FILES, public_choice=False)
    made = _posted_photos(form, lambda data: services.site_add_photos(
        actor=request.user, site=site, uploads=data["file"], caption=data["caption"]))
    if made is None:
        return _site_page(request, site, photo_form=form, status=400)
    if request.htmx:
        return _site_page(request, site, notice=_uploaded(len(made)))
    messages.success(request, _uploaded(len(made)))
    return redirect(site.get_absolute_url() + "#photos")


@staff_view("womenshome.change_site", objects={"pk": WomensHome, "photo_id": SitePhoto})
@require_POST
def site_photo_delete(request: AuthedRequest, pk: int, photo_id: int) -> HttpResponse:
    site = selectors.site_get_for_user(user=request.user, site_id=pk)
    services.site_photo_delete(actor=request.user,
                               photo=selectors.site_photo_get_for_user(user=request.user, site=site, photo_id=photo_id))
    if request.htmx:
        return _site_page(request, site, notice=_("照片已删除。"))
    messages.success(request, _("照片已删除。"))
    return redirect(site.get_absolute_url() + "#photos")


def _posted_photos(form: PhotoForm, action: Callable[[dict[str, Any]], list[Any]]) -> list[Any] | None:
    """Run the upload when the form is valid; the service's reasons land on the form (None)."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@staff_view("womenshome.view", objects={"token": ActivityPhoto})
def photo(request: AuthedRequest, token: str) -> HttpResponseBase:
    found = selectors.photo_get_for_user(user=request.user, token=token)
    return file_response(request, found.file, inline=True)


# --- teams ---------------------------------------------------------------------------------------

@staff_view("womenshome.view", objects={"org": Organization})
def team_list(request: AuthedRequest) -> HttpResponse:
    teams = selectors.team_list_visible_to(user=request.user, organization_id=request.GET.get("org") or None,
                                           kind=request.GET.get("kind", ""))
    page = paginate(teams, page=request.GET.get("page"), per_page=30)
    return render(request, "womenshome/team_list.html", {
        "page": page, "kinds": TeamKind.choices, "kind": request.GET.get("kind", ""),
        "can_add": can(request.user, "womenshome.manage_team")})


@staff_view("womenshome.manage_team")
def team_create(request: AuthedRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.team_create(actor=request.user, data=form.cleaned_data),
                       lambda team: _("已建立：%(name)s") % {"name": team.name})
    if done:
        return done
    return render(request, "womenshome/team_form.html", {"form": form}, status=_status(form))


@staff_view("womenshome.view", handles_pii=True, objects={"pk": Team})
def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, team_id=pk)
    return render(request, "womenshome/team_detail.html", {
        "team": team, "members": selectors.team_members(team),
        "member_form": TeamMemberForm(user=request.user), "export_params": {"team": team.pk},
        "can_edit": can(request.user, "womenshome.manage_team", team)})


@staff_view("womenshome.manage_team", objects={"pk": Team})
def team_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, team_id=pk)
    form = TeamForm(request.POST or None, instance=team, user=request.user)
    done = run_service(request, form, lambda: services.team_update(
        actor=request.user, team=team, data=form.cleaned_data), _("已保存。"))
    if done:
        return done
    if form.errors:
        team.refresh_from_db()
    return render(request, "womenshome/team_form.html", {"form": form, "team": team}, status=_status(form))


@staff_view("womenshome.manage_team", handles_pii=True, objects={"pk": Team})
@require_POST
def team_member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, team_id=pk)
    run_posted(request, TeamMemberForm(request.POST, user=request.user),
            lambda data: services.team_add_member(actor=request.user, team=team, person=data["person"],
                                                  role=data["role"], joined_on=data["joined_on"]),
            _("已加入队伍。"))
    return redirect(team)


@staff_view("womenshome.manage_team", objects={"pk": Team, "member_id": TeamMember})
@require_POST
def team_member_remove(request: AuthedRequest, pk: int, member_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, team_id=pk)
    member = selectors.team_member_get(team=team, member_id=member_id)
    services.team_remove_member(actor=request.user, member=member)
    messages.success(request, _("已移出队伍。"))
    return redirect(team)


@staff_view("womenshome.view", handles_pii=True)
def people_search(request: AuthedRequest) -> HttpResponse:
    """Roster search for pickers (team members, nominees); results are in scope, masked."""
    q = (request.GET.get("q") or "").strip()[:50]
    people = list(person_list_visible_to(user=request.user, q=q)[:20]) if q else []
    return render(request, "womenshome/_people_pick.html", {"people": people, "q": q,
                                                             "target": request.GET.get("target", "person")})


# --- activities ----------------------------------------------------------------------------------

def _filters(request: AuthedRequest) -> selectors.ActivityFilter:
    return exports.filters_from(request.user, request.GET)


@staff_view("womenshome.view")
def activity_list(request: AuthedRequest) -> HttpResponse:
    filters = _filters(request)
    activities = selectors.activity_list_visible_to(user=request.user, filters=filters)
    page = paginate(activities, page=request.GET.get("page"), per_page=request.GET.get("per_page", 20))
    return render(request, "womenshome/activity_list.html", {
        "page": page, "filters": filters, "kinds": ActivityKind.choices, "lines": Line.choices,
        "line_label": Line(filters.line).label if filters.line in Line.values else "",
        "query": urlencode(filters.as_query()), "can_add": can(request.user, "womenshome.change_activity")})


@staff_view("womenshome.change_activity")
def activity_create(request: AuthedRequest) -> HttpResponse:
    """A form kept on the phone while offline may arrive twice: its key makes it one activity."""
    sent = idempotency.already_sent(request, scope=ACTIVITY_CREATE)
    if sent is not None:
        messages.info(request, _("这条活动已经登记过，没有重复登记。"))
        return redirect(sent.result or reverse("womenshome:activity-list"))
    form = ActivityForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind", "")})
    done = run_service(request, form, lambda: idempotency.once(
        request, scope=ACTIVITY_CREATE, action=lambda: services.activity_create(actor=request.user, data=form.to_data()),
        result=lambda activity: activity.get_absolute_url()),
        lambda activity: _("活动已登记：%(title)s") % {"title": activity.title})
    if done:
        return done
    return render(request, "womenshome/activity_form.html", {"form": form}, status=_status(form))


def _activity_page(request: AuthedRequest, activity: Activity, *, photo_form: PhotoForm | None = None,
                   notice: str = "", status: int = 200) -> HttpResponse:
    context = {"activity": activity, "photos": activity.photos.select_related("file"),
               "can_edit": can(request.user, "womenshome.change_activity", activity),
               **_photos_context(photo_form or PhotoForm(), notice)}
    if request.htmx and request.htmx.target == "photos":
        return render(request, "womenshome/_activity_photos.html", context, status=status)
    context.update({
        "attendance": selectors.attendance_of(activity),
        "pending": selectors.signins_of(activity, state=SignIn.State.PENDING),
        "can_record": can(request.user, "womenshome.record_attendance", activity),
        "export_params": {"activity": activity.pk},
    })
    return render(request, "womenshome/activity_detail.html", context, status=status)


@staff_view("womenshome.view", handles_pii=True, objects={"pk": Activity})
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _activity_page(request, selectors.activity_get_for_user(user=request.user, activity_id=pk))


@staff_view("womenshome.change_activity", objects={"pk": Activity})
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    done = run_service(request, form, lambda: services.activity_update(
        actor=request.user, activity=activity, data=form.to_data()), _("已保存。"))
    if done:
        return done
    if form.errors:
        activity.refresh_from_db()
    return render(request, "womenshome/activity_form.html", {"form": form, "activity": activity},
                  status=_status(form))


@staff_view("womenshome.change_activity", handles_pii=True, objects={"pk": Activity})
@require_POST
def activity_photo_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Several photos at once (htmx answers the photo section, with progress shown by
    `gongjian/photos.js`); a refused one shows the form again with its reason and the caption."""
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    form = PhotoForm(request.POST, request.FILES)
    made = _posted_photos(form, lambda data: services.activity_add_photos(
        actor=request.user, activity=activity, uploads=data["file"], caption=data["caption"],
        is_public=data["is_public"]))
    if made is None:
        return _activity_page(request, activity, photo_form=form, status=400)
    if request.htmx:
        return _activity_page(request, activity, notice=_uploaded(len(made)))
    messages.success(request, _uploaded(len(made)))
    return redirect(activity.get_absolute_url() + "#photos")


@staff_view("womenshome.change_activity", objects={"pk": Activity, "photo_id": ActivityPhoto})
@require_POST
def activity_photo_delete(request: AuthedRequest, pk: int, photo_id: int) -> HttpResponse:
    """Delete, not only hide: gone from the page, the portal and storage; audited."""
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    services.activity_photo_delete(actor=request.user, photo=selectors.activity_photo_get_for_user(
        user=request.user, activity=activity, photo_id=photo_id))
    if request.htmx:
        return _activity_page(request, activity, notice=_("照片已删除。"))
    messages.success(request, _("照片已删除。"))
    return redirect(activity.get_absolute_url() + "#photos")


@staff_view("womenshome.change_activity", objects={"pk": Activity, "photo_id": ActivityPhoto})
@require_POST
def activity_photo_visibility(request: AuthedRequest, pk: int, photo_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    found = activity.photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    services.activity_photo_set_public(actor=request.user, photo=found,
                                       is_public=request.POST.get("is_public") == "1")
    return redirect(activity.get_absolute_url() + "#photos")


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
def attendance_search(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    q = (request.GET.get("q") or "")[:50]
    people = selectors.people_for_attendance(user=request.user, activity=activity, q=q)
    return render(request, "womenshome/_attendance_search.html", {"activity": activity, "people": people, "q": q})


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
@require_POST
def attendance_add(request: AuthedRequest, pk: int) -> HttpResponse:
    from gongjian.kernel.selectors import person_get_for_user

    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    person = person_get_for_user(user=request.user, person_id=request.POST.get("person"))
    try:
        services.attendance_add(actor=request.user, activity=activity, person=person)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已登记：%(name)s") % {"name": person.name})
    return redirect(reverse("womenshome:activity-detail", args=[activity.pk]) + "#attendance")


@staff_view("womenshome.record_attendance", objects={"pk": Activity, "attendance_id": Attendance})
@require_POST
def attendance_remove(request: AuthedRequest, pk: int, attendance_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    found = selectors.attendance_get(activity=activity, attendance_id=attendance_id)
    services.attendance_remove(actor=request.user, attendance=found)
    messages.success(request, _("已移除。"))
    return redirect(reverse("womenshome:activity-detail", args=[activity.pk]) + "#attendance")


@staff_view("womenshome.view", handles_pii=True)
def attendance_list(request: AuthedRequest) -> HttpResponse:
    """The records behind the person-times figure."""
    filters = _filters(request)
    rows = selectors.attendance_list_visible_to(user=request.user, filters=filters)
    page = paginate(rows, page=request.GET.get("page"), per_page=request.GET.get("per_page", 50))
    return render(request, "womenshome/attendance_list.html", {
        "page": page, "filters": filters, "query": urlencode(filters.as_query())})


@staff_view("womenshome.view", handles_pii=True)
def trained_list(request: AuthedRequest) -> HttpResponse:
    """The distinct people behind the people-trained figure."""
    filters = _filters(request)
    rows = selectors.people_trained_visible_to(user=request.user, filters=filters)
    page = paginate(rows, page=request.GET.get("page"), per_page=request.GET.get("per_page", 50))
    return render(request, "womenshome/trained_list.html", {
        "page": page, "filters": filters, "query": urlencode(filters.as_query())})


# --- QR sign-in (the organiser's side) ------------------------------------------------------------

def _signin_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    code = services.signin_code(activity)
    url = request.build_absolute_uri(reverse("portal:womenshome-signin", args=[code]))
    qr = segno.make(url, error="m")
    return {"activity": activity, "url": url, "qr_svg": qr.svg_inline(scale=6, omitsize=True, svgclass="wh-qr"),
            "expires_at": timezone.localtime() + timedelta(seconds=services.SIGNIN_CODE_SECONDS),
            "minutes": services.SIGNIN_CODE_SECONDS // 60}


def _signin_status(activity: Activity) -> dict[str, Any]:
    signins = list(selectors.signins_of(activity))
    return {"activity": activity, "signins": signins[::-1],
            "count": activity.attendances.count(),
            "pending_count": sum(1 for s in signins if s.state == SignIn.State.PENDING)}


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
def signin_page(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    context = _signin_context(request, activity)
    context.update(_signin_status(activity))
    return render(request, "womenshome/signin.html", context)


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
def signin_code(request: AuthedRequest, pk: int) -> HttpResponse:
    """A fresh code (htmx refreshes it every minute)."""
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    return render(request, "womenshome/_signin_code.html", _signin_context(request, activity))


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
def signin_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who has signed in and how many wait for confirmation (htmx polls it every few seconds)."""
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    return render(request, "womenshome/_signin_status.html", _signin_status(activity))


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
@require_POST
def signin_confirm_all(request: AuthedRequest, pk: int) -> HttpResponse:
    """全部确认: every held signer nobody on the roster could be is registered and confirmed."""
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    done = services.signin_confirm_all(actor=request.user, activity=activity)
    messages.success(request, ngettext("已确认 %(n)d 人。", "已确认 %(n)d 人。", done.confirmed) % {"n": done.confirmed})
    if done.left:
        messages.warning(request, ngettext(
            "%(n)d 人在名册中有同名或同手机号的人，请逐个点开核对：%(names)s",
            "%(n)d 人在名册中有同名或同手机号的人，请逐个点开核对：%(names)s", len(done.left))
            % {"n": len(done.left), "names": "、".join(s.name for s in done.left)})
    return redirect("womenshome:signin", pk=activity.pk)


@staff_view("womenshome.record_attendance", objects={"pk": Activity})
@require_POST
def signin_close(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    services.signin_close(actor=request.user, activity=activity)
    messages.success(request, _("签到已结束，已发出的签到码全部失效。"))
    return redirect(activity)


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity, "signin_id": SignIn})
@require_POST
def signin_confirm(request: AuthedRequest, pk: int, signin_id: int) -> HttpResponse:
    from gongjian.kernel.selectors import person_get_for_user

    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    signin = selectors.signin_get(activity=activity, signin_id=signin_id)
    try:
        if request.POST.get("action") == "reject":
            services.signin_reject(actor=request.user, signin=signin)
            messages.success(request, _("已不予确认。"))
        elif request.POST.get("action") == "register":
            services.signin_confirm(actor=request.user, signin=signin, register=True)
            messages.success(request, _("已登记为新人员并确认签到。"))
        else:
            person = person_get_for_user(user=request.user, person_id=request.POST.get("person"))
            services.signin_confirm(actor=request.user, signin=signin, person=person)
            messages.success(request, _("已确认：%(name)s") % {"name": person.name})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(reverse("womenshome:activity-detail", args=[activity.pk]) + "#signins")


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity, "signin_id": SignIn})
def signin_review(request: AuthedRequest, pk: int, signin_id: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    signin = selectors.signin_get(activity=activity, signin_id=signin_id)
    return render(request, "womenshome/signin_review.html", {
        "activity": activity, "signin": signin,
        "candidates": [p for p in selectors.signin_candidates(signin) if can(request.user, "kernel.view_person", p)]})


# --- honours -------------------------------------------------------------------------------------

@staff_view("womenshome.view")
def honour_list(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("year")) if request.GET.get("year") else None
    honours = selectors.honour_list_visible_to(user=request.user, year=year, kind=request.GET.get("kind", ""),
                                               state=request.GET.get("state", ""))
    page = paginate(honours, page=request.GET.get("page"), per_page=30)
    this_year = year or timezone.localdate().year
    return render(request, "womenshome/honour_list.html", {
        "page": page, "kinds": HonourKind.choices, "states": HonourState.choices,
        "filters": {"year": year or "", "kind": request.GET.get("kind", ""), "state": request.GET.get("state", "")},
        "quota_year": this_year, "quotas": selectors.quota_board(user=request.user, year=this_year),
        "this_year": timezone.localdate().year,
        "can_nominate": can(request.user, "womenshome.nominate_honour"),
        "can_set_quota": can(request.user, "womenshome.set_quota"),
    })


@staff_view("womenshome.nominate_honour", handles_pii=True)
def honour_create(request: AuthedRequest) -> HttpResponse:
    form = HonourForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind", "")})
    done = run_service(request, form, lambda: services.honour_nominate(actor=request.user, data=form.to_data()),
                       _("已推荐，等待上级审核。"))
    if done:
        return done
    return render(request, "womenshome/honour_form.html", {"form": form}, status=_status(form))


@staff_view("womenshome.view", handles_pii=True, objects={"pk": Honour})
def honour_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    honour = selectors.honour_get_for_user(user=request.user, honour_id=pk)
    notice = notices.notice_for(honour)
    decide = can(request.user, "womenshome.decide_honour", honour)
    return render(request, "womenshome/honour_detail.html", {
        "honour": honour, "notice": notice,
        "objections": notices.objections_of(notice) if notice else [],
        "can_decide": decide, "can_withdraw": can(request.user, "womenshome.nominate_honour", honour),
        "review_form": ReviewForm(initial={"days": notices.DEFAULT_DAYS}), "decide_form": DecideForm(),
        "answer_form": AnswerForm(), "states": HonourState,
        "quota": selectors.quota_of(organization=honour.quota_organization, year=honour.year),
        "quota_used": selectors.quota_used(organization=honour.quota_organization, year=honour.year),
        "today": timezone.localdate(),
    })


def _review_done(data: dict[str, Any]) -> str:
    """What the reviewer's choice did, in the words of the message after it."""
    if data["decision"] != "approve":
        return _("已决定不予推荐，理由已记录。")
    period = (_("%(days)s个工作日") if data["working_days"] else _("%(days)s天")) % {"days": data["days"]}
    return _("已审核通过，公示已发布（%(period)s），期满且异议处理完毕后再作决定。") % {"period": period}


@staff_view("womenshome.decide_honour", objects={"pk": Honour})
@require_POST
def honour_review(request: AuthedRequest, pk: int) -> HttpResponse:
    honour = selectors.honour_get_for_user(user=request.user, honour_id=pk)
    run_posted(request, ReviewForm(request.POST),
            lambda data: services.honour_review(actor=request.user, honour=honour,
                                                approve=data["decision"] == "approve", reason=data["reason"],
                                                days=data["days"], working_days=data["working_days"]),
            _review_done)
    return redirect(honour)


@staff_view("womenshome.decide_honour", objects={"pk": Honour})
@require_POST
def honour_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    honour = selectors.honour_get_for_user(user=request.user, honour_id=pk)
    run_posted(request, DecideForm(request.POST),
            lambda data: services.honour_decide(actor=request.user, honour=honour,
                                                award=data["decision"] == "award", reason=data["reason"]),
            lambda data: (_("已评定为%(kind)s，公示已结束。") % {"kind": honour.get_kind_display()}
                          if data["decision"] == "award" else _("已决定不予评定，公示已结束。")))
    return redirect(honour)


@staff_view("womenshome.decide_honour", objects={"pk": Honour, "objection_id": Objection})
@require_POST
def honour_answer(request: AuthedRequest, pk: int, objection_id: int) -> HttpResponse:
    honour = selectors.honour_get_for_user(user=request.user, honour_id=pk)
    objection = notices.objection_of(honour, objection_id)
    run_posted(request, AnswerForm(request.POST),
            lambda data: services.honour_answer_objection(actor=request.user, honour=honour,
                                                          objection=objection, reply=data["reply"],
                                                          upheld=data["upheld"]),
            _("已答复。"))
    return redirect(honour)


@staff_view("womenshome.nominate_honour", objects={"pk": Honour})
@require_POST
def honour_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    honour = selectors.honour_get_for_user(user=request.user, honour_id=pk)
    try:
        services.honour_withdraw(actor=request.user, honour=honour, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已撤回推荐。"))
    return redirect(honour)


@staff_view("womenshome.set_quota")
def quotas(request: AuthedRequest) -> HttpResponse:
    form = QuotaForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.quota_set(
        actor=request.user, organization=form.cleaned_data["organization"],
        year=form.cleaned_data["year"], quota=form.cleaned_data["quota"], target=form.cleaned_data["target"]),
        _("名额已设定。"), then=lambda _quota: redirect("womenshome:quotas"))
    if done:
        return done
    year = _year(request.GET.get("year"))
    return render(request, "womenshome/quotas.html", {
        "form": form, "year": year, "rows": selectors.quota_board(user=request.user, year=year),
        "this_year": timezone.localdate().year},
        status=_status(form))


# --- imports, templates, exports ------------------------------------------------------------------

@staff_view("kernel.import_people")
def people_import(request: AuthedRequest) -> HttpResponse:
    """The people import moved to the kernel (it registers people, not 妇女之家 records); 307
    keeps a POST from an old page a POST."""
    return HttpResponse(status=307, headers={"Location": reverse("kernel:person-import")})


@staff_view("womenshome.record_attendance", handles_pii=True, objects={"pk": Activity})
def attendance_import(request: HtmxRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, activity_id=pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None, with_organization=False)
    report = None
    roster = posted_roster(request, form)
    if roster is not None:
        report = services.attendance_import(actor=request.user, activity=activity, data=roster.data,
                                            filename=roster.filename, dry_run=roster.dry_run)
    template = "kernel/_import_report.html" if request.htmx else "womenshome/import.html"
    return render(request, template, {"form": form, "report": report, "kind": "attendance", "activity": activity},
                  status=400 if form.errors or (report and not report.ok) else 200)


@staff_view("womenshome.record_attendance", objects={"kind": None})
def import_template(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind == "people":  # the people import's own template lives with it in the kernel
        return redirect("kernel:person-import-template")
    if kind != "attendance":
        raise Http404
    data = importing.people_template(sheet_title="参加人员", notes=[
        _("每行一位参加活动的人员；名册中没有的人会按本行信息登记。"), *importing.PEOPLE_TEMPLATE_NOTES])
    return _xlsx(data, "活动参加人员导入模板.xlsx")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view("womenshome.export", handles_pii=True, objects={"table": None})
def export(request: AuthedRequest, table: str) -> HttpResponse:
    """Any table of the app as .xlsx; personal data masked unless revealed with a reason."""
    entry = exports.TABLES.get(table)
    if entry is None:
        raise Http404
    builder, has_pii = entry
    reveal = request.GET.get("reveal") == "1" and has_pii
    reason = (request.GET.get("reason") or "").strip()[:200]
    if reveal:
        acting = request.user.acting
        org = acting.organization if acting is not None else None
        if not can(request.user, "kernel.reveal_pii", org):
            raise PermissionDenied("kernel.reveal_pii")
        if len(reason) < 2:
            # Asked again here, on a page of our own: never sent back to whatever the Referer says.
            params = {k: v[:100] for k, v in request.GET.items() if k not in ("reason", "reveal")}
            return render(request, "womenshome/export_reason.html", {
                "table": table, "params": params, "reason": reason}, status=400)
    sheet = builder(request.user, request.GET, reveal)
    rows = list(exports.limited(sheet.rows))
    acting = request.user.acting
    unit = sheet.unit or (acting.organization.name if acting is not None else "")
    heading = Heading(title=f"{unit}{sheet.title}" if sheet.unit else sheet.title, unit=unit,
                      period=sheet.period or exports.period_of(request.GET))
    body = write_rows_xlsx(sheet.headers, rows, sheet_title=sheet.title, heading=heading, own=sheet.own,
                           total=sheet.total, notes=exports.watermark(request.user))
    services.export_recorded(actor=request.user, table=table, rows=len(rows),
                             filters={k: v[:50] for k, v in request.GET.items() if k not in ("reason",)},
                             revealed=reveal, reason=reason)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return _xlsx(body, f"{sheet.title}-{stamp}.xlsx")
