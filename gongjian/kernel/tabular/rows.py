"""The data rows of a table, streamed one at a time below its header.

Leading title rows are skipped by looking for the first row that contains at least two known
header aliases; fully blank rows are skipped; every :class:`Row` keeps its true 1-based
spreadsheet row number so error messages can say "第 12 行"; a vertically merged cell below the
header is copied into every row it covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Final

from openpyxl.utils import get_column_letter

from .cells import CellValue, looks_like_mangled_number, normalize_row
from .errors import NO_DATA_MESSAGE, TableError
from .headers import HEADER_SEARCH_ROWS, header_lookup, map_headers, scan_header
from .sources import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNCOMPRESSED_BYTES, Source, open_source

#: Largest number of non-blank data rows a table may have.
DEFAULT_MAX_ROWS: Final = 200_000


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
class StreamedTable:
    """A header plus an iterator over its data rows (see :func:`stream_table`)."""

    headers: list[str]
    rows: Iterator[Row]
    header_row: int
    format: str
    #: The field names and column titles the table was opened with.
    aliases: Mapping[str, Sequence[str]]
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    #: 0-based sheet column of ``headers[0]`` (calamine trims empty leading columns).
    column_offset: int = 0
    _source: Source | None = None
    _max_rows: int = DEFAULT_MAX_ROWS

    def map_headers(self, *, required: Iterable[str] = ()) -> dict[str, int]:
        """Field name -> column index, by the aliases the table was opened with."""
        return map_headers(self.headers, self.aliases, required=required)

    def column_label(self, index: int) -> str:
        """Spreadsheet column letter ("A", "AB") of header index ``index``."""
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
    source: Source, header_number: int, width: int, max_rows: int,
    columns: tuple[int, ...] | None = None,
) -> Iterator[Row]:
    """The data rows of ``source`` below its header, one at a time.

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
    header_aliases: Mapping[str, Sequence[str]],
    min_header_matches: int = 2,
    header_search_rows: int = HEADER_SEARCH_ROWS,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    sheet: str | int | None = None,
    fill_merged: bool = True,
) -> StreamedTable:
    """The table in ``data`` (an uploaded file called ``filename``): its header, and its data
    rows one at a time from ``.rows`` (or only the columns an importer needs, ``.select``).

    ``header_aliases`` (field name -> accepted column titles) finds the header row -- the first
    row with ``min_header_matches`` known column titles among the first ``header_search_rows``
    non-blank rows, else the first non-blank row -- and later maps columns (``map_headers``).
    For workbooks, the first visible worksheet whose header is recognised is used (so a roster
    on the second sheet, or a "填写说明" sheet first, still works) unless ``sheet`` (name or
    0-based index) is given. With ``fill_merged`` the value of a vertically merged cell below
    the header (e.g. one "村" cell spanning ten people) is copied into every row it covers.

    Nothing but the current row is held as Python objects, so an importer that works in
    batches keeps its memory flat however long the roster is (the workbook itself is still
    decoded by calamine in one go). Raises :class:`TableError` for an unknown format, an empty
    file or sheet, or more than ``max_bytes``; a sheet with a header but no data gives no rows;
    errors found while iterating (more than ``max_rows`` non-blank rows, a broken CSV quote)
    are raised by the iterator.
    """
    lookup = header_lookup(header_aliases)
    source = open_source(
        data, filename, lookup=lookup, sheet=sheet, min_header_matches=min_header_matches,
        header_search_rows=header_search_rows, max_bytes=max_bytes,
        max_uncompressed_bytes=max_uncompressed_bytes, fill_merged=fill_merged,
    )
    scan = scan_header(source.rows(), lookup, min_header_matches, header_search_rows)
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
        aliases=header_aliases,
        sheet_name=source.sheet_name,
        encoding=source.encoding,
        delimiter=source.delimiter,
        column_offset=source.column_offset,
        _source=source,
        _max_rows=max_rows,
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
