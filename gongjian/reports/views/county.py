"""The county report (/work/reports/county/): one row per organisation one level down and the
total, columns grouped by body of work, any period, drilled down by clicking a row; Excel and PDF
of the same figures. Every download leaves an audit record."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization

from ..selectors import county as selectors
from ..services import county_export


def _report(request: AuthedRequest) -> tuple[selectors.Report | None, str, Organization]:
    """The report asked by the query string, or the sentence saying what is wrong with it."""
    organization = selectors.report_organization(user=request.user, organization_id=request.GET.get("org"))
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    try:
        if request.GET.get("month") and not raw_from and not raw_to:
            start, end = selectors.parse_month(request.GET["month"])
        else:
            start, end = selectors.parse_period(raw_from, raw_to, timezone.localdate())
    except selectors.PeriodError as exc:
        return None, str(exc), organization
    return selectors.county_report(user=request.user, organization=organization, start=start, end=end), "", organization


@staff_view("reports.view_county", objects={"org": Organization})
def county(request: AuthedRequest) -> HttpResponse:
    report, error, organization = _report(request)
    today = timezone.localdate()
    query = ""
    if report is not None:
        query = urlencode({"org": organization.pk, "from": report.start.isoformat(), "to": report.end.isoformat()})
    context = {}
    if report is not None:
        context = {
            "rows": [(row, report.group_cells(row)) for row in report.rows],
            "total_row": report.group_cells(report.total),
            "total_groups": [(group, list(zip(group.columns, cells, strict=True)))
                             for group, cells in report.group_cells(report.total)],
            "hidden": any(c.value is None for r in [*report.rows, report.total] for c in r.cells),
        }
    return render(request, "reports/county/report.html", {
        **context, "report": report, "error": error, "organization": organization, "query": query,
        "raw_from": (request.GET.get("from") or "")[:20], "raw_to": (request.GET.get("to") or "")[:20],
        "picks": selectors.quick_picks(today), "month": (report.end if report else today).strftime("%Y-%m"),
        "trail": selectors.trail(user=request.user, organization=organization),
    }, status=400 if error else 200)


def _download(request: AuthedRequest, kind: str) -> HttpResponse:
    report, error, _organization = _report(request)
    if report is None:
        return render(request, "reports/county/error.html", {"error": error}, status=400)
    if kind == "xlsx":
        body, content_type = county_export.xlsx(report, user=request.user), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = county_export.pdf(report), "application/pdf"
    county_export.recorded(actor=request.user, report=report, kind=kind)
    name = f"{report.organization.name}{_('工作统计')}{report.start:%Y%m%d}-{report.end:%Y%m%d}.{kind}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view("reports.view_county", objects={"org": Organization})
def county_xlsx(request: AuthedRequest) -> HttpResponse:
    return _download(request, "xlsx")


@staff_view("reports.view_county", objects={"org": Organization})
def county_pdf(request: AuthedRequest) -> HttpResponse:
    return _download(request, "pdf")


urlpatterns = [
    path("county/", county, name="county"),
    path("county/excel/", county_xlsx, name="county-xlsx"),
    path("county/pdf/", county_pdf, name="county-pdf"),
]
