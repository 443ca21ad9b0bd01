"""A document laid out as a 公文 (GB/T 9704-2012): .docx with python-docx, PDF by LibreOffice from
that .docx (one layout, two formats). Issue 14.

`docx(content, head)` returns the .docx bytes; `pdf(content, head)` converts them with
`soffice --headless --convert-to pdf` (Debian's libreoffice-writer-nogui) in a private profile.
Fonts: the real font names (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are written into the .docx,
so an office with the fonts installed shows them; a machine without them substitutes (on the
servers, Noto Serif/Sans CJK stand in)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from gongjian.kernel.documents import Content

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PDF_TIMEOUT = 120  # seconds for one conversion


class LayoutError(RuntimeError):
    """The PDF could not be made (LibreOffice missing, failed or too slow)."""


@dataclass(frozen=True)
class Letterhead:
    """What the layout adds around the content: 发文机关标志, 发文字号 ("" for a draft), 印发机关 and
    印发日期 in the 版记; `draft` marks an unissued version."""

    issuer: str
    number: str = ""
    printer: str = ""
    printed_on: str = ""
    draft: bool = False


def _font(run, name: str, size: float, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def docx(content: Content, head: Letterhead) -> bytes:
    document = DocxDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(mark.add_run(head.issuer + "文件"), TITLE_FONT, 26)
    if head.number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(number.add_run(head.number), BODY_FONT, 16)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(content.title), TITLE_FONT, 22)
    if content.addressee:
        _font(document.add_paragraph().add_run(content.addressee), BODY_FONT, 16)
    for part in content.sections:
        if part.heading:
            _font(document.add_paragraph().add_run(part.heading), HEADING_FONT, 16)
        for text in part.paragraphs:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _font(paragraph.add_run(text), BODY_FONT, 16)
        if part.table is not None:
            table = document.add_table(rows=1, cols=len(part.table.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, part.table.header, strict=True):
                cell.text = text
            for row in part.table.rows:
                for cell, text in zip(table.add_row().cells, row, strict=False):
                    cell.text = text
    for text in (content.signature, content.dated and f"{content.dated.year}年{content.dated.month}月{content.dated.day}日"):
        if text:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(paragraph.add_run(text), BODY_FONT, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf(content: Content, head: Letterhead) -> bytes:
    return pdf_from_docx(docx(content, head))


def pdf_from_docx(data: bytes) -> bytes:
    binary = soffice()
    if binary is None:
        raise LayoutError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="gj-pdf-") as tmp:
        folder = Path(tmp)
        (folder / "document.docx").write_bytes(data)
        try:
            subprocess.run([binary, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(folder), str(folder / "document.docx")],
                           check=True, capture_output=True, timeout=PDF_TIMEOUT)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise LayoutError(f"LibreOffice failed: {exc}") from exc
        made = folder / "document.pdf"
        if not made.exists():
            raise LayoutError("LibreOffice made no PDF")
        return made.read_bytes()
