"""`GET /api/v1/stats/cases?org=&from=&to=`: the rights-case statistics of an organisation's subtree
(the acting one by default; one out of reach is a 404) for a period (this year by default), by
category, channel and outcome, with the time to close. Counts only; a count from 1 to 4 is answered
as `count: null, shown: "<5"` unless the reader acts for the only organisation the figures cover."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization

from ..selectors import case_stats as selectors

router = Router(auth=token_auth)


class CellOut(Schema):
    code: str
    label: str
    count: int | None
    shown: str

    @staticmethod
    def resolve_count(obj: selectors.Line) -> int | None:
        return obj.value.count

    @staticmethod
    def resolve_shown(obj: selectors.Line) -> str:
        return obj.value.shown


class OrgCellsOut(Schema):
    organization_id: int
    organization_name: str
    own_cases_only: bool
    received: str
    closed: str
    overdue: str

    @staticmethod
    def resolve_organization_id(obj: selectors.OrgLine) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_organization_name(obj: selectors.OrgLine) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_own_cases_only(obj: selectors.OrgLine) -> bool:
        return obj.own

    @staticmethod
    def resolve_received(obj: selectors.OrgLine) -> str:
        return obj.received.shown

    @staticmethod
    def resolve_closed(obj: selectors.OrgLine) -> str:
        return obj.closed.shown

    @staticmethod
    def resolve_overdue(obj: selectors.OrgLine) -> str:
        return obj.overdue.shown


class CaseStatsOut(Schema):
    organization_id: int
    organization_name: str
    start: date
    end: date
    suppressed: bool
    totals: list[CellOut]
    by_category: list[CellOut]
    by_channel: list[CellOut]
    by_outcome: list[CellOut]
    median_days_to_close: str
    average_days_to_close: str
    per_organization: list[OrgCellsOut]

    @staticmethod
    def resolve_organization_id(obj: selectors.CaseStats) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_organization_name(obj: selectors.CaseStats) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_median_days_to_close(obj: selectors.CaseStats) -> str:
        return obj.median_days

    @staticmethod
    def resolve_average_days_to_close(obj: selectors.CaseStats) -> str:
        return obj.average_days


@router.get("/stats/cases", response=CaseStatsOut)
@requires("support.view_case_stats", objects={"org": Organization})
def case_stats(request: AuthedRequest, org: int | None = None,
               start: date | None = Query(None, alias="from"),  # noqa: B008
               end: date | None = Query(None, alias="to")) -> selectors.CaseStats:  # noqa: B008
    """Rights-case figures of the organisation's subtree for the period; small counts read "<5"."""
    organization = selectors.stats_organization(user=request.user, organization_id=org)
    today = timezone.localdate()
    start = start or date(today.year, 1, 1)
    end = end or today
    if start > end:
        raise ValidationError({"from": _("起始日期不能晚于截止日期。")})
    return selectors.case_stats(user=request.user, organization=organization, start=start, end=end)
