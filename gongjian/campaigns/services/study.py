"""Writes of 学习教育: issuing a study document, writing a 学习心得. One use case each, one
transaction, the actor named, an audit row left."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit
from gongjian.kernel.attachments import store_upload
from gongjian.kernel.models import Person, User
from gongjian.kernel.permissions import ensure_can

from ..models import Campaign, StudyDocument, StudyNote
from ..selectors.study import eligible_authors

DOCUMENT_FIELDS = ("organization", "campaign", "title", "summary", "body", "published_on", "attachment")
NOTE_FIELDS = ("organization", "author", "document", "campaign", "title", "text", "written_on")
MAX_TEXT = 20_000


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _check_day(day: Any, field: str, errors: dict[str, str], label: str) -> None:
    if not isinstance(day, date):
        errors[field] = _("请填写%(label)s。") % {"label": label}
    elif day > timezone.localdate():
        errors[field] = _("%(label)s不能晚于今天。") % {"label": label}


def check_campaign(actor: User, campaign: Campaign | None) -> None:
    """A record may name only a campaign the actor reaches (its id came from a form: Z-02)."""
    if campaign is not None:
        ensure_can(actor, "campaigns.view", campaign)


@transaction.atomic
def document_issue(*, actor: User, data: dict[str, Any], upload: UploadedFile | None = None) -> StudyDocument:
    """Issue a study document in the acting organisation's name; its subtree reads it."""
    organization = access.acting_organization_required(actor)
    document = StudyDocument(organization=organization, campaign=data.get("campaign"),
                             title=_text(data, "title")[:200], summary=_text(data, "summary"),
                             body=_text(data, "body"), published_on=cast(date, data.get("published_on")), created_by=actor)
    ensure_can(actor, "campaigns.issue_study_document", document)
    check_campaign(actor, document.campaign)
    errors: dict[str, str] = {}
    if not document.title:
        errors["title"] = _("请填写标题。")
    _check_day(document.published_on, "published_on", errors, _("印发日期"))
    if not (document.summary or document.body or upload):
        errors["body"] = _("请填写正文或摘要，或上传附件。")
    if len(document.body) > MAX_TEXT or len(document.summary) > MAX_TEXT:
        errors["body"] = _("正文太长，请改为上传附件。")
    if errors:
        raise ValidationError(errors)
    if upload is not None:
        try:
            document.attachment = store_upload(upload, actor=actor, organization=organization)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    document.save()
    audit.record(document, "campaigns.study_document.issued", actor=actor,
                 changes=audit.diff({}, audit.snapshot(document, DOCUMENT_FIELDS)))
    return document


def author_may_write(author: Person, organization: Any) -> bool:
    return eligible_authors(organization).filter(pk=author.pk).exists()


@transaction.atomic
def note_write(*, actor: User, author: Person | None, data: dict[str, Any]) -> StudyNote:
    """Record a 学习心得 of a cadre or woman party member of the acting organisation."""
    organization = access.acting_organization_required(actor)
    document: StudyDocument | None = data.get("document")
    campaign: Campaign | None = data.get("campaign")
    if campaign is None and document is not None and document.campaign is not None \
            and access.may(actor, document.campaign):
        campaign = document.campaign  # the document's campaign, when the writer reaches it
    note = StudyNote(organization=organization, author=author, document=document, campaign=campaign,
                     title=_text(data, "title")[:200], text=_text(data, "text"),
                     written_on=data.get("written_on") or timezone.localdate(), created_by=actor)
    ensure_can(actor, "campaigns.write_study_note", note)
    if document is not None:
        ensure_can(actor, "campaigns.view_study", document)
    check_campaign(actor, campaign)
    errors: dict[str, str] = {}
    if author is None:
        errors["author"] = _("请选择作者。")
    else:
        ensure_can(actor, "kernel.view_person", author)
        if not author_may_write(author, organization):
            errors["author"] = _("学习心得的作者须是本组织的干部或女党员。")
    if not note.title:
        errors["title"] = _("请填写题目。")
    if len(note.text) < 10:
        errors["text"] = _("心得内容太短，请至少写10个字。")
    elif len(note.text) > MAX_TEXT:
        errors["text"] = _("心得内容太长（不超过%(n)d字）。") % {"n": MAX_TEXT}
    _check_day(note.written_on, "written_on", errors, _("撰写日期"))
    if errors:
        raise ValidationError(errors)
    note.save()
    audit.record(note, "campaigns.study_note.written", actor=actor,
                 changes=audit.diff({}, audit.snapshot(note, NOTE_FIELDS)))
    return note
