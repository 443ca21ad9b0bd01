"""Writes of 信息报送: submit a piece with photos, revise and resubmit a returned one, withdraw one not
yet decided, adopt (perhaps edited) or return with a reason. One use case each, one transaction,
an event row and an audit record; bad input is a ValidationError in Chinese and nothing is saved
(photos included: a file stored before a failure is removed when the transaction rolls back)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, attachments, audit, workflow
from gongjian.kernel.models import Organization, User
from gongjian.kernel.permissions import ensure_can

from ..models.news import (
    NEWS_TRANSITIONS,
    RECEIVER_KINDS,
    SUBMITTER_KINDS,
    NewsEvent,
    NewsPhoto,
    NewsState,
    NewsSubmission,
)
from ..selectors.news import receivers_of

TITLE_MAX = 100
TITLE_MIN = 4
BODY_MIN = 20
BODY_MAX = 20_000
BYLINE_MAX = 60
REASON_MIN = 2
REASON_MAX = 500
CAPTION_MAX = 100
MAX_PHOTOS = 9
PHOTO_MAX_BYTES = 15 * 1024 * 1024
#: Phone photos are scaled down to this long side for the portal (and their metadata dropped).

TEXT_FIELDS = ("title", "body", "byline", "receiver")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


@dataclass(frozen=True)
class PhotoIn:
    """A photo to add: the upload and its caption."""

    upload: UploadedFile
    caption: str = ""


# --- text ------------------------------------------------------------------------------------------

def clean_title(value: Any, field: str = "title") -> str:
    title = " ".join(str(value or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError({field: _("请填写标题（至少%(n)d个字）。") % {"n": TITLE_MIN}})
    if len(title) > TITLE_MAX:
        raise ValidationError({field: _("标题太长，最多%(n)d个字。") % {"n": TITLE_MAX}})
    if _TAG.search(title):
        raise ValidationError({field: _("标题请直接输入文字，不要粘贴网页代码。")})
    return title


def clean_body(value: Any, field: str = "body") -> str:
    """Plain paragraphs: one per line, spaces at the ends removed, empty lines dropped; no HTML."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    paragraphs = [line.strip().strip("\u3000") for line in text.split("\n")]
    body = "\n".join(p for p in paragraphs if p)
    if _TAG.search(body):
        raise ValidationError({field: _("正文请直接输入文字，不要粘贴网页代码（HTML）。")})
    if len(body) < BODY_MIN:
        raise ValidationError({field: _("正文太短，请至少写%(n)d个字。") % {"n": BODY_MIN}})
    if len(body) > BODY_MAX:
        raise ValidationError({field: _("正文太长，最多%(n)d个字。") % {"n": BODY_MAX}})
    return body


def clean_byline(value: Any) -> str:
    byline = " ".join(str(value or "").split())
    if not byline:
        raise ValidationError({"byline": _("请填写供稿人，如：太华办姚高华供稿。")})
    if len(byline) > BYLINE_MAX:
        raise ValidationError({"byline": _("供稿一栏太长，最多%(n)d个字。") % {"n": BYLINE_MAX}})
    if _TAG.search(byline):
        raise ValidationError({"byline": _("供稿请直接输入文字，不要粘贴网页代码。")})
    return byline


def clean_reason(value: Any) -> str:
    reason = str(value or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("请写明退回原因，方便报送单位修改。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("退回原因太长，最多%(n)d个字。") % {"n": REASON_MAX}})
    return reason


def default_byline(user: User) -> str:
    """"太华路街道妇联姚慧敏供稿": the acting organisation and the person, as 第一篇 signs."""
    org = access.acting_organization(user)
    who = user.person.name if user.person is not None else ""
    return _("%(org)s%(who)s供稿") % {"org": org.name if org else "", "who": who}


def _receiver_for(submitter: Organization, receiver: Any) -> Organization:
    """The chosen receiver (an organisation above the submitter that receives pieces), or the
    nearest one; a ValidationError otherwise."""
    choices = receivers_of(submitter)
    if not choices:
        raise ValidationError({"receiver": _("本组织没有可以报送的上级组织。")})
    if receiver in (None, ""):
        return choices[0]
    wanted = receiver.pk if isinstance(receiver, Organization) else receiver
    for org in choices:
        if str(org.pk) == str(wanted):
            return org
    raise ValidationError({"receiver": _("只能报送给本组织的上级妇联或党委。")})


# --- photos ----------------------------------------------------------------------------------------

def _add_photos(piece: NewsSubmission, photos: Sequence[PhotoIn], actor: User, written: list[str]
                ) -> list[NewsPhoto]:
    kept = piece.photos.count()
    if kept + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("每篇最多%(n)d张照片。") % {"n": MAX_PHOTOS}})
    made = []
    for n, photo in enumerate(photos):
        caption = " ".join(str(photo.caption or "").split())
        if len(caption) > CAPTION_MAX:
            raise ValidationError({"photos": _("照片说明太长，最多%(n)d个字。") % {"n": CAPTION_MAX}})
        try:
            # The kernel turns a photo upright, bounds it and drops its EXIF (where it was taken).
            stored = attachments.store_upload(photo.upload, actor=actor, organization=piece.organization,
                                              allowed=attachments.IMAGES, max_bytes=PHOTO_MAX_BYTES)
        except ValidationError as exc:
            raise ValidationError({"photos": _("第%(n)d张照片：%(why)s") % {
                "n": n + 1, "why": "；".join(exc.messages)}}) from exc
        written += [attachments.storage_path(stored.storage_name), attachments.thumbnail_name(stored)]
        made.append(NewsPhoto.objects.create(submission=piece, file=stored, caption=caption, position=kept + n))
    return made


@contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    """Photos stored before a failure are removed with the rows (nothing half-saved)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _photo_fields(piece: NewsSubmission) -> list[dict[str, str]]:
    return [{"caption": p.caption, "sha256": p.file.sha256[:16]} for p in piece.photos.select_related("file")]


def _event(piece: NewsSubmission, action: str, actor: User, reason: str = "") -> None:
    NewsEvent.objects.create(submission=piece, action=action, at=timezone.now(), by=actor,
                             organization=access.acting_organization_required(actor), reason=reason)


def _snapshot(piece: NewsSubmission) -> dict[str, Any]:
    return {"title": piece.title, "body": piece.body, "byline": piece.byline, "receiver": piece.receiver_id,
            "state": piece.state}


# --- use cases -------------------------------------------------------------------------------------

def news_submit(*, actor: User, title: Any, body: Any, byline: Any, receiver: Any = None,
                photos: Sequence[PhotoIn] = ()) -> NewsSubmission:
    """Send a piece up from the actor's organisation (to the nearest receiving organisation above it,
    or to the one she chose among those above it)."""
    with _files_removed_on_failure() as written, transaction.atomic():
        return _submit(actor=actor, title=title, body=body, byline=byline, receiver=receiver, photos=photos,
                       written=written)


def _submit(*, actor: User, title: Any, body: Any, byline: Any, receiver: Any,
            photos: Sequence[PhotoIn], written: list[str]) -> NewsSubmission:
    organization = access.acting_organization_required(actor)
    now = timezone.now()
    piece = NewsSubmission(organization=organization, submitted_by=actor, first_submitted_at=now, submitted_at=now,
                           state=NewsState.SUBMITTED)
    ensure_can(actor, "reports.submit_news", piece)
    if organization.kind not in SUBMITTER_KINDS:
        raise ValidationError(_("只有妇联和党组织可以报送信息。"))
    errors: dict[str, list[str]] = {}
    for field, clean in (("title", lambda: clean_title(title)), ("body", lambda: clean_body(body)),
                         ("byline", lambda: clean_byline(byline)),
                         ("receiver", lambda: _receiver_for(organization, receiver))):
        try:
            setattr(piece, field, clean())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    piece.save()
    _add_photos(piece, photos, actor, written)
    _event(piece, NewsEvent.Action.SUBMITTED, actor)
    audit.record(piece, "reports.news.submitted", actor=actor,
                 changes={**audit.diff({}, _snapshot(piece)), "photos": _photo_fields(piece)})
    return piece


def news_revise(*, actor: User, submission: NewsSubmission, title: Any, body: Any, byline: Any,
                receiver: Any = None, photos: Sequence[PhotoIn] = (), remove_photos: Sequence[int] = (),
                captions: Mapping[int, str] | None = None) -> NewsSubmission:
    """Revise a returned piece and send it again (its editor's reason stays in the record): new text,
    photos added or removed, the kept photos' captions changed."""
    with _files_removed_on_failure() as written, transaction.atomic():
        return _revise(actor=actor, submission=submission, title=title, body=body, byline=byline,
                       receiver=receiver, photos=photos, remove_photos=remove_photos, captions=captions or {},
                       written=written)


def _revise(*, actor: User, submission: NewsSubmission, title: Any, body: Any, byline: Any, receiver: Any,
            photos: Sequence[PhotoIn], remove_photos: Sequence[int], captions: Mapping[int, str],
            written: list[str]) -> NewsSubmission:
    ensure_can(actor, "reports.submit_news", submission)
    piece = NewsSubmission.objects.select_for_update().get(pk=submission.pk)
    if piece.state != NewsState.RETURNED:
        raise ValidationError(_("只有被退回的稿件可以修改后重新报送。"))
    before = _snapshot(piece)
    errors: dict[str, list[str]] = {}
    for field, clean in (("title", lambda: clean_title(title)), ("body", lambda: clean_body(body)),
                         ("byline", lambda: clean_byline(byline)),
                         ("receiver", lambda: _receiver_for(piece.organization, receiver))):
        try:
            setattr(piece, field, clean())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    removed = list(piece.photos.filter(pk__in=[int(p) for p in remove_photos if str(p).isdigit()]))
    for photo in removed:
        photo.delete()
    for photo in piece.photos.filter(pk__in=[int(p) for p in captions if str(p).isdigit()]):
        caption = " ".join(str(captions[photo.pk] or "").split())
        if len(caption) > CAPTION_MAX:
            raise ValidationError({"photos": _("照片说明太长，最多%(n)d个字。") % {"n": CAPTION_MAX}})
        if caption != photo.caption:
            photo.caption = caption
            photo.save(update_fields=["caption"])
    workflow.move(piece, to=NewsState.SUBMITTED, transitions=NEWS_TRANSITIONS, labels=NewsState)
    piece.submitted_at = timezone.now()
    piece.save(update_fields=["title", "body", "byline", "receiver", "submitted_at"])
    _add_photos(piece, photos, actor, written)
    _event(piece, NewsEvent.Action.RESUBMITTED, actor)
    audit.record(piece, "reports.news.resubmitted", actor=actor,
                 changes={**audit.diff(before, _snapshot(piece)), "photos": _photo_fields(piece),
                          "photos_removed": len(removed)})
    return piece


@transaction.atomic
def news_withdraw(*, actor: User, submission: NewsSubmission) -> NewsSubmission:
    """Take back a piece the receiving organisation has not decided yet."""
    ensure_can(actor, "reports.submit_news", submission)
    piece = NewsSubmission.objects.select_for_update().get(pk=submission.pk)
    if piece.state != NewsState.SUBMITTED:
        raise ValidationError(_("稿件已经处理，不能再撤回。"))
    workflow.move(piece, to=NewsState.WITHDRAWN, transitions=NEWS_TRANSITIONS, labels=NewsState)
    _event(piece, NewsEvent.Action.WITHDRAWN, actor)
    audit.record(piece, "reports.news.withdrawn", actor=actor,
                 changes={"state": [NewsState.SUBMITTED, NewsState.WITHDRAWN]})
    return piece


@transaction.atomic
def news_adopt(*, actor: User, submission: NewsSubmission, title: Any = None, body: Any = None) -> NewsSubmission:
    """Adopt a piece sent to the actor's organisation, with the editor's title and body (the
    submitted ones when not given); the submitted text is kept beside it."""
    ensure_can(actor, "reports.decide_news", submission)
    piece = NewsSubmission.objects.select_for_update().get(pk=submission.pk)
    if piece.state != NewsState.SUBMITTED:
        raise ValidationError(_("这篇稿件已经处理过（%(state)s），不能再采用。") % {"state": piece.get_state_display()})
    errors: dict[str, list[str]] = {}
    adopted: dict[str, str] = {}
    for field, clean in (("title", lambda: clean_title(piece.title if title is None else title)),
                         ("body", lambda: clean_body(piece.body if body is None else body))):
        try:
            adopted[field] = clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    piece.adopted_title, piece.adopted_body = adopted["title"], adopted["body"]
    piece.adopted_at = piece.decided_at = now
    piece.adopted_by = piece.decided_by = actor
    piece.return_reason = ""
    workflow.move(piece, to=NewsState.ADOPTED, transitions=NEWS_TRANSITIONS, labels=NewsState,
                  extra_update_fields=("adopted_title", "adopted_body", "adopted_at", "decided_at", "adopted_by",
                                       "decided_by", "return_reason"))
    _event(piece, NewsEvent.Action.ADOPTED, actor)
    audit.record(piece, "reports.news.adopted", actor=actor, changes={
        "state": [NewsState.SUBMITTED, NewsState.ADOPTED], "edited": piece.edited,
        **audit.diff({"title": piece.title, "body": piece.body},
                     {"title": piece.adopted_title, "body": piece.adopted_body})})
    return piece


@transaction.atomic
def news_return(*, actor: User, submission: NewsSubmission, reason: Any) -> NewsSubmission:
    """Return a piece to its organisation with the editor's reason (she may revise and resubmit)."""
    ensure_can(actor, "reports.decide_news", submission)
    piece = NewsSubmission.objects.select_for_update().get(pk=submission.pk)
    if piece.state != NewsState.SUBMITTED:
        raise ValidationError(_("这篇稿件已经处理过（%(state)s），不能再退回。") % {"state": piece.get_state_display()})
    piece.return_reason = clean_reason(reason)
    piece.decided_at, piece.decided_by = timezone.now(), actor
    workflow.move(piece, to=NewsState.RETURNED, transitions=NEWS_TRANSITIONS, labels=NewsState,
                  extra_update_fields=("return_reason", "decided_at", "decided_by"))
    _event(piece, NewsEvent.Action.RETURNED, actor, reason=piece.return_reason)
    audit.record(piece, "reports.news.returned", actor=actor,
                 changes={"state": [NewsState.SUBMITTED, NewsState.RETURNED], "reason": piece.return_reason})
    return piece


def news_ranking_exported(*, actor: User, organization: Organization, year: int, rows: int) -> None:
    """An export of the ranking leaves an audit row (what, for whom, how many rows)."""
    audit.record(organization, "reports.news.ranking_exported", actor=actor,
                 changes={"year": year, "rows": rows})


__all__ = ["RECEIVER_KINDS", "PhotoIn", "default_byline", "news_adopt", "news_ranking_exported", "news_return",
           "news_revise", "news_submit", "news_withdraw"]
