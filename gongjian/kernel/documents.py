"""Documents (公文): the structured content of a draft, and how a body of work offers drafts of its
own records without being imported by the app that keeps the documents (issue 14; ADR 0036).

Every document in the seed is a 公文 a cadre wrote from records: a 情况汇报 from figures, an 实施方案
from a campaign, a 领导小组成员名单 from positions, a 党务公开目录 from the disclosure calendar. The
`reports` app keeps documents (drafts, numbered issued versions, .docx and PDF in the GB/T 9704
layout), but it imports no body of work: each body of work *offers* a `Drafter` in its
`AppConfig.ready()`, as it offers its figures (ADR 0028):

    documents.offer(documents.Drafter(Kind.IMPLEMENTATION_PLAN, draft_plan, needs_campaign=True,
                                      campaigns=campaign_choices))

`draft(ask)` returns a `Content` — title, addressee, sections of paragraphs (with the figures they
quote and an optional table), annexes, signature and date — which the editor edits section by
section and the renderer lays out. Content is plain data: `to_dict()` / `from_dict()` store it as
JSON in a document version; the renderer never sees HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Organization


class Kind(models.TextChoices):
    """Document kinds. The API's `kind` enum is these values (the first six are the contract)."""

    SITUATION_REPORT = "situation_report", _("情况汇报")
    IMPLEMENTATION_PLAN = "implementation_plan", _("实施方案")
    NAME_LIST = "name_list", _("领导小组成员名单")
    DISCLOSURE_CATALOGUE = "disclosure_catalogue", _("党务公开目录")
    NOTICE = "notice", _("通知")
    RESEARCH_REPORT = "research_report", _("调研报告")
    WORK_SUMMARY = "work_summary", _("工作总结")
    WORK_SCHEDULE = "work_schedule", _("工作日程安排表")
    PUBLIC_NOTICE = "public_notice", _("公示")


# --- content -------------------------------------------------------------------------------------


@dataclass
class Quoted:
    """A figure a paragraph quotes: the phrase in the text ("10余次") and the exact value behind it,
    so the exact number is one click away. `code` is the figures code ("womenshome.trainings")."""

    code: str
    label: str
    value: str  # the exact value as shown ("12", "<5")
    phrase: str  # as written in the text


@dataclass
class Table:
    """A table in a section (a name list, a catalogue, a schedule): a header row and rows of cells."""

    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Section:
    """A section: a heading ("一、指导思想"; "" for the opening paragraphs) and its paragraphs."""

    heading: str
    paragraphs: list[str]
    figures: list[Quoted] = field(default_factory=list)
    table: Table | None = None
    # What the cadre is asked to write here when the drafter leaves the section to her ("写明…");
    # shown in the editor, never laid out, and an issued section must have text or a table.
    hint: str = ""


@dataclass
class Content:
    """What a document says, in order: 主送机关, sections, 附件, 落款, 成文日期 (the layout's
    版头, 发文字号 and 版记 come from the document when it is issued)."""

    title: str
    sections: list[Section]
    addressee: str = ""  # 主送机关, e.g. "各村（社区）妇联："
    annexes: list[str] = field(default_factory=list)  # 附件 names; an annex with a table is a section
    signature: str = ""  # 落款: the issuing organisation's name
    dated: date | None = None  # 成文日期
    cc: str = ""  # 抄送

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dated"] = self.dated.isoformat() if self.dated else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Content:
        sections = []
        for raw in data.get("sections", []):
            table = raw.get("table")
            sections.append(Section(
                heading=str(raw.get("heading", "")), paragraphs=[str(p) for p in raw.get("paragraphs", [])],
                figures=[Quoted(**q) for q in raw.get("figures", [])],
                table=Table(header=[str(c) for c in table["header"]], rows=[[str(c) for c in row]
                                                                            for row in table["rows"]],
                            caption=str(table.get("caption", ""))) if table else None,
                hint=str(raw.get("hint", ""))))
        dated = data.get("dated")
        return cls(title=str(data.get("title", "")), sections=sections, addressee=str(data.get("addressee", "")),
                   annexes=[str(a) for a in data.get("annexes", [])], signature=str(data.get("signature", "")),
                   dated=date.fromisoformat(dated) if dated else None, cc=str(data.get("cc", "")))


# --- drafters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One request for a draft: for this user, this organisation (within her reach), this period and,
    for a kind that needs one, this campaign."""

    user: access.Reader
    organization: Organization
    start: date
    end: date
    campaign_id: int | None = None


@dataclass(frozen=True)
class Drafter:
    """A body of work's draft of one kind. `draft` raises Http404 for a campaign outside the user's
    reach and `ValidationError` (a Chinese sentence) for a request it cannot draft. `campaigns(user,
    organization)` lists the campaigns to choose from, as (id, name): a kind with `needs_campaign`
    cannot be drafted without one; a kind with `campaigns` but not `needs_campaign` takes one if
    given (a name list: a campaign's leading group, or a leading group chosen as the organisation)."""

    kind: Kind
    draft: Callable[[Ask], Content]
    needs_campaign: bool = False
    campaigns: Callable[[access.Reader, Organization], Sequence[tuple[int, str]]] | None = None


_DRAFTERS: dict[str, Drafter] = {}


def offer(drafter: Drafter) -> None:
    """Register a drafter (idempotent by kind: `ready()` may run twice in tests)."""
    if drafter.needs_campaign and drafter.campaigns is None:
        raise ValueError(f"{drafter.kind}: a drafter that needs a campaign lists them")
    _DRAFTERS[str(drafter.kind)] = drafter


def withdraw(kind: str) -> None:
    _DRAFTERS.pop(str(kind), None)


def drafter(kind: str) -> Drafter | None:
    return _DRAFTERS.get(str(kind))


def offered() -> list[Drafter]:
    """The drafters on offer, in the order of `Kind`."""
    order = {value: i for i, value in enumerate(Kind.values)}
    return sorted(_DRAFTERS.values(), key=lambda d: order.get(str(d.kind), 99))
