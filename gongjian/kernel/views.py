"""The staff workspace (工作台): thin views that parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, audit_labels, duties, importing, notices, selectors, services, twofactor
from .decorators import public_view, staff_view
from .forms import PersonForm, RevealForm, RosterUploadForm, posted_roster, run_service
from .http import AuthedRequest, account_of
from .models import AuditEvent, Notification, Organization, Person, PublicNotice, SecondFactor, User
from .organizations import kinds_under
from .permissions import can


@public_view
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and the operator: the database answers a read and takes a write (rolled
    back), and the disk under var/ has room — else 503 with what fails (B-06, issue 12). A shared
    cache (several app servers) is reported as "cache" but never makes the answer 503."""
    import shutil

    from django.db import transaction

    from .models import RateCounter

    report: dict[str, str] = {"database": "ok", "disk": "ok"}
    sqlite = getattr(connection, "vendor", "") == "sqlite"
    pages_wait = int(float(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)) * 1000)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            if sqlite:  # wait 2 s for the write lock, not the pages' 20 s: a locked database is the answer
                cursor.execute("PRAGMA busy_timeout = 2000")
        with transaction.atomic():
            RateCounter.objects.create(key="healthz", window_start=timezone.now(), count=0)
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001  (any database failure means "not healthy")
        report["database"] = "unavailable"
    finally:
        if sqlite and getattr(connection, "connection", None) is not None:
            connection.connection.execute(f"PRAGMA busy_timeout = {pages_wait}")
    usage = shutil.disk_usage(settings.VAR_DIR if settings.VAR_DIR.exists() else "/")
    if usage.free < settings.GONGJIAN_MIN_FREE_BYTES or usage.free < usage.total * 0.05:
        report["disk"] = "low"
    healthy = report["database"] == "ok" and report["disk"] == "ok"
    # A shared cache (several app servers) is reported, not required: without it pages are
    # slower, never wrong.
    from .cache import ping

    if (cache := ping()) != "local":
        report["cache"] = cache
    # PostgreSQL's WAL archiving (B-01) is reported, not required: a broken archive calls for an
    # operator (the hourly job fails on 计划任务), not for the app servers to leave the balancer.
    if report["database"] == "ok" and not sqlite:
        from .walarchive import archive_status

        try:
            report["wal_archive"] = archive_status().state
        except Exception:  # noqa: BLE001  (a view the role cannot read is "unknown", never a 500)
            report["wal_archive"] = "unknown"
    return JsonResponse(report, status=200 if healthy else 503)


@public_view
def home(request: HttpRequest) -> HttpResponse:
    user = account_of(request)
    if user is None:
        return redirect("kernel:login")
    if user.acting is None:
        if can(user, "kernel.use_console"):
            return redirect("kernel:console")
        return render(request, "kernel/no_position.html")
    org = user.acting.organization
    return render(request, "kernel/home.html", {
        "org": org, "reminders": selectors.reminders_for(organization=org)})


@staff_view("kernel.use_workspace", objects={"pk": Notification})
@require_POST
def reminder_done(request: AuthedRequest, pk: int) -> HttpResponse:
    org = access.acting_organization_required(request.user)
    services.reminder_mark_read(actor=request.user, organization=org, reminder_id=pk)
    return redirect("kernel:home")


@staff_view("kernel.view_organization")
def organization_tree(request: AuthedRequest) -> HttpResponse:
    return render(request, "kernel/organization_tree.html",
                  {"orgs": selectors.organization_tree_for_user(user=request.user)})


@staff_view("kernel.view_organization", objects={"pk": Organization})
def organization_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get_for_user(user=request.user, organization_id=pk)
    return render(request, "kernel/organization_detail.html", {
        "org": org,
        "held": selectors.positions_of_organization(organization=org),
        "children": selectors.children_of(organization=org),
        # Only where some kind of unit may sit (nothing goes under an office).
        "can_add_unit": org.is_active and bool(kinds_under(org)) and can(request.user, "kernel.add_unit", org),
        "can_manage": org.is_active and can(request.user, "kernel.manage_unit", org),
    })


#: Organisations set up by the one above them: their name list goes out under its name and seal.
SET_UP_BY_PARENT = (Organization.Kind.LEADING_GROUP, Organization.Kind.OFFICE, Organization.Kind.WORK_GROUP)


@staff_view("kernel.view_organization", handles_pii=True, objects={"pk": Organization})
def organization_roster(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable name list (成员名单) of a leading group or any organisation, signed by the
    organisation that set it up (a leading group's parent committee)."""
    org = selectors.organization_get_for_user(user=request.user, organization_id=pk)
    parent = Organization.objects.get_parent(org)
    return render(request, "kernel/organization_roster.html", {
        "org": org,
        "issuer": (parent or org).name if org.kind in SET_UP_BY_PARENT
        else org.name,
        "today": timezone.localdate(),
        "held": selectors.positions_of_organization(organization=org),
        "offices": [(o, selectors.positions_of_organization(organization=o))
                    for o in selectors.offices_of(organization=org)],
    })


@staff_view("kernel.view_organization", objects={"pk": PublicNotice})
def notice_print(request: AuthedRequest, pk: int) -> HttpResponse:
    """A 公示 in the official layout, to print, seal and post on the notice board."""
    notice = notices.notice_get_for_user(user=request.user, notice_id=pk)
    return render(request, "kernel/notice_print.html", {"notice": notice})


@staff_view("kernel.view_person", handles_pii=True, objects={"org": Organization})
def person_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    people = selectors.person_list_visible_to(
        user=request.user, q=q, organization_id=request.GET.get("org") or None,
        ordering=request.GET.get("ordering", "name"),
    )
    # The rows show the name, labels, organisation and masked mobile: load (and decrypt) no more.
    people = people.select_related(None).select_related("organization").only(
        "name", "gender", "political_status", "mobile", "organization__name")
    page = selectors.paginate(people, page=request.GET.get("page"), per_page=request.GET.get("per_page", 20))
    template = "kernel/_person_rows.html" if request.htmx else "kernel/person_list.html"
    return render(request, template, {"page": page, "q": q[:50], "org_filter": request.GET.get("org", ""),
                                      "can_import": can(request.user, "kernel.import_people")})


@staff_view("kernel.view_person", handles_pii=True, objects={"pk": Person})
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    return render(request, "kernel/person_detail.html", {
        "person": person, "reveal_form": RevealForm(),
        "can_reveal": can(request.user, "kernel.reveal_pii", person),
        "can_edit": can(request.user, "kernel.change_person", person),
    })


@staff_view("kernel.view_person", handles_pii=True, objects={"pk": Person})
@require_POST
def person_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = services.person_reveal(actor=request.user, person=person,
                                              field=form.cleaned_data["field"],
                                              reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "kernel/_reveal.html", {"person": person, "form": form, "revealed": revealed,
                                                   "field": form.data.get("field")},
                  status=200 if revealed is not None else 400)


@staff_view("kernel.add_person", handles_pii=True)
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.person_create(actor=request.user, data=form.to_data()),
                       lambda person: _("已登记：%(name)s") % {"name": person.name})
    if done:
        return done
    return render(request, "kernel/person_form.html", {"form": form, "creating": True},
                  status=400 if form.errors else 200)


@staff_view("kernel.change_person", handles_pii=True, objects={"pk": Person})
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, person_id=pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    done = run_service(request, form, lambda: services.person_update(
        actor=request.user, person=person, data=form.to_data()), _("已保存。"))
    if done:
        return done
    if request.method == "POST" and form.errors:
        person.refresh_from_db()
    return render(request, "kernel/person_form.html", {"form": form, "person": person},
                  status=400 if form.errors else 200)


# --- the console of the three admin roles (Z-06) -------------------------------------------

@staff_view("kernel.import_people", handles_pii=True)
def person_import(request: AuthedRequest) -> HttpResponse:
    """Import a roster: "检查" (dry run) lists every bad row; "导入" writes all rows or none."""
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    roster = posted_roster(request, form)
    if roster is not None:
        report = importing.import_people(
            actor=request.user, organization=form.cleaned_data["organization"], data=roster.data,
            filename=roster.filename, dry_run=roster.dry_run)
    template = "kernel/_import_report.html" if request.htmx else "kernel/person_import.html"
    return render(request, template, {"form": form, "report": report},
                  status=400 if form.errors or (report and not report.ok) else 200)


@staff_view("kernel.import_people")
def person_import_template(request: AuthedRequest) -> HttpResponse:
    return xlsx_response(importing.people_template(), "人员名单导入模板.xlsx")


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    """An .xlsx download; never cached (a roster template today, personal data elsewhere)."""
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view("kernel.use_console")
def console(request: AuthedRequest) -> HttpResponse:
    return render(request, "kernel/console.html")


@staff_view("kernel.manage_system")
def schedule_status(request: AuthedRequest) -> HttpResponse:
    """计划任务: every periodic job, its last run, its failures and when it runs next (issue 12)."""
    from . import backup, schedule, walarchive

    return render(request, "kernel/schedule.html", {"rows": schedule.status(), "drills": backup.drill_records(),
                                                    "wal": walarchive.archive_status()})


AUDIT_FILTERS = ("event", "actor", "result", "object_type", "object_id")


@staff_view("kernel.view_audit")
def audit_list(request: AuthedRequest) -> HttpResponse:
    qs = AuditEvent.objects.select_related("actor", "acting_organization").order_by("-chain_index")
    filters = {}
    for name in AUDIT_FILTERS:
        value = request.GET.get(name, "").strip()[:80]
        if value:
            filters[name] = value
            lookup = {"actor": "actor_username", "event": "event__startswith"}.get(name, name)
            qs = qs.filter(**{lookup: value})
    page = selectors.paginate(qs, page=request.GET.get("page"), per_page=50)
    # Names in Chinese for the reader; the raw code, type and JSON stay on the row for the auditor.
    rows = [{"event": e, "name": audit_labels.event_label(e.event),
             "subject": audit_labels.subject_label(*e.object_type.partition(".")[::2]) if e.object_type else "",
             "changes": audit_labels.changes_rows(e.changes, e.object_type)} for e in page.rows]
    return render(request, "kernel/audit_list.html", {"page": page, "rows": rows, "filters": filters,
                                                      "results": AuditEvent.Result.choices})


@staff_view("kernel.manage_accounts")
def account_list(request: AuthedRequest) -> HttpResponse:
    from axes.models import AccessAttempt

    accounts = selectors.paginate(User.objects.select_related("person").order_by("username"),
                                  page=request.GET.get("page"), per_page=50)
    from .loginguard import stored_username

    held = set(AccessAttempt.objects.filter(failures_since_start__gte=5).values_list("username", flat=True))
    locked = {a.username for a in accounts.rows if stored_username(a.username) in held}
    enrolled = set(SecondFactor.objects.filter(confirmed_at__isnull=False).values_list("user_id", flat=True))
    return render(request, "kernel/account_list.html", {
        "page": accounts, "locked": locked, "enrolled": enrolled, "roles": User.AdminRole.choices,
        "role_requests": duties.open_role_requests()})


@staff_view("kernel.manage_accounts", objects={"pk": access.SYSTEM_WIDE})
@require_POST
def role_request_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """A second security admin confirms or rejects a pending admin-role request (Z-06)."""
    from .models import AdminRoleRequest

    actor = request.user
    role_request = access.system_record(AdminRoleRequest.objects.all(), pk)
    return _console_action(request, {
        "confirm": (lambda: services.admin_role_request_confirm(actor=actor, request=role_request),
                    _("已确认，角色变更已生效。")),
        "reject": (lambda: services.admin_role_request_reject(actor=actor, request=role_request),
                   _("已驳回该申请。")),
    })


def _console_action(request: AuthedRequest, actions: dict[str, tuple[Callable[[], object], str]]
                    ) -> HttpResponse:
    """Run the console action the form posted (an unknown one is a 404) and say what happened,
    or why nothing did."""
    chosen = actions.get(request.POST.get("action", ""))
    if chosen is None:
        raise Http404
    act, done = chosen
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("kernel:account-list")


@staff_view("kernel.manage_accounts", objects={"pk": access.SYSTEM_WIDE})
def account_grants(request: AuthedRequest, pk: int) -> HttpResponse:
    from .models import Grant, Organization
    from .permissions import grantable_permissions

    account = access.system_record(User.objects.all(), pk)
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                grant = access.system_record(Grant.objects.filter(user=account), request.POST["revoke"])
                services.grant_revoke(actor=request.user, grant=grant)
            else:
                org = access.system_record(Organization.objects.all(), request.POST.get("organization") or 0)
                days = selectors.clamp_int(request.POST.get("days"), 0, 0, 10_000)
                services.grant_create(actor=request.user, account=account,
                                      permission=request.POST.get("permission", ""), organization=org,
                                      reason=request.POST.get("reason", ""), days=days)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已收回授权。") if request.POST.get("revoke") else _("已授权，已记入审计记录。"))
            return redirect("kernel:account-grants", pk=account.pk)
    grants = Grant.objects.filter(user=account).select_related("organization").order_by("-granted_at")
    return render(request, "kernel/account_grants.html", {
        "account": account, "grants": grants, "permissions": grantable_permissions(),
        "organizations": Organization.objects.order_by("path")})


@staff_view("kernel.manage_accounts", objects={"pk": access.SYSTEM_WIDE})
@require_POST
def account_action(request: AuthedRequest, pk: int) -> HttpResponse:
    account = access.system_record(User.objects.all(), pk)
    actor = request.user
    return _console_action(request, {
        "unlock": (lambda: services.account_unlock(actor=actor, account=account), _("已解除锁定。")),
        "reset_second_factor": (lambda: twofactor.second_factor_reset(actor=actor, account=account),
                                _("已重置两步验证，该账户下次登录时须重新设置。")),
        "role": (lambda: services.admin_role_request_create(
            actor=actor, account=account, role=request.POST.get("role", ""),
            reason=request.POST.get("reason", "")), _("已提交申请，须由另一名安全管理员确认后生效。")),
        "activate": (lambda: services.account_set_active(actor=actor, account=account, active=True),
                     _("已启用该账户。")),
        "deactivate": (lambda: services.account_set_active(actor=actor, account=account, active=False),
                       _("已停用该账户。")),
    })


