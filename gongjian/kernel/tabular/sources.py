"""Sniffing and decoding an uploaded file into raw rows (one worksheet, or the CSV text).

``.xlsx`` / ``.xlsm`` / ``.xlsb`` / ``.xls`` / ``.ods`` go through python-calamine (Rust, fast);
``.csv`` / ``.tsv`` / ``.txt`` through the :mod:`csv` module after encoding detection (UTF-8 with
or without BOM, UTF-16 with BOM, then GB18030 -- a superset of the GBK that Chinese Excel and WPS
save CSV as) and delimiter sniffing (comma, tab, semicolon; the full-width comma "，" is never a
delimiter). The real format is decided by the file's content, not its name.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Final, TypeAlias

import python_calamine

from .cells import CellValue
from .errors import FORMAT_MESSAGE, NO_DATA_MESSAGE, TableError
from .headers import HeaderLookup, scan_header

#: Largest upload (compressed size for xlsx/ods) a table is read from.
DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
#: Zip-bomb guard: total declared uncompressed size of an xlsx/ods archive.
DEFAULT_MAX_UNCOMPRESSED_BYTES: Final = 512 * 1024 * 1024

_TEXT_EXTENSIONS: Final = frozenset({".csv", ".tsv", ".txt"})
_SNIFF_CHARS: Final = 64 * 1024
_SNIFF_RECORDS: Final = 50
_CSV_FIELD_LIMIT: Final = 1024 * 1024

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


# Rows are only read, never changed: a Sequence, so csv's list[str] is one too.
RawRows: TypeAlias = Iterator[tuple[int, Sequence[CellValue]]]
# start-row number -> [(relative column, last row number)] for vertical merges
MergeMap: TypeAlias = dict[int, list[tuple[int, int]]]


@dataclass(slots=True)
class Source:
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
    lookup: HeaderLookup,
    min_header_matches: int,
    header_search_rows: int,
    fill_merged: bool,
) -> Source | None:
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
        scan = scan_header(_calamine_rows(loaded), lookup, min_header_matches, header_search_rows)
        if scan is not None and scan[2]:
            chosen = (name, loaded)
            break
    if chosen is None:
        return None
    name, loaded = chosen
    start = loaded.start or (0, 0)
    return Source(
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
            yield number, record
    except csv.Error:
        raise TableError(
            f"CSV 文件第 {number + 1} 行附近格式有误（可能是引号不成对），请用 Excel 打开后重新保存",
            code="csv",
        ) from None


def _csv_source(data: bytes) -> Source:
    text, encoding = _decode_text(data)
    delimiter = _sniff_delimiter(text)
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    return Source(
        format="csv",
        rows=lambda: _csv_rows(text, delimiter),
        encoding="utf-8" if encoding == "utf-8-sig" else encoding,
        delimiter=delimiter,
    )


def open_source(
    data: bytes,
    filename: str,
    *,
    lookup: HeaderLookup,
    sheet: str | int | None,
    min_header_matches: int,
    header_search_rows: int,
    max_bytes: int,
    max_uncompressed_bytes: int,
    fill_merged: bool,
) -> Source:
    """The rows of the checked file: its size and format, and for a workbook the sheet (the
    first visible one whose header ``lookup`` recognises, unless ``sheet`` names one)."""
    if len(data) > max_bytes:
        raise TableError(
            f"文件过大：最大允许 {_mb(max_bytes)} MB，请拆分后分批上传", code="too_large"
        )
    fmt = sniff_format(data, filename, max_uncompressed_bytes=max_uncompressed_bytes)
    if fmt == "csv":
        source: Source | None = _csv_source(data)
    else:
        source = _spreadsheet_source(
            data, fmt, sheet, lookup, min_header_matches, header_search_rows, fill_merged
        )
    if source is None:
        raise TableError(NO_DATA_MESSAGE, code="empty")
    return source
