"""Cell values as calamine and the csv module give them, turned into clean text.

:func:`normalize_cell` turns whatever calamine / csv produced into a clean ``str``;
:func:`looks_like_mangled_number` tells an importer when an ID number has been destroyed by
Excel's 15-significant-digit number storage (see :data:`MANGLED_NUMBER_MESSAGE`);
:func:`normalize_header` reduces a column title to the key header aliases are compared by.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Final, TypeAlias, cast

#: What an importer should say when :func:`looks_like_mangled_number` is true.
MANGLED_NUMBER_MESSAGE: Final = "身份证号被Excel转成了科学计数法，请把该列设为文本格式后重新导出"


#: A value as it comes out of python-calamine or the csv module.
CellValue: TypeAlias = (
    str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None
)

EXCEL_DIGITS: Final = 15  # Excel keeps 15 significant digits of any number

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
    if value.is_integer() and abs(value) < 10**EXCEL_DIGITS:
        return str(int(value))
    text = format(Decimal(f"{value:.{EXCEL_DIGITS}g}"), "f")
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
        # Typed as all text; a cell that is not raises TypeError, the slow path below.
        joined = "\x00".join(cast("tuple[str, ...]", raw))
    except TypeError:
        return tuple(map(normalize_cell, raw))
    if (
        "." in joined
        or _ROW_ODD_CHARACTER_RE.search(joined)
        or (" " in joined and _ROW_ODD_SPACE_RE.search(joined))
    ):
        return tuple(map(normalize_cell, raw))
    return cast("tuple[str, ...]", raw)  # the join succeeded: all text, and all clean


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
        return abs(raw) >= 10**EXCEL_DIGITS
    if isinstance(raw, Decimal):
        return raw.is_finite() and abs(raw) >= 10**EXCEL_DIGITS
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
