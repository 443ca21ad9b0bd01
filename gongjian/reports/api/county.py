"""`GET /api/v1/reports/county?org=&from=&to=`: the county report — one row per organisation one
level down and the total, every figure the bodies of work offer (codes and labels in the answer),
the same figures and suppression as the page (a small rights-case count is `value: null, shown:
"<5"`; a cell withheld so that it cannot be worked out is `value: null, shown: "*"`). `org` is an
organisation in the reader's reach (her acting one by default; else 404); `from`/`to` are dates
(this year by default; a bad or reversed period is a 400 with a Chinese sentence)."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Query, Router, Schema

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization

from ..selectors import county as selectors

router = Router(auth=token_auth)


class ColumnOut(Schema):
    code: str  # "<source>.<code>", e.g. "cases.received"
    label: str
    source: str
    source_label: str
    suppressing: bool  # small counts of this column are shown as "<5"


class ValueOut(Schema):
    code: str
    value: int | Decimal | None  # None when not shown (suppressed or withheld)
    shown: str


class RowOut(Schema):
    organization_id: int
    organization_name: str
    has_children: bool
    values: list[ValueOut]


class CountyReportOut(Schema):
    organization_id: int
    organization_name: str
    start: date
    end: date
    columns: list[ColumnOut]
    rows: list[RowOut]
    total: RowOut
    kept_months: int  # closed months answered from the monthly roll-ups
    kept_until: datetime | None


def _row(report: selectors.Report, row: selectors.Row) -> RowOut:
    return RowOut(organization_id=row.organization.pk, organization_name=row.organization.name,
                  has_children=row.drill,
                  values=[ValueOut(code=column.code, value=cell.value, shown=cell.shown)
                          for column, cell in zip(report.columns, row.cells, strict=True)])


@router.get("/reports/county", response=CountyReportOut)
@requires("reports.view_county", objects={"org": Organization})
def county_report(request: AuthedRequest, org: int | None = None,
                  start: str | None = Query(None, alias="from"),  # noqa: B008
                  end: str | None = Query(None, alias="to")) -> CountyReportOut:  # noqa: B008
    """The figures of every body of work for the organisation and those one level down."""
    organization = selectors.report_organization(user=request.user, organization_id=org)
    try:
        first, last = selectors.parse_period(start, end, timezone.localdate())
    except selectors.PeriodError as exc:
        raise ValidationError({"from": str(exc)}) from exc
    report = selectors.county_report(user=request.user, organization=organization, start=first, end=last)
    return CountyReportOut(
        organization_id=organization.pk, organization_name=organization.name, start=report.start, end=report.end,
        columns=[ColumnOut(code=c.code, label=c.label, source=g.source, source_label=g.label, suppressing=c.suppressing)
                 for g in report.groups for c in g.columns],
        rows=[_row(report, r) for r in report.rows], total=_row(report, report.total),
        kept_months=report.kept_months, kept_until=report.kept_until)
