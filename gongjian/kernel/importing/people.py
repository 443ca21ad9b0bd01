"""The people a roster holds: its column titles, the check of each row, and its template.

`check_person_row` is the one place an import decides whether a row is a person it may register
(name, ID number, gender and birth date against it, mobile, ethnicity, political status, home
village in scope). It is kept apart from the pipeline so that a shared person rule book can
replace it without touching how files are read or people written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

from django.core.exceptions import ValidationError

from ..identity import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    MIN_BIRTH_DATE,
    PROVINCE_PREFIXES,
    validate_id_number,
    validate_mobile,
)
from ..models import Organization, PoliticalStatus, Region
from ..tabular import MANGLED_NUMBER_MESSAGE, Row, write_template_xlsx

MAX_NAME = 50
MAX_ETHNICITY = 20


#: Field name -> the column titles a roster may give it. The first is the label used in error
#: messages ("缺少必需的列：姓名、身份证号").
PERSON_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
    "mobile": ("手机号", "手机号码", "联系电话", "电话", "手机"),
    "ethnicity": ("民族",),
    "political_status": ("政治面貌",),
    "village": ("村/社区", "村（社区）", "村社区", "所在村", "社区", "村"),
    "birth_date": ("出生日期",),
    "address": ("住址", "家庭住址"),
}

GENDERS = {"女": "F", "男": "M", "F": "F", "M": "M", "f": "F", "m": "M", "女性": "F", "男性": "M"}
POLITICAL_STATUSES: dict[str, str] = {
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
#: The values offered in the template's dropdown (the labels of PoliticalStatus).
POLITICAL_STATUS_LABELS = ["群众", "共青团员", "入党积极分子", "发展对象", "预备党员", "中共党员"]

PEOPLE_TEMPLATE_HEADERS = ["姓名*", "身份证号*", "性别", "手机号", "民族", "政治面貌", "村/社区", "出生日期"]
PEOPLE_TEMPLATE_NOTES = [
    "带 * 的列必须填写；列的顺序可以调整，常见的列名（如“身份证号码”“联系电话”“村（社区）”）都能识别。",
    "身份证号请填18位，末位可以是X；请把该列设为“文本”格式，否则Excel会把号码变成科学计数法。",
    "性别、出生日期可以不填，会从身份证号码中识别；如果填写，必须与身份证号码一致。",
    "手机号可以不填；填写时须为11位手机号码，可带+86。",
    "“村/社区”填写本组织辖区内的村或社区名称，例如“小留村”；不填则登记在导入时选择的组织。",
    "全角数字和多余的空格会自动处理。先“检查”，确认每一行都没有问题后再正式导入；同一文件重复导入不会重复登记。",
]
#: The example row of the template (a valid ID number, so the template itself imports).
PEOPLE_TEMPLATE_EXAMPLE = ["王秀英", "610582199003075208", "女", "13800138000", "汉族", "群众", "小留村", "1990-03-07"]
#: The columns a roster must have.
PEOPLE_REQUIRED = ("name", "id_number")


@dataclass(slots=True)
class PersonRow:
    """A good row, ready to become a Person (or to find the one already registered)."""

    row: int
    name: str
    id_number: str
    gender: str
    birth_date: date
    mobile: str
    ethnicity: str
    political_status: str
    organization_id: int
    home_region_id: int | None
    values: tuple[str, ...] = ()
    id_index: str = ""


@dataclass(slots=True)
class RosterScope:
    """Where a roster's people may be registered: an organisation and the villages and
    communities below it (found by the 村/社区 column)."""

    organization: Organization
    #: 村/社区 name -> (organisation id, region id); "小留" finds "小留村" too.
    places: dict[str, tuple[int, int]]
    #: The home region of people with no 村/社区, when the organisation is a village's.
    default_region: int | None
    today: date

    @classmethod
    def of(cls, organization: Organization) -> RosterScope:
        units = Organization.objects.filter(
            path__startswith=organization.path, kind=Organization.Kind.VILLAGE_FEDERATION
        ).select_related("region")
        places: dict[str, tuple[int, int]] = {}
        for unit in units:
            for key in {unit.region.name, unit.region.name.rstrip("村"), unit.name.removesuffix("妇联")}:
                if key:
                    places.setdefault(key, (unit.pk, unit.region_id))
        own_region = organization.region
        default_region = own_region.pk if own_region.level in (
            Region.Level.VILLAGE, Region.Level.COMMUNITY) else None
        return cls(organization, places, default_region, date.today())


#: What a row gets whose ID number is registered outside the organisation's subtree (the
#: pipeline asks the database per batch: `pipeline._Run.sort_registered`).
REGISTERED_ELSEWHERE = "该身份证号码已在其他组织登记，不能重复登记"


def person_columns(mapping: dict[str, int]) -> dict[str, int | None]:
    """Every field of PERSON_HEADER_ALIASES -> its position in the rows (None: no such column)."""
    return {name: mapping.get(name) for name in PERSON_HEADER_ALIASES}


def check_person_row(row: Row, columns: dict[str, int | None], scope: RosterScope) -> PersonRow | str:
    """A PersonRow, or the reason (Chinese) the row cannot be imported: the per-row person check
    of every import. Whether the ID number is registered already is the database's question,
    asked per batch by the pipeline."""
    idx = columns
    values = row.values
    name = values[idx["name"]] if idx["name"] is not None else ""
    if " " in name:
        name = " ".join(name.split())
    if not name:
        return "姓名为空"
    if len(name) > MAX_NAME:
        return f"姓名太长（不能超过 {MAX_NAME} 个字）"
    id_at = idx["id_number"]
    raw_id = values[id_at] if id_at is not None else ""
    if not raw_id:
        return "身份证号为空"
    raw_cell = row.raw[id_at] if id_at is not None else None
    if (type(raw_cell) is not str or "E" in raw_id or "e" in raw_id) and row.is_mangled(id_at):
        return MANGLED_NUMBER_MESSAGE
    quick = quick_id(raw_id, scope.today)
    if quick is None:
        try:
            info = validate_id_number(raw_id, today=scope.today)
        except ValidationError as exc:
            return f"身份证号“{raw_id[:24]}”有误：{exc.messages[0]}"
        number, birth, gender = info.number, info.birth_date, str(info.gender)
    else:
        number = raw_id
        birth, gender = quick
    raw_gender = _get(values, idx["gender"])
    if raw_gender:
        given = GENDERS.get(raw_gender)
        if given is None:
            return f"性别“{raw_gender[:10]}”无法识别，请填写“女”或“男”"
        if given != gender:
            return "性别与身份证号码不一致"
    raw_birth = _get(values, idx["birth_date"])
    if raw_birth and raw_birth != birth.isoformat():
        parsed = _parse_date(raw_birth)
        if parsed is None:
            return f"出生日期“{raw_birth[:20]}”无法识别，请写成 1990-03-07"
        if parsed != birth:
            return "出生日期与身份证号码不一致"
    mobile = _get(values, idx["mobile"])
    if mobile and not (len(mobile) == 11 and _MOBILE_FAST.fullmatch(mobile)):
        try:
            mobile = validate_mobile(mobile)
        except ValidationError:
            return f"手机号“{mobile[:20]}”有误，应为11位手机号码"
    ethnicity = _get(values, idx["ethnicity"]) or "汉族"
    if len(ethnicity) > MAX_ETHNICITY:
        return "民族填写有误"
    if ethnicity in ETHNICITY_SHORT:
        ethnicity += "族"
    raw_status = _get(values, idx["political_status"])
    status: str = PoliticalStatus.MASSES
    if raw_status:
        found = POLITICAL_STATUSES.get(raw_status)
        if found is None:
            return f"政治面貌“{raw_status[:20]}”无法识别，可填：{'、'.join(POLITICAL_STATUS_LABELS)}"
        status = found
    org_id, region_id = scope.organization.pk, scope.default_region
    place = _get(values, idx["village"])
    if place:
        hit = scope.places.get(place) or scope.places.get(place.rstrip("村"))
        if hit is None:
            return f"村/社区“{place[:20]}”不在{scope.organization.name}的辖区内"
        org_id, region_id = hit
    return PersonRow(row.number, name, number, gender, birth, mobile, ethnicity, status, org_id,
                     region_id, values)


ETHNICITY_SHORT = {"汉", "回", "满", "蒙古", "藏", "壮", "维吾尔", "苗", "彝", "土家", "朝鲜"}
_ID_FAST = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_MOBILE_FAST = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_ID_WEIGHTS_OFFSET = ord("0") * sum(ID_WEIGHTS)


def _get(values: tuple[str, ...], index: int | None) -> str:
    return values[index] if index is not None else ""


def quick_id(text: str, today: date) -> tuple[date, str] | None:
    """(birth date, gender) of a clean, valid 18-digit ID number; None means "ask
    identity.validate_id_number" (which normalises sloppy input and gives the reason)."""
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


def _parse_date(text: str) -> date | None:
    cleaned = text.strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    cleaned = cleaned.split(" ")[0]
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    try:
        y, m, d = (int(part) for part in cleaned.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def people_template(*, sheet_title: str = "人员名单", notes: list[str] | None = None) -> bytes:
    """The roster template to download (text-formatted columns, dropdowns, instructions);
    another import of people (attendance) gives its own sheet title and notes."""
    return write_template_xlsx(
        PEOPLE_TEMPLATE_HEADERS, [PEOPLE_TEMPLATE_EXAMPLE], sheet_title=sheet_title,
        notes=PEOPLE_TEMPLATE_NOTES if notes is None else notes,
        choices={"性别": ["女", "男"], "政治面貌": POLITICAL_STATUS_LABELS},
    )
