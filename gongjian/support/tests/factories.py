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
# --- end service ---
