"""A document laid out as a 公文 (GB/T 9704-2012): .docx with python-docx, PDF by LibreOffice from
that .docx (one layout, two formats). Issue 14; ADR "layout: the 公文 fonts' stand-ins and the PDF
conversion".

`docx(content, head)` returns the .docx bytes; `pdf(content, head)` converts them with
`soffice --headless --convert-to pdf` (Debian's libreoffice-writer-nogui) in a private profile, with
a time limit and at most `GONGJIAN_PDF_CONVERSIONS` conversions at once on the machine.

The page, as the standard asks:
- A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; the document grid gives 22 lines of 28 characters
  (`w:docGrid` linePitch 579, charSpace -848; body lines at a fixed 28.95 pt).
- 版头: the 发文机关标志 (`Letterhead.mark`, else the issuer + "文件") in red 小标宋, centred, its top
  35 mm below the 版心's; the 发文字号 centred two lines below (an upward document's on the left,
  with 签发人 on the right); the red 分隔线 4 mm under it across the 版心. A draft is marked in the page header (`Letterhead.draft_label`) on every page.
- The title in 2号 小标宋, centred, two lines below the red line; a long title is broken into
  balanced lines at sensible places (`title_lines`). 主送机关 flush left after a blank line.
- The body in 3号 仿宋 with a first-line indent of two characters; headings by the numbering they
  start with (`heading_level`): "一、" 黑体, "（一）" 楷体, "1." and "（1）" 仿宋.
- Tables (name lists, catalogues, schedules) across the 版心, 3号 (up to three columns) or 4号,
  with borders, the header row repeated on every page, rows kept whole.
- 附件说明 ("附件：1.…") a line below the body; 落款 centred over the 成文日期 (Arabic numerals,
  four characters from the right) two lines below, so the seal has room; annexes on pages of their
  own after it ("附件1" in 黑体, then the annex title), in the order of `Content.annexes`.
- Page numbers "— 1 —" in 4号 宋体 below the 版心, odd pages right, even pages left (one character in).
- 版记 at the foot of the last page: 抄送 (if any), then 印发机关 and 印发日期, between a thick line,
  a thin one and a thick one, the last on the 版心's lower edge.

Annexes: a section whose heading is one of `Content.annexes` (or "附件", "附件1", "附件：名称") is laid out
as that annex, after the 落款, on a new page; the other sections are the body.

Fonts: the real font names (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are written into the
.docx (ascii, hAnsi, eastAsia), so an office with the fonts installed shows them. The PDF conversion
runs LibreOffice with `fontconfig/fonts.conf` beside this module, which gives those names Debian's
stand-ins when the real fonts are missing (Noto Serif CJK SC, bold for 小标宋; Noto Sans CJK SC for
黑体; AR PL UKai CN for 楷体; docs/architecture.md, "Documents: the 公文 layout")."""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from gongjian.kernel.documents import Content, Section, Table

log = logging.getLogger(__name__)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)  # the red of the 版头 (mark and 分隔线)

# The page (mm) and the grid: 22 lines × 28 characters in the 版心.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
TOP, LEFT, TEXT_WIDTH, TEXT_HEIGHT = 37, 28, 156, 225
RIGHT, BOTTOM = PAGE_WIDTH - LEFT - TEXT_WIDTH, PAGE_HEIGHT - TOP - TEXT_HEIGHT
LINES, CHARACTERS = 22, 28
BODY_SIZE, TITLE_SIZE, SMALL_SIZE = 16.0, 22.0, 14.0  # 3号, 2号, 4号 (pt)
LINE_PITCH = 579  # twips: 28.95 pt, 22 lines fill 225 mm (580 would leave room for 21)
_TEXT_WIDTH_PT = TEXT_WIDTH / 25.4 * 72
CHAR_PITCH = _TEXT_WIDTH_PT / CHARACTERS  # 15.79 pt: 28 characters of 3号 fill 156 mm
CHAR_SPACE = math.floor((CHAR_PITCH - BODY_SIZE) * 4096)  # w:charSpace, 1/4096 pt relative to 3号

PDF_TIMEOUT = int(os.environ.get("GONGJIAN_PDF_TIMEOUT", "60"))  # seconds for one conversion
PDF_WAIT = 30  # seconds a request waits for a free conversion slot
FONTS_CONF = Path(__file__).resolve().parent / "fontconfig" / "fonts.conf"


class LayoutError(RuntimeError):
    """The PDF could not be made. `str(error)` is a Chinese sentence for the user; `reason` is one of
    "missing" (LibreOffice is not installed), "busy" (every conversion slot stayed taken), "timeout",
    "failed" (LibreOffice refused the document)."""

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Letterhead:
    """What the layout adds around the content: the 发文机关标志 (`mark`; "" gives the issuer +
    "文件"), the 发文字号 ("" for a draft), 印发机关 and 印发日期 in the 版记 (`printed_on` an ISO
    date or the words to print), and `draft` (with `draft_label`) marking an unissued version. With
    a `signer` the document goes upward (上行文): the number stands one character from the left and
    "签发人：" with the name (楷体) one from the right, on the same line (GB/T 9704-2012 7.2.5–7.2.6)."""

    issuer: str
    number: str = ""
    printer: str = ""
    printed_on: str = ""
    draft: bool = False
    mark: str = ""
    draft_label: str = "草稿"
    signer: str = ""  # 签发人 of an upward document (上行文: a 请示 or 报告 to the federation above)

    @property
    def mark_text(self) -> str:
        return self.mark or f"{self.issuer}文件"

    @property
    def printed_text(self) -> str:
        """The 印发日期 as printed: "2011年3月15日印发" ("" when there is none)."""
        if not self.printed_on:
            return ""
        try:
            day = date.fromisoformat(self.printed_on)
        except ValueError:
            text = self.printed_on
        else:
            text = chinese_date(day)
        return text if text.endswith("印发") else f"{text}印发"

    @property
    def has_record(self) -> bool:
        """Whether there is a 版记 (a 印发机关 or 印发日期)."""
        return bool(self.printer or self.printed_on)


# --- text helpers (shared with the HTML preview) -------------------------------------------------


def chinese_date(day: date) -> str:
    """The 成文日期 in Arabic numerals, the month and day without a leading zero (GB/T 9704-2012 7.3.5)."""
    return f"{day.year}年{day.month}月{day.day}日"


_LEVELS = (
    (re.compile(r"^[一二三四五六七八九十百]+、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"), 2),
    (re.compile(r"^\d+[.．、]"), 3),
    (re.compile(r"^[（(]\d+[）)]"), 4),
)


def heading_level(text: str) -> int:
    """The level of a heading from its numbering: "一、" 1, "（一）" 2, "1." 3, "（1）" 4; a heading
    without numbering counts as the first level."""
    stripped = text.strip()
    for pattern, level in _LEVELS:
        if pattern.match(stripped):
            return level
    return 1


def heading_font(level: int) -> str:
    return {1: HEADING_FONT, 2: KAI_FONT}.get(level, BODY_FONT)


def text_width(text: str) -> float:
    """Width in characters of 3号: a Chinese character 1, a half-width letter, digit or space ½."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "—…“”‘’·" else 1.0 for ch in text)


# Words a title should not be broken inside, and before which a break reads well.
_TITLE_WORDS = ("党群共建", "创先争优", "妇女联合会", "委员会", "妇联", "党务公开", "领导小组", "实施方案",
                "情况汇报", "工作总结", "成员名单", "调研报告", "工作日程安排表", "安排表", "公开目录",
                "人民政府", "街道办事处", "社区", "活动", "工作", "示范点", "巾帼")
_TITLE_SUFFIXES = ("的通知", "的报告", "的意见", "的请示", "情况汇报", "实施方案", "工作总结", "成员名单",
                   "调研报告", "公示", "目录", "名单", "安排表")
_TITLE_LEADS = ("关于", "开展", "做好", "加强", "推进", "进一步", "在全")
_NO_START = "，。、；：？！）》」』”’〕】"
_NO_END = "（《「『“‘〔【"


def title_lines(title: str, width: float = 19) -> list[str]:
    """Break a title too long for one line of 2号 (20 characters fill the 版心; 19 leaves the digits'
    and the stand-in font's slack) into balanced lines,
    not inside a word it knows, not before closing or after opening punctuation, nor inside a
    number (GB/T 9704-2012 7.3.1: 词意完整，排列对称，长短适宜)."""
    title = title.strip()
    total = text_width(title)
    if total <= width or len(title) < 2:
        return [title]
    count = math.ceil(total / (width - 2))
    target = total / count
    inside: set[int] = set()  # break positions that would split a known word
    good: dict[int, float] = {}
    for word in _TITLE_WORDS:
        for match in re.finditer(re.escape(word), title):
            inside.update(range(match.start() + 1, match.end()))
            good[match.start()] = min(good.get(match.start(), 9), 3)
    for word in _TITLE_SUFFIXES + _TITLE_LEADS:
        for match in re.finditer(re.escape(word), title):
            good[match.start()] = min(good.get(match.start(), 9), 2)

    def penalty(i: int) -> float:
        before, after = title[i - 1], title[i]
        if after in _NO_START or before in _NO_END or (before.isascii() and before.isalnum()
                                                         and after.isascii() and after.isalnum()):
            return math.inf
        if before in "的于和与及、，":
            return 2
        if i in inside:
            return 40
        return good.get(i, 9)

    # best[k][i]: the least cost of the first i characters in k lines.
    size = len(title)
    best = [[math.inf] * (size + 1) for _ in range(count + 1)]
    back = [[0] * (size + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(1, count + 1):
        for i in range(1, size + 1):
            for j in range(k - 1, i):
                if best[k - 1][j] == math.inf:
                    continue
                line = text_width(title[j:i])
                if line > width:
                    continue
                cost = best[k - 1][j] + (line - target) ** 2 + (penalty(j) if j else 0)
                if cost < best[k][i]:
                    best[k][i], back[k][i] = cost, j
    if best[count][size] == math.inf:  # nothing fits: cut at the width
        step = int(width)
        return [title[i:i + step] for i in range(0, size, step)]
    lines, end = [], size
    for k in range(count, 0, -1):
        start = back[k][end]
        lines.append(title[start:end])
        end = start
    return lines[::-1]


def mark_size(text: str) -> tuple[float, int]:
    """Font size (pt) and horizontal scale (%) of the 发文机关标志 so that it fits the 版心: 42 pt for a
    short name, smaller down to 30 pt, then narrowed (小标宋 red marks are often condensed)."""
    width = max(text_width(text), 1)
    room = _TEXT_WIDTH_PT - 8
    size = max(30.0, min(42.0, math.floor(room / width)))
    scale = min(100, math.floor(room / (width * size) * 100))
    return size, max(scale, 55)


def annex_label(index: int, count: int) -> str:
    return "附件" if count == 1 else f"附件{index}"


def split_annexes(content: Content) -> tuple[list[Section], list[tuple[str, Section]]]:
    """The body's sections, and the annex sections with their annex names (in the order of
    `content.annexes`, an annex section not named there after them)."""
    names = [name.strip() for name in content.annexes]
    body: list[Section] = []
    annexes: list[tuple[str, Section]] = []
    for part in content.sections:
        heading = part.heading.strip()
        bare = re.sub(r"^附件\s*\d*\s*[：:]?\s*", "", heading) if heading.startswith("附件") else None
        if heading in names:
            annexes.append((heading, part))
        elif bare is not None:
            annexes.append((bare or (part.table.caption if part.table else ""), part))
        else:
            body.append(part)
    order = {name: i for i, name in enumerate(names)}
    annexes.sort(key=lambda pair: order.get(pair[0], len(order)))
    return body, annexes


# --- .docx ---------------------------------------------------------------------------------------


def _fonts(element: Any, name: str) -> None:
    """Name the font for every script; theme fonts would override the names, so they go."""
    fonts = element.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    fonts.set(qn("w:hint"), "eastAsia")


_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
              "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
              "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
              "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
              "w:sectPr", "w:pPrChange")


def _ppr_add(ppr: Any, element: Any) -> Any:
    """Add a paragraph property in the schema's order (Word refuses a file whose order is wrong)."""
    tag = element.tag.replace(qn("w:x")[:-1], "w:")
    ppr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1:])
    return element


def _rpr_set(rpr: Any, tag: str, value: str) -> None:
    """Set a run property in the schema's order (Word refuses a file whose order is wrong)."""
    element = rpr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        rpr.insert_element_before(element, *_RPR_ORDER[_RPR_ORDER.index(tag) + 1:])
    element.set(qn("w:val"), value)


# A 3号 character is narrowed by 0.3 pt: 28 of them (15.7 pt each) fill the 版心's 442 pt line, in
# Word and in LibreOffice alike (`_format`: paragraphs do not snap to the grid).
BODY_TRACKING = -6  # twips


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(paragraph: Any, text: str, font: str, size: float, *, color: RGBColor | None = None,
         scale: int = 100) -> Any:
    """A run of text in a font and size; characters XML cannot hold (a form feed pasted from another
    program) are dropped rather than refused."""
    run = paragraph.add_run(_NOT_XML.sub("", text))
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    _fonts(rpr, font)
    _rpr_set(rpr, "w:szCs", str(int(size * 2)))
    if color is not None:
        run.font.color.rgb = color
    if scale != 100:
        _rpr_set(rpr, "w:w", str(scale))
    if size == BODY_SIZE:
        _rpr_set(rpr, "w:spacing", str(BODY_TRACKING))
    return run


def _format(paragraph: Any, *, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, line: float | None = None,
            before: float = 0, after: float = 0, first_chars: float = 0, left_chars: float = 0,
            right_chars: float = 0, char: float = CHAR_PITCH, snap: bool = False,
            keep_next: bool = False) -> Any:
    """Lay out a paragraph: alignment, a fixed line height (pt; the body's by default), spacing in pt
    and indents in characters (of `char` pt: a body character, or 4号 in the 版记).

    Paragraphs do not snap to the document grid (`snap`): LibreOffice gives a 3号 character, wider
    than a 15.79 pt grid cell, two cells (14 characters a line), where Word squeezes it into one. The
    grid stays in the section for the office that edits the file; the lines keep to it by their fixed
    28.95 pt height and the characters by BODY_TRACKING."""
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH) if line is None else Pt(line)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.widow_control = True
    fmt.keep_with_next = keep_next or None
    if first_chars:
        fmt.first_line_indent = Pt(first_chars * char)
    if left_chars:
        fmt.left_indent = Pt(left_chars * char)
    if right_chars:
        fmt.right_indent = Pt(right_chars * char)
    ppr = paragraph._p.get_or_add_pPr()
    if char == CHAR_PITCH and (first_chars or left_chars or right_chars):
        ind = ppr.find(qn("w:ind"))
        if ind is not None:  # Word reads the indents in characters of the grid (LibreOffice the pt above)
            for attribute, value in (("w:firstLineChars", first_chars), ("w:leftChars", left_chars),
                                     ("w:rightChars", right_chars)):
                if value > 0:
                    ind.set(qn(attribute), str(round(value * 100)))
                elif value < 0 and attribute == "w:firstLineChars":
                    ind.set(qn("w:hangingChars"), str(round(-value * 100)))
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and digits
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        _ppr_add(ppr, element)
    if not snap:
        element = OxmlElement("w:snapToGrid")
        element.set(qn("w:val"), "0")
        _ppr_add(ppr, element)
    return paragraph


def _border(paragraph: Any, side: str, *, size: int, color: str, space: int = 0) -> None:
    """A line on one side of a paragraph (size in eighths of a point, space in points)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _ppr_add(ppr, OxmlElement("w:pBdr"))
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_field(paragraph: Any, size: float) -> None:
    """"— N —" with N the PAGE field, 4号 宋体 (半角 digits)."""
    _run(paragraph, "— ", PAGE_NUMBER_FONT, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(paragraph, "", PAGE_NUMBER_FONT, size)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
    _run(paragraph, " —", PAGE_NUMBER_FONT, size)


def _setup(document: Any, head: Letterhead) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.gutter = Mm(0)
    section.header_distance = Mm(20)
    section.footer_distance = Mm(25)  # the page number's dashes 7 mm below the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    # Defaults: 3号 仿宋, fixed lines, no spacing, so that anything the layout does not set is body text.
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Twips(LINE_PITCH)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _fonts(rpr, BODY_FONT)
            for tag in ("w:sz", "w:szCs"):
                element = rpr.find(qn(tag))
                if element is None:
                    element = OxmlElement(tag)
                    rpr.append(element)
                element.set(qn("w:val"), str(int(BODY_SIZE * 2)))
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")
        spacing = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing"))
        if spacing is not None:
            for attribute, value in (("w:after", "0"), ("w:line", str(LINE_PITCH)), ("w:lineRule", "exact")):
                spacing.set(qn(attribute), value)
    core = document.core_properties
    core.author = core.last_modified_by = _NOT_XML.sub("", head.issuer)
    core.language = "zh-CN"

    # Page numbers: odd pages right, even pages left, one 4号 character in from the edge.
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        _format(paragraph, align=align, line=SMALL_SIZE * 1.25, snap=False, char=SMALL_SIZE,
                left_chars=1 if side == "left" else 0, right_chars=1 if side == "right" else 0)
        _page_field(paragraph, SMALL_SIZE)
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        _format(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT, line=BODY_SIZE * 1.5, snap=False)
        if head.draft:
            _run(paragraph, head.draft_label or "草稿", HEADING_FONT, BODY_SIZE, color=RED)


def _letterhead(document: Any, head: Letterhead) -> None:
    """版头: the red mark 35 mm below the top of the 版心, the 发文字号 two lines below it, the red
    分隔线 4 mm under the number."""
    text = head.mark_text
    size, scale = mark_size(text)
    line = size * 1.15
    mark = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, line=line, snap=False,
                   before=35 / 25.4 * 72 - (line - size * 0.88) / 2 - size * 0.06 + 5)
    _run(mark, text, TITLE_FONT, size, color=RED, scale=scale)
    last = mark
    if head.signer:  # 上行文: the number one character from the left, 签发人 one from the right
        # one character in by a full-width space, not an indent: the red line below spans the 版心
        last = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, snap=False,
                       before=2 * LINE_PITCH / 20)
        last.paragraph_format.tab_stops.add_tab_stop(Pt(_TEXT_WIDTH_PT - CHAR_PITCH), WD_TAB_ALIGNMENT.RIGHT)
        _run(last, f"\u3000{head.number}\t签发人：", BODY_FONT, BODY_SIZE)
        _run(last, head.signer, KAI_FONT, BODY_SIZE)
    elif head.number:
        last = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, snap=False,
                       before=2 * LINE_PITCH / 20)
        _run(last, head.number, BODY_FONT, BODY_SIZE)
    _border(last, "bottom", size=18, color=str(RED), space=6)


def _title(document: Any, content: Content) -> None:
    title = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_SIZE * 1.5,
                    before=2 * LINE_PITCH / 20 - 12, snap=False, keep_next=True)
    _title_runs(title, content.title)
    spacer = _format(document.add_paragraph())  # 标题下空一行
    _run(spacer, "", BODY_FONT, BODY_SIZE)


def _title_runs(paragraph: Any, title: str) -> None:
    """The title's lines in 2号 小标宋, a line break starting each line after the first."""
    for i, text in enumerate(title_lines(title)):
        run = _run(paragraph, "", TITLE_FONT, TITLE_SIZE)
        if i:
            run.add_break()
        run.add_text(_NOT_XML.sub("", text))


def _heading(document: Any, text: str) -> None:
    font = heading_font(heading_level(text))
    paragraph = _format(document.add_paragraph(), first_chars=2, keep_next=True)
    _run(paragraph, text.strip(), font, BODY_SIZE)


def _paragraphs(document: Any, part: Section) -> None:
    for text in part.paragraphs:
        text = text.strip()
        if not text:
            continue
        paragraph = _format(document.add_paragraph(), first_chars=2)
        _run(paragraph, text, BODY_FONT, BODY_SIZE)


def _column_widths(table: Table, total: float) -> list[float]:
    """Column widths (pt) from the longest text of each column (capped), at least three characters."""
    count = len(table.header)
    wants = []
    for i in range(count):
        cells = [table.header[i]] + [row[i] if i < len(row) else "" for row in table.rows]
        wants.append(min(max(max(text_width(c) for c in cells), 3) + 1, 16))
    scale = total / sum(wants)
    return [w * scale for w in wants]


_TBLPR_ORDER = [qn(tag) for tag in (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
    "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")]


def _in_order(tbl_pr: Any) -> None:
    """Put a table's properties in the schema's order (Word refuses a file whose order is wrong)."""
    children = sorted(tbl_pr, key=lambda child: _TBLPR_ORDER.index(child.tag) if child.tag in _TBLPR_ORDER else 99)
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


def _cell_borders(tbl_pr: Any, sides: dict[str, tuple[str, int]]) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        kind, size = sides.get(side, ("nil", 0))
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), kind)
        if kind != "nil":
            line.set(qn("w:sz"), str(size))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(borders)
    _in_order(tbl_pr)


def _table_properties(table: Any, widths: list[float]) -> Any:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        tbl_pr.remove(style)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(sum(widths) * 20)))
    width.set(qn("w:type"), "dxa")
    for tag in ("w:tblW", "w:tblLayout"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    tbl_pr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("left", 80), ("right", 80)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(value))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.append(margins)
    grid = tbl.tblGrid
    for column, width_pt in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(round(width_pt * 20)))
    table.autofit = False
    return tbl_pr


def _table(document: Any, table: Table) -> None:
    """A table across the 版心: header row repeated on each page, rows not split, 3号 up to three
    columns and 4号 beyond."""
    if not table.header:
        return
    if table.caption:
        caption = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
        _run(caption, table.caption, HEADING_FONT, BODY_SIZE)
    size = BODY_SIZE if len(table.header) <= 3 else SMALL_SIZE
    widths = _column_widths(table, _TEXT_WIDTH_PT - 1)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = _table_properties(grid, widths)
    _cell_borders(tbl_pr, dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), ("single", 6)))
    short = [max((text_width(row[i]) if i < len(row) else 0) for row in table.rows or [[""] * len(widths)])
             <= 8 for i in range(len(widths))]
    for r, row in enumerate([table.header, *table.rows]):
        cells = grid.rows[r].cells
        tr_pr = grid.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(round(size * 2.1 * 20)))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
        for c, cell in enumerate(cells):
            cell.width = Pt(widths[c])
            tc_pr = cell._tc.get_or_add_tcPr()
            valign = OxmlElement("w:vAlign")
            valign.set(qn("w:val"), "center")
            tc_pr.append(valign)
            text = row[c] if c < len(row) else ""
            align = WD_ALIGN_PARAGRAPH.CENTER if (r == 0 or short[c]) else WD_ALIGN_PARAGRAPH.LEFT
            paragraph = _format(cell.paragraphs[0], align=align, line=size * 1.45, snap=False)
            _run(paragraph, text, HEADING_FONT if r == 0 else BODY_FONT, size)
    document.add_paragraph()  # a table is followed by a paragraph
    _format(document.paragraphs[-1], line=8, snap=False)


def _annex_note(document: Any, names: list[str]) -> None:
    """附件说明: a blank line below the body, two characters in; several annexes numbered, the lines
    of a long name aligned on the first character of the name."""
    if not names:
        return
    _run(_format(document.add_paragraph()), "", BODY_FONT, BODY_SIZE)
    for i, name in enumerate(names, start=1):
        if len(names) == 1:
            paragraph = _format(document.add_paragraph(), left_chars=5, first_chars=-3)
            _run(paragraph, f"附件：{name}", BODY_FONT, BODY_SIZE)
        else:
            paragraph = _format(document.add_paragraph(), left_chars=6,
                                first_chars=-4 if i == 1 else -1)
            _run(paragraph, f"{'附件：' if i == 1 else ''}{i}.{name}", BODY_FONT, BODY_SIZE)


def _signature(document: Any, content: Content) -> None:
    """落款 centred over the 成文日期, the date four characters from the right; two blank lines above
    so that the seal, pressed over both, reaches no higher than a line below the text."""
    dated = chinese_date(content.dated) if content.dated else ""
    if not (content.signature or dated):
        return
    date_width = text_width(dated) if dated else 0
    lines = [(content.signature, max(0.0, 4 + (date_width - text_width(content.signature)) / 2)
              if dated else 2.0), (dated, 4.0)]
    first = True
    for text, right in lines:
        if not text:
            continue
        paragraph = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=right,
                            before=2 * LINE_PITCH / 20 if first else 0, keep_next=first)
        _run(paragraph, text, BODY_FONT, BODY_SIZE)
        first = False


def _annex(document: Any, index: int, count: int, name: str, part: Section) -> None:
    label = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT)
    label.add_run().add_break(WD_BREAK.PAGE)
    _run(label, annex_label(index, count), HEADING_FONT, BODY_SIZE)
    title = name or (part.table.caption if part.table else "")
    if title:
        paragraph = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER,
                            line=TITLE_SIZE * 1.5, before=LINE_PITCH / 20, snap=False, keep_next=True)
        _title_runs(paragraph, title)
        _run(_format(document.add_paragraph()), "", BODY_FONT, BODY_SIZE)
    _paragraphs(document, part)
    if part.table is not None:
        shown = part.table if part.table.caption != title else Table(part.table.header, part.table.rows)
        _table(document, shown)


def _record(document: Any, content: Content, head: Letterhead) -> None:
    """版记 at the foot of the last page: a table floated to the bottom of the 版心 (its last line on
    the 版心's lower edge), 抄送 and 印发 rows between a thick, a thin and a thick line, 4号 仿宋.
    Placed from the page's left edge: LibreOffice floats a table as wide as the text area only
    when its position is relative to the page."""
    if not (head.has_record or content.cc):
        return
    rows: list[tuple[str, str]] = []
    if content.cc:
        cc = content.cc.strip().rstrip("。")
        rows.append((f"抄送：{cc}。", ""))
    if head.has_record:
        rows.append((head.printer or head.issuer, head.printed_text))
    grid = document.add_table(rows=len(rows), cols=1)
    tbl_pr = _table_properties(grid, [_TEXT_WIDTH_PT])
    margins = tbl_pr.find(qn("w:tblCellMar"))
    for side in margins:
        side.set(qn("w:w"), "0")
    position = OxmlElement("w:tblpPr")
    for attribute, value in (("w:leftFromText", "0"), ("w:rightFromText", "0"), ("w:topFromText", "0"),
                             ("w:bottomFromText", "0"), ("w:vertAnchor", "margin"),
                             ("w:horzAnchor", "page"), ("w:tblpX", str(round(LEFT / 25.4 * 1440))),
                             ("w:tblpYSpec", "bottom")):
        position.set(qn(attribute), value)
    tbl_pr.insert(0, position)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    position.addnext(overlap)
    _cell_borders(tbl_pr, {"top": ("single", 8), "bottom": ("single", 8), "insideH": ("single", 6)})
    room = _TEXT_WIDTH_PT - SMALL_SIZE
    for r, (left, right) in enumerate(rows):
        cell = grid.rows[r].cells[0]
        paragraph = _format(cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT, line=LINE_PITCH / 20,
                            snap=False, char=SMALL_SIZE, left_chars=1, right_chars=1 if not right else 0)
        if left.startswith("抄送："):  # a long list of recipients wraps under the first name
            paragraph.paragraph_format.left_indent = Pt(SMALL_SIZE * 4)
            paragraph.paragraph_format.first_line_indent = Pt(-SMALL_SIZE * 3)
            paragraph.paragraph_format.right_indent = Pt(SMALL_SIZE)
        _run(paragraph, left, BODY_FONT, SMALL_SIZE)
        if right:
            paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(room), WD_TAB_ALIGNMENT.RIGHT)
            _run(paragraph, "\t" + right, BODY_FONT, SMALL_SIZE)
    anchor = _format(document.add_paragraph(), line=1, snap=False)
    _run(anchor, "", BODY_FONT, 1)


def docx(content: Content, head: Letterhead) -> bytes:
    """The .docx of `content` under `head`, in the GB/T 9704-2012 layout (this module's docstring)."""
    document = DocxDocument()
    _setup(document, head)
    _letterhead(document, head)
    _title(document, content)
    body, annexes = split_annexes(content)
    if content.addressee:
        _run(_format(document.add_paragraph()), content.addressee.strip(), BODY_FONT, BODY_SIZE)
    for part in body:
        if part.heading.strip():
            _heading(document, part.heading)
        _paragraphs(document, part)
        if part.table is not None:  # a caption that repeats the title is not printed twice
            same = part.table.caption.strip() == content.title.strip()
            _table(document, Table(part.table.header, part.table.rows) if same else part.table)
    _annex_note(document, [name for name in content.annexes if name.strip()])
    _signature(document, content)
    for i, (name, part) in enumerate(annexes, start=1):
        _annex(document, i, len(annexes), name, part)
    _record(document, content, head)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf(content: Content, head: Letterhead) -> bytes:
    return pdf_from_docx(docx(content, head))


def conversions_at_once() -> int:
    """How many LibreOffice conversions may run at once on this machine (`GONGJIAN_PDF_CONVERSIONS`,
    default 2: each takes a core for a second or two and some 150 MB)."""
    raw = getattr(settings, "GONGJIAN_PDF_CONVERSIONS", None) or os.environ.get("GONGJIAN_PDF_CONVERSIONS", "2")
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 2


@contextlib.contextmanager
def conversion_slot(wait: float = PDF_WAIT) -> Iterator[int]:
    """Hold one of `conversions_at_once()` slots: an exclusive `flock` on one of N files under
    VAR_DIR/pdf-slots, which every process of the server (the web workers and the task worker)
    shares; the kernel frees a lock when its process dies, so a crash never leaks a slot. Waits up
    to `wait` seconds for a free slot, then raises LayoutError("busy")."""
    folder = Path(settings.VAR_DIR) / "pdf-slots"
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for index in range(conversions_at_once()):
            handle = open(folder / f"slot-{index}.lock", "a+")  # noqa: SIM115 (held while converting)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            try:
                yield index
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise LayoutError(_("正在生成的 PDF 文件较多，请稍后再试，或先下载 Word（.docx）文件。"),
                              reason="busy")
        time.sleep(0.2)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and whatever it started (it runs in a session of its own)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _profile_template(binary: str) -> Path:
    """Where the profile LibreOffice made on a first conversion is kept, per installed version (the
    start script's time stamp changes with every upgrade)."""
    stamp = f"{Path(binary).resolve().stat().st_mtime_ns:x}"
    return Path(settings.VAR_DIR) / "pdf-profile" / stamp


def _keep_profile(profile: Path, template: Path) -> None:
    """Keep a copy of a profile that converted successfully (once: copied aside, then renamed into
    place, so that a conversion never sees half a template)."""
    if template.exists() or not profile.is_dir():
        return
    template.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="new-", dir=template.parent))
    try:
        shutil.copytree(profile, staging / "profile", symlinks=True)
        os.rename(staging / "profile", template)
    except OSError:  # another process was quicker, or the disk is full: no template this time
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def pdf_from_docx(data: bytes, *, timeout: float | None = None) -> bytes:
    """Convert a .docx this module made to PDF with LibreOffice: a profile and folder of its own per
    conversion (a copy of the profile a first conversion made, which spares LibreOffice setting one
    up), the project's font substitutions, at most `conversions_at_once()` at a time, killed after
    `timeout` seconds (PDF_TIMEOUT). Raises LayoutError with a Chinese sentence on any failure.

    Only for the layout's own files: LibreOffice follows links in a document it opens, so a file a
    user uploaded must never be passed here."""
    binary = soffice()
    if binary is None:
        raise LayoutError(_("本服务器没有安装 LibreOffice，暂时不能生成 PDF；请下载 Word（.docx）文件。"),
                          reason="missing")
    limit = PDF_TIMEOUT if timeout is None else timeout
    with conversion_slot(), tempfile.TemporaryDirectory(prefix="gj-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        profile, template = folder / "profile", _profile_template(binary)
        if template.is_dir():
            with contextlib.suppress(OSError):
                shutil.copytree(template, profile, symlinks=True)
        env = {**os.environ, "HOME": str(folder), "SAL_USE_VCLPLUGIN": "svp"}
        if FONTS_CONF.exists():
            env["FONTCONFIG_FILE"] = str(FONTS_CONF)
        command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--nologo", "--norestore", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(folder), str(source)]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,  # noqa: S603
                                   cwd=folder, start_new_session=True)
        try:
            _out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            log.warning("LibreOffice took longer than %ss and was stopped", limit)
            raise LayoutError(_("生成 PDF 超时，请稍后再试，或先下载 Word（.docx）文件。"),
                              reason="timeout") from None
        finally:
            _kill(process)
        made = folder / "document.pdf"
        if process.returncode != 0 or not made.exists() or not made.read_bytes().startswith(b"%PDF"):
            log.warning("LibreOffice made no PDF (exit %s): %s", process.returncode,
                        err.decode("utf-8", "replace")[-500:])
            raise LayoutError(_("LibreOffice 未能把该文件转换为 PDF，请下载 Word（.docx）文件。"),
                              reason="failed")
        log.info("PDF made in %.1f s", time.monotonic() - started)
        _keep_profile(profile, template)
        return made.read_bytes()
