"""Writes of documents (公文): draft from records, edit, issue, and an organisation's 代字.

Each use case checks its permission, guards the state, does its work in one transaction and leaves
an audit record. An issued version is never written again: `document_edit` on an issued document
starts a new draft version, and `document_issue` numbers a draft with the organisation's next
发文字号 of the year under a database constraint (a clash retries with the next number)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, documents
from gongjian.kernel.documents import Ask, Content
from gongjian.kernel.models import Organization, User
from gongjian.kernel.permissions import ensure_can

from ..models import Document, DocumentState, DocumentVersion, IssuingCode
from ..models.document import content_hash

MAX_SECTIONS = 60
MAX_PARAGRAPHS = 200
MAX_TEXT = 5000  # characters in one paragraph
MAX_TABLE_CELLS = 2000
MAX_PERIOD_DAYS = 366 * 5
NUMBER_ATTEMPTS = 5


def default_issuing_code(organization: Organization) -> str:
    """The 代字 an organisation starts with: the first character of its name (after 中共), 妇 or 党
    for its line, and 发 ("太华路街道妇联" → "太妇发", "中共太华路街道工作委员会" → "太党发")."""
    line = "妇" if organization.is_federation else "党"
    name = organization.name.removeprefix("中共").removeprefix("中国共产党")
    return f"{name[:1]}{line}发"


def issuing_code_of(organization: Organization) -> str:
    found = IssuingCode.objects.filter(organization=organization).values_list("code", flat=True).first()
    return found or default_issuing_code(organization)


def format_number(code: str, year: int, seq: int) -> str:
    return f"{code}〔{year}〕{seq}号"


def clean_content(content: Content) -> Content:
    """Refuse a content no 公文 could be: no title, too long, too many parts (Chinese reasons)."""
    errors: list[str] = []
    content.title = content.title.strip()
    if not content.title:
        errors.append(_("请填写标题。"))
    if len(content.title) > 200:
        errors.append(_("标题不能超过200个字。"))
    if len(content.sections) > MAX_SECTIONS:
        errors.append(_("一篇公文最多%(n)d节。") % {"n": MAX_SECTIONS})
    for label, value, limit in ((_("主送机关"), content.addressee, 200), (_("落款"), content.signature, 100),
                                (_("抄送"), content.cc, 300)):
        if len(value) > limit:
            errors.append(_("%(what)s不能超过%(n)d个字。") % {"what": label, "n": limit})
    paragraphs = sum(len(s.paragraphs) for s in content.sections)
    if paragraphs > MAX_PARAGRAPHS:
        errors.append(_("一篇公文最多%(n)d段。") % {"n": MAX_PARAGRAPHS})
    for section in content.sections:
        if len(section.heading) > 200:
            errors.append(_("小标题不能超过200个字。"))
        if any(len(p) > MAX_TEXT for p in section.paragraphs):
            errors.append(_("一段不能超过%(n)d个字，请分段。") % {"n": MAX_TEXT})
        if section.table is not None:
            cells = len(section.table.header) + sum(len(row) for row in section.table.rows)
            if cells > MAX_TABLE_CELLS:
                errors.append(_("表格太大（最多%(n)d格）。") % {"n": MAX_TABLE_CELLS})
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return content


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise ValidationError({"period_to": _("截止日期不能早于起始日期。")})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError({"period_to": _("时间段不能超过五年。")})


@transaction.atomic
def document_draft(*, actor: User, kind: str, organization: Organization, start: date, end: date,
                   campaign_id: int | None = None) -> Document:
    """Draft a document of `kind` for the actor's own organisation from the records: version 1."""
    ensure_can(actor, "reports.draft_document")
    if access.acting_organization(actor) != organization:
        raise ValidationError({"organization": _("只能以本组织的名义起草公文。")})
    drafter = documents.drafter(kind)
    if drafter is None:
        raise ValidationError({"kind": _("这种文种暂时不能从记录起草。")})
    _check_period(start, end)
    if drafter.needs_campaign and campaign_id is None:
        raise ValidationError({"campaign_id": _("请选择活动。")})
    content = clean_content(drafter.draft(Ask(user=actor, organization=organization, start=start, end=end,
                                              campaign_id=campaign_id if drafter.needs_campaign else None)))
    document = Document.objects.create(
        organization=organization, kind=kind, title=content.title[:200], period_from=start, period_to=end,
        campaign_id=campaign_id if drafter.needs_campaign else None, created_by=actor)
    data = content.to_dict()
    version = DocumentVersion.objects.create(document=document, n=1, content=data, content_sha256=content_hash(data),
                                             organization=organization, created_by=actor)
    audit.record(document, "reports.document.drafted", actor=actor, organization=organization, changes={
        "kind": kind, "title": document.title, "period": [start.isoformat(), end.isoformat()],
        "campaign_id": document.campaign_id, "version": version.n, "sha256": version.content_sha256})
    return document


def current_version(document: Document) -> DocumentVersion:
    found = document.versions.order_by("-n").first()
    if found is None:  # every document is created with its first version
        raise DocumentVersion.DoesNotExist
    return found


@transaction.atomic
def document_edit(*, actor: User, document: Document, content: Content) -> DocumentVersion:
    """Save the cadre's text: the current draft version is replaced; an issued one stays as it was
    and the text becomes a new draft version."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    ensure_can(actor, "reports.draft_document", document)
    content = clean_content(content)
    data = content.to_dict()
    digest = content_hash(data)
    current = current_version(document)
    before = {"version": current.n, "sha256": current.content_sha256, "title": current.content.get("title", "")}
    if current.is_issued:
        if digest == current.content_sha256:
            return current
        current = DocumentVersion.objects.create(document=document, n=current.n + 1, content=data,
                                                 content_sha256=digest, organization=document.organization,
                                                 created_by=actor)
    else:
        if digest == current.content_sha256:
            return current
        DocumentVersion.objects.filter(pk=current.pk, state=DocumentState.DRAFT).update(
            content=data, content_sha256=digest, created_by=actor, updated_at=timezone.now())
        current.refresh_from_db()
    document.title = content.title[:200]
    document.state = DocumentState.DRAFT
    document.save(update_fields=["title", "state", "updated_at"])
    audit.record(document, "reports.document.edited", actor=actor, organization=document.organization, changes={
        "before": before, "after": {"version": current.n, "sha256": digest, "title": document.title}})
    return current


def unwritten(content: Content) -> list[str]:
    """The sections still without text or table (their headings): what blocks an issue."""
    return [section.heading or _("正文") for section in content.sections
            if not any(p.strip() for p in section.paragraphs) and section.table is None]


def _next_seq(organization: Organization, year: int) -> int:
    top = DocumentVersion.objects.filter(organization=organization, number_year=year).aggregate(
        top=Max("number_seq"))["top"]
    return (top or 0) + 1


@transaction.atomic
def document_issue(*, actor: User, document: Document) -> DocumentVersion:
    """Issue (签发) the current draft: frozen for good, numbered with the organisation's next 发文字号
    of the year. Refused when it is issued already or a section is still unwritten."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    ensure_can(actor, "reports.issue_document", document)
    version = current_version(document)
    if version.is_issued:
        raise ValidationError(_("这一版已经印发（%(number)s），修改后会生成新的版本。") % {"number": version.number})
    content = Content.from_dict(version.content)
    missing = unwritten(content)
    if missing:
        raise ValidationError(_("以下部分还没有写内容：%(list)s。请写完再印发。") % {"list": "、".join(missing)})
    if content_hash(version.content) != version.content_sha256:
        raise ValidationError(_("这一版的内容与保存时的摘要不符，不能印发，请联系管理员。"))
    now = timezone.now()
    year = timezone.localdate(now).year
    code = issuing_code_of(document.organization)
    for _attempt in range(NUMBER_ATTEMPTS):
        seq = _next_seq(document.organization, year)
        try:
            with transaction.atomic():
                changed = DocumentVersion.objects.filter(pk=version.pk, state=DocumentState.DRAFT).update(
                    state=DocumentState.ISSUED, number=format_number(code, year, seq), number_year=year,
                    number_seq=seq, issued_at=now, issued_by=actor, updated_at=now)
        except IntegrityError:
            continue  # another issue of the same organisation took this number a moment ago
        if changed != 1:
            raise ValidationError(_("这一版已经印发。"))
        break
    else:
        raise ValidationError(_("发文字号分配冲突，请稍后再试。"))
    version.refresh_from_db()
    document.state = DocumentState.ISSUED
    document.number = version.number
    document.save(update_fields=["state", "number", "updated_at"])
    audit.record(document, "reports.document.issued", actor=actor, organization=document.organization, changes={
        "version": version.n, "number": version.number, "sha256": version.content_sha256})
    return version


@transaction.atomic
def issuing_code_set(*, actor: User, organization: Organization, code: str) -> IssuingCode:
    """The lead sets her organisation's 代字 (used by the numbers issued from now on)."""
    ensure_can(actor, "reports.set_issuing_code")
    if access.acting_organization(actor) != organization:
        raise ValidationError({"code": _("只能设置本组织的发文代字。")})
    code = code.strip()
    if not code or len(code) > 12 or any(ch.isspace() or ch in "〔〕[]()（）" for ch in code):
        raise ValidationError({"code": _("发文代字为1到12个字，不含空格和括号，如“太妇发”。")})
    before = issuing_code_of(organization)
    found, _made = IssuingCode.objects.update_or_create(organization=organization,
                                                        defaults={"code": code, "updated_by": actor})
    audit.record(found, "reports.issuing_code.set", actor=actor, organization=organization,
                 changes={"code": [before, code]})
    return found


def as_content(data: dict[str, Any]) -> Content:
    return Content.from_dict(data)
