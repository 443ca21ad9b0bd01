"""Forms of documents: a new draft (kind, period, campaign), the 代字, and the structured editor's
POST read back into a `Content` (never HTML: every field is plain text)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.kernel import access, documents
from gongjian.kernel.documents import Content, Quoted, Section, Table
from gongjian.kernel.forms import style_fields
from gongjian.kernel.http import Reader

#: Kinds whose period is a span of days ahead (an announcement), not a year behind.
AHEAD = {documents.Kind.NOTICE, documents.Kind.PUBLIC_NOTICE}
PUBLIC_NOTICE_DAYS = 5


def default_period(kind: str, today: date | None = None) -> tuple[date, date]:
    """This year for a report; from today for five days for a 公示 or 通知."""
    today = today or timezone.localdate()
    if kind in AHEAD:
        return today, today + timedelta(days=PUBLIC_NOTICE_DAYS)
    return date(today.year, 1, 1), date(today.year, 12, 31)


def offered_kinds() -> list[tuple[str, str]]:
    return [(str(d.kind), str(documents.Kind(d.kind).label)) for d in documents.offered()]


def campaign_choices(user: Reader) -> list[tuple[str, str]]:
    """Every campaign a drafter that needs one offers this user, for the picker (one list: the
    drafters of a body of work offer the same campaigns)."""
    org = access.acting_organization(user)
    seen: dict[str, str] = {}
    if org is None:
        return []
    for drafter in documents.offered():
        if drafter.needs_campaign and drafter.campaigns is not None:
            for pk, name in drafter.campaigns(user, org):
                seen.setdefault(str(pk), str(name))
    return list(seen.items())


class NewDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("文种"))
    period_from = forms.DateField(label=gettext_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period_to = forms.DateField(label=gettext_lazy("截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    campaign_id = forms.ChoiceField(label=gettext_lazy("活动（实施方案、名单需要）"), required=False)

    def __init__(self, *args: Any, user: Reader, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kind_field = self.fields["kind"]
        campaign_field = self.fields["campaign_id"]
        assert isinstance(kind_field, forms.ChoiceField) and isinstance(campaign_field, forms.ChoiceField)
        kind_field.choices = [("", _("请选择")), *offered_kinds()]
        campaigns = campaign_choices(user)
        campaign_field.choices = [("", _("请选择")), *campaigns]
        self.needs_campaign = [str(d.kind) for d in documents.offered() if d.needs_campaign]
        if not campaigns:
            del self.fields["campaign_id"]
        start, end = default_period(str(documents.Kind.SITUATION_REPORT))
        self.fields["period_from"].initial = start
        self.fields["period_to"].initial = end
        style_fields(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", _("截止日期不能早于起始日期。"))
        kind = data.get("kind")
        raw = data.get("campaign_id") or ""
        data["campaign_id"] = int(raw) if raw else None
        if kind in self.needs_campaign and data["campaign_id"] is None:
            self.add_error("campaign_id" if "campaign_id" in self.fields else None, _("这种文种要选择一个活动。"))
        return data


class IssuingCodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("发文代字"), max_length=12,
                           help_text=gettext_lazy("发文字号中机关的代字，如“太妇发”〔2026〕3号中的“太妇发”。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


# --- the editor ------------------------------------------------------------------------------------

MAX_POSTED_SECTIONS = 80
MAX_POSTED_ROWS = 300
MAX_POSTED_COLUMNS = 20


def _int(raw: str | None, default: int, hi: int) -> int:
    try:
        value = int(raw or default)
    except ValueError:
        return default
    return max(0, min(value, hi))


def _lines(text: str) -> list[str]:
    """A textarea's paragraphs: one a line, blank lines dropped (at least one, maybe empty)."""
    found = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    return found or [""]


def content_from_post(post: QueryDict, stored: Content) -> Content:
    """The editor's fields → a Content. Each section names the stored section it came from
    (`s-N-from`), so its quoted figures and hint follow it; a quoted figure whose phrase is no
    longer in the text is dropped. Raises ValidationError (Chinese) on a malformed post."""
    count = _int(post.get("sections"), 0, MAX_POSTED_SECTIONS + 1)
    if count > MAX_POSTED_SECTIONS:
        raise ValidationError(_("节数太多。"))
    dated_raw = post.get("dated", "").strip()
    try:
        dated = date.fromisoformat(dated_raw) if dated_raw else None
    except ValueError as exc:
        raise ValidationError(_("成文日期格式不对，请用日期选择框选择。")) from exc
    sections: list[Section] = []
    for i in range(count):
        origin_raw = post.get(f"s-{i}-from", "")
        origin = stored.sections[int(origin_raw)] if origin_raw.isdigit() and int(origin_raw) < len(
            stored.sections) else None
        paragraphs = _lines(post.get(f"s-{i}-text", ""))
        table = None
        if origin is not None and origin.table is not None:
            columns = min(len(origin.table.header), MAX_POSTED_COLUMNS)
            rows = _int(post.get(f"s-{i}-rows"), len(origin.table.rows), MAX_POSTED_ROWS)
            table = Table(header=[post.get(f"s-{i}-h-{c}", origin.table.header[c]).strip() for c in range(columns)],
                          rows=[[post.get(f"s-{i}-c-{r}-{c}", "").strip() for c in range(columns)]
                                for r in range(rows)], caption=origin.table.caption)
        text = "".join(paragraphs)
        quoted: list[Quoted] = [q for q in (origin.figures if origin else []) if q.phrase in text]
        sections.append(Section(heading=post.get(f"s-{i}-heading", "").strip(), paragraphs=paragraphs,
                                figures=quoted, table=table, hint=origin.hint if origin else ""))
    return Content(title=post.get("title", "").strip(), sections=sections, addressee=post.get("addressee", "").strip(),
                   annexes=[a for a in _lines(post.get("annexes", "")) if a], signature=post.get("signature", "").strip(),
                   dated=dated, cc=post.get("cc", "").strip())


def apply_move(content: Content, op: str) -> Content:
    """The editor's section buttons (`add-N`, `remove-N`, `up-N`, `down-N`, `row-N`): applied to
    the posted content before it is saved, so that nothing typed is lost."""
    verb, _sep, raw = op.partition("-")
    if not raw.isdigit():
        return content
    i = int(raw)
    sections = content.sections
    if verb == "add" and i <= len(sections) and len(sections) < MAX_POSTED_SECTIONS:
        sections.insert(i, Section(heading="", paragraphs=[""]))
    elif i >= len(sections):
        return content
    elif verb == "remove":
        sections.pop(i)
    elif verb == "up" and i > 0:
        sections[i - 1], sections[i] = sections[i], sections[i - 1]
    elif verb == "down" and i + 1 < len(sections):
        sections[i + 1], sections[i] = sections[i], sections[i + 1]
    elif verb == "row":
        table = sections[i].table
        if table is not None and len(table.rows) < MAX_POSTED_ROWS:
            table.rows.append([""] * len(table.header))
    return content
