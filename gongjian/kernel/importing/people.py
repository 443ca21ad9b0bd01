"""The people a roster holds: its column titles, the check of each row, and its template.

`check_person_row` is the one place an import decides whether a row is a person it may register.
It asks the person rule book (`kernel.people.person_clean`: name, ID number, gender and birth
date against it, mobile, ethnicity, political status, home village in scope), so an import says
of a bad value what the staff form, the API and QR sign-in say; only the check for ID numbers
Excel turned into numbers is the importer's own (it needs the cell as read from the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from .. import people as rules
from ..models import Organization, PoliticalStatus, Region
from ..people import quick_id as quick_id  # re-exported: an import's fast path is the rule book's
from ..tabular import MANGLED_NUMBER_MESSAGE, Row, write_template_xlsx

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
    #: The county whose registry she joins (ADR 0026): that of her organisation.
    registry: str = ""


@dataclass(slots=True)
class RosterScope:
    """Where a roster's people may be registered, loaded once per import: the jurisdiction of
    the chosen organisation (its organisations, villages and communities, found by the 村/社区
    column), the registry (county) it registers in, and the home region of people with no
    村/社区 when the organisation is a village's or a community's."""

    jurisdiction: rules.Jurisdiction
    organization: Organization
    registry: str
    default_region: Region | None
    today: date
    #: Organisation id -> its registry, for every organisation of the jurisdiction.
    registries: dict[int, str]

    @classmethod
    def of(cls, organization: Organization, jurisdiction: rules.Jurisdiction | None = None) -> RosterScope:
        jurisdiction = jurisdiction or rules.jurisdiction_under(organization)
        top = jurisdiction.top or organization
        default_region = top.region if top.region.level in (Region.Level.VILLAGE, Region.Level.COMMUNITY) else None
        registries = {pk: rules.registry_of(o) for pk, o in jurisdiction.organizations.items()}
        return cls(jurisdiction, top, rules.registry_of(top), default_region, date.today(), registries)


#: What a row gets whose ID number is registered in this county outside the organisation's
#: jurisdiction (the pipeline asks the database per batch: `pipeline._Run.sort_registered`). It
#: names no person and no organisation; a number registered only in another county is new here,
#: answered exactly as an unregistered one (ADR 0026).
REGISTERED_ELSEWHERE = gettext_lazy("该身份证号码已在本县其他组织登记，不能重复登记")

#: The roster's fields the rule book checks (the others, such as 住址, are not a person's fields).
CHECKED_FIELDS = frozenset(rules.PERSON_FIELDS) | {"village"}


def person_columns(mapping: dict[str, int]) -> dict[str, int | None]:
    """Every field of PERSON_HEADER_ALIASES -> its position in the rows (None: no such column)."""
    return {name: mapping.get(name) for name in PERSON_HEADER_ALIASES}


def check_person_row(row: Row, columns: dict[str, int | None], scope: RosterScope) -> PersonRow | str:
    """A PersonRow, or the reason (Chinese) the row cannot be imported: the per-row person check
    of every import, by the rule book (its sentences, joined with "；" when a row has several).
    Whether the ID number is registered already is the database's question, asked per batch by
    the pipeline. Runs no query."""
    values = row.values
    id_at = columns["id_number"]
    if id_at is not None:
        raw_id = values[id_at]
        if raw_id and (type(row.raw[id_at]) is not str or "E" in raw_id or "e" in raw_id) \
                and row.is_mangled(id_at):
            return MANGLED_NUMBER_MESSAGE
    data: dict[str, Any] = {name: values[at] for name, at in columns.items()
                            if at is not None and name in CHECKED_FIELDS}
    data["organization"] = scope.organization
    if scope.default_region is not None:
        data["home_region"] = scope.default_region
    try:
        cleaned = rules.person_clean(data, jurisdiction=scope.jurisdiction, required=("id_number",),
                                     today=scope.today)
    except ValidationError as exc:
        return "；".join(message for messages in exc.message_dict.values() for message in messages)
    organization_id: int = cleaned["organization"].pk
    home: Region | None = cleaned.get("home_region")
    return PersonRow(row.number, cleaned["name"], cleaned["id_number"], cleaned["gender"], cleaned["birth_date"],
                     cleaned.get("mobile", ""), cleaned.get("ethnicity", "汉族"),
                     cleaned.get("political_status", PoliticalStatus.MASSES), organization_id,
                     home.pk if home is not None else None, values, registry=scope.registries[organization_id])


def people_template(*, sheet_title: str = "人员名单", notes: list[str] | None = None) -> bytes:
    """The roster template to download (text-formatted columns, dropdowns, instructions);
    another import of people (attendance) gives its own sheet title and notes."""
    return write_template_xlsx(
        PEOPLE_TEMPLATE_HEADERS, [PEOPLE_TEMPLATE_EXAMPLE], sheet_title=sheet_title,
        notes=PEOPLE_TEMPLATE_NOTES if notes is None else notes,
        choices={"性别": ["女", "男"], "政治面貌": POLITICAL_STATUS_LABELS},
    )
