"""The .docx of a 公文 keeps to GB/T 9704-2012 (issue 14): page, grid, fonts by name, 版头, title,
headings by level, tables, 附件, 落款, page numbers, 版记, the draft mark. Read back with python-docx
and its XML; the PDF and the rendered page are checked in test_layout_pdf.py."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from gongjian.kernel.documents import Content, Section, Table

from .. import layout
from ..layout import Letterhead
from . import layout_samples as samples

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(content: Content = samples.REPORT, head: Letterhead = samples.REPORT_HEAD) -> Any:
    return Document(io.BytesIO(layout.docx(content, head)))


def _east_asia(paragraph: Any) -> set[str]:
    return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs if run.text}


def _find(document: Any, text: str) -> Any:
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == text:
            return paragraph
    raise AssertionError(f"no paragraph {text!r}")


def _mm(length: int | None) -> float:
    assert length is not None
    return length / Mm(1)


def test_the_page_is_a4_with_the_standards_margins_and_a_156_by_225_type_area() -> None:
    section = _open().sections[0]
    assert _mm(section.page_width) == pytest.approx(210, abs=0.1)
    assert _mm(section.page_height) == pytest.approx(297, abs=0.1)
    assert _mm(section.top_margin) == pytest.approx(37, abs=0.1)  # 天头
    assert _mm(section.left_margin) == pytest.approx(28, abs=0.1)  # 订口
    assert _mm(section.page_width) - _mm(section.left_margin) - _mm(section.right_margin) == pytest.approx(156, abs=0.1)
    assert _mm(section.page_height) - _mm(section.top_margin) - _mm(section.bottom_margin) == pytest.approx(225, abs=0.1)


def test_the_document_grid_gives_22_lines_of_28_characters_and_body_lines_are_fixed() -> None:
    document = _open()
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    height = 225 / 25.4 * 1440  # the 版心 in twips
    assert 22 * pitch <= height < 23 * pitch
    char = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # points, relative to 3号
    width = 156 / 25.4 * 72
    assert 28 * char <= width < 29 * char
    body = _find(document, samples.REPORT_SECTIONS[1].paragraphs[0])
    spacing = body._p.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:lineRule")), spacing.get(qn("w:line"))) == ("exact", str(pitch))
    # 28 characters of 3号, narrowed by the tracking, fit the line.
    assert width >= 28 * (16 + layout.BODY_TRACKING / 20)
    assert body.paragraph_format.first_line_indent is not None
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(2 * layout.CHAR_PITCH, abs=0.1)


def test_the_red_mark_is_centred_red_xiaobiaosong_and_the_number_below_it_carries_the_red_line() -> None:
    document = _open()
    mark, number = document.paragraphs[0], document.paragraphs[1]
    assert mark.text == "安定乡妇女联合会文件"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(mark) == {"方正小标宋简体"}
    assert {str(run.font.color.rgb) for run in mark.runs} == {"E60012"}
    assert mark.paragraph_format.space_before.mm > 30  # its top 35 mm below the top of the 版心
    assert number.text == "安妇发〔2011〕3号"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(number) == {"仿宋_GB2312"}
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "E60012" and int(line.get(qn("w:sz"))) >= 12


def test_a_draft_has_no_number_but_keeps_the_red_line_and_is_marked_in_every_header() -> None:
    head = Letterhead(issuer="太华路街道妇女联合会", draft=True, draft_label="征求意见稿")
    document = _open(samples.REPORT, head)
    mark = document.paragraphs[0]
    assert mark.text == "太华路街道妇女联合会文件"
    assert mark._p.pPr.find(qn("w:pBdr")) is not None
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "征求意见稿"
    assert section.even_page_header.paragraphs[0].text == "征求意见稿"
    issued = _open().sections[0]
    assert issued.header.paragraphs[0].text == "" and issued.even_page_header.paragraphs[0].text == ""


def test_the_title_is_2hao_xiaobiaosong_centred_in_balanced_lines() -> None:
    document = _open()
    title = document.paragraphs[2]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(title) == {"方正小标宋简体"}
    assert {run.font.size.pt for run in title.runs if run.text} == {22}
    lines = title.text.split("\n")
    assert "".join(lines) == samples.REPORT.title
    assert lines == ["安定乡妇联关于外仓村争创党群共建", "创先争优示范点活动的情况汇报"]
    assert len(title._p.findall(f".//{W}br")) == 1


def test_the_addressee_is_flush_left_and_the_body_is_3hao_fangsong() -> None:
    document = _open()
    addressee = _find(document, "县妇联：")
    assert addressee.paragraph_format.first_line_indent is None
    assert addressee.paragraph_format.left_indent is None
    assert _east_asia(addressee) == {"仿宋_GB2312"}
    body = _find(document, samples.REPORT_SECTIONS[3].paragraphs[0])
    assert _east_asia(body) == {"仿宋_GB2312"}
    assert {run.font.size.pt for run in body.runs} == {16}


def test_headings_take_their_font_from_their_level() -> None:
    document = _open(samples.PLAN, samples.NAME_LIST_HEAD)
    assert _east_asia(_find(document, "一、指导思想")) == {"黑体"}
    assert _east_asia(_find(document, "（一）上级党组织的路线方针和政策精神")) == {"楷体_GB2312"}
    assert _east_asia(_find(document, "1.党组织自身建设情况")) == {"仿宋_GB2312"}
    heading = _find(document, "一、指导思想")
    assert heading.paragraph_format.keep_with_next


@pytest.mark.parametrize(("text", "level"), [
    ("一、指导思想", 1), ("十二、其他", 1), ("（一）建立领导机制", 2), ("(三)工作要求", 2),
    ("1.党组织自身建设情况", 3), ("2、街道办、村中心工作", 3), ("3．要求", 3), ("（1）时间", 4),
    ("下阶段工作打算", 1), ("", 1),
])
def test_the_heading_level_comes_from_its_numbering(text: str, level: int) -> None:
    assert layout.heading_level(text) == level


def test_the_signature_is_centred_over_the_date_in_arabic_numerals_with_room_for_the_seal() -> None:
    document = _open()
    signature = _find(document, "安定乡妇女联合会")
    dated = _find(document, "2011年3月15日")
    assert signature.alignment == dated.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert dated.paragraph_format.right_indent.pt == pytest.approx(4 * layout.CHAR_PITCH, abs=0.1)  # 右空四字
    # centred over the date: the signature's right indent is half the difference of their widths more
    offset = (layout.text_width("2011年3月15日") - layout.text_width("安定乡妇女联合会")) / 2
    assert signature.paragraph_format.right_indent.pt == pytest.approx((4 + offset) * layout.CHAR_PITCH, abs=0.1)
    assert signature.paragraph_format.space_before.pt >= 2 * 28.9  # two blank lines for the seal
    assert layout.chinese_date(date(2026, 1, 5)) == "2026年1月5日"


def test_page_numbers_are_dashed_4hao_song_right_on_odd_pages_and_left_on_even_pages() -> None:
    document = _open()
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        assert getattr(paragraph.paragraph_format, side).pt == pytest.approx(14)  # one character in
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(f"{W}instrText"))
        assert _east_asia(paragraph) == {"宋体"}
        assert {run.font.size.pt for run in paragraph.runs} == {14}


def _record_table(document: Any) -> Any:
    floating = [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None]
    assert len(floating) == 1
    return floating[0]


def test_the_record_sits_at_the_foot_of_the_last_page_between_thick_and_thin_lines() -> None:
    document = _open()
    table = _record_table(document)
    assert table._tbl is document.element.body.findall(f"{W}tbl")[-1]
    position = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom" and position.get(qn("w:vertAnchor")) == "margin"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "bottom", "insideH")}
    assert sizes == {"top": "8", "bottom": "8", "insideH": "6"}  # 0.35 mm thick, 0.25 mm thin
    rows = [row.cells[0].text for row in table.rows]
    assert rows == ["抄送：乡党委办公室，外仓村党支部。", "安定乡妇女联合会办公室\t2011年3月15日印发"]
    assert {run.font.size.pt for row in table.rows for run in row.cells[0].paragraphs[0].runs} == {14}


def test_there_is_no_record_without_a_printer_date_or_copies() -> None:
    content = Content(title="关于召开妇联执委会议的通知", sections=[Section("", ["定于3月8日召开。"])])
    document = _open(content, Letterhead(issuer="太华路街道妇女联合会"))
    assert not [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None]


def test_a_table_spans_the_type_area_repeats_its_header_and_keeps_rows_whole() -> None:
    document = _open(samples.long_name_list(), samples.NAME_LIST_HEAD)
    table = document.tables[0]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) <= round(156 / 25.4 * 1440)
    assert sum(widths) >= round(150 / 25.4 * 1440)
    rows = table._tbl.findall(qn("w:tr"))
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert [c.text for c in table.rows[0].cells] == ["序号", "村（社区）", "姓名", "职务", "联系电话"]
    assert len(table.rows) == 61
    sizes = {run.font.size.pt for row in table.rows for cell in row.cells for run in cell.paragraphs[0].runs}
    assert sizes == {14}  # five columns: 4号
    three = _open(samples.NAME_LIST, samples.NAME_LIST_HEAD).tables[0]
    assert {run.font.size.pt for run in three.rows[1].cells[0].paragraphs[0].runs} == {16}  # 3号


def test_annexes_are_listed_after_the_body_and_laid_out_on_pages_of_their_own() -> None:
    document = _open(samples.PLAN, samples.NAME_LIST_HEAD)
    texts = [p.text for p in document.paragraphs]
    note = texts.index("附件：中共太华路街道委员会党务公开工作领导小组成员名单")
    signature = texts.index("中共太华路街道委员会")
    label = texts.index("附件")
    assert note < signature < label
    assert texts.index("1.党组织自身建设情况") < note
    annex = document.paragraphs[label]
    assert annex._p.find(f".//{W}br[@{W}type='page']") is not None
    assert _east_asia(annex) == {"黑体"}
    title = document.paragraphs[label + 1]
    assert title.text.replace("\n", "") == "中共太华路街道委员会党务公开工作领导小组成员名单"
    assert _east_asia(title) == {"方正小标宋简体"}
    assert len([t for t in document.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is None]) == 1


def test_several_annexes_are_numbered_and_their_names_aligned() -> None:
    content = Content(title="关于开展“三八”节系列活动的通知", sections=[
        Section("", ["请各村按附件要求报送。"]),
        Section("附件2：活动报名表", [], table=Table(["村", "人数"], [["岳庙村", "12"]])),
        Section("活动安排表", [], table=Table(["日期", "活动"], [["3月8日", "座谈会"]])),
    ], annexes=["活动安排表", "活动报名表"], signature="太华路街道妇女联合会", dated=date(2026, 3, 1))
    document = _open(content, Letterhead(issuer="太华路街道妇女联合会"))
    texts = [p.text for p in document.paragraphs]
    assert "附件：1.活动安排表" in texts and "2.活动报名表" in texts
    first, second = (_find(document, "附件：1.活动安排表"), _find(document, "2.活动报名表"))
    assert first.paragraph_format.left_indent == second.paragraph_format.left_indent
    assert texts.index("附件1") < texts.index("附件2")
    assert texts[texts.index("附件1") + 1] == "活动安排表"


def test_the_real_font_names_are_in_the_file() -> None:
    data = layout.docx(samples.PLAN, samples.NAME_LIST_HEAD)
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{name}"' in xml
    footer = "".join(zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
                     for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/footer"))
    assert 'w:eastAsia="宋体"' in footer


def test_long_titles_break_into_balanced_lines_at_sensible_places() -> None:
    assert layout.title_lines("太华路街道党务公开实施方案") == ["太华路街道党务公开实施方案"]
    lines = layout.title_lines("2010年市妇联开展党群共建创先争优活动情况汇报")
    assert lines == ["2010年市妇联开展党群共建", "创先争优活动情况汇报"]
    lines = layout.title_lines("关于做好2026年“三八”妇女节系列活动的通知")
    assert len(lines) == 2 and lines[1] != "通知"
    long = "关于在全县妇联系统深入开展党群共建创先争优活动进一步加强基层妇联组织建设推动妇女儿童事业发展的实施方案"
    lines = layout.title_lines(long)
    assert "".join(lines) == long and len(lines) == 3
    widths = [layout.text_width(line) for line in lines]
    assert max(widths) <= 19 and max(widths) - min(widths) <= 4
    for line in lines:
        assert line[0] not in "，。、；：）》”"
    assert not any(line.endswith("党群") for line in lines)  # 党群共建 kept whole


def test_the_mark_fits_the_type_area_however_long_the_name() -> None:
    for name in ("安定乡妇联文件", "中共太华路街道委员会文件", "华阴市太华路街道妇女联合会文件",
                 "华阴市太华路街道党工委华阴市太华路街道办事处文件"):
        size, scale = layout.mark_size(name)
        assert 30 <= size <= 42
        assert layout.text_width(name) * size * scale / 100 <= 156 / 25.4 * 72


def test_the_print_date_reads_as_printed() -> None:
    assert Letterhead("甲", printed_on="2011-03-15").printed_text == "2011年3月15日印发"
    assert Letterhead("甲", printed_on="2011年3月15日").printed_text == "2011年3月15日印发"
    assert Letterhead("甲").printed_text == ""
    assert Letterhead("甲").mark_text == "甲文件"
    assert Letterhead("甲", mark="甲乙联合文件").mark_text == "甲乙联合文件"


def test_no_theme_font_overrides_the_named_fonts_and_table_properties_keep_the_schema_order() -> None:
    import zipfile

    data = zipfile.ZipFile(io.BytesIO(layout.docx(samples.PLAN, samples.NAME_LIST_HEAD)))
    styles = data.read("word/styles.xml").decode()
    assert "asciiTheme" not in styles.split("</w:docDefaults>")[0]
    document = Document(io.BytesIO(layout.docx(samples.PLAN, samples.NAME_LIST_HEAD)))
    order = [qn(t) for t in ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:tblW", "w:jc", "w:tblBorders",
                             "w:tblLayout", "w:tblCellMar", "w:tblLook")]
    for table in document.tables:
        tags = [child.tag for child in table._tbl.tblPr]
        assert tags == sorted(tags, key=order.index)


def test_a_table_caption_that_repeats_the_title_is_printed_once() -> None:
    table = Table(["姓名"], [["谢建龙"]], caption="党务公开工作领导小组成员名单")
    document = _open(Content(title="党务公开工作领导小组成员名单", sections=[Section("", [], table=table)]),
                     Letterhead("中共太华路街道委员会"))
    assert [p.text for p in document.paragraphs].count("党务公开工作领导小组成员名单") == 1
    document = _open(Content(title="关于成立领导小组的通知", sections=[Section("", [], table=table)]),
                     Letterhead("中共太华路街道委员会"))
    caption = _find(document, "党务公开工作领导小组成员名单")
    assert _east_asia(caption) == {"黑体"}


@pytest.mark.parametrize("name", ["REPORT", "PLAN", "NAME_LIST"])
def test_paragraph_and_run_properties_keep_the_schema_order_word_requires(name: str) -> None:
    import zipfile

    from lxml import etree

    from ..layout import _PPR_ORDER, _RPR_ORDER

    content = getattr(samples, name)
    data = zipfile.ZipFile(io.BytesIO(layout.docx(content, Letterhead("太华路街道妇女联合会", "太妇发〔2026〕1号",
                                                                      printed_on="2026-03-08", draft=True))))
    for part in [n for n in data.namelist() if n.startswith("word/") and n.endswith(".xml")]:
        root = etree.fromstring(data.read(part))
        for tag, order in (("w:pPr", _PPR_ORDER), ("w:rPr", _RPR_ORDER)):
            names = [qn(t) for t in order]
            for element in root.iter(qn(tag)):
                if element.getparent().tag in (qn("w:rPrDefault"), qn("w:pPrDefault"), qn("w:style")):
                    continue
                kids = [child.tag for child in element]
                assert all(k in names for k in kids), (part, kids)
                assert kids == sorted(kids, key=names.index), (part, kids)


def test_an_upward_document_has_its_number_on_the_left_and_the_signer_on_the_right() -> None:
    head = Letterhead("安定乡妇女联合会", "安妇报〔2011〕3号", signer="王秀英")
    number = _open(samples.REPORT, head).paragraphs[1]
    assert number.text == "\u3000安妇报〔2011〕3号\t签发人：王秀英"  # 居左空一字
    assert number.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert number.paragraph_format.left_indent is None  # the red line under it spans the 版心
    stop = number.paragraph_format.tab_stops[0]
    assert stop.position.pt == pytest.approx(156 / 25.4 * 72 - layout.CHAR_PITCH, abs=0.1)  # 居右空一字
    fonts = [run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in number.runs]
    assert fonts == ["仿宋_GB2312", "楷体_GB2312"]  # "签发人：" 仿宋, the name 楷体
    assert number._p.pPr.find(qn("w:pBdr")) is not None  # the red line under it


_TEXT = "党群共建创先争优妇联关于开展工作的通知情况汇报实施方案，。、；：“”《》（）〔〕0123456789abcXYZ 　<&>\x00\x0b\x0c\t\n"


def test_any_title_breaks_into_lines_that_rejoin_to_it_and_fit() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=_TEXT, min_size=0, max_size=90))
    def check(title: str) -> None:
        lines = layout.title_lines(title)
        assert "".join(lines) == title.strip()
        assert all(layout.text_width(line) <= 19 for line in lines)

    check()


def test_any_content_lays_out_and_reads_back() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    text = st.text(alphabet=_TEXT, max_size=60)
    cells = st.lists(text, min_size=0, max_size=6)
    table = st.builds(Table, header=st.lists(text, min_size=0, max_size=6), rows=st.lists(cells, max_size=5),
                      caption=text)
    section = st.builds(Section, heading=text, paragraphs=st.lists(text, max_size=4),
                        table=st.one_of(st.none(), table))
    content = st.builds(Content, title=text, sections=st.lists(section, max_size=4),
                        addressee=text, annexes=st.lists(text, max_size=3), signature=text,
                        dated=st.one_of(st.none(), st.dates()), cc=text)
    head = st.builds(Letterhead, issuer=text, number=text, printer=text, printed_on=text,
                     draft=st.booleans(), signer=text)

    @settings(max_examples=30, deadline=None)
    @given(content, head)
    def check(content: Content, head: Letterhead) -> None:
        document = Document(io.BytesIO(layout.docx(content, head)))
        assert document.paragraphs[0].text == layout._NOT_XML.sub("", head.mark_text)

    check()
