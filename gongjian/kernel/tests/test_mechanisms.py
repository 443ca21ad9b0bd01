"""The shared mechanisms: tracking codes, deadlines, checked uploads, rate limits, reminders."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from gongjian.kernel import attachments, deadlines, notifications, ratelimit, tracking
from gongjian.kernel.models import Notification


# --- tracking ----------------------------------------------------------------------------
def test_tracking_codes_avoid_ambiguous_characters():
    for _ in range(200):
        code = tracking.new_tracking_code()
        assert not set(code) & set("01OIL")
        assert len(code) == 12 and code.startswith("GJ-")


def test_query_password_is_eight_digits_and_stored_hashed():
    class Thing(tracking.TrackedByPublic):
        class Meta:
            app_label = "kernel"
            managed = False

    thing = Thing()
    password = thing.issue_credentials("YJ")
    assert password.isdigit() and len(password) == 8
    assert password not in thing.query_password_hash
    assert thing.tracking_code.startswith("YJ-")


def test_codes_are_normalised_from_sloppy_typing():
    assert tracking.normalize_code(" gj－abcd-efgh ") == "GJ-ABCD-EFGH"


# --- deadlines ---------------------------------------------------------------------------
def test_fifteen_calendar_days():
    assert deadlines.add_days(date(2026, 1, 1), 15) == date(2026, 1, 16)


def test_working_days_skip_weekends_and_configured_holidays(settings):
    settings.GONGJIAN_HOLIDAYS = ["2026-10-01", "2026-10-02"]
    settings.GONGJIAN_MAKEUP_WORKDAYS = ["2026-10-10"]
    # Tue 2026-09-29 + 3 working days: Wed 30, (Thu 1, Fri 2 holidays), (Sat 3, Sun 4), Mon 5, Tue 6.
    assert deadlines.add_days(date(2026, 9, 29), 3, working=True) == date(2026, 10, 6)
    assert deadlines.is_working_day(date(2026, 10, 10))


def test_period_ends_and_next_due():
    assert deadlines.period_end(date(2026, 5, 10), "quarterly") == date(2026, 6, 30)
    assert deadlines.period_end(date(2026, 8, 1), "half_yearly") == date(2026, 12, 31)
    assert deadlines.period_end(date(2026, 2, 3), "monthly") == date(2026, 2, 28)
    assert deadlines.next_due(date(2026, 6, 20), "quarterly") == date(2026, 9, 30)
    assert deadlines.next_due(date(2026, 1, 31), "monthly") == date(2026, 2, 28)


def test_due_status():
    due = date(2026, 11, 1)
    assert deadlines.due_status(due, date(2026, 10, 30)) == "on_time"
    assert deadlines.due_status(due, date(2026, 11, 2)) == "late"
    assert deadlines.due_status(due, today=date(2026, 11, 2)) == "overdue"
    assert deadlines.due_status(due, today=date(2026, 10, 30)) == "due_soon"
    assert deadlines.due_status(due, today=date(2026, 10, 1)) == "pending"


# --- attachments -------------------------------------------------------------------------
def make_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


PNG = make_png()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_html_renamed_to_pdf_is_rejected():
    with pytest.raises(ValidationError) as err:
        attachments.check_upload(upload("通知.pdf", b"<html><script>alert(1)</script></html>"))
    assert "不支持的文件类型" in err.value.messages[0]


def test_extension_must_match_content():
    with pytest.raises(ValidationError) as err:
        attachments.check_upload(upload("photo.pdf", PNG))
    assert err.value.code == "mismatch"


def test_oversized_upload_is_rejected():
    with pytest.raises(ValidationError) as err:
        attachments.check_upload(upload("big.pdf", b"%PDF-1.4" + b"0" * 2048), max_bytes=1024)
    assert err.value.code == "too_large"


def test_zip_bomb_inside_docx_is_rejected(monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (2 * 1024 * 1024))
    monkeypatch.setattr(attachments, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    with pytest.raises(ValidationError) as err:
        attachments.check_upload(upload("a.docx", buf.getvalue()))
    assert err.value.code == "zip_bomb"


@pytest.mark.django_db
def test_stored_file_gets_a_random_name_and_downloads_as_attachment(org, rf):
    stored = attachments.store_upload(upload("../../etc/合影.png", PNG), actor=None, organization=org("小留村妇联"))
    assert stored.original_name == "合影.png"
    assert "合影" not in stored.storage_name and stored.storage_name.endswith(".png")
    assert attachments.read_bytes(stored)[:8] == PNG[:8]  # re-encoded without metadata (P-04)
    response = attachments.file_response(rf.get("/"), stored)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- rate limits -------------------------------------------------------------------------
@pytest.mark.django_db
def test_rate_limit_allows_up_to_the_limit_per_window():
    with time_machine.travel("2026-03-08 10:00:05 +0800", tick=False):
        results = [ratelimit.hit("ip:1.2.3.4", limit=3, window_seconds=3600) for _ in range(4)]
        assert results == [True, True, True, False]
        assert ratelimit.hit("ip:5.6.7.8", limit=3, window_seconds=3600)
    with time_machine.travel("2026-03-08 11:00:05 +0800", tick=False):
        assert ratelimit.hit("ip:1.2.3.4", limit=3, window_seconds=3600)


# --- notifications -----------------------------------------------------------------------
@pytest.mark.django_db
def test_a_deduplicated_reminder_is_sent_once(org):
    village = org("小留村妇联")
    for _ in range(3):
        notifications.notify(organization=village, code="test.reminder", message="意见待回复", dedupe_key="s:1")
    assert Notification.objects.filter(organization=village, dedupe_key="s:1").count() == 1


def test_tracked_model_is_abstract():
    assert tracking.TrackedByPublic._meta.abstract
    assert isinstance(tracking.TrackedByPublic._meta.get_field("tracking_code"), models.CharField)


@pytest.mark.django_db
def test_reminders_show_on_the_home_page_of_their_organisation_only(login, org):
    notifications.notify(organization=org("小留村妇联"), code="test.reminder", message="有1条意见待回复",
                         link="/work/")
    assert "有1条意见待回复" in login("xiaoliu_women").get("/work/").content.decode()
    assert "有1条意见待回复" not in login("guojia_women").get("/work/").content.decode()


@pytest.mark.django_db
def test_a_reminder_is_marked_handled_only_by_its_organisation(login, org):
    reminder = notifications.notify(organization=org("小留村妇联"), code="test.reminder", message="待办")
    assert login("guojia_women").post(f"/work/reminders/{reminder.pk}/done/").status_code == 404
    reminder.refresh_from_db()
    assert reminder.read_at is None
    assert login("xiaoliu_women").post(f"/work/reminders/{reminder.pk}/done/").status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None


@pytest.mark.parametrize("typed", ["wq-a3b4-c5d6", "WQA3B4C5D6", "wq a3b4 c5d6", " ｗｑ－Ａ３Ｂ４－Ｃ５Ｄ６ ", "WQ—A3B4—C5D6"])
def test_a_tracking_code_is_read_however_it_was_typed(typed):
    assert tracking.normalize_code(typed) == "WQ-A3B4-C5D6"


@pytest.mark.django_db
def test_every_page_has_an_icon_and_favicon_ico_is_not_a_404(client):
    """Issue 13: the portal's home page logged a 404 for /favicon.ico."""
    home = client.get("/")
    assert 'rel="icon"' in home.content.decode()
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith("gongjian/favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("gongjian/favicon.svg")
