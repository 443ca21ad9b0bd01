"""One rule book for a person: what makes a person's details valid, wherever they come from.

The staff form, the people API, QR sign-in and the roster importer all check a person here:

* `person_clean(data, jurisdiction=..., instance=...)` checks the values supplied (names, ID number,
  gender and birth date from it, mobile, ethnicity, political status, organisation, home
  village, party organisation) and returns them cleaned, or raises a ValidationError with one
  Chinese message per field. A field that is not supplied keeps its stored value: nothing is
  cleared because a caller did not show it. It runs no query: what the user may choose is
  loaded once into a `Jurisdiction` (`jurisdiction_of(user)`, `jurisdiction_under(organization)`).
* An ID number is unique within a registry, the county (ADR 0026): `registrations(...)` answers
  for a whole batch of blind indexes which are taken in that county, inside the jurisdiction or
  elsewhere in the county, and `ensure_id_number_free(...)` turns that into the message for one
  person. A number registered only in another county is answered as an unregistered one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import mul
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .identity import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    MIN_BIRTH_DATE,
    PROVINCE_PREFIXES,
    validate_id_number,
    validate_mobile,
)
from .models import Organization, Person, PoliticalStatus, Region
from .permissions import acting_of

__all__ = [
    "PERSON_FIELDS",
    "Jurisdiction",
    "Registration",
    "ensure_id_number_free",
    "id_number_index",
    "person_clean",
    "jurisdiction_of",
    "jurisdiction_under",
    "registrations",
    "registry_of",
]

#: The fields of a person the rule book checks (model field names; foreign keys by name).
PERSON_FIELDS = (
    "name", "gender", "birth_date", "id_number", "mobile", "ethnicity", "political_status",
    "organization", "home_region", "party_organization",
)
#: Filled in for a new person when not supplied.
DEFAULTS: dict[str, Any] = {
    "gender": "", "birth_date": None, "id_number": "", "mobile": "", "ethnicity": "汉族",
    "political_status": PoliticalStatus.MASSES, "home_region": None, "party_organization": None,
}
#: What a new person must have unless the caller says otherwise.
REQUIRED_NEW = ("name", "organization")

MAX_NAME = 50
MAX_ETHNICITY = 20
IN_CHUNK = 900  # keys per IN list: below every backend's limit on query parameters

GENDERS = {"F": "F", "M": "M", "f": "F", "m": "M", "女": "F", "男": "M", "女性": "F", "男性": "M"}
POLITICAL_STATUSES: dict[str, str] = {
    **{value: value for value in PoliticalStatus.values},
    "群众": PoliticalStatus.MASSES,
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "团员": PoliticalStatus.LEAGUE_MEMBER,
    "入党积极分子": PoliticalStatus.ACTIVIST,
    "积极分子": PoliticalStatus.ACTIVIST,
    "发展对象": PoliticalStatus.DEVELOPMENT_TARGET,
    "预备党员": PoliticalStatus.PROBATIONARY_MEMBER,
    "中共预备党员": PoliticalStatus.PROBATIONARY_MEMBER,
    "中共党员": PoliticalStatus.PARTY_MEMBER,
    "党员": PoliticalStatus.PARTY_MEMBER,
}
PARTY_STATUSES = frozenset({PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY_MEMBER})
ETHNICITY_SHORT = frozenset({"汉", "回", "满", "蒙古", "藏", "壮", "维吾尔", "苗", "彝", "土家", "朝鲜"})
HOME_LEVELS = (Region.Level.VILLAGE, Region.Level.COMMUNITY)

# Lazy: translated only when a row is wrong (a good row of an import never asks for them).
MSG_ORGANIZATION = gettext_lazy("请选择您管辖范围内的组织。")
MSG_HOME_REGION = gettext_lazy("请选择您管辖范围内的村或社区。")
MSG_PARTY_ORGANIZATION = gettext_lazy("请选择您管辖范围内的党组织。")

_ID_FAST = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_MOBILE_FAST = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_ID_WEIGHTS_OFFSET = ord("0") * sum(ID_WEIGHTS)


def registry_of(organization: Organization) -> str:
    """The registry (county) an organisation registers people in: the first six digits of its
    place's division code (GB/T 2260: province, city, county)."""
    return organization.region.code[:6]


@dataclass(frozen=True)
class Jurisdiction:
    """What one user (or one import into one organisation) may choose for a person, loaded
    once so that checking a person, or a hundred thousand rows, needs no further query."""

    top: Organization | None
    organizations: Mapping[int, Organization] = field(default_factory=dict)
    home_regions: Mapping[int, Region] = field(default_factory=dict)
    places: Mapping[str, tuple[Organization, Region]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.top.path if self.top is not None else ""

    @property
    def registries(self) -> frozenset[str]:
        return frozenset(registry_of(o) for o in self.organizations.values())

    def covers(self, path: str | None) -> bool:
        """An organisation (by its tree path) lies in this jurisdiction."""
        return bool(self.top is not None and path and path.startswith(self.top.path))

    def place(self, name: str) -> tuple[Organization, Region] | None:
        """The village (federation, region) called `name` ("小留村", "小留", "小留村妇联")."""
        name = " ".join(name.split())
        return self.places.get(name) or self.places.get(name.rstrip("村"))


def jurisdiction_under(organization: Organization | None) -> Jurisdiction:
    """The jurisdiction of an organisation's subtree: its organisations, villages and communities."""
    if organization is None:
        return Jurisdiction(top=None)
    # A closed organisation is no choice for new records (its people stay readable and keep it).
    orgs = list(Organization.objects.filter(path__startswith=organization.path, is_active=True)
                .select_related("region").order_by("path"))
    organizations = {o.pk: o for o in orgs}
    home_regions = {o.region_id: o.region for o in orgs if o.region.level in HOME_LEVELS}
    places: dict[str, tuple[Organization, Region]] = {}
    for unit in orgs:
        if unit.kind == Organization.Kind.VILLAGE_FEDERATION:
            for key in (unit.region.name, unit.region.name.rstrip("村"), unit.name.removesuffix("妇联")):
                if key:
                    places.setdefault(key, (unit, unit.region))
    return Jurisdiction(top=organizations.get(organization.pk, organization),
                        organizations=organizations, home_regions=home_regions, places=places)


def jurisdiction_of(user: Any) -> Jurisdiction:
    """The jurisdiction of the organisation the user acts for (nothing when she acts for none)."""
    acting = acting_of(user)
    return jurisdiction_under(acting.organization if acting is not None else None)


# --- checking one person ---------------------------------------------------------------------

def quick_id(text: str, today: date) -> tuple[date, str] | None:
    """(birth date, gender) of a clean, valid 18-digit ID number; None means "ask
    identity.validate_id_number", which normalises sloppy input and gives the reason."""
    if len(text) != 18 or not _ID_FAST.fullmatch(text) or text[:2] not in PROVINCE_PREFIXES:
        return None
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    if not MIN_BIRTH_DATE <= birth <= today:
        return None
    # The digits' bytes are their values plus 48 (ASCII, checked by the pattern above).
    if ID_CHECK_CHARS[(sum(map(mul, text[:17].encode(), ID_WEIGHTS)) - _ID_WEIGHTS_OFFSET) % 11] != text[17]:
        return None
    return birth, ("M" if int(text[16]) % 2 else "F")


def _id_facts(raw: str, today: date) -> tuple[str, date, str]:
    """(number, birth date, gender) of an ID number, or ValidationError with the reason."""
    quick = quick_id(raw, today)
    if quick is not None:
        return raw, quick[0], quick[1]
    info = validate_id_number(raw, today=today)
    return info.number, info.birth_date, str(info.gender)


def parse_date(value: Any) -> date | None:
    """A date from a date or from text like 1990-03-07, 1990/3/7, 1990年3月7日, 19900307."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    cleaned = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    cleaned = cleaned.split(" ")[0].split("T")[0]
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    try:
        y, m, d = (int(part) for part in cleaned.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _pk(value: Any) -> int | None:
    """A foreign key's id from an instance, an id or its text; None for empty; -1 for junk."""
    if value is None or value == "":
        return None
    if isinstance(value, Organization | Region):
        return value.pk
    try:
        return int(str(value))
    except ValueError:
        return -1


class _Errors(dict[str, list[ValidationError]]):
    """Field errors with their codes (the API lists the codes beside the messages)."""

    def add(self, name: str, message: str, code: str) -> None:
        self.setdefault(name, []).append(ValidationError(message, code=code))


# Lazy: a row that is fine never pays for a translation (the importer calls this per row).
ID_NUMBER_MISSING = gettext_lazy("请填写身份证号码。")
MOBILE_MISSING = gettext_lazy("请填写手机号码。")


def person_clean(data: Mapping[str, Any], *, jurisdiction: Jurisdiction | None = None,
                 instance: Person | None = None, required: Collection[str] = (), partial: bool = False,
                 today: date | None = None) -> dict[str, Any]:
    """The supplied person fields, checked and cleaned, plus what follows from them (gender and
    birth date from the ID number; organisation and home village from a `village` name).

    Keys not in `data` keep the stored value of `instance` (or the default of a new person) and
    are not returned. Foreign keys may be given as instances or ids and come back as instances
    from `jurisdiction`; a stored value outside it may stay, a new one may not. A new person needs
    a name, an organisation and a gender (or an ID number to read it from); `required` names
    more fields that must have a value. `partial` checks only what is supplied (QR sign-in holds
    a few facts, not a person). Raises ValidationError({field: [messages]}) with every problem
    found. Runs no query."""
    jurisdiction = jurisdiction or Jurisdiction(top=None)
    today = today or date.today()
    whole = not partial
    needed = set(required)
    if whole and instance is None:
        needed.update(REQUIRED_NEW)
    errors = _Errors()
    out: dict[str, Any] = {}

    def stored(name: str) -> Any:
        if name in out:
            return out[name]
        if instance is not None:
            return getattr(instance, name)
        return DEFAULTS.get(name)

    if "name" in data or "name" in needed:
        name = " ".join(_text(data.get("name")).split())
        if not name:
            errors.add("name", _("请填写姓名。"), "required")
        elif len(name) > MAX_NAME:
            errors.add("name", _("姓名不能超过%(n)d个字。") % {"n": MAX_NAME}, "too_long")
        else:
            out["name"] = name

    def asked(name: str, required_message: Promise) -> str:
        """The supplied text of a field that may be blank unless required; "" when there is
        nothing more to check (blank: noted as missing or as cleared; not supplied: kept)."""
        if name not in data and name not in needed:
            return ""
        raw = _text(data.get(name))
        if not raw:
            if name in needed:
                errors.add(name, str(required_message), "required")
            else:
                out[name] = ""
        return raw

    id_facts: tuple[str, date, str] | None = None
    raw_id = asked("id_number", ID_NUMBER_MISSING)
    if raw_id:
        try:
            id_facts = _id_facts(raw_id, today)
        except ValidationError as exc:
            errors.add("id_number", exc.messages[0], exc.error_list[0].code or "invalid")
        else:
            out["id_number"] = id_facts[0]
    elif "id_number" not in data and "id_number" not in needed and instance is not None and instance.id_number:
        try:  # the stored number still decides gender and birth date
            id_facts = _id_facts(instance.id_number, today)
        except ValidationError:
            id_facts = None

    # The number decides when it is new or when a field is asked about; a value as it is
    # stored stays (even an odd one): nothing the caller did not change changes.
    from_id = id_facts is not None and "id_number" in out

    def as_stored(name: str, value: Any) -> bool:
        return instance is not None and not from_id and getattr(instance, name) == value

    if "gender" in data or "gender" in needed:
        raw_gender = _text(data.get("gender"))
        gender = GENDERS.get(raw_gender) if raw_gender else None
        if raw_gender and gender is None:
            errors.add("gender", _("性别“%(value)s”无法识别，请填写“女”或“男”。") % {
                "value": raw_gender[:10]}, "invalid_choice")
        elif gender is not None and id_facts is not None and gender != id_facts[2] \
                and not as_stored("gender", gender):
            errors.add("gender", _("性别与身份证号码不一致。"), "gender_mismatch")
        elif gender is not None:
            out["gender"] = gender
        elif id_facts is None and (whole or "gender" in needed) and "id_number" not in errors:
            errors.add("gender", _("请选择性别，或填写身份证号码自动识别。"), "required")
    elif whole and id_facts is None and not stored("gender") and "id_number" not in errors:
        errors.add("gender", _("请选择性别，或填写身份证号码自动识别。"), "required")
    if id_facts is not None and "gender" not in errors and (from_id or "gender" in data) \
            and not as_stored("gender", out.get("gender")):
        out["gender"] = id_facts[2]

    if "birth_date" in data:
        raw_birth = data.get("birth_date")
        if raw_birth in (None, ""):
            if id_facts is None:
                out["birth_date"] = None
        else:
            birth = parse_date(raw_birth)
            if birth is None:
                errors.add("birth_date", _("出生日期“%(value)s”无法识别，请写成 1990-03-07。") % {
                    "value": _text(raw_birth)[:20]}, "invalid")
            elif id_facts is not None and birth != id_facts[1] and not as_stored("birth_date", birth):
                errors.add("birth_date", _("出生日期与身份证号码不一致。"), "birth_mismatch")
            elif not MIN_BIRTH_DATE <= birth <= today:
                errors.add("birth_date", _("出生日期不在合理范围内。"), "out_of_range")
            else:
                out["birth_date"] = birth
    if id_facts is not None and "birth_date" not in errors and (from_id or "birth_date" in data) \
            and not as_stored("birth_date", out.get("birth_date")):
        out["birth_date"] = id_facts[1]

    raw_mobile = asked("mobile", MOBILE_MISSING)
    if raw_mobile:
        if len(raw_mobile) == 11 and _MOBILE_FAST.fullmatch(raw_mobile):
            out["mobile"] = raw_mobile
        else:
            try:
                out["mobile"] = validate_mobile(raw_mobile)
            except ValidationError as exc:
                errors.add("mobile", exc.messages[0], "mobile")

    if "ethnicity" in data:
        ethnicity = _text(data.get("ethnicity")) or "汉族"
        if len(ethnicity) > MAX_ETHNICITY:
            errors.add("ethnicity", _("民族填写有误。"), "too_long")
        else:
            out["ethnicity"] = ethnicity + "族" if ethnicity in ETHNICITY_SHORT else ethnicity

    if "political_status" in data:
        raw_status = _text(data.get("political_status"))
        status = POLITICAL_STATUSES.get(raw_status) if raw_status else PoliticalStatus.MASSES
        if status is None:
            labels = "、".join(str(label) for label in PoliticalStatus.labels)
            errors.add("political_status", _("政治面貌“%(value)s”无法识别，可填：%(choices)s。") % {
                "value": raw_status[:20], "choices": labels}, "invalid_choice")
        else:
            out["political_status"] = status

    def choose(name: str, allowed: Mapping[int, Any], message: Promise) -> None:
        pk = _pk(data.get(name))
        current = getattr(instance, f"{name}_id", None) if instance is not None else None
        if pk is None:
            if name in needed:
                errors.add(name, str(message), "required")
            else:
                out[name] = None
        elif pk == current:
            out[name] = getattr(instance, name)  # unchanged: may stay even when outside
        elif pk in allowed:
            out[name] = allowed[pk]
        else:
            errors.add(name, str(message), "out_of_jurisdiction")

    if "village" in data and _text(data.get("village")):
        place = jurisdiction.place(_text(data["village"]))
        if place is None:
            errors.add("village", _("村/社区“%(value)s”不在%(org)s的辖区内。") % {
                "value": _text(data["village"])[:20],
                "org": jurisdiction.top.name if jurisdiction.top else ""}, "out_of_jurisdiction")
        else:  # the village decides where she is registered and where she lives
            out["organization"], out["home_region"] = place
    if "organization" not in out and "village" not in errors and (
            "organization" in data or "organization" in needed):
        choose("organization", jurisdiction.organizations, MSG_ORGANIZATION)
    if "home_region" in data and "home_region" not in out:
        choose("home_region", jurisdiction.home_regions, MSG_HOME_REGION)
    if "party_organization" in data:
        party = {pk: o for pk, o in jurisdiction.organizations.items()
                 if o.kind in Organization.PARTY_KINDS}
        choose("party_organization", party, MSG_PARTY_ORGANIZATION)

    party_org = stored("party_organization")
    if party_org is not None and stored("political_status") not in PARTY_STATUSES \
            and "party_organization" not in errors:
        if "party_organization" in data:
            errors.add("party_organization", _("只有中共党员或预备党员才有党组织关系。"), "party_status")
        else:  # the caller does not show the party organisation: say it where she can act
            errors.add("political_status", _(
                "该人员有党组织关系，政治面貌须为中共党员或预备党员；如需变更，请由其所在党组织办理。"),
                "party_status")

    if errors:
        raise ValidationError(dict(errors))
    return out


# --- where an ID number is registered ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Registration:
    """An ID number taken in a registry: by whom, and whether that person is within the jurisdiction."""

    person_id: int
    organization_id: int
    within_jurisdiction: bool


def id_number_index(id_number: str) -> str:
    from .fields import blind_index

    return blind_index(id_number, "person.id_number")


def registrations(indexes: Iterable[str], *, registry: str, jurisdiction: Jurisdiction,
                  db: BaseDatabaseWrapper | None = None) -> dict[str, Registration]:
    """{ID blind index: Registration} of the given indexes taken in `registry` (a county), in
    IN lists of IN_CHUNK keys, one round trip per chunk. An index taken only in another
    registry is absent, exactly like one nobody has registered. A person is within the jurisdiction
    when her organisation or her party organisation lies in it. `db`: the connection to use
    (an importer's writer thread passes the caller's)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    keys = [k for k in dict.fromkeys(indexes) if k]
    if not keys or not registry:
        return {}
    q = db.ops.quote_name
    person, org = q(Person._meta.db_table), q(Organization._meta.db_table)
    # The unique index (registry, id_number_index) answers the WHERE on its own.
    head = (
        f"SELECT p.{q('id_number_index')}, p.{q('id')}, p.{q('organization_id')}, o.{q('path')}, "  # noqa: S608
        f"po.{q('path')} FROM {person} p JOIN {org} o ON o.{q('id')} = p.{q('organization_id')} "
        f"LEFT JOIN {org} po ON po.{q('id')} = p.{q('party_organization_id')} "
        f"WHERE p.{q('registry')} = %s AND NOT (p.{q('id_number_index')} = '') "
        f"AND p.{q('id_number_index')} IN "
    )
    found: dict[str, Registration] = {}
    with db.cursor() as cursor:
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start : start + IN_CHUNK]
            cursor.execute(head + "(" + ", ".join(["%s"] * len(chunk)) + ")", [registry, *chunk])
            for index, pk, org_id, path, party_path in cursor.fetchall():
                within = jurisdiction.covers(path) or jurisdiction.covers(party_path)
                found[index] = Registration(pk, org_id, within)
    return found


def ensure_id_number_free(*, id_number: str, organization: Organization, jurisdiction: Jurisdiction,
                          person_pk: int | None = None) -> None:
    """ValidationError when the ID number is taken in the organisation's county by another
    person: "already registered" if she is within the jurisdiction, otherwise a message that names
    nobody. Another county's registrations are not looked at."""
    if not id_number:
        return
    index = id_number_index(id_number)
    hit = registrations([index], registry=registry_of(organization),
                        jurisdiction=jurisdiction).get(index)
    if hit is None or hit.person_id == person_pk:
        return
    if hit.within_jurisdiction:
        raise ValidationError({"id_number": ValidationError(
            _("该身份证号码已登记，请勿重复录入。"), code="registered")})
    raise ValidationError({"id_number": ValidationError(_(
        "该身份证号码已在本县其他组织登记，不能重复登记。如该人员已迁入本辖区，请联系县妇联办理转移。"),
        code="registered_elsewhere")})
