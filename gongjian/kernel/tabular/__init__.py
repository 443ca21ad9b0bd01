"""Reading and writing the spreadsheets village cadres upload and download.

Django-independent: nothing here touches settings, models or gettext, so it can be used from
management commands, background tasks and plain unit tests. The user-facing error messages are
plain Chinese strings carried by :class:`TableError` (the whole UI is Chinese; wrap them at the
view layer if a translation catalogue is ever needed).

One concern a module:

``sources``  sniff the real format of an upload and decode it into raw rows (calamine for
             workbooks, the csv module after encoding and delimiter detection), within limits;
``headers``  find the header row and map column titles to an importer's field names;
``rows``     :func:`stream_table`: the data rows below the header, one at a time, normalised,
             merged cells filled down, each with its true spreadsheet row number;
``cells``    cell values to clean text, header keys, numbers Excel has mangled;
``writing``  import templates (:func:`write_template_xlsx`) and streamed exports
             (:func:`write_rows_xlsx`) laid out for print: a :class:`Heading` (title, reporting
             unit, period), bordered cells, 本级 and 合计 rows (:func:`add_up`), print setup.

The column titles of a particular kind of table (a roster of people) belong to its importer
(`kernel.importing`), not here.
"""

from .cells import (
    MANGLED_NUMBER_MESSAGE,
    OTHER_SPACES,
    CellValue,
    looks_like_mangled_number,
    normalize_cell,
    normalize_header,
    normalize_row,
)
from .errors import FORMAT_MESSAGE, NO_DATA_MESSAGE, TableError
from .headers import map_headers
from .rows import DEFAULT_MAX_ROWS, Row, StreamedTable, stream_table
from .sources import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNCOMPRESSED_BYTES, sniff_format
from .writing import Heading, add_up, rate, remainder, write_rows_xlsx, write_template_xlsx

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNCOMPRESSED_BYTES",
    "FORMAT_MESSAGE",
    "Heading",
    "MANGLED_NUMBER_MESSAGE",
    "NO_DATA_MESSAGE",
    "OTHER_SPACES",
    "CellValue",
    "Row",
    "StreamedTable",
    "TableError",
    "add_up",
    "looks_like_mangled_number",
    "map_headers",
    "normalize_cell",
    "normalize_header",
    "normalize_row",
    "rate",
    "remainder",
    "sniff_format",
    "stream_table",
    "write_rows_xlsx",
    "write_template_xlsx",
]
