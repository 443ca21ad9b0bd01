"""Importing rosters of people from .xlsx/.csv: checked row by row, all or nothing, idempotent.

The same machinery serves the staff page, the API and `gongjian import-people FILE --org ID`:

* rows are streamed from the file (`tabular.stream_table`) and handled in batches, so memory
  stays flat however long the roster is;
* every bad row is listed with its spreadsheet row number and a reason in Chinese; a dry run
  writes nothing, and a real run writes nothing unless every row is good (one transaction);
* the natural key is the ID number (its blind index), so importing the same file twice adds
  nothing (B-04): a person already registered in the organisation's subtree is left as is;
* one audit record per import names the file by its SHA-256, the organisation and the counts.
  People are written with `bulk_create`, so django-simple-history keeps no per-row history for
  an import; the audit record is the trail (ADR 0021).

`PeopleRows` checks rows and is reused by other importers (attendance) that need people.
"""

from __future__ import annotations

import hashlib
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from operator import mul
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import audit
from .crypto import blind_index_many, encrypt_many
from .fields import keyring
from .identity import (
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    MIN_BIRTH_DATE,
    PROVINCE_PREFIXES,
    validate_id_number,
    validate_mobile,
)
from .models import Organization, Person, PoliticalStatus, Region, User
from .permissions import ensure_can
from .tabular import MANGLED_NUMBER_MESSAGE, Row, TableError, stream_table

BATCH_SIZE = 2000
IN_CHUNK = 900  # below every backend's limit on query parameters
MAX_LISTED_PROBLEMS = 1000
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


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


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


@dataclass
class ImportReport:
    """What an import found and did; `ok` only when every row was good."""

    kind: str
    dry_run: bool
    file_sha256: str = ""
    rows: int = 0
    created: int = 0
    existing: int = 0
    attended: int = 0
    already_attended: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and self.rows > 0

    def add_problem(self, row: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(RowProblem(row, message))

    def merge_problems(self, found: list[RowProblem]) -> None:
        """Add problems found apart (another pass, another thread): the list stays in row order."""
        if found:
            self.problem_count += len(found)
            self.problems = sorted(self.problems + found, key=lambda p: p.row)[:MAX_LISTED_PROBLEMS]

    def summary(self) -> str:
        if self.rows == 0 and self.problem_count:
            return "；".join(str(p) for p in self.problems[:3])
        parts = [f"共 {self.rows} 行"]
        if self.problem_count:
            parts.append(f"{self.problem_count} 行有问题")
        verb = "将新登记" if self.dry_run or not self.committed else "新登记"
        parts.append(f"{verb} {self.created} 人")
        if self.existing:
            parts.append(f"{self.existing} 人已登记（不变）")
        if self.kind == "attendance":
            verb = "将登记" if self.dry_run or not self.committed else "登记"
            parts.append(f"{verb}参加 {self.attended} 人次")
            if self.already_attended:
                parts.append(f"{self.already_attended} 人次已登记过")
        if self.problem_count and not self.dry_run:
            parts.append("未导入任何数据，请修改后重新导入")
        elif self.dry_run:
            parts.append("（检查，未写入）")
        return "，".join(parts) + "。"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "dry_run": self.dry_run, "ok": self.ok, "committed": self.committed,
            "rows": self.rows, "created": self.created, "existing": self.existing,
            "attended": self.attended, "already_attended": self.already_attended,
            "problem_count": self.problem_count,
            "problems": [{"row": p.row, "message": p.message} for p in self.problems],
            "summary": self.summary(), "file_sha256": self.file_sha256,
        }


class _Rollback(Exception):
    pass


def batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def open_table(data: bytes, filename: str, report: ImportReport,
               required: tuple[str, ...] = ("name", "id_number"),
               ) -> tuple[dict[str, int], Iterator[Row]] | None:
    """(column mapping, rows of just those columns), or None with the file's problem reported."""
    report.file_sha256 = hashlib.sha256(data).hexdigest()
    try:
        table = stream_table(data, filename, header_aliases=PERSON_HEADER_ALIASES)
        mapping = table.map_headers(required=required)
    except TableError as exc:
        report.add_problem(0, exc.message)
        return None
    return table.select(mapping)


class PeopleRows:
    """Checks roster rows against one organisation (the import's target) and its subtree.

    `mapping` maps field names to positions in the rows it is given (`StreamedTable.select`)."""

    def __init__(self, organization: Organization, mapping: dict[str, int]) -> None:
        self.organization = organization
        self.mapping = mapping
        self.index = {name: mapping.get(name) for name in PERSON_HEADER_ALIASES}
        units = Organization.objects.filter(
            path__startswith=organization.path, kind=Organization.Kind.VILLAGE_FEDERATION
        ).select_related("region")
        # 村/社区 name → (organisation, region); "小留" finds "小留村" too.
        self.places: dict[str, tuple[int, int]] = {}
        for unit in units:
            for key in {unit.region.name, unit.region.name.rstrip("村"), unit.name.removesuffix("妇联")}:
                if key:
                    self.places.setdefault(key, (unit.pk, unit.region_id))
        own_region = organization.region
        self.default_region = own_region.pk if own_region.level in (
            Region.Level.VILLAGE, Region.Level.COMMUNITY) else None
        self.today = date.today()

    def check(self, row: Row) -> PersonRow | str:
        """A PersonRow, or the reason (Chinese) the row cannot be imported."""
        idx = self.index
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
        quick = quick_id(raw_id, self.today)
        if quick is None:
            try:
                info = validate_id_number(raw_id, today=self.today)
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
        org_id, region_id = self.organization.pk, self.default_region
        place = _get(values, idx["village"])
        if place:
            hit = self.places.get(place) or self.places.get(place.rstrip("村"))
            if hit is None:
                return f"村/社区“{place[:20]}”不在{self.organization.name}的辖区内"
            org_id, region_id = hit
        return PersonRow(row.number, name, number, gender, birth, mobile, ethnicity, status, org_id,
                         region_id, values)

    def resolve(self, good: list[PersonRow], report: ImportReport) -> tuple[list[PersonRow], dict[str, int]]:
        """Split good rows into new people and those already registered in the subtree.

        Returns (new rows, {id_index: existing person id}); a number registered outside the
        organisation's subtree is a problem (it cannot be registered twice)."""
        _index_ids(good)
        found = registered(p.id_index for p in good)
        new, existing = [], {}
        for p in good:
            hit = found.get(p.id_index)
            if hit is None:
                new.append(p)
            elif hit[1].startswith(self.organization.path):
                existing[p.id_index] = hit[0]
            else:
                report.add_problem(p.row, "该身份证号码已在其他组织登记，不能重复登记")
        return new, existing


def _select_in(db: BaseDatabaseWrapper, head: str, keys: list[str]) -> list[tuple[Any, ...]]:
    """The rows of `head` (a SELECT ending in "… IN ") for `keys`, IN_CHUNK keys a statement."""
    rows: list[tuple[Any, ...]] = []
    with db.cursor() as cursor:
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start : start + IN_CHUNK]
            cursor.execute(head + "(" + ", ".join(["%s"] * len(chunk)) + ")", chunk)
            rows.extend(cursor.fetchall())
    return rows


def registered(indexes: Iterable[str], db: BaseDatabaseWrapper | None = None) -> dict[str, tuple[int, str]]:
    """{ID blind index: (person id, organisation path)} of the people already registered.

    Plain SQL: the ORM spends more time preparing two thousand IN parameters than the
    database spends answering. `db` is the connection to use (default: this thread's)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    keys = list(indexes)
    ops = db.ops
    person, org = Person._meta, Organization._meta
    head = (
        f"SELECT p.{ops.quote_name('id_number_index')}, p.{ops.quote_name('id')}, o.{ops.quote_name('path')} "  # noqa: S608
        f"FROM {ops.quote_name(person.db_table)} p JOIN {ops.quote_name(org.db_table)} o "
        f"ON o.{ops.quote_name('id')} = p.{ops.quote_name('organization_id')} "
        f"WHERE p.{ops.quote_name('id_number_index')} IN "
    )
    return {idx: (pk, path) for idx, pk, path in _select_in(db, head, keys)}


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


def check_rows(rows: Iterable[Row], checker: PeopleRows, report: ImportReport,
               batch_size: int = BATCH_SIZE) -> Iterator[list[PersonRow]]:
    """Good rows in batches (duplicates within the file reported); problems go to the report."""
    seen: dict[str, int] = {}
    try:
        for batch in batched(rows, batch_size):
            good = []
            for row in batch:
                report.rows += 1
                result = checker.check(row)
                if isinstance(result, str):
                    report.add_problem(row.number, result)
                    continue
                first = seen.get(result.id_number)
                if first is not None:
                    report.add_problem(row.number, f"身份证号码与第 {first} 行重复")
                    continue
                seen[result.id_number] = row.number
                good.append(result)
            yield good
    except TableError as exc:
        report.add_problem(0, exc.message)
    if report.rows == 0 and report.problem_count == 0:
        report.add_problem(0, "文件中没有数据")


#: A checked row ready to write: (ID number, its blind index, organisation id, column values).
Prepared = tuple[str, str, int, tuple[Any, ...]]


def prepare(rows: list[Row], checker: PeopleRows, *, sealing: bool) -> list[Prepared | str]:
    """Check a batch; good rows become Prepared (sealed column values when `sealing`, else only
    the blind index for the lookup), bad rows their reason."""
    results = [checker.check(row) for row in rows]
    good = [r for r in results if not isinstance(r, str)]
    if sealing:
        sealed = seal([(p.id_number, p.mobile) for p in good])
        values = iter(person_values(good, sealed))
        indexes = iter([item[1] for item in sealed])
    else:
        values = iter([() for _ in good])
        indexes = iter(blind_index_many([p.id_number for p in good], keyring=keyring(), purpose="person.id_number"))
    return [r if isinstance(r, str) else (r.id_number, next(indexes), r.organization_id, next(values))
            for r in results]


def _prepared_here(rows: Iterable[Row], checker: PeopleRows, size: int, *, sealing: bool,
                   ) -> Iterator[tuple[list[int], list[Prepared | str]]]:
    for batch in batched(rows, size):
        yield [r.number for r in batch], prepare(batch, checker, sealing=sealing)


# Every column of kernel_person the raw insert fills; a new Person field must be added here (the
# importer test fails until it is), so an import never silently leaves a column at a bad value.
PERSON_COLUMNS = (
    "name", "gender", "birth_date", "id_number", "id_number_index", "mobile", "mobile_index",
    "ethnicity", "political_status", "organization_id", "home_region_id", "party_organization_id",
    "created_at", "updated_at",
)


def _person_fields() -> list[Any]:
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    names = tuple(f.attname for f in fields)
    if sorted(names) != sorted(PERSON_COLUMNS):
        raise RuntimeError("kernel_person has columns the importer does not know: " + ", ".join(
            sorted(set(names) ^ set(PERSON_COLUMNS))))
    return fields


Sealed = tuple[str, str, str, str]  # (ID ciphertext, ID blind index, mobile ciphertext, mobile blind index)


def seal(pairs: list[tuple[str, str]]) -> list[Sealed]:
    """Ciphertexts and blind indexes of (ID number, mobile) pairs, exactly as
    `EncryptedTextField`/`BlindIndexField` would store them, made in bulk (the CPU-heavy part
    of an import)."""
    ring = keyring()
    ids = [i for i, _ in pairs]
    mobiles = [m for _, m in pairs if m]
    id_tokens = encrypt_many(ids, keyring=ring, purpose="person.id_number")
    id_indexes = blind_index_many(ids, keyring=ring, purpose="person.id_number")
    mobile_tokens = iter(encrypt_many(mobiles, keyring=ring, purpose="person.mobile"))
    mobile_indexes = iter(blind_index_many(mobiles, keyring=ring, purpose="person.mobile"))
    return [(token, index, *((next(mobile_tokens), next(mobile_indexes)) if mobile else ("", "")))
            for (_, mobile), token, index in zip(pairs, id_tokens, id_indexes, strict=True)]


def person_values(rows: list[PersonRow], sealed: list[Sealed]) -> list[tuple[Any, ...]]:
    """The column values of new people, in the table's column order."""
    order = [PERSON_COLUMNS.index(f.attname) for f in _person_fields()]
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    adapt_date = ops.adapt_datefield_value
    out: list[tuple[Any, ...]] = [  # in PERSON_COLUMNS order
        (p.name, p.gender, adapt_date(p.birth_date), id_token, id_index, mobile_token, mobile_index,
         p.ethnicity, p.political_status, p.organization_id, p.home_region_id, None, now, now)
        for p, (id_token, id_index, mobile_token, mobile_index) in zip(rows, sealed, strict=True)
    ]
    if order != sorted(order):  # the table's columns come in another order
        out = [tuple(row[i] for i in order) for row in out]
    return out


def write_people(values: list[tuple[Any, ...]], db: BaseDatabaseWrapper | None = None) -> None:
    """One INSERT … VALUES per batch (`executemany`), without per-field ORM work."""
    if not values:
        return
    db = db or connections[DEFAULT_DB_ALIAS]
    fields = _person_fields()
    ops = db.ops
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with db.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ops.quote_name(Person._meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608
            values,
        )


def insert_people(rows: list[PersonRow]) -> None:
    """Write new people now (in the caller's transaction)."""
    sealed = seal([(p.id_number, p.mobile) for p in rows])
    for p, item in zip(rows, sealed, strict=True):
        p.id_index = item[1]
    write_people(person_values(rows, sealed))


def _upsert_limit(db: BaseDatabaseWrapper) -> int:
    """Rows per INSERT … ON CONFLICT DO NOTHING statement, 0 when the database cannot."""
    if db.vendor == "postgresql":
        return 2000
    if db.vendor == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info >= (3, 24, 0):  # ON CONFLICT … DO NOTHING
            parameters = 32_000 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
            return min(2000, parameters // len(PERSON_COLUMNS))
    return 0


def insert_unregistered(values: list[tuple[Any, ...]], db: BaseDatabaseWrapper | None = None) -> set[str]:
    """Insert the people whose ID number is not registered yet, in multi-row statements that
    skip the others (`ON CONFLICT … DO NOTHING`); returns the blind indexes actually inserted.

    Asking the database "who exists?" before inserting costs a second lookup per row, which
    gets slow while the transaction grows; the insert itself already knows."""
    db = db or connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql":
        return _insert_unregistered_by_copy(values, db)
    fields = _person_fields()
    ops = db.ops
    table = ops.quote_name(Person._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    key = ops.quote_name("id_number_index")
    at = [f.attname for f in fields].index("id_number_index")
    row = "(" + ", ".join(["?"] * len(fields)) + ")"
    limit = _upsert_limit(db)
    inserted: set[str] = set()
    db.ensure_connection()
    # The sqlite3 connection itself (same transaction): Django's cursor would rewrite the
    # 28,000 placeholders of each statement from %s to ? while holding Python's lock.
    raw = db.connection
    with db.wrap_database_errors:
        for start in range(0, len(values), limit):
            chunk = values[start : start + limit]
            done = raw.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row] * len(chunk))
                + f" ON CONFLICT ({key}) WHERE NOT ({key} = '') DO NOTHING",
                list(chain.from_iterable(chunk)),
            )
            if done.rowcount == len(chunk):  # the usual case: nobody was registered yet
                inserted.update(values_row[at] for values_row in chunk)
            else:
                inserted |= _ours(chunk, fields, db)
    return inserted


def _ours(values: list[tuple[Any, ...]], fields: list[Any], db: BaseDatabaseWrapper) -> set[str]:
    """The blind indexes of the rows in `values` that the database stored (not skipped as
    registered already): a stored row is ours when its ID ciphertext is the very token we made
    (each has its own random nonce), which holds whoever else is importing at the same time."""
    names = [f.attname for f in fields]
    at_index, at_token = names.index("id_number_index"), names.index("id_number")
    ops = db.ops
    head = (
        f"SELECT {ops.quote_name('id_number_index')}, {ops.quote_name('id_number')} "  # noqa: S608
        f"FROM {ops.quote_name(Person._meta.db_table)} WHERE {ops.quote_name('id_number_index')} IN "
    )
    tokens = {row[at_index]: row[at_token] for row in values}
    return {index for index, token in _select_in(db, head, list(tokens)) if tokens[index] == token}


def _insert_unregistered_by_copy(values: list[tuple[Any, ...]], db: BaseDatabaseWrapper) -> set[str]:
    """PostgreSQL: COPY the batch into a temporary table (dropped at commit), then one
    INSERT … SELECT … ON CONFLICT DO NOTHING. Planning a 2,000-row VALUES list costs PostgreSQL
    more than copying the rows. No RETURNING: reading 2,000 returned rows re-takes Python's lock
    once per network read, and the batch's writer thread would wait for it each time."""
    fields = _person_fields()
    ops = db.ops
    table = ops.quote_name(Person._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    key = ops.quote_name("id_number_index")
    at = [f.attname for f in fields].index("id_number_index")
    keys = [row[at] for row in values]
    with db.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS gj_import_person ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY gj_import_person ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM gj_import_person "  # noqa: S608
                       f"ON CONFLICT ({key}) WHERE NOT ({key} = '') DO NOTHING")
        stored = cursor.rowcount
        cursor.execute("TRUNCATE gj_import_person")
    if stored == len(values):  # the usual case: nobody was registered yet
        return set(keys)
    return _ours(values, fields, db)


def _index_ids(rows: list[PersonRow]) -> None:
    missing = [p for p in rows if not p.id_index]
    if missing:
        digests = blind_index_many([p.id_number for p in missing], keyring=keyring(), purpose="person.id_number")
        for p, digest in zip(missing, digests, strict=True):
            p.id_index = digest


#: How soon the main thread hands Python's lock over while a writer thread waits for it (the
#: interpreter's default is 5 ms). Each wait for the database ends with the writer needing the
#: lock back; at 5 ms a PostgreSQL import spent about a second just waiting for it.
HANDOVER_SECONDS = 0.001
_handover_lock = threading.Lock()
_handover_users = 0
_handover_saved = 0.0


class _PromptHandover:
    """Lowers the interpreter's switch interval while any import's writer thread runs (it is
    process-wide: other threads only get the lock sooner), and puts it back after the last."""

    def __enter__(self) -> None:
        global _handover_users, _handover_saved
        with _handover_lock:
            if _handover_users == 0:
                _handover_saved = sys.getswitchinterval()
                sys.setswitchinterval(min(_handover_saved, HANDOVER_SECONDS))
            _handover_users += 1

    def __exit__(self, *exc: object) -> None:
        global _handover_users
        with _handover_lock:
            _handover_users -= 1
            if _handover_users == 0:
                sys.setswitchinterval(_handover_saved)


class _BatchWriter:
    """Does each batch's database work on a second thread, on the caller's connection and inside
    its transaction, while the caller reads, checks and seals the next batch.

    The database does its part (SQLite's B-tree work, PostgreSQL's whole server side) without
    holding Python's lock, so the two overlap on a two-core machine (ADR 0021). The caller must
    not use the connection until the block ends; `work` must use only the connection it is
    given. An error in `work` stops the rest and is raised when the block ends."""

    def __init__(self, work: Callable[[BaseDatabaseWrapper, list[Prepared], dict[str, int]], None]) -> None:
        self.work = work
        self.db = connections[DEFAULT_DB_ALIAS]  # the caller's connection, not the thread's own
        self.batches: queue.Queue[tuple[list[Prepared], dict[str, int]] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="gongjian-import-writer", daemon=True)
        self.handover = _PromptHandover()

    def __enter__(self) -> _BatchWriter:
        self.db.inc_thread_sharing()
        self.handover.__enter__()
        self.thread.start()
        return self

    def submit(self, batch: list[Prepared], numbers: dict[str, int]) -> None:
        self.batches.put((batch, numbers))

    def _run(self) -> None:
        while (item := self.batches.get()) is not None:
            if self.error is None and not self.stopping:
                try:
                    self.work(self.db, *item)
                except BaseException as exc:  # handed to the caller's thread
                    self.error = exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        self.stopping = exc is not None
        self.batches.put(None)
        self.thread.join()
        self.handover.__exit__()
        self.db.dec_thread_sharing()
        if exc is None and self.error is not None:
            raise self.error


def import_people(*, actor: User | None, organization: Organization, data: bytes, filename: str,
                  dry_run: bool = True, source: str = "web", batch_size: int = BATCH_SIZE) -> ImportReport:
    """Register the people of a roster under `organization` (or its villages, by the 村/社区 column).

    `actor` None means the command line (an operator on the server); otherwise the actor must be
    allowed to add people in the organisation."""
    if actor is not None:
        ensure_can(actor, "kernel.add_person", organization)
    report = ImportReport(kind="people", dry_run=dry_run)
    opened = open_table(data, filename, report)
    if opened is None:
        return report
    mapping, rows = opened
    checker = PeopleRows(organization, mapping)
    org_paths = dict(Organization.objects.filter(path__startswith=organization.path).values_list("id", "path"))
    seen: dict[str, int] = {}
    # Found by the writer thread (kept apart from the report, which this thread updates).
    elsewhere: list[RowProblem] = []
    counts = {"created": 0, "existing": 0}

    def classify(db: BaseDatabaseWrapper, batch: list[Prepared], numbers: dict[str, int]) -> list[Prepared]:
        """Those not registered yet; the others are counted as existing or listed as problems."""
        found = registered((p[1] for p in batch), db)
        new = []
        for p in batch:
            hit = found.get(p[1])
            if hit is None:
                new.append(p)
            elif hit[1].startswith(organization.path):
                counts["existing"] += 1
            else:
                elsewhere.append(RowProblem(numbers[p[0]], "该身份证号码已在其他组织登记，不能重复登记"))
        return new

    def finish(db: BaseDatabaseWrapper, batch: list[Prepared], numbers: dict[str, int]) -> None:
        """The database work of one batch (on the writer thread)."""
        if dry_run or report.problem_count or elsewhere:  # nothing will be kept: only count
            counts["created"] += len(classify(db, batch, numbers))
        elif _upsert_limit(db) > 0:
            inserted = insert_unregistered([p[3] for p in batch], db)
            counts["created"] += len(inserted)
            # Only the rows the database skipped are looked up: registered here, or elsewhere?
            classify(db, [p for p in batch if p[1] not in inserted], numbers)
        else:
            new = classify(db, batch, numbers)
            counts["created"] += len(new)
            if not (report.problem_count or elsewhere):
                write_people([p[3] for p in new], db)

    try:
        with transaction.atomic():
            with _BatchWriter(finish) as writer:
                try:
                    for numbers, results in _prepared_here(rows, checker, batch_size, sealing=not dry_run):
                        good: list[Prepared] = []
                        where: dict[str, int] = {}
                        for number, result in zip(numbers, results, strict=True):
                            report.rows += 1
                            if isinstance(result, str):
                                report.add_problem(number, result)
                                continue
                            first = seen.get(result[0])
                            if first is not None:
                                report.add_problem(number, f"身份证号码与第 {first} 行重复")
                                continue
                            seen[result[0]] = where[result[0]] = number
                            if result[2] not in org_paths:  # never outside the chosen organisation
                                report.add_problem(number, "所属组织不在导入范围内")
                                continue
                            good.append(result)
                        writer.submit(good, where)
                except TableError as exc:
                    report.add_problem(0, exc.message)
            report.created, report.existing = counts["created"], counts["existing"]
            report.merge_problems(elsewhere)
            if report.rows == 0 and report.problem_count == 0:
                report.add_problem(0, "文件中没有数据")
            if dry_run or not report.ok:
                raise _Rollback
            audit.record(None, "kernel.person.imported", actor=actor, username=source,
                         organization=organization if actor is None else None,
                         object_type="kernel.organization", object_id=str(organization.pk),
                         changes={"file_sha256": report.file_sha256, "rows": report.rows,
                                  "created": report.created, "existing": report.existing,
                                  "source": source})
            report.committed = True
    except _Rollback:
        pass
    except IntegrityError:
        report.add_problem(0, "导入时有人同时登记了相同的人员，未导入任何数据，请重新导入")
    return report


def people_template() -> bytes:
    """The roster template to download (text-formatted columns, dropdowns, instructions)."""
    from .tabular import write_template_xlsx

    return write_template_xlsx(
        PEOPLE_TEMPLATE_HEADERS,
        [["王秀英", "610582199003075208", "女", "13800138000", "汉族", "群众", "小留村", "1990-03-07"]],
        sheet_title="人员名单", notes=PEOPLE_TEMPLATE_NOTES,
        choices={"性别": ["女", "男"], "政治面貌": POLITICAL_STATUS_LABELS},
    )
