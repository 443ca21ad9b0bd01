"""Writing workbooks: import templates and streamed exports."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import EXCEL_DIGITS, normalize_cell, normalize_header

_EXCEL_MAX_ROW: Final = 1_048_576
_BEIJING: Final = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
_HEADER_FONT: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGNMENT: Final = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT: Final = Font(bold=True, size=16)
_SUM_FONT: Final = Font(bold=True)
_THIN: Final = Side(style="thin", color="000000")
_BORDER: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_WRAP_WIDTH: Final = 14.0
_CENTER_ACROSS: Final = Alignment(horizontal="centerContinuous", vertical="center")
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


@dataclass(frozen=True)
class Heading:
    """The lines above a table handed upwards: its title, the reporting unit (填报单位) and,
    for figures, the period they cover (统计期间)."""

    title: str
    unit: str
    period: str = ""


def add_up(rows: Iterable[Sequence[object]], *, label: str, columns: Iterable[int]) -> list[object]:
    """A total row: ``label`` in the first column, the sum of each of ``columns`` (indices) over
    ``rows``; a column holding anything but numbers (a suppressed "<5") is left empty, since a sum
    over it would be wrong. Other columns stay empty."""
    rows = [list(r) for r in rows]
    wanted = set(columns)
    width = max((len(r) for r in rows), default=0)
    out: list[object] = [label, *([None] * (max(width, max(wanted, default=0) + 1) - 1))]
    for index in wanted:
        values = [r[index] for r in rows if len(r) > index and r[index] not in (None, "")]
        numbers = [v for v in values if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
        if len(numbers) == len(values):
            if any(isinstance(v, float) for v in numbers):  # Decimal and float do not mix
                numbers = [float(v) for v in numbers]
            out[index] = sum(numbers, start=0)
    return out


def rate(part: object, whole: object) -> int | None:
    """``part`` per hundred of ``whole``, rounded (a 合计 or 本级 row's rate: rates do not add up)."""
    if isinstance(part, int) and isinstance(whole, int):
        return round(part * 100 / whole) if whole else 0
    return None


def remainder(total: Sequence[object], rows: Iterable[Sequence[object]], *, label: str,
              columns: Iterable[int]) -> list[object]:
    """A 本级 row: for each of ``columns``, ``total`` less the sum of ``rows`` — what the
    organisation holds itself, so that its units' rows and this row add up to the total. Only
    for columns that add up (counts, hours); a column with a non-number anywhere stays empty."""
    rows = [list(r) for r in rows]
    below = add_up(rows, label=label, columns=columns)
    out: list[object] = [label, *([None] * (len(total) - 1))]
    for index in set(columns):
        whole = total[index] if index < len(total) else None
        part = below[index] if index < len(below) else None
        if not rows:
            part = 0
        if isinstance(whole, int | float | Decimal) and isinstance(part, int | float | Decimal):
            if isinstance(whole, float) or isinstance(part, float):  # Decimal and float do not mix
                out[index] = float(whole) - float(part)
            elif isinstance(whole, Decimal) or isinstance(part, Decimal):
                out[index] = Decimal(whole) - Decimal(part)
            else:
                out[index] = whole - part
    return out


def write_rows_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet_title: str,
    heading: Heading | None = None,
    own: Sequence[object] | None = None,
    total: Sequence[object] | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    """Export ``rows`` to an xlsx using openpyxl's write-only (streaming) mode, laid out to be
    printed and handed upwards.

    Above the table, with a ``heading``: the title (centred across the table) and a line with
    the reporting unit and period. Below the data rows, in bold: ``own`` (本级, the organisation's
    own records, so its units' rows and it add up to the total) and ``total`` (合计); then
    ``notes``, one line each, outside the table. Every table cell has a thin border; the sheet
    prints landscape, fitted to the page width, with the header row repeated on every page.

    Strings are always written as text (a value like ``"=HYPERLINK(...)"`` or
    ``"+86..."`` never becomes a formula) with illegal control characters
    removed; integers of 16+ digits are written as text so they keep every
    digit; other numbers stay numbers; dates get a ``yyyy-mm-dd`` format;
    timezone-aware datetimes are converted to Beijing time. Column widths are
    estimated from the header and the first 200 rows; the header is bold and frozen.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    iterator = iter(rows)
    head = list(islice(iterator, 200))
    header_lines = 1
    for col, header in enumerate(headers, start=1):
        samples = [normalize_cell(r[col - 1]) for r in head if len(r) >= col]
        # A long header wraps in its cell instead of widening its column: a county's forty
        # columns of figures still print legibly fitted to the page width.
        width = max(_column_width(samples), min(_column_width([header]), _HEADER_WRAP_WIDTH))
        sheet.column_dimensions[get_column_letter(col)].width = width
        header_lines = max(header_lines, -(-(_display_width(str(header)) + 2) // int(width)))
    header_row = 1 if heading is None else 3
    # Before the first row: write-only mode writes the sheet's properties with it.
    sheet.freeze_panes = f"A{header_row + 1}"
    _print_setup(sheet, header_row)
    # Row heights are written with each row in write-only mode: set before the row goes in.
    sheet.row_dimensions[header_row].height = 16 * min(header_lines, 4) + 4
    if heading is not None:
        sheet.row_dimensions[1].height = 30
        title = WriteOnlyCell(sheet, value=_safe_text(heading.title))
        title.data_type = "s"
        title.font = _TITLE_FONT
        title.alignment = _CENTER_ACROSS
        rest = [WriteOnlyCell(sheet, value=None) for _ in range(max(len(headers) - 1, 0))]
        for cell in rest:
            cell.alignment = _CENTER_ACROSS
        sheet.append([title, *rest])
        line = "填报单位：" + heading.unit
        if heading.period:
            line += "　　统计期间：" + heading.period
        sheet.append([_text_cell(sheet, line)])

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_safe_text(str(header)))
        cell.data_type = "s"
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGNMENT
        cell.border = _BORDER
        header_cells.append(cell)
    sheet.append(header_cells)

    width = len(headers)
    for row in chain(head, iterator):
        sheet.append(_table_row(sheet, row, width))
    for summary in (own, total):
        if summary is not None:
            sheet.append(_table_row(sheet, summary, width, bold=True))
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([_text_cell(sheet, note)])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet: Any, header_row: int) -> None:
    """Landscape, as wide as the page (as many pages down as it takes), the header repeated."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4 (openpyxl's Worksheet.PAPERSIZE_A4)
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True


def _text_cell(sheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(sheet, value=_safe_text(text))
    cell.data_type = "s"
    return cell


def _table_row(sheet: Any, row: Sequence[object], width: int, *, bold: bool = False) -> list[Any]:
    """One row of the table, every cell (to the table's width) bordered; a short row (a note
    the caller put among the rows) stays a single line without borders."""
    values = list(row)
    if len(values) <= 1 and width > 1 and (not values or isinstance(values[0], str)) and not bold:
        return [_export_value(sheet, v) for v in values]
    values += [None] * (width - len(values))
    cells = []
    for value in values:
        cell = _export_value(sheet, value)
        if isinstance(cell, Cell):  # a date or a text that looks like a formula: keep its format
            number_format = cell.number_format
            cell._style = copy(_style(sheet, bold)._style)
            cell.number_format = number_format
        else:
            cell = WriteOnlyCell(sheet, value=cell)
            # Copying a finished style array: assigning a Border hashes it every time, which
            # made a 50 000-row export twice as slow.
            cell._style = copy(_style(sheet, bold)._style)
        cells.append(cell)
    return cells


def _style(sheet: Any, bold: bool) -> Any:
    cached = getattr(sheet, "_gongjian_styles", None)
    if cached is None:
        cached = {}
        for key in (False, True):
            cell = WriteOnlyCell(sheet)
            cell.border = _BORDER
            if key:
                cell.font = _SUM_FONT
            cached[key] = cell
        sheet._gongjian_styles = cached
    return cached[bold]


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
