"""Staff pages of service sites (/work/support/sites/) and health rounds (/work/support/health/):
lists, a site's page, forms fit for a phone, closing a site, and a year's health totals."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import run_posted, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.service import CloseSiteForm, HealthRoundForm, SiteForm
from ..models import HealthKind, HealthRound, ServiceSite, SiteKind
from ..selectors import service as selectors
from ..services import service as services

#: The years a health list offers: from this one back.
YEARS_BACK = 6


def _status(form: object) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


# --- sites ---------------------------------------------------------------------------------------

@staff_view("support.view_service_site", objects={"org": Organization})
def site_list(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in SiteKind.values else ""
    closed = request.GET.get("closed") == "1"
    rows = selectors.site_list_visible_to(user=request.user, organization_id=request.GET.get("org"), kind=kind,
                                          closed=closed)
    return render(request, "support/service/site_list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "kinds": SiteKind.choices,
        "kind": kind, "closed": closed, "can_manage": can(request.user, "support.manage_service_site")})


@staff_view("support.manage_service_site", handles_pii=True)
def site_create(request: AuthedRequest) -> HttpResponse:
    form = SiteForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.service_site_create(actor=request.user, data=form.to_data()),
                       _("服务站点已添加。"))
    return done or render(request, "support/service/site_form.html", {"form": form, "site": None},
                          status=_status(form))


@staff_view("support.view_service_site", handles_pii=True, objects={"pk": ServiceSite})
def site_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for_user(user=request.user, site_id=pk)
    return render(request, "support/service/site_detail.html", {
        "site": site, "close_form": CloseSiteForm(),
        "can_manage": can(request.user, "support.manage_service_site", site)})


@staff_view("support.manage_service_site", handles_pii=True, objects={"pk": ServiceSite})
def site_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for_user(user=request.user, site_id=pk)
    if not can(request.user, "support.manage_service_site", site):
        raise PermissionDenied("support.manage_service_site")
    if site.closed_on is not None:
        return redirect(site)
    form = SiteForm(request.POST or None, instance=site, user=request.user)
    done = run_service(request, form, lambda: services.service_site_update(actor=request.user, site=site,
                                                                           data=form.to_data()),
                       _("服务站点已修改。"))
    return done or render(request, "support/service/site_form.html", {"form": form, "site": site},
                          status=_status(form))


@staff_view("support.manage_service_site", objects={"pk": ServiceSite})
@require_POST
def site_close(request: AuthedRequest, pk: int) -> HttpResponse:
    site = selectors.site_get_for_user(user=request.user, site_id=pk)
    if not can(request.user, "support.manage_service_site", site):
        raise PermissionDenied("support.manage_service_site")
    run_posted(request, CloseSiteForm(request.POST),
               lambda data: services.service_site_close(actor=request.user, site=site, reason=data["reason"]),
               _("站点已停用，不再在门户显示。"))
    return redirect(site)


# --- health rounds -------------------------------------------------------------------------------

def _year(raw: str | None) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(raw or this_year)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@staff_view("support.view_health_round", objects={"org": Organization})
def health_list(request: AuthedRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in HealthKind.values else ""
    rows = selectors.health_round_list_visible_to(user=request.user, year=year, kind=kind,
                                                  organization_id=request.GET.get("org"))
    this_year = timezone.localdate().year
    return render(request, "support/service/health_list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30),
        "totals": selectors.health_year_totals(rows), "year": year, "kind": kind, "kinds": HealthKind.choices,
        "years": list(range(this_year + 1, this_year - YEARS_BACK, -1)), "today": timezone.localdate(),
        "can_record": can(request.user, "support.record_health_round")})


@staff_view("support.record_health_round")
def health_create(request: AuthedRequest) -> HttpResponse:
    form = HealthRoundForm(request.POST or None, user=request.user)
    done = run_service(request, form, lambda: services.health_round_record(actor=request.user, data=form.to_data()),
                       _("健康服务已登记。"), then=lambda _found: redirect("support:health-list"))
    return done or render(request, "support/service/health_form.html", {"form": form, "round": None},
                          status=_status(form))


@staff_view("support.record_health_round", objects={"pk": HealthRound})
def health_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.health_round_get_for_user(user=request.user, round_id=pk)
    if not can(request.user, "support.record_health_round", found):
        raise PermissionDenied("support.record_health_round")
    form = HealthRoundForm(request.POST or None, instance=found, user=request.user)
    done = run_service(request, form, lambda: services.health_round_update(
        actor=request.user, health_round=found, data=form.to_data()), _("健康服务已修改。"),
        then=lambda saved: redirect(f"{reverse('support:health-list')}?year={saved.starts_on.year}"))
    return done or render(request, "support/service/health_form.html", {"form": form, "round": found},
                          status=_status(form))


urlpatterns = [
    path("sites/", site_list, name="site-list"),
    path("sites/new/", site_create, name="site-create"),
    path("sites/<int:pk>/", site_detail, name="site-detail"),
    path("sites/<int:pk>/edit/", site_edit, name="site-edit"),
    path("sites/<int:pk>/close/", site_close, name="site-close"),
    path("health/", health_list, name="health-list"),
    path("health/new/", health_create, name="health-create"),
    path("health/<int:pk>/edit/", health_edit, name="health-edit"),
]
