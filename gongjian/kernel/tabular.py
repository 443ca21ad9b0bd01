"""Reading and writing the spreadsheets village cadres upload and download.

Django-independent: nothing here touches settings, models or gettext, so it can
be used from management commands, background tasks and plain unit tests. The
user-facing error messages are plain Chinese strings carried by
:class:`TableError` (the whole UI is Chinese; wrap them at the view layer if a
translation catalogue is ever needed).

Reading (:func:`read_table`)
    ``.xlsx`` / ``.xlsm`` / ``.xlsb`` / ``.xls`` / ``.ods`` go through
    python-calamine (Rust, fast); ``.csv`` / ``.tsv`` / ``.txt`` through the
    :mod:`csv` module after encoding detection (UTF-8 with or without BOM,
    UTF-16 with BOM, then GB18030 -- a superset of the GBK that Chinese Excel
    and WPS save CSV as) and delimiter sniffing (comma, tab, semicolon; the
    full-width comma "，" is never a delimiter). The real format is decided by
    the file's content, not its name.

    Leading title rows are skipped by looking for the first row that contains
    at least two known header aliases; fully blank rows are skipped; every
    :class:`Row` keeps its true 1-based spreadsheet row number so error
    messages can say "第 12 行".

Cell values
    :func:`normalize_cell` turns whatever calamine / csv produced into a clean
    ``str``; :func:`looks_like_mangled_number` tells an importer when an ID
    number has been destroyed by Excel's 15-significant-digit number storage
    (see :data:`MANGLED_NUMBER_MESSAGE`).

Writing
    :func:`write_template_xlsx` (import templates: text-formatted columns,
    dropdowns, a "填写说明" sheet) and :func:`write_rows_xlsx` (streamed
    exports, formula-injection safe).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter
from typing import Any, Final, TypeAlias

import python_calamine
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNCOMPRESSED_BYTES",
    "FORMAT_MESSAGE",
    "GENDER_CHOICES",
    "MANGLED_NUMBER_MESSAGE",
    "NO_DATA_MESSAGE",
    "PERSON_HEADER_ALIASES",
    "PERSON_REQUIRED_FIELDS",
    "POLITICAL_STATUS_CHOICES",
    "CellValue",
    "Row",
    "StreamedTable",
    "Table",
    "TableError",
    "looks_like_mangled_number",
    "map_headers",
    "normalize_cell",
    "normalize_header",
    "normalize_row",
    "read_table",
    "sniff_format",
    "stream_table",
    "write_rows_xlsx",
    "write_template_xlsx",
]

# --------------------------------------------------------------------------- #
# Public constants
# --------------------------------------------------------------------------- #

#: Largest number of non-blank data rows :func:`read_table` accepts.
DEFAULT_MAX_ROWS: Final = 200_000
#: Largest upload (compressed size for xlsx/ods) :func:`read_table` accepts.
DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
#: Zip-bomb guard: total declared uncompressed size of an xlsx/ods archive.
DEFAULT_MAX_UNCOMPRESSED_BYTES: Final = 512 * 1024 * 1024

FORMAT_MESSAGE: Final = "无法识别的文件格式，请上传 .xlsx 或 .csv 文件"
NO_DATA_MESSAGE: Final = "文件中没有数据"
#: What an importer should say when :func:`looks_like_mangled_number` is true.
MANGLED_NUMBER_MESSAGE: Final = "身份证号被Excel转成了科学计数法，请把该列设为文本格式后重新导出"

#: Canonical field name -> accepted column titles. The first alias is the
#: label used in error messages ("缺少必需的列：姓名、身份证号").
PERSON_HEADER_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
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
PERSON_REQUIRED_FIELDS: Final[tuple[str, ...]] = ("name", "id_number")

GENDER_CHOICES: Final[tuple[str, ...]] = ("女", "男")
#: The six statuses used on grassroots rosters (simplified from GB/T 4762).
POLITICAL_STATUS_CHOICES: Final[tuple[str, ...]] = (
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民主党派成员",
    "无党派人士",
    "群众",
)

#: A value as it comes out of python-calamine or the csv module.
CellValue: TypeAlias = (
    str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None
)

_TEXT_EXTENSIONS: Final = frozenset({".csv", ".tsv", ".txt"})
_HEADER_SEARCH_ROWS: Final = 20
_SNIFF_CHARS: Final = 64 * 1024
_SNIFF_RECORDS: Final = 50
_CSV_FIELD_LIMIT: Final = 1024 * 1024
_EXCEL_MAX_ROW: Final = 1_048_576
_XLSX_DIGITS: Final = 15  # Excel keeps 15 significant digits of any number
_BEIJING: Final = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class TableError(ValueError):
    """A problem with an uploaded table, with a message fit to show the user.

    ``code`` is a stable machine-readable reason (``format``, ``empty``,
    ``too_large``, ``too_many_rows``, ``encoding``, ``encrypted``, ``corrupt``,
    ``csv``, ``sheet``, ``missing_columns``); ``missing`` lists the Chinese
    labels of missing required columns for ``missing_columns``.
    """

    def __init__(self, message: str, *, code: str = "invalid", missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.missing: tuple[str, ...] = tuple(missing)

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- #
# Cell and header normalisation
# --------------------------------------------------------------------------- #

_TRANSLATE: Final[dict[int, int | None]] = {
    **{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)},  # full-width ASCII
    0x3000: 0x20,  # ideographic space
    0x00A0: 0x20,  # no-break space
    0x200B: None,  # zero-width space / joiners / word joiner / BOM
    0x200C: None,
    0x200D: None,
    0x2060: None,
    0xFEFF: None,
}
# Anything that would change under normalisation; lets clean cells (the vast
# majority) return the very same str object without allocating.
_NEEDS_WORK_RE: Final = re.compile(r"^\s|\s$|\s\s|[^\S ]|[\uff01-\uff5e\u200b-\u200d\u2060\ufeff]")
# The same test over a whole row joined with NUL (which no cell of a workbook holds; a CSV cell
# that does only takes the slow path): a match of either means some cell needs work. One
# character class is several times faster than the alternation above, and most rows hold no
# space at all. OTHER_SPACES is every character str.isspace() accepts but the plain space (a
# test keeps the list true).
OTHER_SPACES: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ROW_ODD_CHARACTER_RE: Final = re.compile(
    "[" + re.escape(OTHER_SPACES) + "\uff01-\uff5e\u200b-\u200d\u2060\ufeff]"
)
_ROW_ODD_SPACE_RE: Final = re.compile(r"(?:^|\x00) | (?:\x00|$)|  ")
_WS_RUN_RE: Final = re.compile(r"\s+")
_INT_WITH_ZERO_FRACTION_RE: Final = re.compile(r"[+-]?[0-9]+\.0+", re.ASCII)
_SCIENTIFIC_RE: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+", re.ASCII)
_HEADER_SUFFIX_RE: Final = re.compile(r"[(\[](?:必填|必填项|选填|非必填|可选)[)\]]$")
_TRAILING_PAREN_RE: Final = re.compile(r"\([^()]*\)$")
_ALL_WS_RE: Final = re.compile(r"\s+")


def _format_number(value: float) -> str:
    """Render a float the way Excel displays it (15 significant digits)."""
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    if value.is_integer() and abs(value) < 10**_XLSX_DIGITS:
        return str(int(value))
    text = format(Decimal(f"{value:.{_XLSX_DIGITS}g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _format_timedelta(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"


def normalize_cell(value: object) -> str:
    """Turn a raw cell value into clean text.

    * ``None`` -> ``""``; ``True``/``False`` -> ``"TRUE"``/``"FALSE"``.
    * Integral floats -> integer text (``13800138000.0`` -> ``"13800138000"``);
      other floats are shown with Excel's 15 significant digits. Text such as
      ``"610582199003074571.0"`` (an integer that went through a float column
      somewhere) loses its ``.0`` too. Values Excel has already damaged are
      *not* repaired -- check :func:`looks_like_mangled_number` on the raw value.
    * ``date`` / midnight ``datetime`` -> ``"YYYY-MM-DD"``; a datetime with a
      time of day keeps it (``"YYYY-MM-DD HH:MM:SS"``) so sign-in times survive.
    * Text: full-width ASCII (U+FF01-U+FF5E) -> half-width, U+3000 and no-break
      spaces -> space, zero-width characters dropped, whitespace runs (incl.
      in-cell line breaks) collapsed to one space, ends stripped.
    """
    if type(value) is str:  # fast path: by far the most common cell type
        text = value
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        return _format_number(value)
    elif isinstance(value, int):
        return str(value)
    elif isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    elif isinstance(value, dt.date):
        return value.isoformat()
    elif isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    elif isinstance(value, dt.timedelta):
        return _format_timedelta(value)
    elif isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else ""
    else:
        text = str(value)
    if _NEEDS_WORK_RE.search(text):
        text = _WS_RUN_RE.sub(" ", text.translate(_TRANSLATE)).strip()
    if "." in text and _INT_WITH_ZERO_FRACTION_RE.fullmatch(text):
        text = text.split(".", 1)[0]
    return text


def normalize_row(raw: tuple[CellValue, ...]) -> tuple[str, ...]:
    """``tuple(map(normalize_cell, raw))``, faster for the usual row of clean text cells: one
    join and one search for the row instead of a call and a search for each cell."""
    try:
        joined = "\x00".join(raw)  # type: ignore[arg-type]  # TypeError: not all text
    except TypeError:
        return tuple(map(normalize_cell, raw))
    if (
        "." in joined
        or _ROW_ODD_CHARACTER_RE.search(joined)
        or (" " in joined and _ROW_ODD_SPACE_RE.search(joined))
    ):
        return tuple(map(normalize_cell, raw))
    return raw  # type: ignore[return-value]  # all str, all clean


def looks_like_mangled_number(raw: object) -> bool:
    """True if ``raw`` is a long identifier that a spreadsheet turned into a number.

    * numeric cells (int or float) of 16 or more digits: spreadsheets store
      numbers as doubles and Excel keeps only 15 significant digits, so an
      18-digit ID number typed without a leading apostrophe is already wrong
      (``610582199003074571`` is stored as ``610582199003075000``);
    * text in scientific notation, e.g. ``"6.10582199003075E+17"`` -- what a
      CSV exported from such a column contains.

    Short numbers (mobile numbers, 15-digit old-style IDs) are exact and are
    not flagged.
    """
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        return abs(raw) >= 10**_XLSX_DIGITS
    if isinstance(raw, Decimal):
        return raw.is_finite() and abs(raw) >= 10**_XLSX_DIGITS
    if isinstance(raw, str):
        return _SCIENTIFIC_RE.fullmatch(normalize_cell(raw).replace(" ", "")) is not None
    return False


def normalize_header(text: object) -> str:
    """Header text reduced to a comparison key.

    Applies :func:`normalize_cell`, then removes all whitespace and ``*``,
    the suffixes "（必填）"/"(必填)"/"(选填)"…, a trailing colon, and lower-cases
    ASCII: ``" *身份证号（必填） "`` -> ``"身份证号"``, ``"村（社区）"`` -> ``"村(社区)"``.
    """
    key = _ALL_WS_RE.sub("", normalize_cell(text)).replace("*", "")
    while True:
        stripped = _HEADER_SUFFIX_RE.sub("", key).rstrip(":")
        if stripped == key:
            return key.lower()
        key = stripped


def _alias_lookup(aliases: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, int]]:
    """Normalised alias -> (field, priority). Lower priority wins."""
    lookup: dict[str, tuple[str, int]] = {}
    for field_name, names in aliases.items():
        for priority, alias in enumerate(names):
            key = normalize_header(alias)
            if not key:
                continue
            other = lookup.get(key)
            if other is not None and other[0] != field_name:
                raise ValueError(
                    f"header alias {alias!r} is used by both {other[0]!r} and {field_name!r}"
                )
            if other is None:
                lookup[key] = (field_name, priority)
    return lookup


def _match_header(text: str, lookup: Mapping[str, tuple[str, int]]) -> tuple[str, int] | None:
    key = normalize_header(text)
    if not key:
        return None
    hit = lookup.get(key)
    if hit is not None:
        return hit
    # "身份证号码(18位)", "出生日期(yyyy-mm-dd)": retry without the remark,
    # ranked after every exact match.
    bare = _TRAILING_PAREN_RE.sub("", key)
    if bare != key and bare:
        hit = lookup.get(bare)
        if hit is not None:
            return hit[0], hit[1] + 1000
    return None


def _label(field_name: str, aliases: Mapping[str, Sequence[str]]) -> str:
    names = aliases.get(field_name)
    return names[0] if names else field_name


def map_headers(
    headers: Sequence[object],
    aliases: Mapping[str, Sequence[str]] = PERSON_HEADER_ALIASES,
    *,
    required: Iterable[str] = (),
) -> dict[str, int]:
    """Map canonical field names to 0-based column indexes.

    Headers and aliases are compared after :func:`normalize_header`. When
    several columns match one field, the column matching the earlier alias
    wins, then the leftmost one. Raises :class:`TableError`
    ("缺少必需的列：姓名、身份证号") if any ``required`` field has no column.
    """
    lookup = _alias_lookup(aliases)
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        hit = _match_header(normalize_cell(header), lookup)
        if hit is None:
            continue
        field_name, priority = hit
        if field_name not in best or (priority, index) < best[field_name]:
            best[field_name] = (priority, index)
    missing = [_label(f, aliases) for f in dict.fromkeys(required) if f not in best]
    if missing:
        raise TableError(
            "缺少必需的列：" + "、".join(missing), code="missing_columns", missing=missing
        )
    return {name: index for name, (_, index) in sorted(best.items(), key=lambda kv: kv[1][1])}


# --------------------------------------------------------------------------- #
# Table model
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class Row:
    """One non-blank data row.

    ``number`` is the 1-based row number as shown in Excel (for CSV: the
    1-based record number). ``values`` are normalised strings, ``raw`` the
    original cell values (floats, dates...) for checks such as
    :func:`looks_like_mangled_number`; both are as wide as the header.
    """

    number: int
    values: tuple[str, ...]
    raw: tuple[CellValue, ...]

    def get(self, index: int | None, default: str = "") -> str:
        if index is None or not 0 <= index < len(self.values):
            return default
        return self.values[index]

    def raw_at(self, index: int) -> CellValue:
        return self.raw[index] if 0 <= index < len(self.raw) else None

    def is_mangled(self, index: int | None) -> bool:
        return index is not None and looks_like_mangled_number(self.raw_at(index))

    def as_dict(self, mapping: Mapping[str, int]) -> dict[str, str]:
        """``{field: value}`` for a mapping produced by :func:`map_headers`."""
        return {name: self.get(index) for name, index in mapping.items()}


@dataclass(slots=True)
class Table:
    """A header plus its data rows, read from one worksheet or CSV file."""

    headers: list[str]
    rows: list[Row]
    header_row: int
    format: str
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    #: 0-based sheet column of ``headers[0]`` (calamine trims empty leading columns).
    column_offset: int = 0

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def map_headers(
        self,
        aliases: Mapping[str, Sequence[str]] = PERSON_HEADER_ALIASES,
        *,
        required: Iterable[str] = (),
    ) -> dict[str, int]:
        return map_headers(self.headers, aliases, required=required)

    def column_label(self, index: int) -> str:
        """Spreadsheet column letter ("A", "AB") of header index ``index``."""
        return str(get_column_letter(index + self.column_offset + 1))


# --------------------------------------------------------------------------- #
# Format detection
# --------------------------------------------------------------------------- #

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS: Final = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"BM",
    b"RIFF",
)
_ODS_MIMETYPE: Final = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTED_MESSAGE: Final = "文件设置了打开密码，请在 Excel 中取消密码后重新上传"
_CORRUPT_MESSAGE: Final = "文件已损坏或内容不完整，无法读取，请用 Excel 打开后另存为 .xlsx 再上传"


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip().lower()
    return name[name.rfind(".") :] if "." in name else ""


def _mb(num_bytes: int) -> str:
    return f"{num_bytes / (1024 * 1024):g}"


def _sniff_zip(data: bytes, max_uncompressed_bytes: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableError(FORMAT_MESSAGE, code="format") from None
    if sum(info.file_size for info in infos) > max_uncompressed_bytes:
        raise TableError(
            f"文件解压后超过 {_mb(max_uncompressed_bytes)} MB，请拆分后分批上传", code="too_large"
        )
    names = {info.filename for info in infos}
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as handle:
                mimetype = handle.read(len(_ODS_MIMETYPE) + 16)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
            raise TableError(FORMAT_MESSAGE, code="format") from None
        if mimetype.strip().startswith(_ODS_MIMETYPE) and not mimetype.strip().endswith(
            b"-template"
        ):
            return "ods"
        raise TableError(FORMAT_MESSAGE, code="format")
    lowered = {name.lower() for name in names}
    if "xl/workbook.bin" in lowered:
        return "xlsb"
    if "[content_types].xml" in lowered and any(n.startswith("xl/") for n in lowered):
        return "xlsx"
    raise TableError(FORMAT_MESSAGE, code="format")


def sniff_format(
    data: bytes,
    filename: str,
    *,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
) -> str:
    """Return ``"xlsx"``, ``"xlsb"``, ``"ods"``, ``"xls"`` or ``"csv"``.

    Spreadsheets are recognised by content alone (zip / OLE2 signature and the
    archive's members); text is accepted as CSV only when the file name ends in
    .csv/.tsv/.txt and the bytes do not look binary or like HTML/XML. Anything
    else raises :class:`TableError` with :data:`FORMAT_MESSAGE`.
    """
    if not data:
        raise TableError(NO_DATA_MESSAGE, code="empty")
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, max_uncompressed_bytes)
    if data.startswith(_OLE_MAGIC):
        return "xls"
    if _extension(filename) not in _TEXT_EXTENSIONS:
        raise TableError(FORMAT_MESSAGE + _html_hint(data), code="format")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    head = data[:8192]
    if data.startswith(_BINARY_MAGICS) or b"\x00" in head:
        raise TableError(FORMAT_MESSAGE, code="format")
    if _html_hint(data):
        raise TableError(FORMAT_MESSAGE + _html_hint(data), code="format")
    return "csv"


def _html_hint(data: bytes) -> str:
    head = data[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return "（该文件实际是网页格式，请用 Excel 打开后另存为 .xlsx 再上传）"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "（该文件实际是 XML 格式，请用 Excel 打开后另存为 .xlsx 再上传）"
    return ""


# --------------------------------------------------------------------------- #
# Raw row sources
# --------------------------------------------------------------------------- #

RawRows: TypeAlias = Iterator[tuple[int, list[CellValue]]]
# start-row number -> [(relative column, last row number)] for vertical merges
MergeMap: TypeAlias = dict[int, list[tuple[int, int]]]


@dataclass(slots=True)
class _Source:
    format: str
    rows: Callable[[], RawRows]  # re-iterable: the header scan and the main pass each call it
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    column_offset: int = 0
    merges: MergeMap = field(default_factory=dict)


def _calamine_rows(sheet: python_calamine.CalamineSheet) -> RawRows:
    # iter_rows() pads the empty rows above the used range, so the n-th item
    # (1-based) is sheet row n; columns start at the used range's first column.
    yield from enumerate(sheet.iter_rows(), start=1)


def _vertical_merges(sheet: python_calamine.CalamineSheet, first_col: int) -> MergeMap:
    merges: MergeMap = {}
    for (r1, c1), (r2, _c2) in sheet.merged_cell_ranges or ():
        if r2 > r1 and c1 >= first_col:
            merges.setdefault(r1 + 1, []).append((c1 - first_col, r2 + 1))
    return merges


def _open_workbook(data: bytes, fmt: str) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise TableError(_ENCRYPTED_MESSAGE, code="encrypted") from None
    except Exception:  # calamine raises several unrelated types for bad input
        if fmt == "xls" and "EncryptionInfo".encode("utf-16-le") in data:
            raise TableError(_ENCRYPTED_MESSAGE, code="encrypted") from None
        if fmt == "xls":  # OLE2 but not a workbook (.doc, .msg, ...)
            raise TableError(FORMAT_MESSAGE, code="format") from None
        raise TableError(_CORRUPT_MESSAGE, code="corrupt") from None


def _load_sheet(
    workbook: python_calamine.CalamineWorkbook, name: str
) -> python_calamine.CalamineSheet | None:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except python_calamine.PasswordError:
        raise TableError(_ENCRYPTED_MESSAGE, code="encrypted") from None
    except Exception:
        raise TableError(_CORRUPT_MESSAGE, code="corrupt") from None
    return sheet if sheet.start is not None else None


def _spreadsheet_source(
    data: bytes,
    fmt: str,
    sheet: str | int | None,
    lookup: Mapping[str, tuple[str, int]],
    min_header_matches: int,
    header_search_rows: int,
    fill_merged: bool,
) -> _Source | None:
    workbook = _open_workbook(data, fmt)
    metadata = workbook.sheets_metadata
    if sheet is not None:
        names = workbook.sheet_names
        if isinstance(sheet, int):
            name = names[sheet] if 0 <= sheet < len(names) else None
        else:
            name = sheet if sheet in names else None
        if name is None:
            raise TableError(f"找不到工作表：{sheet}", code="sheet")
        candidates = [name]
    else:
        candidates = [
            m.name
            for m in metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible
            and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
    chosen: tuple[str, python_calamine.CalamineSheet] | None = None
    for name in candidates:
        loaded = _load_sheet(workbook, name)
        if loaded is None:
            continue
        if chosen is None:
            chosen = (name, loaded)  # fallback: first non-empty sheet
        if len(candidates) == 1:
            break
        scan = _scan_header(_calamine_rows(loaded), lookup, min_header_matches, header_search_rows)
        if scan is not None and scan[2]:
            chosen = (name, loaded)
            break
    if chosen is None:
        return None
    name, loaded = chosen
    start = loaded.start or (0, 0)
    return _Source(
        format=fmt,
        rows=lambda: _calamine_rows(loaded),
        sheet_name=name,
        column_offset=start[1],
        merges=_vertical_merges(loaded, start[1]) if fill_merged else {},
    )


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TableError(
        "无法识别文件的文字编码，请用 Excel 另存为“CSV UTF-8”格式后重新上传", code="encoding"
    )


def _sniff_delimiter(text: str) -> str:
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    best = ","
    best_score = (0.0, 0)
    for delimiter in (",", "\t", ";"):
        if delimiter not in sample:
            continue
        try:
            records = list(
                islice(
                    csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), _SNIFF_RECORDS
                )
            )
        except csv.Error:
            continue
        widths = [len(r) for r in records if any(cell.strip() for cell in r)]
        if not widths:
            continue
        mode, count = Counter(widths).most_common(1)[0]
        if mode < 2:
            continue
        score = (count / len(widths), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str, delimiter: str) -> RawRows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):  # noqa: B007 - used in except
            yield number, record  # type: ignore[misc]
    except csv.Error:
        raise TableError(
            f"CSV 文件第 {number + 1} 行附近格式有误（可能是引号不成对），请用 Excel 打开后重新保存",
            code="csv",
        ) from None


def _csv_source(data: bytes) -> _Source:
    text, encoding = _decode_text(data)
    delimiter = _sniff_delimiter(text)
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    return _Source(
        format="csv",
        rows=lambda: _csv_rows(text, delimiter),
        encoding="utf-8" if encoding == "utf-8-sig" else encoding,
        delimiter=delimiter,
    )


# --------------------------------------------------------------------------- #
# Assembly
# --------------------------------------------------------------------------- #


def _count_header_fields(values: Sequence[str], lookup: Mapping[str, tuple[str, int]]) -> int:
    fields = set()
    for value in values:
        if value:
            hit = _match_header(value, lookup)
            if hit is not None:
                fields.add(hit[0])
    return len(fields)


def _scan_header(
    rows: RawRows,
    lookup: Mapping[str, tuple[str, int]],
    min_matches: int,
    search_rows: int,
) -> tuple[int, list[str], bool] | None:
    """(row number, normalised values, matched-aliases?) of the header row.

    The header is the first of the first ``search_rows`` non-blank rows that
    contains at least ``min_matches`` distinct known fields; failing that, the
    first non-blank row. ``None`` if there is no non-blank row at all.
    """
    first: tuple[int, list[str]] | None = None
    seen = 0
    for number, cells in rows:
        values = [normalize_cell(c) for c in cells]
        if not any(values):
            continue
        if first is None:
            first = (number, values)
        if lookup and _count_header_fields(values, lookup) >= min_matches:
            return number, values, True
        seen += 1
        if seen >= search_rows:
            break
    return None if first is None else (first[0], first[1], False)


def _assemble(
    source: _Source,
    lookup: Mapping[str, tuple[str, int]],
    min_header_matches: int,
    header_search_rows: int,
    max_rows: int,
    allow_empty: bool,
) -> Table:
    scan = _scan_header(source.rows(), lookup, min_header_matches, header_search_rows)
    if scan is None:
        raise TableError(NO_DATA_MESSAGE, code="empty")
    header_number, header_values, _matched = scan
    width = len(header_values)
    while width and not header_values[width - 1]:
        width -= 1
    headers = header_values[:width]
    padding_raw: tuple[CellValue, ...] = ("",) * width
    padding_values: tuple[str, ...] = ("",) * width

    merges = {k: v for k, v in source.merges.items() if k > header_number}
    filling: dict[int, tuple[int, CellValue, str]] = {}  # col -> (last row, raw, value)

    rows: list[Row] = []
    append = rows.append
    for number, cells in source.rows():
        if number <= header_number:
            continue
        raw = tuple(cells[:width])
        if len(raw) < width:
            raw += padding_raw[len(raw) :]
        values = tuple([normalize_cell(c) for c in raw])
        if values == padding_values:
            if filling:
                filling = {c: f for c, f in filling.items() if f[0] > number}
            continue
        if filling:
            raw, values = _apply_fill(number, raw, values, filling)
        if number in merges:
            for col, last in merges[number]:
                if col < width and values[col]:
                    filling[col] = (last, raw[col], values[col])
        if len(rows) >= max_rows:
            raise TableError(
                f"数据行数超过上限：每个文件最多 {max_rows} 行，请拆分成多个文件后分批导入",
                code="too_many_rows",
            )
        append(Row(number, values, raw))
    if not rows and not allow_empty:
        raise TableError(NO_DATA_MESSAGE, code="empty")
    return Table(
        headers=headers,
        rows=rows,
        header_row=header_number,
        format=source.format,
        sheet_name=source.sheet_name,
        encoding=source.encoding,
        delimiter=source.delimiter,
        column_offset=source.column_offset,
    )


def _apply_fill(
    number: int,
    raw: tuple[CellValue, ...],
    values: tuple[str, ...],
    filling: dict[int, tuple[int, CellValue, str]],
) -> tuple[tuple[CellValue, ...], tuple[str, ...]]:
    raw_list, value_list = list(raw), list(values)
    for col, (last, fill_raw, fill_value) in list(filling.items()):
        if number > last:
            del filling[col]
        elif not value_list[col]:
            raw_list[col], value_list[col] = fill_raw, fill_value
    return tuple(raw_list), tuple(value_list)


def _open_source(
    data: bytes,
    filename: str,
    header_aliases: Mapping[str, Sequence[str]] | None,
    sheet: str | int | None,
    min_header_matches: int,
    header_search_rows: int,
    max_bytes: int,
    max_uncompressed_bytes: int,
    fill_merged: bool,
) -> tuple[_Source, Mapping[str, tuple[str, int]]]:
    """The checked file's rows (`read_table` and `stream_table` alike) and the header lookup."""
    if len(data) > max_bytes:
        raise TableError(
            f"文件过大：最大允许 {_mb(max_bytes)} MB，请拆分后分批上传", code="too_large"
        )
    fmt = sniff_format(data, filename, max_uncompressed_bytes=max_uncompressed_bytes)
    aliases = PERSON_HEADER_ALIASES if header_aliases is None else header_aliases
    lookup = _alias_lookup(aliases)
    if fmt == "csv":
        source: _Source | None = _csv_source(data)
    else:
        source = _spreadsheet_source(
            data, fmt, sheet, lookup, min_header_matches, header_search_rows, fill_merged
        )
    if source is None:
        raise TableError(NO_DATA_MESSAGE, code="empty")
    return source, lookup


def read_table(
    data: bytes,
    filename: str,
    *,
    header_aliases: Mapping[str, Sequence[str]] | None = None,
    min_header_matches: int = 2,
    header_search_rows: int = _HEADER_SEARCH_ROWS,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    sheet: str | int | None = None,
    fill_merged: bool = True,
    allow_empty: bool = False,
) -> Table:
    """Read the roster in ``data`` (an uploaded file called ``filename``).

    ``header_aliases`` (default :data:`PERSON_HEADER_ALIASES`) is used only to
    find the header row -- the first row with ``min_header_matches`` known
    column titles among the first ``header_search_rows`` non-blank rows, else
    the first non-blank row. Call :meth:`Table.map_headers` afterwards to get
    column indexes and check required columns.

    For workbooks, the first visible worksheet whose header is recognised is
    used (so a roster on the second sheet, or a "填写说明" sheet first, still
    works) unless ``sheet`` (name or 0-based index) is given. With
    ``fill_merged`` the value of a vertically merged cell below the header
    (e.g. one "村" cell spanning ten people) is copied into every row it covers.

    Raises :class:`TableError` for an unknown format, an empty file/sheet,
    more than ``max_rows`` non-blank data rows, or more than ``max_bytes``.
    """
    source, lookup = _open_source(
        data, filename, header_aliases, sheet, min_header_matches, header_search_rows,
        max_bytes, max_uncompressed_bytes, fill_merged,
    )
    return _assemble(source, lookup, min_header_matches, header_search_rows, max_rows, allow_empty)


@dataclass(slots=True)
class StreamedTable:
    """A header plus an iterator over its data rows (see :func:`stream_table`)."""

    headers: list[str]
    rows: Iterator[Row]
    header_row: int
    format: str
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    column_offset: int = 0
    _source: _Source | None = None
    _max_rows: int = DEFAULT_MAX_ROWS

    def map_headers(
        self,
        aliases: Mapping[str, Sequence[str]] = PERSON_HEADER_ALIASES,
        *,
        required: Iterable[str] = (),
    ) -> dict[str, int]:
        return map_headers(self.headers, aliases, required=required)

    def column_label(self, index: int) -> str:
        return str(get_column_letter(index + self.column_offset + 1))

    def select(self, mapping: Mapping[str, int]) -> tuple[dict[str, int], Iterator[Row]]:
        """Only the mapped columns, for speed: ``(new mapping, rows)`` where each row holds the
        mapped columns in mapping order. Use instead of ``rows`` (not both). A row whose mapped
        cells are all blank counts as blank."""
        assert self._source is not None
        columns = tuple(mapping.values())
        positions = {name: i for i, name in enumerate(mapping)}
        rows = _stream_rows(self._source, self.header_row, len(self.headers), self._max_rows,
                            columns=columns)
        return positions, rows


def _stream_rows(
    source: _Source, header_number: int, width: int, max_rows: int,
    columns: tuple[int, ...] | None = None,
) -> Iterator[Row]:
    """The data rows of ``source`` below its header, one at a time (same rules as _assemble).

    With ``columns``, each row holds only those header columns, in that order."""
    if columns is None:
        columns = tuple(range(width))
    picked = len(columns)
    padding_values: tuple[str, ...] = ("",) * picked
    position = {col: i for i, col in enumerate(columns)}
    merges = {
        k: [(position[c], last) for c, last in v if c in position]
        for k, v in source.merges.items()
        if k > header_number
    }
    filling: dict[int, tuple[int, CellValue, str]] = {}
    count = 0
    widest = max(columns, default=-1)
    pick = itemgetter(*columns) if picked > 1 else None
    for number, cells in source.rows():
        if number <= header_number:
            continue
        if pick is not None and len(cells) > widest:
            raw: tuple[CellValue, ...] = pick(cells)
        else:
            size = len(cells)
            raw = tuple([cells[c] if c < size else "" for c in columns])
        values = normalize_row(raw)
        if values == padding_values:
            if filling:
                filling = {c: f for c, f in filling.items() if f[0] > number}
            continue
        if filling:
            raw, values = _apply_fill(number, raw, values, filling)
        if number in merges:
            for col, last in merges[number]:
                if values[col]:
                    filling[col] = (last, raw[col], values[col])
        count += 1
        if count > max_rows:
            raise TableError(
                f"数据行数超过上限：每个文件最多 {max_rows} 行，请拆分成多个文件后分批导入",
                code="too_many_rows",
            )
        yield Row(number, values, raw)


def stream_table(
    data: bytes,
    filename: str,
    *,
    header_aliases: Mapping[str, Sequence[str]] | None = None,
    min_header_matches: int = 2,
    header_search_rows: int = _HEADER_SEARCH_ROWS,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    sheet: str | int | None = None,
    fill_merged: bool = True,
) -> StreamedTable:
    """Like :func:`read_table`, but the data rows come one at a time from ``.rows``.

    Nothing but the current row is held as Python objects, so an importer that works in
    batches keeps its memory flat however long the roster is (the workbook itself is still
    decoded by calamine in one go). An empty sheet gives an iterator with no rows instead of
    raising; errors found while iterating (``too_many_rows``, a broken CSV quote) are raised
    by the iterator.
    """
    source, lookup = _open_source(
        data, filename, header_aliases, sheet, min_header_matches, header_search_rows,
        max_bytes, max_uncompressed_bytes, fill_merged,
    )
    scan = _scan_header(source.rows(), lookup, min_header_matches, header_search_rows)
    if scan is None:
        raise TableError(NO_DATA_MESSAGE, code="empty")
    header_number, header_values, _matched = scan
    width = len(header_values)
    while width and not header_values[width - 1]:
        width -= 1
    return StreamedTable(
        headers=header_values[:width],
        rows=_stream_rows(source, header_number, width, max_rows),
        header_row=header_number,
        format=source.format,
        sheet_name=source.sheet_name,
        encoding=source.encoding,
        delimiter=source.delimiter,
        column_offset=source.column_offset,
        _source=source,
        _max_rows=max_rows,
    )


# --------------------------------------------------------------------------- #
# Writing
# --------------------------------------------------------------------------- #

_HEADER_FONT: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGNMENT: Final = Alignment(horizontal="center", vertical="center", wrap_text=True)
_INVALID_SHEET_CHARS_RE: Final = re.compile(r"[\[\]:*?/\\]")
_INLINE_LIST_LIMIT: Final = 255
_CHOICES_SHEET: Final = "_choices"


def _sheet_title(title: str, default: str = "Sheet1") -> str:
    cleaned = _INVALID_SHEET_CHARS_RE.sub("", title).strip().strip("'")[:31]
    return cleaned or default


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(samples: Iterable[str]) -> float:
    widest = max((_display_width(s) for s in samples), default=0)
    return float(min(max(widest + 4, 10), 60))


def _safe_text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def write_template_xlsx(
    headers: list[str],
    example_rows: list[list[str]],
    *,
    sheet_title: str,
    notes: list[str],
    choices: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """An import template: bold header row, every column text-formatted ("@")
    so ID and mobile numbers stay text, sensible widths, frozen header,
    optional dropdowns (``choices``: header -> allowed values, matched with
    :func:`normalize_header` so "性别*" finds "性别"), and a second sheet
    "填写说明" listing ``notes`` (omitted when ``notes`` is empty).
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(sheet_title, "导入模板")

    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col, value=_safe_text(header))
        cell.data_type = "s"
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        cell.number_format = "@"
    for row_index, example in enumerate(example_rows, start=2):
        for col, value in enumerate(example, start=1):
            cell = sheet.cell(row=row_index, column=col, value=_safe_text(normalize_cell(value)))
            cell.data_type = "s"
            cell.number_format = "@"
    for col, header in enumerate(headers, start=1):
        letter = get_column_letter(col)
        samples = [header] + [normalize_cell(r[col - 1]) for r in example_rows if len(r) >= col]
        dimension = sheet.column_dimensions[letter]
        dimension.width = _column_width(samples)
        dimension.number_format = "@"  # new cells typed into the column are text
    sheet.freeze_panes = "A2"

    if choices:
        by_key = {normalize_header(k): list(v) for k, v in choices.items()}
        list_sheet = None
        for col, header in enumerate(headers, start=1):
            allowed = by_key.get(normalize_header(header))
            if not allowed:
                continue
            letter = get_column_letter(col)
            inline = '"' + ",".join(allowed) + '"'
            if len(inline) <= _INLINE_LIST_LIMIT and not any(
                ("," in v or '"' in v) for v in allowed
            ):
                formula = inline
            else:
                if list_sheet is None:
                    list_sheet = workbook.create_sheet(_CHOICES_SHEET)
                    list_sheet.sheet_state = "veryHidden"
                for r, value in enumerate(allowed, start=1):
                    list_sheet.cell(row=r, column=col, value=_safe_text(value)).data_type = "s"
                formula = f"'{_CHOICES_SHEET}'!${letter}$1:${letter}${len(allowed)}"
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showDropDown=False,  # (sic) False means "show the arrow"
                showErrorMessage=True,
                errorTitle="输入有误",
                error=f"请从下拉列表中选择{header.strip(' *')}",
            )
            validation.add(f"{letter}2:{letter}{_EXCEL_MAX_ROW}")
            sheet.add_data_validation(validation)

    if notes:
        notes_sheet = workbook.create_sheet("填写说明", 1)
        notes_sheet.column_dimensions["A"].width = 100
        title = notes_sheet.cell(row=1, column=1, value="填写说明")
        title.font = Font(bold=True, size=14)
        for row_index, note in enumerate(notes, start=2):
            cell = notes_sheet.cell(row=row_index, column=1, value=_safe_text(note))
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = 0

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_rows_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet_title: str,
) -> bytes:
    """Export ``rows`` to an xlsx using openpyxl's write-only (streaming) mode.

    Strings are always written as text (a value like ``"=HYPERLINK(...)"`` or
    ``"+86..."`` never becomes a formula) with illegal control characters
    removed; integers of 16+ digits are written as text so they keep every
    digit; dates get a ``yyyy-mm-dd`` format; timezone-aware datetimes are
    converted to Beijing time. Column widths are estimated from the header and
    the first 200 rows; the header is bold and frozen.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    iterator = iter(rows)
    head = list(islice(iterator, 200))
    for col, header in enumerate(headers, start=1):
        samples = [header] + [normalize_cell(r[col - 1]) for r in head if len(r) >= col]
        sheet.column_dimensions[get_column_letter(col)].width = _column_width(samples)
    sheet.freeze_panes = "A2"

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_safe_text(str(header)))
        cell.data_type = "s"
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)

    for row in chain(head, iterator):
        sheet.append([_export_value(sheet, value) for value in row])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_value(sheet: Any, value: object) -> object:
    if value is None or isinstance(value, bool | float | Decimal):
        return value
    if isinstance(value, str):
        text = _safe_text(value) if ILLEGAL_CHARACTERS_RE.search(value) else value
        if text.startswith("="):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text
    if isinstance(value, int):
        return str(value) if abs(value) >= 10**_XLSX_DIGITS else value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_BEIJING).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, dt.time | dt.timedelta):
        return normalize_cell(value)
    return _safe_text(str(value))
