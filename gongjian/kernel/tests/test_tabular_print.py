"""Exports laid out to be handed upwards (issue 13): a title, the reporting unit and period,
本级 and 合计 rows that add up, numbers kept as numbers, borders, and a print setup."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from gongjian.kernel.tabular import Heading, add_up, remainder, write_rows_xlsx

HEADERS = ["组织", "活动次数", "参加人次", "时长（小时）", "覆盖"]
VILLAGES = [["小留村", 3, 40, Decimal("4.5"), "1/1"], ["郭家村", 2, 25, Decimal("3"), "0/1"]]


def _sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _township_sheet() -> openpyxl.worksheet.worksheet.Worksheet:
    total = ["合计", 7, 80, Decimal("9.5"), "1/2"]
    own = remainder(total, VILLAGES, label="本级", columns=(1, 2, 3))
    return _sheet(write_rows_xlsx(
        HEADERS, VILLAGES, sheet_title="活动统计",
        heading=Heading(title="小留镇妇联活动统计表", unit="小留镇妇联", period="2026年01月01日至2026年06月30日"),
        own=own, total=total, notes=["导出人：小刘"]))


def test_the_title_unit_and_period_stand_above_the_header_row():
    sheet = _township_sheet()
    assert sheet["A1"].value == "小留镇妇联活动统计表"
    assert sheet["A1"].font.b and sheet["A1"].font.sz >= 14
    assert sheet["A1"].alignment.horizontal == "centerContinuous"
    assert sheet["E1"].alignment.horizontal == "centerContinuous"  # centred across the whole table
    assert sheet["A2"].value == "填报单位：小留镇妇联　　统计期间：2026年01月01日至2026年06月30日"
    assert [c.value for c in sheet[3]] == HEADERS
    assert sheet.freeze_panes == "A4"


def test_the_village_rows_and_the_own_row_add_up_to_the_total():
    sheet = _township_sheet()
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["本级"][1:4] == (2, 15, 2)
    for col in (1, 2, 3):
        assert rows["小留村"][col] + rows["郭家村"][col] + rows["本级"][col] == rows["合计"][col]
    assert rows["本级"][4] is None  # "1/1" does not add up: left empty
    assert sheet["A6"].font.b and sheet["A7"].font.b  # 本级 and 合计 stand out


def test_numbers_stay_numbers_and_long_digit_strings_stay_text():
    sheet = _sheet(write_rows_xlsx(["姓名", "身份证号", "人数", "收入"],
                                   [["王秀英", "610582199003074571", 3, Decimal("2.5")],
                                    ["李芳", 610582199003074571, 0, 1.5]], sheet_title="s"))
    assert sheet["C2"].data_type == "n" and sheet["C2"].value == 3
    assert sheet["D2"].data_type == "n" and sheet["D2"].value == 2.5
    assert sheet["B2"].data_type == "s" and sheet["B3"].value == "610582199003074571"


def test_every_table_cell_has_a_border_and_the_notes_stand_outside():
    sheet = _township_sheet()
    for row in sheet.iter_rows(min_row=3, max_row=7, max_col=len(HEADERS)):
        for cell in row:
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", cell.coordinate
    note = next(c for c in sheet["A"] if c.value == "导出人：小刘")
    assert note.border.left.style is None


def test_the_sheet_prints_landscape_fitted_to_the_width_with_the_header_repeated():
    for sheet in (_township_sheet(), _sheet(write_rows_xlsx(HEADERS, VILLAGES, sheet_title="s"))):
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert _township_sheet().print_title_rows == "$3:$3"
    assert _sheet(write_rows_xlsx(HEADERS, VILLAGES, sheet_title="s")).print_title_rows == "$1:$1"


def test_add_up_sums_only_columns_of_numbers():
    total = add_up([["a", 1, "<5", None], ["b", 2, 3, 4]], label="合计", columns=(1, 2, 3))
    assert total == ["合计", 3, None, 4]


@pytest.mark.parametrize(("rows", "expected"), [
    ([["a", 1, 2]], ["本级", 4, 3]),
    ([], ["本级", 5, 5]),
    ([["a", "*", 2]], ["本级", None, 3]),  # a withheld cell: the own row must not give it back
])
def test_remainder_is_the_total_less_the_rows(rows, expected):
    assert remainder(["合计", 5, 5], rows, label="本级", columns=(1, 2)) == expected


def test_the_roster_template_formats_the_whole_id_number_column_as_text():
    from gongjian.kernel import importing

    sheet = _sheet(importing.people_template())
    headers = [c.value for c in sheet[1]]
    letter = openpyxl.utils.get_column_letter(headers.index("身份证号*") + 1)
    # The column's own style, so a number typed into any row (not only the example) stays text.
    assert sheet.column_dimensions[letter].number_format == "@"
    assert sheet[f"{letter}2"].number_format == "@"


def test_hours_in_decimals_and_floats_still_add_up():
    assert add_up([["a", Decimal("1.5")], ["b", 2.0]], label="合计", columns=(1,)) == ["合计", 3.5]
    assert remainder(["合计", Decimal("4.5")], [["a", 1.5]], label="本级", columns=(1,)) == ["本级", 3.0]


def test_a_long_header_wraps_instead_of_widening_its_column():
    headers = ["组织", "妇女之家覆盖：已建妇女之家数量", "维权：来电来访来信件数"]
    sheet = _sheet(write_rows_xlsx(headers, [["小留村妇联", 1, 2]], sheet_title="s"))
    assert sheet.column_dimensions["B"].width <= 14 and sheet.column_dimensions["C"].width <= 14
    assert sheet["B1"].alignment.wrap_text
    assert sheet.row_dimensions[1].height >= 36  # room for the wrapped lines
