"""The county report as .xlsx (the kernel's tabular export) and PDF (a `kernel.documents.Content`
with one table, laid out by `reports.layout`), and the audit record of each download."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import audit, figures
from gongjian.kernel.documents import Content, Section, Table
from gongjian.kernel.tabular import Heading, remainder, write_rows_xlsx

from .. import layout
from ..selectors.county import Report, Row


def _period(report: Report) -> str:
    return _("%(start)s至%(end)s") % {"start": f"{report.start:%Y年%m月%d日}", "end": f"{report.end:%Y年%m月%d日}"}


def headers(report: Report) -> list[str]:
    """One header per column: "body of work：figure" (a spreadsheet has one header row)."""
    return [_("组织"), *(f"{g.label}：{c.label}" for g in report.groups for c in g.columns)]


def cells(row: Row, *, name: str = "") -> list[Any]:
    # A suppressed or withheld value is written as its text ("<5", "*"), never as the number 0.
    return [name or row.organization.name, *(c.value if c.value is not None else c.shown for c in row.cells)]


def notes(report: Report) -> list[str]:
    out = [_("%(org)s（含下级组织），%(period)s。合计为本单位及以下全部数据（含本级），去重人数和期末数不等于各行之和。")
           % {"org": report.organization.name, "period": _period(report)}]
    if any(c.suppressed or c.withheld for r in [*report.rows, report.total] for c in r.cells):
        out.append(_("为保护当事人，1至4件显示为“<5”；标“*”的数不显示，以免推算出被隐去的小数。"))
    return out


def additive_columns(report: Report) -> list[int]:
    """The sheet's columns (1 = the first figure) whose rows add up: counts of records in the
    period, not people counted once or a stock at a date."""
    out = []
    for index, column in enumerate(report.columns, start=1):
        source = figures.source_of(column.code)
        if source is not None and column.code.partition(".")[2] in source.additive:
            out.append(index)
    return out


def xlsx(report: Report, *, user: Any) -> bytes:
    rows = [cells(r) for r in report.rows]
    total = cells(report.total, name=_("合计"))
    # 本级: what the organisation recorded itself. Only where every row and the total are shown
    # (a "<5" or "*" leaves the cell empty), so it gives away nothing the sheet does not.
    own = remainder(total, rows, label=_("本级"), columns=additive_columns(report)) if rows else None
    who = user.display_name() if hasattr(user, "display_name") else str(user)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    org = report.organization.name
    return write_rows_xlsx(
        headers(report), rows, sheet_title=_("工作统计"),
        heading=Heading(title=_("%(org)s工作统计表") % {"org": org}, unit=org, period=_period(report)),
        own=own, total=total,
        notes=[*notes(report), _("本级为本单位自己登记的数；空白的列不能相加（去重人数、期末数），或有数字未显示。"),
               _("导出人：%(who)s，导出时间：%(at)s。仅限工作使用。") % {"who": who, "at": stamp}])


#: Figures per table in the PDF: a portrait A4 page holds the organisation and about seven columns.
PDF_COLUMNS = 7
NUMERALS = "一二三四五六七八九十"


def _chunks(report: Report) -> list[list[tuple[str, int, str]]]:
    """The columns as (group label, index, column label), packed by body of work into tables of at
    most PDF_COLUMNS (a wider group is split)."""
    chunks: list[list[tuple[str, int, str]]] = [[]]
    index = 0
    for group in report.groups:
        columns = [(group.label, index + i, column.label) for i, column in enumerate(group.columns)]
        index += len(columns)
        if chunks[-1] and len(chunks[-1]) + len(columns) > PDF_COLUMNS:
            chunks.append([])
        while columns:
            room = PDF_COLUMNS - len(chunks[-1])
            chunks[-1].extend(columns[:room])
            columns = columns[room:]
            if columns:
                chunks.append([])
    return [c for c in chunks if c]


def content(report: Report) -> Content:
    """The report as a 公文's content: a title, a sentence of scope, then one table per few bodies of
    work (the organisations down the side, so a portrait page stays readable)."""
    sections = [Section(heading="", paragraphs=notes(report))]
    lines = [*((r.organization.name, r) for r in report.rows), (_("合计"), report.total)]
    for number, chunk in enumerate(_chunks(report)):
        labels = list(dict.fromkeys(group for group, _i, _label in chunk))
        numeral = NUMERALS[number] if number < len(NUMERALS) else str(number + 1)
        table = Table(header=[_("组织"), *(label for _g, _i, label in chunk)],
                      rows=[[name, *(row.cells[i].shown for _g, i, _label in chunk)] for name, row in lines],
                      caption="、".join(labels))
        sections.append(Section(heading=f"{numeral}、{'、'.join(labels)}", paragraphs=[], table=table))
    return Content(title=_("%(org)s各项工作统计表") % {"org": report.organization.name},
                   sections=sections, signature=report.organization.name, dated=timezone.localdate())


def pdf(report: Report) -> bytes:
    return layout.pdf(content(report), layout.Letterhead(issuer=report.organization.name, draft=True))


def recorded(*, actor: Any, report: Report, kind: str) -> None:
    audit.record(report.organization, "reports.county.exported", actor=actor, changes={
        "format": kind, "from": report.start.isoformat(), "to": report.end.isoformat(), "rows": len(report.rows)})
