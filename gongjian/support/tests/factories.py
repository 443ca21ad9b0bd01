"""Builders of support records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- case ---
# --- end case ---

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
# --- end service ---
