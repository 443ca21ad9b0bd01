"""The HTML preview of a 公文 (templates/reports/layout/_preview.html) from the same rules as the
.docx: title lines, heading levels, annexes, 落款 and 版记 (gongjian.reports.layout)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from gongjian.kernel.documents import Content, Section

from .. import layout

register = template.Library()

_HEADING_CLASS = {1: "gw-h1", 2: "gw-h2", 3: "gw-h3", 4: "gw-h3"}


@dataclass(frozen=True)
class Part:
    heading: str
    heading_class: str
    section: Section


@dataclass(frozen=True)
class Annex:
    label: str  # "附件" or "附件2"
    title: str
    title_lines: list[str]
    part: Part


@dataclass(frozen=True)
class Page:
    mark: str
    mark_class: str  # a long name is set smaller, so that it keeps to one line on a phone
    number: str
    signer: str  # 签发人 (上行文)
    draft_label: str
    title_lines: list[str]
    addressee: str
    body: list[Part]
    annex_note: list[str]  # "附件：1.名称", "2.名称"
    signature: str
    dated: str
    annexes: list[Annex]
    cc: str  # "抄送：…。" as printed
    printer: str
    printed: str


def _part(section: Section) -> Part:
    heading = section.heading.strip()
    return Part(heading, _HEADING_CLASS[layout.heading_level(heading)] if heading else "", section)


def _mark_class(width: float) -> str:
    return "" if width <= 9 else "gw-mark-long" if width <= 13 else "gw-mark-longer"


@register.simple_tag
def layout_page(content: Content, head: layout.Letterhead) -> Page:
    """Everything the preview shows, laid out by the rules of the .docx."""
    body, annexes = layout.split_annexes(content)
    names = [name.strip() for name in content.annexes if name.strip()]
    if len(names) == 1:
        note = [f"附件：{names[0]}"]
    else:
        note = [f"{'附件：' if i == 1 else ''}{i}.{name}" for i, name in enumerate(names, start=1)]
    return Page(
        mark=head.mark_text, mark_class=_mark_class(layout.text_width(head.mark_text)), number=head.number, signer=head.signer, draft_label=(head.draft_label or "草稿") if head.draft else "",
        title_lines=layout.title_lines(content.title), addressee=content.addressee.strip(),
        body=[_part(section) for section in body], annex_note=note, signature=content.signature.strip(),
        dated=layout.chinese_date(content.dated) if content.dated else "",
        annexes=[Annex(layout.annex_label(i, len(annexes)), name, layout.title_lines(name) if name else [],
                       _part(Section("", section.paragraphs, section.figures, section.table)))
                 for i, (name, section) in enumerate(annexes, start=1)],
        cc=f"抄送：{content.cc.strip().rstrip('。')}。" if content.cc.strip() else "", printer=(head.printer or head.issuer) if head.has_record else "",
        printed=head.printed_text)
