"""Disclosure writes: one use case each, in one transaction, the actor named, an audit row left.

Publishing (B-05): the version row, its Merkle leaf and nodes, the signed tree head, the board
counter, the search document and the audit row commit together or not at all; notifications
go out only after the commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from gongjian.kernel import access, attachments, audit, deadlines, notifications, workflow
from gongjian.kernel.models import Organization, Position, StoredFile, User
from gongjian.kernel.permissions import ensure_can

from . import publication, search
from .models import (
    REGULAR_PERIODS,
    Board,
    Category,
    Channel,
    Disclosure,
    DisclosureVersion,
    DueItem,
    Inspection,
    InspectionFollowUp,
    MeetingRecord,
    Rectification,
    Scope,
    Stage,
    Suggestion,
    Timing,
    VersionAttachment,
    Withdrawal,
)
from .workflow import EDITABLE, TRANSITIONS, State

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
MAX_BODY = 50_000
MAX_SUGGESTION = 2000
LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][^<>]*>")
ID_NUMBER_LIKE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")

FIELDS = ("title", "body", "category", "channels", "timing", "period", "scope", "public_from", "stage",
          "opinions_until", "is_major", "correction_note")


def clean_html(text: str) -> str:
    """Rich text through the nh3 allow-list (I-01); plain text becomes escaped paragraphs."""
    text = (text or "").strip()
    if not LOOKS_LIKE_HTML.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]
        return "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def _parse_date(value: Any, field: str, errors: dict[str, str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("日期格式不正确，应为 2026-01-31 这样的形式。")
        return None


def clean_disclosure_data(data: dict[str, Any]) -> dict[str, Any]:
    """Check a working copy; every problem is a Chinese message on its field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写标题。")
    elif len(title) > 200:
        errors["title"] = _("标题不能超过200个字。")
    out["title"] = title
    body = str(data.get("body") or "")
    if len(body) > MAX_BODY:
        errors["body"] = _("正文太长（不能超过5万字）。")
    out["body"] = clean_html(body)
    if data.get("category") not in Category.values:
        errors["category"] = _("请选择公开内容类别。")
    out["category"] = data.get("category")
    channels = data.get("channels") or []
    if isinstance(channels, str):
        channels = [c for c in channels.split(",") if c]
    if not channels or any(c not in Channel.values for c in channels):
        errors["channels"] = _("请至少选择一种公开形式。")
    out["channels"] = [c for c in Channel.values if c in channels]
    timing = data.get("timing")
    if timing not in Timing.values:
        errors["timing"] = _("请选择公开时间类型。")
    out["timing"] = timing
    period = data.get("period") or ""
    if timing == Timing.REGULAR:
        if period not in dict(REGULAR_PERIODS):
            errors["period"] = _("常规性工作请选择更换周期：每月、每季度或每半年。")
    else:
        period = ""
    out["period"] = period
    scope = data.get("scope")
    if scope not in Scope.values:
        errors["scope"] = _("请选择公开范围。")
    out["scope"] = scope
    public_from = _parse_date(data.get("public_from"), "public_from", errors)
    if scope == Scope.PARTY_FIRST and public_from is None and "public_from" not in errors:
        errors["public_from"] = _("“先党内后党外”须填写向社会公开的日期。")
    out["public_from"] = public_from if scope == Scope.PARTY_FIRST else None
    stage = data.get("stage") or Stage.FINAL
    if stage not in Stage.values:
        errors["stage"] = _("稿别不正确。")
    out["stage"] = stage
    opinions_until = _parse_date(data.get("opinions_until"), "opinions_until", errors)
    if stage == Stage.PRELIMINARY and opinions_until is None and "opinions_until" not in errors:
        errors["opinions_until"] = _("征求意见稿须填写征求意见截止日期。")
    out["opinions_until"] = opinions_until if stage == Stage.PRELIMINARY else None
    out["is_major"] = bool(data.get("is_major"))
    out["correction_note"] = str(data.get("correction_note") or "").strip()[:2000]
    if errors:
        raise ValidationError(errors)
    return out


def _store_files(files: Iterable[UploadedFile], *, actor: User, organization: Organization) -> list[StoredFile]:
    stored = []
    for upload in files:
        try:
            stored.append(attachments.store_upload(upload, actor=actor, organization=organization))
        except ValidationError as exc:
            raise ValidationError({"attachments": _("附件“%(name)s”：%(error)s") % {
                "name": attachments.clean_name(upload.name or ""), "error": " ".join(exc.messages)}}) from exc
    return stored


def _locked(disclosure: Disclosure) -> Disclosure:
    """Re-read the row under a lock; the caller's copy may be stale or changed in memory."""
    return Disclosure.objects.select_for_update().select_related("organization").get(pk=disclosure.pk)


def _move(disclosure: Disclosure, to: str, *extra: str) -> str:
    return workflow.move(disclosure, to=to, transitions=TRANSITIONS, labels=State,
                         extra_update_fields=("updated_at", *extra))


def parent_of(org: Organization) -> Organization | None:
    return Organization.objects.filter(path=org.path[: -org.steplen]).first() if org.depth > 1 else None


def _link(disclosure: Disclosure) -> str:
    return reverse("disclosure:detail", args=[disclosure.pk])


# ------------------------------------------------------------------------- working copy


@transaction.atomic
def disclosure_create(*, actor: User, organization: Organization, data: dict[str, Any],
                      files: Sequence[UploadedFile] = ()) -> Disclosure:
    """Draft a new item for the organisation she acts for."""
    ensure_can(actor, "disclosure.add_disclosure", organization)
    if organization.kind not in Organization.PARTY_KINDS:
        raise ValidationError(_("只有党组织可以发布党务公开。"))
    clean = clean_disclosure_data(data)
    disclosure = Disclosure.objects.create(organization=organization, created_by=actor, **clean)
    stored = _store_files(files, actor=actor, organization=organization)
    disclosure.attachments.add(*stored)
    audit.record(disclosure, "disclosure.item.created", actor=actor, changes={
        **audit.diff({}, audit.snapshot(disclosure, ("title", "category", "timing", "scope"))),
        "attachments": [s.sha256 for s in stored]})
    return disclosure


@transaction.atomic
def disclosure_update(*, actor: User, disclosure: Disclosure, data: dict[str, Any],
                      files: Sequence[UploadedFile] = (), remove_files: Sequence[Any] = ()) -> Disclosure:
    """Change the working copy; editing a published item starts its next version (已修改)."""
    stored_row = _locked(disclosure)
    ensure_can(actor, "disclosure.change_disclosure", stored_row)
    if stored_row.state not in EDITABLE:
        raise ValidationError(_("当前状态“%(state)s”下不能修改。") % {"state": stored_row.get_state_display()})
    clean = clean_disclosure_data(data)
    before = audit.snapshot(stored_row, FIELDS)
    for key, value in clean.items():
        setattr(stored_row, key, value)
    if stored_row.state in (State.PUBLISHED, State.RECTIFYING):
        _move(stored_row, State.REVISED)
    stored_row.save()
    new_files = _store_files(files, actor=actor, organization=stored_row.organization)
    stored_row.attachments.add(*new_files)
    removed = [f for f in stored_row.attachments.all() if str(f.pk) in {str(r) for r in remove_files}]
    stored_row.attachments.remove(*removed)
    changes = audit.diff(before, audit.snapshot(stored_row, FIELDS))
    if new_files or removed:
        changes["attachments"] = {"added": [f.sha256 for f in new_files], "removed": [f.sha256 for f in removed]}
    audit.record(stored_row, "disclosure.item.updated", actor=actor, changes=changes)
    disclosure.refresh_from_db()
    return stored_row


@transaction.atomic
def meeting_record_set(*, actor: User, disclosure: Disclosure, held_on: Any, members_expected: Any,
                       members_present: Any, resolution: str, minutes: UploadedFile | None) -> MeetingRecord:
    """Record the all-member meeting that decided a major or sensitive item."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.change_disclosure", row)
    errors: dict[str, str] = {}
    day = _parse_date(held_on, "held_on", errors)
    if day is None and "held_on" not in errors:
        errors["held_on"] = _("请填写会议日期。")
    try:
        expected, present = int(members_expected), int(members_present)
    except (TypeError, ValueError):
        errors["members_expected"] = _("应到、实到人数须为整数。")
        expected = present = 0
    if not errors and (expected <= 0 or present < 0 or present > expected):
        errors["members_present"] = _("实到人数须在0到应到人数之间。")
    if not errors and present * 2 <= expected:
        errors["members_present"] = _("实到人数须超过应到人数的一半，会议决定才有效。")
    resolution = (resolution or "").strip()
    if not resolution:
        errors["resolution"] = _("请填写会议决议。")
    existing = getattr(row, "meeting", None) if hasattr(row, "meeting") else None
    if minutes is None and existing is None:
        errors["minutes"] = _("请上传会议记录。")
    if errors:
        raise ValidationError(errors)
    if minutes:
        stored = _store_files([minutes], actor=actor, organization=row.organization)[0]
    elif existing is not None:
        stored = existing.minutes
    else:  # an empty upload and no earlier record: as good as none
        raise ValidationError({"minutes": _("请上传会议记录。")})
    record, _created = MeetingRecord.objects.update_or_create(disclosure=row, defaults={
        "held_on": day, "members_expected": expected, "members_present": present,
        "resolution": resolution[:5000], "minutes": stored})
    audit.record(row, "disclosure.item.meeting_recorded", actor=actor, changes={
        "held_on": str(day), "members_expected": expected, "members_present": present,
        "minutes": stored.sha256})
    return record


# -------------------------------------------------------------------------- the procedure


@transaction.atomic
def disclosure_submit(*, actor: User, disclosure: Disclosure) -> Disclosure:
    """提出: send the item to the superior party committee for review and filing."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.submit_disclosure", row)
    if row.is_major and not MeetingRecord.objects.filter(disclosure=row).exists():
        raise ValidationError(_("重大或敏感事项须先经全体党员会议讨论决定，请先填写会议记录后再报审。"))
    if row.versions.exists() and not row.correction_note:
        raise ValidationError({"correction_note": _("已公开过的事项再次报审，须填写更正/修订说明（将向社会公开）。")})
    row.submitted_by = actor
    row.review_comment = ""
    _move(row, State.SUBMITTED, "submitted_by", "review_comment")
    audit.record(row, "disclosure.item.submitted", actor=actor)
    notifications.resolve(subject=row, codes=("disclosure.returned",))
    parent = parent_of(row.organization)
    if parent is not None:
        pk, title = row.pk, row.title
        transaction.on_commit(lambda: notifications.notify(
            organization=parent, code="disclosure.review", message=_("待审核：%(title)s") % {"title": title},
            link=reverse("disclosure:detail", args=[pk]), dedupe_key=f"disclosure:{pk}:submitted:{row.updated_at.timestamp()}",
            subject=row))
    disclosure.refresh_from_db()
    return row


@transaction.atomic
def disclosure_approve(*, actor: User, disclosure: Disclosure, comment: str = "") -> Disclosure:
    """审核备案 by the superior party committee; never by the one who submitted it."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.review_disclosure", row)
    row.review_comment = (comment or "").strip()[:2000]
    row.approved_by = actor
    _move(row, State.APPROVED, "review_comment", "approved_by")
    audit.record(row, "disclosure.item.approved", actor=actor, changes={"comment": row.review_comment})
    notifications.resolve(subject=row, codes=("disclosure.review",))
    _notify_owner(row, "disclosure.approved", _("已审核备案，可以公开：%(title)s"))
    disclosure.refresh_from_db()
    return row


@transaction.atomic
def disclosure_return(*, actor: User, disclosure: Disclosure, comment: str) -> Disclosure:
    """Return the item with comments for the branch to revise."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.review_disclosure", row)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("退回时请填写修改意见。")})
    row.review_comment = comment[:2000]
    _move(row, State.RETURNED, "review_comment")
    audit.record(row, "disclosure.item.returned", actor=actor, changes={"comment": row.review_comment})
    notifications.resolve(subject=row, codes=("disclosure.review",))
    _notify_owner(row, "disclosure.returned", _("已退回修改：%(title)s"))
    disclosure.refresh_from_db()
    return row


def _notify_owner(row: Disclosure, code: str, message: str) -> None:
    org, pk, title = row.organization, row.pk, row.title
    stamp = timezone.now().timestamp()
    transaction.on_commit(lambda: notifications.notify(
        organization=org, code=code, message=message % {"title": title},
        link=reverse("disclosure:detail", args=[pk]), dedupe_key=f"{code}:{pk}:{stamp}", subject=row))


def _visible_from(scope: str, public_from: date | None, today: date) -> date | None:
    if scope == Scope.PUBLIC:
        return today
    if scope == Scope.PARTY_FIRST:
        return public_from
    return None


def board_touch(organization: Organization, *, today: date | None = None) -> None:
    """The organisation's board changed: bump its revision (inside the caller's transaction)."""
    today = today or timezone.localdate()
    board, _created = Board.objects.get_or_create(organization=organization)
    opening = (Disclosure.objects.filter(organization=organization, is_live=True, visible_from__gt=today)
               .aggregate(first=Min("visible_from"))["first"])
    Board.objects.filter(pk=board.pk).update(revision=F("revision") + 1, next_opening=opening)


@transaction.atomic
def disclosure_publish(*, actor: User, disclosure: Disclosure) -> DisclosureVersion:
    """公开: freeze the approved working copy as a new version and append it to the log."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.publish_disclosure", row)
    _move(row, State.PUBLISHED)
    now = timezone.now()
    today = timezone.localdate(now)
    last = row.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if last and not row.correction_note:
        raise ValidationError({"correction_note": _("新版本须有更正/修订说明。")})
    current = row.current_version
    if (current is not None and current.stage == Stage.PRELIMINARY and row.stage == Stage.FINAL
            and current.opinions_until is not None and today <= current.opinions_until):
        # 分步公开: the revised version comes after the opinions on the preliminary one.
        raise ValidationError(_("征求意见稿的意见征集到 %(day)s 截止，截止后才能公开修订后的正式稿。")
                              % {"day": current.opinions_until})
    log = publication.get_log(lock=True)
    version = DisclosureVersion(
        disclosure=row, number=last + 1, organization=row.organization, title=row.title, body=clean_html(row.body),
        category=row.category, channels=list(row.channels), timing=row.timing, period=row.period,
        scope=row.scope, public_from=row.public_from, stage=row.stage, opinions_until=row.opinions_until,
        correction_note=row.correction_note if last else "", published_at=now, published_by=actor,
        approved_by=row.approved_by, leaf_index=log.size,
    )
    files = [VersionAttachment(stored=f, name=f.original_name, sha256=f.sha256, size=f.size)
             for f in row.attachments.order_by("id")]
    hasher = publication.merkle.get_hasher(log.algo)
    version.leaf_hash = hasher.leaf(publication.version_bytes(version, files))
    version.save(force_insert=True)
    for f in files:
        f.version = version
    VersionAttachment.objects.bulk_create(files)
    publication.merkle_log(log).append_leaf_hashes([bytes(version.leaf_hash)])
    head = publication.sign_tree_head(log)

    row.current_version = version
    row.is_live = True
    row.visible_from = _visible_from(row.scope, row.public_from, today)
    row.published_at = now
    row.correction_note = ""
    row.save(update_fields=["current_version", "is_live", "visible_from", "published_at", "correction_note",
                            "updated_at"])
    board_touch(row.organization, today=today)
    search.document_upsert(disclosure=row, version=version)
    _calendar_mark_done(row, today)
    for rect in Rectification.objects.filter(disclosure=row, done_version__isnull=True):
        rect.done_version, rect.done_at = version, now
        rect.save(update_fields=["done_version", "done_at"])
    audit.record(row, "disclosure.item.published", actor=actor, changes={
        "version": version.number, "leaf_index": version.leaf_index, "leaf_hash": bytes(version.leaf_hash).hex(),
        "tree_size": head.size, "root": bytes(head.root_hash).hex()})
    notifications.resolve(subject=row, codes=("disclosure.approved", "disclosure.due.overdue"))
    disclosure.refresh_from_db()
    return version


def _calendar_mark_done(row: Disclosure, today: date) -> None:
    """A regular item's publication covers the earliest open period (late if overdue), and the
    period after the covered one becomes due."""
    if row.timing != Timing.REGULAR or not row.period:
        return
    current_end = deadlines.period_end(today, row.period)
    open_item = (DueItem.objects.filter(disclosure=row, done_on__isnull=True, due_on__lte=current_end)
                 .order_by("due_on").first())
    if open_item is not None:
        open_item.done_on = today
        open_item.save(update_fields=["done_on"])
        covered = open_item.due_on
    else:
        covered = current_end
        if not DueItem.objects.filter(disclosure=row, due_on=current_end).exists():
            DueItem.objects.create(disclosure=row, organization=row.organization, due_on=current_end,
                                   done_on=today)
    following = deadlines.period_end(deadlines.add_months(covered, 1), row.period)
    DueItem.objects.get_or_create(disclosure=row, due_on=following, defaults={"organization": row.organization})


@transaction.atomic
def disclosure_withdraw(*, actor: User, disclosure: Disclosure, reason: str) -> Withdrawal:
    """Withdraw a published item: a recorded, logged event; its history stays readable."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.withdraw_disclosure", row)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回说明（将向社会公开）。")})
    if row.current_version_id is None:
        raise ValidationError(_("尚未公开的事项无需撤回。"))
    _move(row, State.WITHDRAWN)
    now = timezone.now()
    log = publication.get_log(lock=True)
    version = row.current_version
    assert version is not None
    withdrawal = Withdrawal(disclosure=row, version_number=version.number, reason=reason[:2000], at=now,
                            by=actor, leaf_index=log.size)
    withdrawal.leaf_hash = publication.merkle.get_hasher(log.algo).leaf(publication.withdrawal_bytes(withdrawal))
    withdrawal.save(force_insert=True)
    publication.merkle_log(log).append_leaf_hashes([bytes(withdrawal.leaf_hash)])
    head = publication.sign_tree_head(log)
    row.is_live = False
    row.withdrawn_at = now
    row.save(update_fields=["is_live", "withdrawn_at", "updated_at"])
    board_touch(row.organization)
    search.document_upsert(disclosure=row, version=None)
    DueItem.objects.filter(disclosure=row, done_on__isnull=True).delete()
    audit.record(row, "disclosure.item.withdrawn", actor=actor, changes={
        "reason": withdrawal.reason, "leaf_index": withdrawal.leaf_index, "tree_size": head.size})
    disclosure.refresh_from_db()
    return withdrawal


@transaction.atomic
def disclosure_require_rectification(*, actor: User, disclosure: Disclosure, description: str,
                                     deadline: date | None = None, source: str = Rectification.Source.REVIEW,
                                     suggestion: Suggestion | None = None,
                                     inspection: Inspection | None = None) -> Rectification:
    """整改: a published item must be corrected; it stays on the board until the new version."""
    row = _locked(disclosure)
    ensure_can(actor, "disclosure.require_rectification", row)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("请写明整改要求。")})
    if row.state == State.PUBLISHED:
        _move(row, State.RECTIFYING)
    elif row.state not in (State.RECTIFYING, State.REVISED, State.SUBMITTED, State.APPROVED):
        raise ValidationError(_("只有已公开的事项才能要求整改。"))
    deadline = deadline or deadlines.add_days(timezone.localdate(), 15)
    rect = Rectification.objects.create(disclosure=row, source=source, suggestion=suggestion,
                                        inspection=inspection, description=description[:2000],
                                        deadline=deadline, opened_by=actor)
    audit.record(row, "disclosure.item.rectification_required", actor=actor, changes={
        "source": source, "deadline": str(deadline), "rectification": rect.pk})
    _notify_owner(row, "disclosure.rectify", _("须整改：%(title)s"))
    disclosure.refresh_from_db()
    return rect


# -------------------------------------------------------------------------- suggestions


SUGGESTION_REMINDERS = ("disclosure.suggestion", "disclosure.suggestion.due", "disclosure.suggestion.overdue")


def suggestion_days() -> int:
    return int(getattr(settings, "GONGJIAN_SUGGESTION_REPLY_DAYS", 15))


@transaction.atomic
def suggestion_submit(*, organization: Organization, content: str, contact: str = "",
                      disclosure: Disclosure | None = None, idempotency_key: str = ""
                      ) -> tuple[Suggestion, str | None]:
    """A suggestion from anyone. Returns it and its query password (None for a repeat of the
    same form, which creates nothing: I-07)."""
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        existing = Suggestion.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, None
    errors: dict[str, str] = {}
    content = (content or "").strip()
    contact = (contact or "").strip()
    if not content:
        errors["content"] = _("请填写意见内容。")
    elif len(content) > MAX_SUGGESTION:
        errors["content"] = _("意见内容不能超过2000字。")
    elif ID_NUMBER_LIKE.search(content):
        errors["content"] = _("为保护您的隐私，请不要填写身份证号码。")
    if len(contact) > 100:
        errors["contact"] = _("联系方式不能超过100字。")
    elif ID_NUMBER_LIKE.search(contact):
        errors["contact"] = _("为保护您的隐私，请不要填写身份证号码。")
    if organization.kind not in Organization.PARTY_KINDS:
        errors["organization"] = _("请选择党组织。")
    if disclosure is not None and disclosure.organization_id != organization.pk:
        errors["disclosure"] = _("公开事项与党组织不符。")
    if errors:
        raise ValidationError(errors)
    suggestion = Suggestion(organization=organization, disclosure=disclosure, content=content,
                            contact=contact, idempotency_key=key,
                            due_on=deadlines.add_days(timezone.localdate(), suggestion_days()))
    password = suggestion.issue_credentials("YJ")
    suggestion.save(force_insert=True)
    audit.record(suggestion, "disclosure.suggestion.received", actor=None, username="public",
                 organization=organization, changes={"disclosure": disclosure.pk if disclosure else None})
    pk, code = suggestion.pk, suggestion.tracking_code
    transaction.on_commit(lambda: notifications.notify(
        organization=organization, code="disclosure.suggestion", message=_("收到新的意见：%(code)s") % {"code": code},
        link=reverse("disclosure:suggestion-detail", args=[pk]), dedupe_key=f"suggestion:{pk}:received",
        subject=suggestion))
    return suggestion, password


def _lock_suggestion(suggestion: Suggestion) -> Suggestion:
    return (Suggestion.objects.select_for_update(of=("self",)).select_related("organization", "disclosure")
            .get(pk=suggestion.pk))


@transaction.atomic
def suggestion_assign(*, actor: User, suggestion: Suggestion, assignee: User) -> Suggestion:
    """Hand a suggestion to a colleague of the organisation to handle."""
    row = _lock_suggestion(suggestion)
    ensure_can(actor, "disclosure.answer_suggestion", row)
    if row.status == Suggestion.Status.ANSWERED:
        raise ValidationError(_("该意见已答复，不能再分派。"))
    today = timezone.localdate()
    holds = assignee.person_id is not None and access.within(Position.objects.filter(
        person_id=assignee.person_id, start_date__lte=today), row.organization,
    ).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=today)).exists()
    if not holds and assignee.pk != actor.pk:
        raise ValidationError({"assignee": _("只能分派给本组织的工作人员。")})
    before = row.assignee_id
    row.assignee = assignee
    row.status = Suggestion.Status.ASSIGNED
    row.save(update_fields=["assignee", "status"])
    audit.record(row, "disclosure.suggestion.assigned", actor=actor, changes={"assignee": [before, assignee.pk]})
    suggestion.refresh_from_db()
    return row


@transaction.atomic
def suggestion_answer(*, actor: User, suggestion: Suggestion, reply: str, public: bool,
                      needs_rectification: bool = False, rectification_deadline: date | None = None
                      ) -> Suggestion:
    """Reply once (I-08); "needs rectification" opens a rectification of the item concerned."""
    row = _lock_suggestion(suggestion)
    ensure_can(actor, "disclosure.answer_suggestion", row)
    if row.status == Suggestion.Status.ANSWERED:
        raise ValidationError(_("该意见已经答复过了。"))
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("请填写答复内容。")})
    if len(reply) > 5000:
        raise ValidationError({"reply": _("答复不能超过5000字。")})
    if needs_rectification and row.disclosure is None:
        raise ValidationError({"needs_rectification": _("该意见未针对具体公开事项，无法转为整改。")})
    row.reply, row.reply_public, row.needs_rectification = reply, bool(public), bool(needs_rectification)
    row.status = Suggestion.Status.ANSWERED
    row.answered_at, row.answered_by = timezone.now(), actor
    row.save(update_fields=["reply", "reply_public", "needs_rectification", "status", "answered_at", "answered_by"])
    audit.record(row, "disclosure.suggestion.answered", actor=actor, changes={
        "public": row.reply_public, "needs_rectification": row.needs_rectification})
    notifications.resolve(subject=row, codes=SUGGESTION_REMINDERS)
    if needs_rectification and row.disclosure is not None:
        disclosure_require_rectification(
            actor=actor, disclosure=row.disclosure, description=_("群众意见 %(code)s：%(content)s") % {
                "code": row.tracking_code, "content": row.content[:300]},
            deadline=rectification_deadline, source=Rectification.Source.SUGGESTION, suggestion=row)
    suggestion.refresh_from_db()
    return row


# ------------------------------------------------------------------------- inspections


@transaction.atomic
def inspection_create(*, actor: User, organization: Organization, data: dict[str, Any],
                      rectify: Sequence[Disclosure] = ()) -> Inspection:
    """督查: score the six points (0–10 each), record findings and a rectification deadline."""
    ensure_can(actor, "disclosure.add_inspection", organization)
    errors: dict[str, str] = {}
    scores: dict[str, int] = {}
    for name, label in Inspection.POINTS:
        try:
            value = int(data.get(name, ""))
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= Inspection.MAX_POINT:
            errors[name] = _("“%(point)s”请打0到10分。") % {"point": label}
        scores[name] = value
    inspected_on = _parse_date(data.get("inspected_on"), "inspected_on", errors) or timezone.localdate()
    deadline = _parse_date(data.get("rectification_deadline"), "rectification_deadline", errors)
    findings = str(data.get("findings") or "").strip()[:5000]
    if findings and deadline is None and "rectification_deadline" not in errors:
        errors["rectification_deadline"] = _("发现问题时请规定整改期限。")
    if deadline is not None and deadline < inspected_on:
        errors["rectification_deadline"] = _("整改期限不能早于检查日期。")
    if organization.kind not in Organization.PARTY_KINDS:
        errors["organization"] = _("只能检查党组织。")
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        organization=organization, inspector_organization=access.acting_organization_required(actor),
        inspected_by=actor,
        inspected_on=inspected_on, findings=findings, rectification_deadline=deadline,
        status=Inspection.Status.OPEN if findings else Inspection.Status.CLOSED, **scores)
    audit.record(inspection, "disclosure.inspection.created", actor=actor, changes={
        **scores, "total": inspection.total, "deadline": str(deadline) if deadline else None})
    for item in rectify:
        if item.organization_id != organization.pk:
            raise ValidationError(_("整改事项须属于被检查的组织。"))
        disclosure_require_rectification(actor=actor, disclosure=item, description=findings or _("督查要求整改"),
                                          deadline=deadline, source=Rectification.Source.INSPECTION,
                                          inspection=inspection)
    if findings:
        pk = inspection.pk
        transaction.on_commit(lambda: notifications.notify(
            organization=organization, code="disclosure.inspection", message=_("督查发现问题，请按期整改。"),
            link=reverse("disclosure:inspection-detail", args=[pk]), dedupe_key=f"inspection:{pk}",
            subject=inspection))
    return inspection


@transaction.atomic
def inspection_follow_up(*, actor: User, inspection: Inspection, note: str, closes: bool) -> InspectionFollowUp:
    """Record how the rectification goes; the inspector closes it (销号) when it is done."""
    row = Inspection.objects.select_for_update().select_related("organization").get(pk=inspection.pk)
    ensure_can(actor, "disclosure.follow_up_inspection", row)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写跟踪情况。")})
    if row.status == Inspection.Status.CLOSED:
        raise ValidationError(_("该督查已销号。"))
    follow = InspectionFollowUp.objects.create(inspection=row, note=note[:2000], closes=closes, by=actor)
    if closes:
        row.status = Inspection.Status.CLOSED
        row.save(update_fields=["status"])
    audit.record(row, "disclosure.inspection.followed_up", actor=actor, changes={"closes": closes})
    if closes:  # 销号: the branch's 整改 reminder is done
        notifications.resolve(subject=row, codes=("disclosure.inspection",))
    inspection.refresh_from_db()
    return follow


# -------------------------------------------------------------------- periodic sweeps


@transaction.atomic
def boards_open_due(*, today: date | None = None) -> int:
    """先党内后党外: items whose day has come open to the public; their boards change."""
    today = today or timezone.localdate()
    count = 0
    for board in Board.objects.select_for_update().filter(next_opening__lte=today).select_related("organization"):
        board_touch(board.organization, today=today)
        audit.record(board.organization, "disclosure.board.opened", actor=None, username="system",
                     organization=board.organization, changes={"day": str(today)})
        count += 1
    return count


def reminders_send(*, today: date | None = None) -> int:
    """Remind each organisation of suggestions due within 3 days or overdue, and of overdue
    regular items (deduplicated: one reminder per thing and kind)."""
    today = today or timezone.localdate()
    sent = 0
    soon = deadlines.add_days(today, 3)
    for s in Suggestion.objects.exclude(status=Suggestion.Status.ANSWERED).filter(due_on__lte=soon).select_related("organization"):
        kind = "overdue" if s.due_on < today else "due"
        message = (_("意见 %(code)s 已超过答复期限（%(due)s）。") if kind == "overdue"
                   else _("意见 %(code)s 须在 %(due)s 前答复。")) % {"code": s.tracking_code, "due": s.due_on}
        if notifications.notify(organization=s.organization, code=f"disclosure.suggestion.{kind}", message=message,
                                link=reverse("disclosure:suggestion-detail", args=[s.pk]),
                                dedupe_key=f"suggestion:{s.pk}:{kind}", subject=s):
            sent += 1
    for item in DueItem.objects.filter(done_on__isnull=True, due_on__lt=today).select_related("disclosure", "organization"):
        if notifications.notify(organization=item.organization, code="disclosure.due.overdue",
                                message=_("定期公开已逾期：%(title)s（应于 %(due)s 前更新）") % {
                                    "title": item.disclosure.title, "due": item.due_on},
                                link=reverse("disclosure:detail", args=[item.disclosure_id]),
                                dedupe_key=f"due:{item.pk}:overdue", subject=item.disclosure):
            sent += 1
    return sent
