"""Builders of support records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- case ---
# isort: split
from datetime import date as _date  # noqa: E402
from typing import Any as _Any  # noqa: E402

from gongjian.kernel.models import Organization as _Organization  # noqa: E402
from gongjian.kernel.models import Position as _Position  # noqa: E402
from gongjian.kernel.models import User as _User  # noqa: E402
from gongjian.kernel.tests.matrix import SEQ as _SEQ  # noqa: E402
from gongjian.kernel.tests.matrix import Place as _Place  # noqa: E402
from gongjian.kernel.tests.matrix import person as _matrix_person  # noqa: E402
from gongjian.kernel.tests.matrix import persona as _persona  # noqa: E402
from gongjian.support.models import Case as _Case  # noqa: E402
from gongjian.support.services import case as _case_services  # noqa: E402

#: Words that must never be readable outside the case page (the leak tests look for them).
NARRATIVE = "丈夫酒后用皮带抽打她的后背，威胁要烧掉房子，孩子躲在邻居家"
SUMMARY = "家暴求助，现暂住娘家"
MOBILE = "13900001234"


def recorded(by: str = "xiaoliu_women", **data: _Any) -> _Case:
    """A call recorded by `by` (her organisation handles it; she is its first handler)."""
    fields = {"channel": "hotline_12338", "category": "marriage_family", "summary": SUMMARY,
              "contact_mobile": MOBILE, "risk": False, **data}
    return _case_services.case_record(actor=_persona(by), data=fields).case


def staff_of(org_name: str, username: str = "", role: str = _Position.Role.STAFF) -> _User:
    """A new account holding a current STAFF position in the organisation (not a handler of anything)."""
    org = _Organization.objects.get(name=org_name)
    n = next(_SEQ)
    person = _matrix_person(_Place(org.region.name))
    person.organization = org
    person.save()
    _Position.objects.create(person=person, organization=org, title="工作人员", role=role,
                             start_date=_date(2021, 1, 1))
    user = _User(username=username or f"case_staff_{n}", person=person)
    user.set_password("Staff-Passw0rd!x")
    user.save()
    return _persona(user.username)


def accepted(by: str = "xiaoliu_women", **data: _Any) -> _Case:
    case = recorded(by, **data)
    return _case_services.case_accept(actor=_persona(by), case=case)


def referred_up(by: str = "xiaoliu_women", to: str = "太华路街道妇联", **data: _Any) -> _Case:
    case = accepted(by, **data)
    return _case_services.case_refer(actor=_persona(by), case=case,
                                     to_organization=_Organization.objects.get(name=to), note="需上级协调")
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# isort: split
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from django.utils import timezone  # noqa: E402

from gongjian.kernel.models import Organization, User  # noqa: E402
from gongjian.support.models import HealthKind, HealthRound, ServiceSite, SiteKind  # noqa: E402
from gongjian.support.services import service as service_services  # noqa: E402


def make_site(actor: User, *, organization: str | Organization | None = None, **extra: Any) -> ServiceSite:
    """A 维权投诉站 of the actor's organisation (or the one named), made through the service."""
    org = Organization.objects.get(name=organization) if isinstance(organization, str) else organization
    data: dict[str, Any] = {"organization": org, "kind": SiteKind.COMPLAINT_STATION, "name": "测试妇女维权投诉站",
                            "address": "测试村委会一楼", "hours": "周一至周五 8:30-17:30", "open_days": "12345",
                            "phone": "0913-4660001", "is_public": True}
    data.update(extra)
    return service_services.service_site_create(actor=actor, data=data)


def make_round(actor: User, *, organization: str | Organization | None = None, **extra: Any) -> HealthRound:
    """A 两癌检查 held ten days ago by the actor's organisation (or the one named), through the service."""
    org = Organization.objects.get(name=organization) if isinstance(organization, str) else organization
    day: date = timezone.localdate() - timedelta(days=10)
    data: dict[str, Any] = {"organization": org, "kind": HealthKind.CANCER_SCREENING, "starts_on": day,
                            "place": "测试卫生院", "partner": "华阴市卫健局", "served": 50,
                            "cervical_screened": 48, "breast_screened": 45}
    data.update(extra)
    return service_services.health_round_record(actor=actor, data=data)
# --- end service ---
