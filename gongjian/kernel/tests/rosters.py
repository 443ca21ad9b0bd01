"""Roster files for import tests: valid ID numbers of 1988, a title row above the header, as
offices send them."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from gongjian.kernel.identity import generate_id_number

HEADERS = ["姓名", "性别", "身份证号", "手机号", "民族", "政治面貌", "村/社区"]


def ids(n: int, start: int = 0) -> list[str]:
    return [generate_id_number("610582", date(1988, 5, 1 + (start + i) // 400), "F", (start + i) % 400 + 50)
            for i in range(n)]


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["太华路街道妇女名册（2026年）"])  # a title row above the header, as offices do
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_rows(n: int = 3, start: int = 0) -> list[list[object]]:
    return [[f"导入{start + i}", "女", number, f"1360000{start + i:04d}", "汉族", "群众", "小留村"]
            for i, number in enumerate(ids(n, start))]
