"""Tests for gongjian.kernel.tabular (no Django needed: run with -p no:django)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjian.kernel.tabular import (
    FORMAT_MESSAGE,
    MANGLED_NUMBER_MESSAGE,
    NO_DATA_MESSAGE,
    OTHER_SPACES,
    Row,
    StreamedTable,
    TableError,
    looks_like_mangled_number,
    map_headers,
    normalize_cell,
    normalize_header,
    normalize_row,
    sniff_format,
    stream_table,
    write_rows_xlsx,
    write_template_xlsx,
)

ID_1 = "610582199003074571"
ID_2 = "11010519491231002X"
HEADERS = ["姓名", "性别", "身份证号", "手机号", "村/社区"]
ROWS = [
    ["王秀英", "女", ID_1, "13800138000", "东风村"],
    ["李桂兰", "女", ID_2, "13912345678", "幸福社区"],
]


def xlsx_bytes(rows: list[list[object]], *, sheet_title: str = "Sheet") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# The titles of a roster's columns, as an importer declares them (kernel.importing has the real
# table; these tests need no Django).
ROSTER_ALIASES: dict[str, tuple[str, ...]] = {
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
REQUIRED = ("name", "id_number")
GENDER_CHOICES = ("女", "男")
POLITICAL_STATUS_CHOICES = ("中共党员", "中共预备党员", "共青团员", "民主党派成员", "无党派人士", "群众")


class Collected:
    """A streamed table with its rows collected, to assert on."""

    def __init__(self, table: StreamedTable) -> None:
        self.table = table
        self.rows: list[Row] = list(table.rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.table, name)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_all(data: bytes, filename: str, **options: Any) -> Collected:
    options.setdefault("header_aliases", ROSTER_ALIASES)
    return Collected(stream_table(data, filename, **options))


def records(table: Collected) -> list[tuple[int, list[str]]]:
    return [(row.number, list(row.values)) for row in table]


def ods_bytes(rows: list[list[str]]) -> bytes:
    def cell(value: str) -> str:
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名册">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


# --------------------------------------------------------------------------- #
# Template round trip
# --------------------------------------------------------------------------- #


def test_template_round_trip() -> None:
    notes = ["带 * 的列为必填项。", "身份证号请填写 18 位，末位 X 大写。"]
    data = write_template_xlsx(
        ["姓名*", "性别", "身份证号*", "手机号", "政治面貌", "村/社区"],
        [["王秀英", "女", ID_1, "13800138000", "群众", "东风村"]],
        sheet_title="妇女名册",
        notes=notes,
        choices={"性别": list(GENDER_CHOICES), "政治面貌": list(POLITICAL_STATUS_CHOICES)},
    )
    table = read_all(data, "模板.xlsx")
    assert table.format == "xlsx"
    assert table.sheet_name == "妇女名册"
    assert table.header_row == 1
    assert table.headers == ["姓名*", "性别", "身份证号*", "手机号", "政治面貌", "村/社区"]
    mapping = table.map_headers(required=REQUIRED)
    assert mapping == {
        "name": 0,
        "gender": 1,
        "id_number": 2,
        "mobile": 3,
        "political_status": 4,
        "village": 5,
    }
    [row] = table.rows
    assert row.number == 2
    assert row.as_dict(mapping)["id_number"] == ID_1
    assert not row.is_mangled(mapping["id_number"])

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["妇女名册", "填写说明"]
    sheet = workbook["妇女名册"]
    assert sheet["A1"].font.b
    assert sheet["C2"].number_format == "@"
    assert sheet["C2"].data_type == "s"
    assert sheet.column_dimensions["C"].number_format == "@"
    assert sheet.column_dimensions["C"].width >= 20
    assert sheet.freeze_panes == "A2"
    validations = {dv.formula1: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert validations['"女,男"'] == "B2:B1048576"
    assert validations['"' + ",".join(POLITICAL_STATUS_CHOICES) + '"'] == "E2:E1048576"
    help_sheet = workbook["填写说明"]
    assert [c.value for c in help_sheet["A"]] == ["填写说明", *notes]


def test_template_long_choice_list_uses_hidden_sheet() -> None:
    villages = [f"第{i}村民委员会" for i in range(60)]
    data = write_template_xlsx(
        ["姓名", "村"], [], sheet_title="名册", notes=[], choices={"村": villages}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["名册", "_choices"]
    assert workbook["_choices"].sheet_state == "veryHidden"
    [validation] = workbook["名册"].data_validations.dataValidation
    assert validation.formula1 == "'_choices'!$B$1:$B$60"
    # The hidden sheet does not confuse the reader, and an empty template has no data rows.
    table = read_all(data, "名册.xlsx")
    assert table.headers == ["姓名", "村"] and len(table) == 0


def test_template_values_are_never_formulas() -> None:
    data = write_template_xlsx(
        ["姓名", "备注"], [["=1+1", '=HYPERLINK("http://x")']], sheet_title="t", notes=[]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=1+1"


# --------------------------------------------------------------------------- #
# CSV
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_read_identically(encoding: str) -> None:
    text = csv_text([HEADERS, *ROWS, ["赵淑珍", "女", ID_1, "", "住址含，全角逗号"]])
    table = read_all(text.encode(encoding), "名册.csv")
    assert table.format == "csv"
    assert table.delimiter == ","
    assert table.headers == HEADERS
    assert records(table) == [
        (2, ROWS[0]),
        (3, ROWS[1]),
        (4, ["赵淑珍", "女", ID_1, "", "住址含,全角逗号"]),
    ]
    expected_encoding = {"utf-8-sig": "utf-8", "gbk": "gb18030"}.get(encoding, encoding)
    assert table.encoding == expected_encoding


def test_tab_separated() -> None:
    text = csv_text([HEADERS, *ROWS, ["张三", "女", ID_2, "", "城关镇,东街村"]], "\t")
    table = read_all(text.encode("gbk"), "名册.txt")
    assert table.delimiter == "\t"
    assert table.headers == HEADERS
    assert table.rows[2].values[4] == "城关镇,东街村"


def test_full_width_comma_is_not_a_delimiter() -> None:
    data = "姓名，身份证号\n王秀英，123\n".encode()
    table = read_all(data, "a.csv", min_header_matches=1)
    # One column only: the whole line is a single (normalised) cell.
    assert table.headers == ["姓名,身份证号"]
    assert table.delimiter == ","


def test_csv_quoted_newlines_keep_record_numbers() -> None:
    text = csv_text([["姓名", "住址"], ["甲", "一号楼\n二单元"], [], ["乙", "三号楼"]])
    table = read_all(text.encode(), "a.csv")
    assert records(table) == [(2, ["甲", "一号楼 二单元"]), (4, ["乙", "三号楼"])]


def test_csv_broken_quote_reports_row() -> None:
    data = ('姓名,住址\n甲,"未闭合\n' + "x" * 2_000_000).encode()
    with pytest.raises(TableError) as exc:
        read_all(data, "a.csv")
    assert exc.value.code == "csv"
    assert "第 2 行" in exc.value.message


def test_undecodable_csv() -> None:
    data = "姓名,住址\n".encode() + b"\x80\xff\xfe\x81\n"
    with pytest.raises(TableError) as exc:
        read_all(data, "a.csv")
    assert exc.value.code == "encoding"


CSV_ALPHABET = st.sampled_from(list('王李张赵秀英兰芳一二三村社区 abcXYZ019,"\n\u3000'))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.integers(min_value=2, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(st.text(CSV_ALPHABET, max_size=8), min_size=width, max_size=width),
            max_size=12,
        ).map(lambda body: (width, body))
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_csv_property_round_trip(rows: tuple[int, list[list[str]]], encoding: str) -> None:
    width, body = rows
    header = ["姓名", "身份证号", "手机号", "民族"][:width]
    data = csv_text([header, *body]).encode(encoding)
    table = read_all(data, "p.csv")
    expected = [
        (number, [normalize_cell(v) for v in row])
        for number, row in enumerate(body, start=2)
        if any(normalize_cell(v) for v in row)
    ]
    assert table.headers == header
    assert records(table) == expected


# --------------------------------------------------------------------------- #
# Headers
# --------------------------------------------------------------------------- #


def test_header_variants_map() -> None:
    headers = [
        " *姓 名 ",
        "性别（必填）",
        "公民身份号码(必填)",
        "联系电话＊",
        "村（社区）",
        "出生日期(yyyy-mm-dd)",
        "家庭住址：",
        "ＭＩＳＣ",
        "",
    ]
    mapping = map_headers(headers, ROSTER_ALIASES, required=REQUIRED)
    assert mapping == {
        "name": 0,
        "gender": 1,
        "id_number": 2,
        "mobile": 3,
        "village": 4,
        "birth_date": 5,
        "address": 6,
    }
    assert normalize_header("ＭＩＳＣ") == "misc"
    assert normalize_header(" *身份证号（必填） ") == "身份证号"


def test_header_priority_prefers_earlier_alias_then_leftmost() -> None:
    mapping = map_headers(["电话", "手机号", "手机号", "社区", "村/社区"], ROSTER_ALIASES)
    assert mapping == {"mobile": 1, "village": 4}


def test_missing_required_headers_message() -> None:
    with pytest.raises(TableError) as exc:
        map_headers(["性别", "手机"], ROSTER_ALIASES, required=REQUIRED)
    assert exc.value.message == "缺少必需的列：姓名、身份证号"
    assert exc.value.code == "missing_columns"
    assert exc.value.missing == ("姓名", "身份证号")


def test_conflicting_aliases_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="both"):
        map_headers(["x"], {"a": ["电话"], "b": ["电 话"]})


@given(st.text(max_size=20))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_cell(text)
    assert normalize_cell(once) == once
    assert normalize_header(normalize_header(text)) == normalize_header(text)


CELLS = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=" \u3000\u00a0\t\n\u200b\uff11A.0１王\x00", max_size=8),
    st.none(), st.integers(), st.floats(allow_nan=False), st.dates(), st.booleans(),
)


@given(st.lists(CELLS, max_size=10))
def test_a_row_is_normalised_as_its_cells_are(cells: list[object]) -> None:
    raw = tuple(cells)
    assert normalize_row(raw) == tuple(map(normalize_cell, raw))


def test_other_spaces_lists_every_space_but_the_plain_one() -> None:
    spaces = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    assert set(OTHER_SPACES) == spaces - {" "}


@given(st.lists(st.sampled_from([*OTHER_SPACES, " ", "a", "王", "\x00", "\uff10", "\u200b"]), max_size=6),
       st.integers(min_value=1, max_value=4))
def test_odd_spacing_anywhere_in_a_row_is_noticed(characters: list[str], cells: int) -> None:
    text = "".join(characters)
    raw = tuple([text] * cells)
    assert normalize_row(raw) == tuple(map(normalize_cell, raw))


def test_a_clean_row_of_text_comes_back_as_it_is() -> None:
    raw = ("王秀英", "女", ID_1, "13800138000", "")
    assert normalize_row(raw) is raw
    assert normalize_row(("王秀英 ", "女")) == ("王秀英", "女")
    assert normalize_row(("１３８", "a\x00 b", " x")) == ("138", "a\x00 b", "x")
    assert normalize_row(("610582199003074571.0", "1")) == (ID_1, "1")


# --------------------------------------------------------------------------- #
# Layout: title rows, blank rows, merged cells, sheets
# --------------------------------------------------------------------------- #


def test_title_rows_skipped_and_row_numbers_true() -> None:
    data = xlsx_bytes(
        [
            ["2024年东风村妇女花名册"],
            ["填报单位：东风村妇联", None, None, "填报日期：2024-05-01"],
            [],
            HEADERS,
            ROWS[0],
            [None, None, None],
            [" ", "\u3000", None, "\xa0"],
            ROWS[1],
        ]
    )
    table = read_all(data, "名册.xlsx")
    assert table.header_row == 4
    assert table.headers == HEADERS
    assert records(table) == [(5, ROWS[0]), (8, ROWS[1])]


def test_title_rows_in_csv() -> None:
    text = csv_text([["东风村花名册", "", ""], ["", "", ""], HEADERS, ROWS[0]])
    table = read_all(text.encode("gbk"), "x.csv")
    assert table.header_row == 3
    assert records(table) == [(4, ROWS[0])]


def test_offset_sheet_keeps_row_numbers_and_column_labels() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C3"], sheet["D3"] = "姓名", "身份证号"
    sheet["C5"], sheet["D5"] = "王秀英", ID_1
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_all(buffer.getvalue(), "x.xlsx")
    assert table.header_row == 3
    assert records(table) == [(5, ["王秀英", ID_1])]
    assert table.column_label(0) == "C"
    assert table.column_label(table.map_headers()["id_number"]) == "D"


def test_without_recognised_header_first_nonblank_row_is_header() -> None:
    data = xlsx_bytes([[], ["日期", "人数"], ["2024-01-01", 3]])
    table = read_all(data, "x.xlsx")
    assert table.header_row == 2
    assert records(table) == [(3, ["2024-01-01", "3"])]
    with pytest.raises(TableError, match="缺少必需的列：姓名、身份证号"):
        table.map_headers(required=REQUIRED)


def test_custom_aliases_find_header() -> None:
    aliases = {"person": ["姓名"], "signed_at": ["签到时间"]}
    data = xlsx_bytes([["培训签到表"], ["姓名", "签到时间"], ["王", dt.datetime(2024, 3, 8, 9, 5)]])
    table = read_all(data, "x.xlsx", header_aliases=aliases)
    assert table.header_row == 2
    assert table.rows[0].values == ("王", "2024-03-08 09:05:00")


def test_vertically_merged_cells_are_filled_down() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [["姓名", "身份证号", "村"], ["甲", ID_1, "东风村"], ["乙", ID_2], ["丙", ID_1]]:
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    table = read_all(data, "x.xlsx")
    assert [row.values[2] for row in table] == ["东风村", "东风村", ""]
    assert [row.values[2] for row in read_all(data, "x.xlsx", fill_merged=False)] == [
        "东风村",
        "",
        "",
    ]


def test_roster_on_second_sheet_is_found() -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "说明"
    first["A1"] = "请在第二个工作表填写"
    second = workbook.create_sheet("名册")
    second.append(HEADERS)
    second.append(ROWS[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_all(buffer.getvalue(), "x.xlsx")
    assert table.sheet_name == "名册"
    assert records(table) == [(2, ROWS[0])]
    assert (
        read_all(buffer.getvalue(), "x.xlsx", sheet="说明").sheet_name == "说明"
    )
    with pytest.raises(TableError, match="找不到工作表"):
        read_all(buffer.getvalue(), "x.xlsx", sheet="不存在")


def test_ods_is_read() -> None:
    table = read_all(ods_bytes([["标题"], HEADERS, ROWS[0]]), "x.ods")
    assert table.format == "ods"
    assert table.header_row == 2
    assert records(table) == [(3, ROWS[0])]


# --------------------------------------------------------------------------- #
# Cell values
# --------------------------------------------------------------------------- #


def test_numbers_from_excel() -> None:
    data = xlsx_bytes([["姓名", "身份证号", "手机号"], ["甲", 610582199003074571, 13800138000]])
    [row] = read_all(data, "x.xlsx").rows
    assert isinstance(row.raw[1], float)  # calamine hands back a double ...
    assert row.is_mangled(1)  # ... that can no longer hold 18 digits
    assert row.values[1] == "610582199003075000"  # what Excel itself displays
    assert row.values[2] == "13800138000"
    assert not row.is_mangled(2)


def test_normalize_numbers() -> None:
    assert normalize_cell("610582199003074571.0") == "610582199003074571"
    assert normalize_cell(13800138000.0) == "13800138000"
    assert normalize_cell(110105194912310.0) == "110105194912310"  # 15-digit old ID: exact
    assert normalize_cell(1.5) == "1.5"
    assert normalize_cell(0.1 + 0.2) == "0.3"
    assert normalize_cell(-0.0) == "0"
    assert normalize_cell(42) == "42"
    assert normalize_cell(True) == "TRUE"
    assert normalize_cell(None) == ""


def test_mangled_numbers_detected() -> None:
    assert looks_like_mangled_number("6.10582199003075E+17")
    assert looks_like_mangled_number(" 6.10582E+17 ")
    assert looks_like_mangled_number("６．１０５８２Ｅ＋１７")
    assert looks_like_mangled_number(6.10582199003074e17)
    assert looks_like_mangled_number(610582199003074571.0)
    assert looks_like_mangled_number(610582199003074571)
    assert not looks_like_mangled_number(ID_1)
    assert not looks_like_mangled_number(ID_2)
    assert not looks_like_mangled_number(13800138000.0)
    assert not looks_like_mangled_number("13800138000")
    assert not looks_like_mangled_number(True)
    assert not looks_like_mangled_number(None)
    assert "科学计数法" in MANGLED_NUMBER_MESSAGE


def test_mangled_number_in_csv_is_flagged() -> None:
    text = csv_text([["姓名", "身份证号"], ["甲", "6.10582E+17"], ["乙", ID_2]])
    table = read_all(text.encode("gbk"), "x.csv")
    index = table.map_headers()["id_number"]
    assert [row.is_mangled(index) for row in table] == [True, False]


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_integral_floats_below_excel_precision_are_exact(n: int) -> None:
    assert normalize_cell(float(n)) == str(n)
    assert not looks_like_mangled_number(float(n))


def test_full_width_and_spaces() -> None:
    assert normalize_cell("１３８００１３８０００") == "13800138000"
    assert normalize_cell("\u3000王\xa0秀英 \u200b") == "王 秀英"
    assert normalize_cell("ＡＢＣ－１２３") == "ABC-123"
    assert normalize_cell("一号楼\r\n二单元") == "一号楼 二单元"
    clean = "王秀英"
    assert normalize_cell(clean) is clean


def test_full_width_digits_in_file() -> None:
    text = csv_text([["姓名", "手机号"], ["甲", "１３８００１３８０００"]])
    assert read_all(text.encode("gbk"), "x.csv").rows[0].values == ("甲", "13800138000")


def test_dates() -> None:
    assert normalize_cell(dt.date(1990, 3, 7)) == "1990-03-07"
    assert normalize_cell(dt.datetime(1990, 3, 7)) == "1990-03-07"
    assert normalize_cell(dt.datetime(1990, 3, 7, 8, 30)) == "1990-03-07 08:30:00"
    assert normalize_cell(dt.time(8, 30)) == "08:30:00"
    assert normalize_cell(dt.timedelta(hours=26, minutes=5)) == "26:05:00"


def test_real_date_cell_in_xlsx() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "出生日期"])
    sheet.append(["甲", dt.date(1990, 3, 7)])
    sheet.append(["乙", dt.datetime(1985, 12, 1)])
    sheet["B3"].number_format = "yyyy/m/d"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_all(buffer.getvalue(), "x.xlsx")
    assert [row.values[1] for row in table] == ["1990-03-07", "1985-12-01"]


# --------------------------------------------------------------------------- #
# Format detection and limits
# --------------------------------------------------------------------------- #

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
HTML = "<!DOCTYPE html><html><body><table><tr><td>姓名</td></tr></table></body></html>".encode()


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (PNG, "名册.xlsx"),
        (PNG, "名册.csv"),
        (HTML, "名册.xlsx"),
        (HTML, "名册.xls"),
        (HTML, "名册.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "名册.xls"),
        (b"PK\x03\x04not really a zip", "名册.xlsx"),
        ("姓名,身份证号\n甲,1\n".encode(), "名册.xlsx"),
        ("姓名,身份证号\n甲,1\n".encode(), "名册.pdf"),
    ],
)
def test_unrecognised_formats_rejected(data: bytes, filename: str) -> None:
    with pytest.raises(TableError) as exc:
        read_all(data, filename)
    assert exc.value.code == "format"
    assert exc.value.message.startswith(FORMAT_MESSAGE)


def test_other_office_zip_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(TableError, match=FORMAT_MESSAGE):
        read_all(buffer.getvalue(), "伪装.xlsx")


def test_password_protected_workbook() -> None:
    # Encrypted .xlsx files are OLE2 containers holding an "EncryptionInfo" stream.
    fake = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptionInfo".encode("utf-16-le")
    )
    with pytest.raises(TableError) as exc:
        read_all(fake, "加密.xlsx")
    assert exc.value.code == "encrypted"
    assert "密码" in exc.value.message


def test_content_beats_extension() -> None:
    data = xlsx_bytes([HEADERS, ROWS[0]])
    assert sniff_format(data, "名册.csv") == "xlsx"
    assert records(read_all(data, "名册.csv")) == [(2, ROWS[0])]
    assert sniff_format(ods_bytes([["a"]]), "x.xlsx") == "ods"


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\r\n,,\r\n \t\r\n", xlsx_bytes([]), xlsx_bytes([[None, " "]])],
)
def test_empty_files(data: bytes) -> None:
    name = "x.xlsx" if data.startswith(b"PK") else "x.csv"
    with pytest.raises(TableError) as exc:
        read_all(data, name)
    assert exc.value.message == NO_DATA_MESSAGE
    assert exc.value.code == "empty"


def test_a_header_without_rows_gives_no_rows_for_the_importer_to_report() -> None:
    table = read_all(csv_text([HEADERS]).encode(), "x.csv")
    assert table.headers == HEADERS and len(table) == 0


def test_row_limit() -> None:
    rows = [HEADERS] + [ROWS[0]] * 5 + [[], []]
    data = xlsx_bytes(rows)
    assert len(read_all(data, "x.xlsx", max_rows=5)) == 5  # blank rows don't count
    with pytest.raises(TableError) as exc:
        read_all(data, "x.xlsx", max_rows=4)
    assert exc.value.code == "too_many_rows"
    assert "最多 4 行" in exc.value.message
    with pytest.raises(TableError, match="最多 4 行"):
        read_all(csv_text(rows).encode(), "x.csv", max_rows=4)


def test_byte_limits() -> None:
    data = csv_text([HEADERS, *ROWS]).encode()
    with pytest.raises(TableError) as exc:
        read_all(data, "x.csv", max_bytes=50)
    assert exc.value.code == "too_large"
    assert exc.value.message.startswith("文件过大")
    assert "MB" in exc.value.message
    with pytest.raises(TableError, match="解压后超过"):
        read_all(xlsx_bytes([HEADERS, *ROWS]), "x.xlsx", max_uncompressed_bytes=1000)


# --------------------------------------------------------------------------- #
# Exports
# --------------------------------------------------------------------------- #


def test_write_rows_round_trip() -> None:
    aware = dt.datetime(2024, 3, 8, 1, 0, tzinfo=dt.UTC)
    rows: list[list[object]] = [
        ["王秀英", ID_1, 610582199003074571, dt.date(1990, 3, 7), aware, 3, None],
        ['=HYPERLINK("http://evil")', "bad\x07char", 1.5, None, None, True, "x"],
    ]
    headers = ["姓名", "身份证号", "大整数", "出生日期", "时间", "数", "备注"]
    data = write_rows_xlsx(headers, iter(rows), sheet_title="导出/名册")
    table = read_all(data, "export.xlsx")
    assert table.sheet_name == "导出名册"
    assert table.headers == headers
    assert records(table) == [
        (2, ["王秀英", ID_1, ID_1, "1990-03-07", "2024-03-08 09:00:00", "3", ""]),
        (3, ['=HYPERLINK("http://evil")', "badchar", "1.5", "", "", "TRUE", "x"]),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["导出名册"]
    assert sheet["A3"].data_type == "s"  # not a formula
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"


def test_write_rows_large_stream() -> None:
    rows = ([f"人{i}", str(10**17 + i)] for i in range(5000))
    table = read_all(write_rows_xlsx(["姓名", "身份证号"], rows, sheet_title="s"), "x.xlsx")
    assert len(table) == 5000
    assert table.rows[-1].number == 5001
    assert table.rows[-1].values == ("人4999", str(10**17 + 4999))
