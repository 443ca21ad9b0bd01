"""Checked uploads (I-04): type by content, size and zip-bomb limits, image pixel limit, random
storage names outside any served folder, downloads as attachments with nosniff (P-03). Files go
through Django's default storage (a folder, or S3-compatible object storage on several app servers:
ADR 0040), never a path."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from .models import Organization, StoredFile, User

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 40_000_000


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


def store_upload(upload: UploadedFile, *, actor: User | None, organization: Organization,
                 allowed: tuple[str, ...] = DOCUMENTS, max_bytes: int = MAX_BYTES) -> StoredFile:
    """Check and store an upload. The caller records the audit event for the owning record."""
    kind, data = check_upload(upload, allowed=allowed, max_bytes=max_bytes)
    storage_name = f"{secrets.token_hex(16)}.{kind.extension}"
    # Through the default storage (a folder, or object storage every app server reads): never a path.
    saved = default_storage.save(storage_path(storage_name), ContentFile(data))
    if saved != storage_path(storage_name):  # a storage that renamed the file: never serve another's
        default_storage.delete(saved)
        raise ValidationError(_("文件保存失败，请重试。"), code="storage")
    return StoredFile.objects.create(
        token=secrets.token_urlsafe(32), original_name=clean_name(upload.name or ""),
        content_type=kind.content_type, extension=kind.extension, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), storage_name=storage_name,
        organization=organization, uploaded_by=actor,
    )


def open_stored(stored: StoredFile) -> File:
    """The stored bytes as a file object, from whichever storage holds them."""
    return default_storage.open(storage_path(stored.storage_name), "rb")


def read_bytes(stored: StoredFile) -> bytes:
    with open_stored(stored) as handle:
        return handle.read()


def file_path(stored: StoredFile) -> Path:
    """The file on disk — only with filesystem storage (tests and local tooling); code that serves
    or checks files uses `open_stored`/`read_bytes`, which work with every storage."""
    return Path(default_storage.path(storage_path(stored.storage_name)))


def file_response(request: HttpRequest, stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """Stream a stored file after the caller has checked access; never sniffed, never cached."""
    response = FileResponse(open_stored(stored), as_attachment=not inline,
                            filename=stored.original_name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
