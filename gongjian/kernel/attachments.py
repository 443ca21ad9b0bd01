"""Checked uploads (I-04): type by content, size and zip-bomb limits, image pixel limit, random
storage names outside any served folder, downloads as attachments with nosniff (P-03). Files go
through Django's default storage (a folder, or S3-compatible object storage on several app servers:
ADR 0040), never a path.

Photos (P-04) are stored upright, at most 1600 px and without EXIF/XMP (`kernel.images`), with a
small copy beside them; any view serving a stored file through `file_response` answers
`?v=thumb` with that copy, so a list shows thumbnails by adding the parameter to the URL."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from . import audit, images
from .models import Organization, StoredFile, User

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PHOTO_BYTES = 20 * 1024 * 1024  # what a phone sends; the browser checks it before sending
THUMB = "thumb"


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str


KINDS = {
    "pdf": Kind("pdf", "application/pdf", "PDF"),
    "jpg": Kind("jpg", "image/jpeg", "JPG"),
    "png": Kind("png", "image/png", "PNG"),
    "docx": Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
}
IMAGES = ("jpg", "png")
DOCUMENTS = ("pdf", "docx", "xlsx", "jpg", "png")


def sniff(head: bytes, data: bytes) -> str | None:
    """The real type of the bytes, whatever the file is called."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(upload: UploadedFile, *, allowed: tuple[str, ...] = DOCUMENTS,
                 max_bytes: int = MAX_BYTES) -> tuple[Kind, bytes]:
    """Validate an upload; raise ValidationError with a Chinese message, else (kind, bytes)."""
    size = upload.size or 0
    if size > max_bytes:
        raise ValidationError(_("文件太大：不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)},
                              code="too_large")
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(_("文件太大：不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)},
                              code="too_large")
    if not data:
        raise ValidationError(_("文件是空的。"), code="empty")
    kind_name = sniff(data[:16], data)
    allowed_labels = "、".join(KINDS[k].label for k in allowed)
    if kind_name is None or kind_name not in allowed:
        raise ValidationError(_("不支持的文件类型，只能上传：%(kinds)s。") % {"kinds": allowed_labels},
                              code="type")
    claimed = Path(upload.name or "").suffix.lower().lstrip(".")
    if claimed == "jpeg":
        claimed = "jpg"
    if claimed and claimed != kind_name:
        raise ValidationError(_("文件扩展名与内容不符，请检查文件。"), code="mismatch")
    if kind_name in ("docx", "xlsx"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValidationError(_("文件解压后过大，已拒绝。"), code="zip_bomb")
    if kind_name in IMAGES:
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                image.verify()
        except Exception as exc:  # noqa: BLE001  (any decoder complaint means a bad image)
            raise ValidationError(_("图片已损坏或无法识别。"), code="bad_image") from exc
        if width * height > MAX_PIXELS:
            raise ValidationError(_("图片尺寸过大。"), code="too_many_pixels")
    return KINDS[kind_name], data


def storage_path(storage_name: str) -> str:
    """Where a stored file lives in the default storage (a folder per first two characters)."""
    return f"{storage_name[:2]}/{storage_name}"


def clean_name(name: str) -> str:
    name = Path(name or "file").name.replace("\x00", "")
    return "".join(ch for ch in name if ch.isprintable())[:200] or "file"


def _save(name: str, data: bytes, *, strict: bool = True) -> bool:
    """Save bytes under exactly this name in the default storage (never a path). A storage that
    had to rename it (the name was taken meanwhile) keeps nothing: strict, that is an error; not
    strict (a thumbnail another request has just made), it is already there. Stored names are new
    random names, so no reader sees a file before its row names it."""
    saved = default_storage.save(name, ContentFile(data))
    if saved == name:
        return True
    default_storage.delete(saved)  # never serve another's file under this one's name
    if strict:
        raise ValidationError(_("文件保存失败，请重试。"), code="storage")
    return False


def _delete_on_commit(names: list[str]) -> None:
    """Remove files from the storage once the transaction that stopped naming them commits."""

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks, ready to store (a photo already cleaned)."""

    kind: Kind
    data: bytes
    name: str
    width: int | None = None
    height: int | None = None


def prepare(upload: UploadedFile, *, allowed: tuple[str, ...] = DOCUMENTS, max_bytes: int = MAX_BYTES) -> Checked:
    """Check an upload and, for a photo, clean it; raise ValidationError with a Chinese message."""
    kind, data = check_upload(upload, allowed=allowed, max_bytes=max_bytes)
    name = clean_name(upload.name or "")
    if kind.extension not in IMAGES:
        return Checked(kind, data, name)
    try:
        rendition = images.clean(data, kind.extension)
    except Exception as exc:  # noqa: BLE001  (a file that verifies but does not decode)
        raise ValidationError(_("图片已损坏或无法识别。"), code="bad_image") from exc
    return Checked(kind, rendition.data, name, rendition.width, rendition.height)


def prepare_all(uploads: list[UploadedFile], *, allowed: tuple[str, ...] = DOCUMENTS,
                max_bytes: int = MAX_BYTES) -> list[Checked]:
    """Check several uploads before any is stored: all pass, or a ValidationError names each
    refused file and why."""
    ready: list[Checked] = []
    refused: list[ValidationError] = []
    for upload in uploads:
        try:
            ready.append(prepare(upload, allowed=allowed, max_bytes=max_bytes))
        except ValidationError as exc:
            refused.append(ValidationError(_("“%(name)s”：%(reason)s") % {
                "name": clean_name(upload.name or ""), "reason": "".join(exc.messages)}, code=exc.code))
    if refused:
        raise ValidationError(refused)
    return ready


def store_prepared(checked: Checked, *, actor: User | None, organization: Organization) -> StoredFile:
    """Store what `prepare` checked under a random name (a photo with its thumbnail)."""
    storage_name = f"{secrets.token_hex(16)}.{checked.kind.extension}"
    _save(storage_path(storage_name), checked.data)
    is_photo = checked.kind.extension in IMAGES
    stored = StoredFile.objects.create(
        token=secrets.token_urlsafe(32), original_name=checked.name,
        content_type=checked.kind.content_type, extension=checked.kind.extension, size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(), storage_name=storage_name,
        organization=organization, uploaded_by=actor,
        width=checked.width, height=checked.height, image_cleaned=is_photo,
    )
    if is_photo:
        _make_thumbnail(stored, checked.data)
    return stored


def store_upload(upload: UploadedFile, *, actor: User | None, organization: Organization,
                 allowed: tuple[str, ...] = DOCUMENTS, max_bytes: int = MAX_BYTES) -> StoredFile:
    """Check and store an upload (a photo cleaned, with its thumbnail). The caller records the
    audit event for the owning record."""
    return store_prepared(prepare(upload, allowed=allowed, max_bytes=max_bytes),
                          actor=actor, organization=organization)


def is_image(stored: StoredFile) -> bool:
    return stored.extension in IMAGES


def thumbnail_name(stored: StoredFile) -> str:
    """The storage name of a photo's small copy, beside it."""
    stem, _dot, extension = stored.storage_name.rpartition(".")
    return f"{stored.storage_name[:2]}/{stem}.thumb.{extension}"


def thumbnail_path(stored: StoredFile) -> Path:
    """The small copy on disk — only with filesystem storage (tests and local tooling)."""
    return Path(default_storage.path(thumbnail_name(stored)))


def _make_thumbnail(stored: StoredFile, cleaned: bytes, *, record: bool = True) -> str:
    small = images.thumbnail(cleaned, stored.extension)
    name = thumbnail_name(stored)
    _save(name, small.data, strict=record)
    if record:
        StoredFile.objects.filter(pk=stored.pk).update(thumbnail_size=len(small.data))
        stored.thumbnail_size = len(small.data)
    return name


# Files whose bytes are committed elsewhere (a published disclosure's attachment digests are
# leaves of the Merkle log, T-03): never rewritten in place. An app registers a function giving
# the ids of its pinned files (`pin_source` in its AppConfig.ready()).
_PIN_SOURCES: list[Callable[[], QuerySet[Any]]] = []


def pin_source(source: Callable[[], QuerySet[Any]]) -> None:
    if source not in _PIN_SOURCES:
        _PIN_SOURCES.append(source)


def is_pinned(stored: StoredFile) -> bool:
    return any(StoredFile.objects.filter(pk=stored.pk, pk__in=source()).exists() for source in _PIN_SOURCES)


def pinned_ids() -> set[int]:
    found: set[int] = set()
    for source in _PIN_SOURCES:
        found.update(source())
    return found


@transaction.atomic
def photo_clean_stored(stored: StoredFile, *, actor: User | None = None, username: str = "system") -> bool:
    """Clean a photo stored before photos were cleaned on upload: rewrite it upright, bounded and
    without metadata, make its thumbnail, audit old and new digests. False when nothing was to do
    (already clean, not an image, pinned). Idempotent."""
    locked = StoredFile.objects.select_for_update().get(pk=stored.pk)
    if not is_image(locked) or locked.image_cleaned or is_pinned(locked):
        if is_image(locked) and locked.image_cleaned and not default_storage.exists(thumbnail_name(locked)):
            _make_thumbnail(locked, read_bytes(locked))
        return False
    before = read_bytes(locked)
    found = sorted(images.metadata_of(before))
    rendition = images.clean(before, locked.extension)
    old_names = [storage_path(locked.storage_name), thumbnail_name(locked)]
    old = {"sha256": locked.sha256, "size": locked.size}
    # A new storage name: until the row is committed it names the old file, and a crash after
    # the commit leaves at worst an unreferenced old file, never a row naming unclean bytes.
    locked.storage_name = f"{secrets.token_hex(16)}.{locked.extension}"
    _save(storage_path(locked.storage_name), rendition.data)
    locked.sha256 = hashlib.sha256(rendition.data).hexdigest()
    locked.size = len(rendition.data)
    locked.width, locked.height = rendition.width, rendition.height
    locked.image_cleaned = True
    locked.save(update_fields=["storage_name", "sha256", "size", "width", "height", "image_cleaned"])
    _make_thumbnail(locked, rendition.data)
    audit.record(locked, "kernel.file.photo_cleaned", actor=actor, username=username,
                 organization=locked.organization,
                 changes={"sha256": [old["sha256"], locked.sha256], "size": [old["size"], locked.size],
                          "removed": found, "dimensions": [rendition.width, rendition.height]})
    _delete_on_commit(old_names)
    return True


def discard(stored: StoredFile) -> None:
    """Delete a stored file: the row now, the bytes and the thumbnail once the caller's
    transaction commits. The caller deletes the record that used it first and audits that."""
    names = [storage_path(stored.storage_name), thumbnail_name(stored)]
    stored.delete()
    _delete_on_commit(names)


def open_stored(stored: StoredFile) -> File:
    """The stored bytes as a file object, from whichever storage holds them."""
    return default_storage.open(storage_path(stored.storage_name), "rb")


def read_bytes(stored: StoredFile) -> bytes:
    with open_stored(stored) as handle:
        data: bytes = handle.read()
    return data


def file_path(stored: StoredFile) -> Path:
    """The file on disk — only with filesystem storage (tests and local tooling); code that serves
    or checks files uses `open_stored`/`read_bytes`, which work with every storage."""
    return Path(default_storage.path(storage_path(stored.storage_name)))


def file_response(request: HttpRequest, stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """Stream a stored file after the caller has checked access; never sniffed, never cached.
    For a photo, `?v=thumb` answers its small copy; a photo stored before cleaning (and not
    pinned) is cleaned on the way out, so no served copy carries its metadata."""
    body: Any
    if is_image(stored) and request.GET.get("v") == THUMB:
        name = thumbnail_name(stored)
        if not default_storage.exists(name):
            source = read_bytes(stored)
            if not stored.image_cleaned:
                source = images.clean(source, stored.extension).data
            _make_thumbnail(stored, source, record=False)  # a GET changes no row
        body = default_storage.open(name, "rb")
    elif is_image(stored) and not stored.image_cleaned and not is_pinned(stored):
        body = io.BytesIO(images.clean(read_bytes(stored), stored.extension).data)
    else:
        body = open_stored(stored)
    response = FileResponse(body, as_attachment=not inline,
                            filename=stored.original_name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
