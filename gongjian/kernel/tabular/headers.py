"""Finding the header row and mapping its column titles to field names.

An importer names its fields and the titles each may go by (``{"name": ("姓名", "名字"), …}``);
titles are compared after :func:`~.cells.normalize_header`, so "*身份证号（必填）" finds
"身份证号".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, TypeAlias

from .cells import CellValue, normalize_cell, normalize_header
from .errors import TableError

#: Normalised title -> (field, priority); a lower priority wins.
HeaderLookup: TypeAlias = Mapping[str, tuple[str, int]]
HEADER_SEARCH_ROWS: Final = 20
_TRAILING_PAREN_RE: Final = re.compile(r"\([^()]*\)$")


def header_lookup(aliases: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, int]]:
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


def match_header(text: str, lookup: HeaderLookup) -> tuple[str, int] | None:
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
    aliases: Mapping[str, Sequence[str]],
    *,
    required: Iterable[str] = (),
) -> dict[str, int]:
    """Map canonical field names to 0-based column indexes.

    Headers and aliases are compared after :func:`normalize_header`. When
    several columns match one field, the column matching the earlier alias
    wins, then the leftmost one. Raises :class:`TableError`
    ("缺少必需的列：姓名、身份证号") if any ``required`` field has no column.
    """
    lookup = header_lookup(aliases)
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        hit = match_header(normalize_cell(header), lookup)
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


def count_header_fields(values: Sequence[str], lookup: HeaderLookup) -> int:
    fields = set()
    for value in values:
        if value:
            hit = match_header(value, lookup)
            if hit is not None:
                fields.add(hit[0])
    return len(fields)


def scan_header(
    rows: Iterable[tuple[int, Sequence[CellValue]]],
    lookup: HeaderLookup,
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
        if lookup and count_header_fields(values, lookup) >= min_matches:
            return number, values, True
        seen += 1
        if seen >= search_rows:
            break
    return None if first is None else (first[0], first[1], False)
