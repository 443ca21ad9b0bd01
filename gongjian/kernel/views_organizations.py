"""The organisation tree maintained in the app (issue 9): a lead sets up, renames and closes units
under her organisation and staffs them; the system admin maintains the whole tree in the console.
Thin views: parse, one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, selectors, services
from .decorators import staff_view
from .forms import CloseForm, PositionForm, RenameForm, UnitForm, add_service_errors, run_service
from .http import AuthedRequest
from .models import Organization, Person, Position
from .organizations import TITLES
from .permissions import ensure_can


def _unit(request: AuthedRequest, pk: int, permission: str) -> Organization:
    """A unit in reach (else 404) that she may act on (else 403)."""
    unit = selectors.organization_get_for_user(user=request.user, organization_id=pk)
    ensure_can(request.user, permission, unit)
    return unit


def _picked(person: Person | None) -> Person:
    """The person a valid form chose (always one in reach: the choices are)."""
    if person is None:
        raise ValidationError({"person": _("请选择您管辖范围内的人员。")})
    return person


def _created(unit: Organization) -> str:
    return _("已设立：%(name)s") % {"name": unit.name}


@staff_view("kernel.add_unit", objects={"pk": Organization})
def unit_create(request: AuthedRequest, pk: int) -> HttpResponse:
    parent = _unit(request, pk, "kernel.add_unit")
    form = UnitForm(request.POST or None, parent=parent)
    done = run_service(request, form, lambda: services.organization_create(
        actor=request.user, parent=parent, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
        place=form.place()), _created)
    if done:
        return done
    return render(request, "kernel/unit_form.html", {"form": form, "parent": parent},
                  status=400 if form.errors else 200)


@staff_view("kernel.manage_unit", objects={"pk": Organization})
def organization_rename(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, "kernel.manage_unit")
    form = RenameForm(request.POST or None, organization=unit)
    done = run_service(request, form, lambda: services.organization_update(
        actor=request.user, organization=unit, name=form.cleaned_data["name"]), _("已更名。"))
    if done:
        return done
    return render(request, "kernel/organization_rename.html", {"form": form, "org": unit},
                  status=400 if form.errors else 200)


@staff_view("kernel.manage_unit", objects={"pk": Organization})
def organization_close(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, "kernel.manage_unit")
    form = CloseForm(request.POST or None)
    done = run_service(request, form, lambda: services.organization_close(
        actor=request.user, organization=unit, closed_on=form.cleaned_data["closed_on"]),
        _("已撤销：%(name)s。已有记录仍可查看。") % {"name": unit.name})
    if done:
        return done
    return render(request, "kernel/organization_close.html", {
        "form": form, "org": unit, "held": selectors.positions_of_organization(organization=unit)},
        status=400 if form.errors else 200)


@staff_view("kernel.manage_unit", objects={"pk": Organization})
def position_create(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, "kernel.manage_unit")
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:50]
    chosen = selectors.person_in_reach(user=request.user, person_id=request.POST.get("person"))
    form = PositionForm(request.POST or None, chosen=chosen, candidates=selectors.position_candidates(
        user=request.user, organization=unit, q=q))
    done = run_service(request, form, lambda: services.position_create(
        actor=request.user, organization=unit, person=_picked(chosen), title=form.cleaned_data["title"],
        role=form.cleaned_data["role"], note=form.cleaned_data["note"]),
        lambda p: _("已任命：%(name)s 任 %(title)s") % {"name": p.person.name, "title": p.title},
        lambda p: redirect(unit))
    if done:
        return done
    return render(request, "kernel/position_form.html", {"form": form, "org": unit, "q": q, "titles": TITLES},
                  status=400 if form.errors else 200)


@staff_view("kernel.manage_unit", objects={"pk": Position})
@require_POST
def position_end(request: AuthedRequest, pk: int) -> HttpResponse:
    position = selectors.position_get_for_user(user=request.user, position_id=pk)
    ensure_can(request.user, "kernel.manage_unit", position.organization)
    try:
        services.position_end(actor=request.user, position=position)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已结束任期：%(name)s %(title)s") % {
            "name": position.person.name, "title": position.title})
    return redirect(position.organization)


# --- the system admin's console: every organisation (SYSTEM_WIDE) --------------------------------

@staff_view("kernel.manage_system")
def console_organizations(request: AuthedRequest) -> HttpResponse:
    """Every organisation, searched by name; a new root (a county's federation or party committee)."""
    form = UnitForm(request.POST or None, parent=None)
    done = run_service(request, form, lambda: services.organization_create(
        actor=request.user, parent=None, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
        place=form.place()), _created, lambda unit: redirect("kernel:console-organization", pk=unit.pk))
    if done:
        return done
    q = request.GET.get("q", "")
    return render(request, "kernel/console_organizations.html", {
        "form": form, "q": q[:50], "page": selectors.console_organizations(q=q, page=request.GET.get("page"))},
        status=400 if form.errors else 200)


@staff_view("kernel.manage_system", objects={"pk": access.SYSTEM_WIDE})
def console_organization(request: AuthedRequest, pk: int) -> HttpResponse:
    """One organisation in the console: add a unit below it, rename it, close it."""
    org = access.system_record(Organization.objects.select_related("region"), pk)
    forms: dict[str, Any] = {"add": UnitForm(None, parent=org), "rename": RenameForm(None, organization=org),
                             "close": CloseForm(None)}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in forms:
            raise Http404
        forms[action] = {"add": lambda: UnitForm(request.POST, parent=org),
                         "rename": lambda: RenameForm(request.POST, organization=org),
                         "close": lambda: CloseForm(request.POST)}[action]()
        form = forms[action]
        services_by_action: dict[str, Callable[[], Organization]] = {
            "add": lambda: services.organization_create(
                actor=request.user, parent=org, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
                place=form.place()),
            "rename": lambda: services.organization_update(actor=request.user, organization=org,
                                                           name=form.cleaned_data["name"]),
            "close": lambda: services.organization_close(actor=request.user, organization=org,
                                                         closed_on=form.cleaned_data["closed_on"]),
        }
        if form.is_valid():
            try:
                unit = services_by_action[action]()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _created(unit) if action == "add" else
                                 _("名称已修改。") if action == "rename" else _("组织已撤销。"))
                return redirect("kernel:console-organization", pk=unit.pk)
    return render(request, "kernel/console_organization.html", {
        "org": org, "forms": forms, "children": selectors.children_of(organization=org),
        "held": selectors.positions_of_organization(organization=org),
        "ancestors": selectors.ancestors_of(organization=org)},
        status=400 if any(f.errors for f in forms.values()) else 200)

