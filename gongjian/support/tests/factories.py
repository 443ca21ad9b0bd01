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
# --- case_public ---
# isort: split

from gongjian.support.services.case_public import HelpRequest, case_submit_online  # noqa: E402


def help_requested(organization: _Organization | str, **overrides: _Any) -> tuple[_Case, str]:
    """A woman's request for help from the portal, through the service: (case, query password)."""
    if isinstance(organization, str):
        organization = _Organization.objects.get(name=organization)
    data: dict[str, _Any] = {"category": "marriage_family", "summary": "丈夫长期不给家用，想咨询怎么办",
                             "narrative": "", "contact_name": "王女士", "contact_mobile": "",
                             "anonymous": False, "risk": False, "consent": True}
    data.update(overrides)
    return case_submit_online(request=HelpRequest(organization=organization, **data))
# --- end case_public ---

# --- care ---
# isort: split
import itertools as _care_itertools  # noqa: E402
from datetime import date as _care_date  # noqa: E402
from datetime import timedelta as _care_timedelta  # noqa: E402
from typing import Any as _CareAny  # noqa: E402

_CARE_SEQ = _care_itertools.count(300)


def care_person(org_name: str = "郭家村妇联", *, age: int = 9, gender: str = "F", today: _care_date | None = None,
                name: str = "测试儿童", with_birth_date: bool = True) -> _CareAny:
    """A kernel Person of the village `age` years old today (her birthday a month ago)."""
    from gongjian.kernel.identity import generate_id_number
    from gongjian.kernel.models import Organization, Person

    org = Organization.objects.select_related("region").get(name=org_name)
    day = (today or _care_date.today()) - _care_timedelta(days=31)
    birth = day.replace(year=day.year - age) if not (day.month == 2 and day.day == 29) else _care_date(
        day.year - age, 2, 28)
    return Person.objects.create(
        name=name, gender=gender, birth_date=birth if with_birth_date else None, ethnicity="汉族", organization=org,
        home_region=org.region, id_number=generate_id_number(org.region.code[:6], birth, gender, next(_CARE_SEQ) % 500))


def register_recipient(actor: _CareAny, person: _CareAny | None = None, **data: _CareAny) -> _CareAny:
    """A recipient registered through the service by `actor` for her acting organisation (a child
    of 郭家村 under 14 with her guardian's consent by default)."""
    from gongjian.support.models import LegalBasis, RecipientCategory
    from gongjian.support.services.care import recipient_register

    defaults = {"person": person or care_person(), "category": RecipientCategory.LEFT_BEHIND_CHILD,
                "needs": "学习辅导，周末陪伴。", "guardian_name": "测试监护人", "guardian_mobile": "13791350001",
                "legal_basis": LegalBasis.GUARDIAN, "consent_given": True}
    return recipient_register(actor=actor, data={**defaults, **data})


def pair_mother(actor: _CareAny, recipient: _CareAny, mentor: _CareAny = None, **kw: _CareAny) -> _CareAny:
    """A 爱心妈妈 of the recipient's village paired with her through the service."""
    from gongjian.kernel.models import Person
    from gongjian.support.services.care import care_pairing_create

    mother = mentor or Person.objects.filter(organization=recipient.organization, gender="F",
                                             birth_date__year__lt=2000).order_by("pk").first()
    return care_pairing_create(actor=actor, recipient=recipient, mentor=mother, **kw)


def staff_clerk(org_name: str, username: str) -> _CareAny:
    """A staff member (not a lead) of a federation, with an account: the one without the elevated
    permission above her own organisation."""
    from gongjian.kernel.models import Organization, Person, Position, User

    org = Organization.objects.get(name=org_name)
    person = Person.objects.create(name="测试干事", gender="F", birth_date=_care_date(1990, 1, 1), organization=org,
                                   ethnicity="汉族")
    Position.objects.create(person=person, organization=org, title="妇联干事", role=Position.Role.STAFF,
                            start_date=_care_date(2021, 1, 1))
    return User.objects.create(username=username, person=person)
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
