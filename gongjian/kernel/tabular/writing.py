"""Writing workbooks: import templates and streamed exports."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import chain, islice
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import EXCEL_DIGITS, normalize_cell, normalize_header

_EXCEL_MAX_ROW: Final = 1_048_576
_BEIJING: Final = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
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
        return str(value) if abs(value) >= 10**EXCEL_DIGITS else value
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
