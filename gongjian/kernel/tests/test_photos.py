"""The kernel's photo handling (P-04): every stored image is upright, bounded and without
metadata, with a thumbnail any photo route serves at `?v=thumb`; photos stored before are cleaned
by `gongjian clean_photos` (idempotent, audited), and served clean even before it runs; a file
pinned by a published record is never rewritten."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image, PngImagePlugin

from gongjian.kernel import attachments, images
from gongjian.kernel.models import AuditEvent, StoredFile
from gongjian.kernel.tests.photos import carries_no_metadata, phone_jpeg, size_of, top_is_red

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def served(rf, stored: StoredFile, query: str = "") -> bytes:
    response = attachments.file_response(rf.get("/" + query), stored, inline=True)
    return b"".join(response.streaming_content)


def legacy(org, data: bytes, name: str = "老照片.jpg") -> StoredFile:
    """A photo stored as it was before this change: the phone's bytes, as sent."""
    stored = StoredFile.objects.create(
        token=f"legacy{len(data)}{name}"[:43], original_name=name, content_type="image/jpeg", extension="jpg",
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_name=f"{hashlib.sha256(data).hexdigest()[:32]}.jpg",
        organization=org)
    path = attachments.file_path(stored)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return stored


def test_a_stored_photo_is_upright_bounded_and_carries_no_exif_gps_or_comment(org, rf):
    data = phone_jpeg(3000, 4000, orientation=6, comment=b"taken at home")
    stored = attachments.store_upload(upload("IMG_1.jpeg", data), actor=None, organization=org("小留村妇联"),
                                      allowed=attachments.IMAGES)
    kept = attachments.read_bytes(stored)
    assert carries_no_metadata(kept) and top_is_red(kept)
    assert size_of(kept) == (1200, 1600) == (stored.width, stored.height) and stored.image_cleaned
    assert stored.size == len(kept) < len(data) / 4 and stored.sha256 == hashlib.sha256(kept).hexdigest()
    small = served(rf, stored, "?v=thumb")
    assert carries_no_metadata(small) and max(size_of(small)) == images.THUMB_SIDE and top_is_red(small)
    assert stored.thumbnail_size == len(small)


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency(org):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 34.55N 110.08E")
    buf = io.BytesIO()
    Image.new("RGBA", (2000, 1000), (10, 20, 30, 0)).save(buf, "PNG", pnginfo=info)
    stored = attachments.store_upload(upload("截图.png", buf.getvalue()), actor=None,
                                      organization=org("小留村妇联"), allowed=attachments.IMAGES)
    kept = attachments.read_bytes(stored)
    assert carries_no_metadata(kept) and b"GPS" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.size == (1600, 800) and image.mode == "RGBA"


def test_documents_are_stored_byte_for_byte(org):
    pdf = b"%PDF-1.4\n% author: someone\n"
    stored = attachments.store_upload(upload("a.pdf", pdf), actor=None, organization=org("小留村妇联"))
    assert attachments.read_bytes(stored) == pdf and not stored.image_cleaned


def test_several_uploads_are_checked_before_any_is_stored_and_each_refusal_names_its_file():
    good = upload("好.jpg", phone_jpeg(400, 300, noisy=False))
    with pytest.raises(ValidationError) as err:
        attachments.prepare_all([good, upload("坏.jpg", b"GIF89a...."), upload("空.png", b"")],
                                allowed=attachments.IMAGES)
    assert err.value.messages == ["“坏.jpg”：不支持的文件类型，只能上传：JPG、PNG。", "“空.png”：文件是空的。"]


def test_a_photo_stored_before_is_served_clean_even_before_the_command_runs(org, rf):
    stored = legacy(org("小留村妇联"), phone_jpeg(2400, 1800))
    assert not carries_no_metadata(attachments.read_bytes(stored))
    full = served(rf, stored)
    assert carries_no_metadata(full) and max(size_of(full)) == 1600
    small = served(rf, stored, "?v=thumb")
    assert carries_no_metadata(small) and max(size_of(small)) == images.THUMB_SIDE


def test_clean_photos_rewrites_old_photos_once_audited_and_again_changes_nothing(
        org, django_capture_on_commit_callbacks):
    original = phone_jpeg(3000, 4000, orientation=6)
    stored = legacy(org("小留村妇联"), original)
    old_path = attachments.file_path(stored)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_photos", stdout=io.StringIO())
    stored.refresh_from_db()
    kept = attachments.read_bytes(stored)
    assert stored.image_cleaned and carries_no_metadata(kept) and top_is_red(kept)
    assert size_of(kept) == (1200, 1600) and stored.sha256 == hashlib.sha256(kept).hexdigest()
    assert attachments.thumbnail_path(stored).exists()
    assert not old_path.exists()  # the GPS-bearing bytes are gone from storage
    event = AuditEvent.objects.get(event="kernel.file.photo_cleaned", object_id=str(stored.pk))
    assert event.changes["sha256"] == [hashlib.sha256(original).hexdigest(), stored.sha256]
    assert "exif" in event.changes["removed"]
    events = AuditEvent.objects.count()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_photos", stdout=out)
    assert AuditEvent.objects.count() == events and "已处理照片 0 张" in out.getvalue()
    assert attachments.read_bytes(stored) == kept


def test_a_pinned_file_is_never_rewritten_and_is_listed(org, monkeypatch):
    stored = legacy(org("小留村妇联"), phone_jpeg(800, 600), name="公开附件.jpg")
    before = attachments.read_bytes(stored)
    monkeypatch.setattr(attachments, "_PIN_SOURCES", [lambda: StoredFile.objects.filter(pk=stored.pk).values_list("pk", flat=True)])
    out = io.StringIO()
    call_command("clean_photos", stdout=out)
    assert attachments.read_bytes(stored) == before
    assert "公开附件.jpg" in out.getvalue()
    assert not attachments.photo_clean_stored(stored)


def test_published_disclosure_attachments_are_pinned():
    from gongjian.disclosure.apps import _published_files

    assert _published_files in attachments._PIN_SOURCES
