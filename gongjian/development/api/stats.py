"""GET /api/v1/stats/development?org=&from=&to=: the development figures of an organisation's
subtree for a period, read through kernel.figures from every source of 巾帼致富 that is offered
at run time (this module imports none of the topics)."""

from datetime import date

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from gongjian.kernel import access, figures
from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization

router = Router(auth=token_auth)

#: The sources of 巾帼致富 (each topic offers its own in apps.py).
DEVELOPMENT_SOURCES = ("talents", "cultivation", "loans", "demonstrations")


class FigureOut(Schema):
    code: str
    label: str
    value: float


class DevelopmentStatsOut(Schema):
    organization_id: int
    organization_name: str
    start: date
    end: date
    figures: list[FigureOut]


def development_codes() -> list[str]:
    return [f"{source.name}.{code}" for source in figures.sources() if source.name in DEVELOPMENT_SOURCES
            for code in source.codes]


@router.get("/stats/development", response=DevelopmentStatsOut)
@requires("development.view", objects={"org": Organization})
def development_stats(request: AuthedRequest, org: int | None = None,
                      start: date | None = Query(None, alias="from"),  # noqa: B008
                      end: date | None = Query(None, alias="to")) -> dict:  # noqa: B008
    """Figures of the organisation (the acting one by default) for the period (this year by default)."""
    organization = (access.get(request.user, Organization.objects.all(), org) if org
                    else access.acting_organization_required(request.user))
    today = date.today()
    start = start or date(today.year, 1, 1)
    end = end or today
    if start > end:
        raise ValidationError({"from": "起始日期不能晚于截止日期。"})
    rows = figures.read_one(user=request.user, organization=organization, start=start, end=end,
                            codes=development_codes())
    return {"organization_id": organization.pk, "organization_name": organization.name, "start": start, "end": end,
            "figures": [{"code": row.code, "label": row.label, "value": float(row.value)} for row in rows]}
