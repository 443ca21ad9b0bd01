"""Activity and site photos (issue 13, P-04): what a phone sends is stored and served upright,
bounded and without its GPS position; lists show thumbnails; several at once; a refused file keeps
the caption and says why; delete is audited and removes the file everywhere."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongjian.kernel import attachments
from gongjian.kernel.models import AuditEvent
from gongjian.kernel.tests.photos import carries_no_metadata, phone_jpeg, size_of, top_is_red
from gongjian.womenshome.models import ActivityPhoto, SitePhoto

pytestmark = pytest.mark.django_db


def jpeg(name: str = "IMG_0001.jpg", **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, phone_jpeg(**kwargs), content_type="image/jpeg")  # type: ignore[arg-type]


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def photos_url(activity: object) -> str:
    return f"/work/womenshome/activities/{activity.pk}/photos/"  # type: ignore[attr-defined]


def test_a_phone_photo_with_gps_comes_back_upright_downscaled_and_without_exif_everywhere(login, xiaoliu):
    client = login("xiaoliu_women")
    activity = xiaoliu["activity"]
    activity.is_public = True
    activity.save(update_fields=["is_public"])
    # A phone held upright: 3000 x 4000, stored on its side with orientation 6, GPS of a home.
    upload = jpeg(width=3000, height=4000, orientation=6)
    assert not carries_no_metadata(upload.read())
    upload.seek(0)
    response = client.post(photos_url(activity), {"file": upload, "caption": "村口合影", "is_public": "1"})
    assert response.status_code == 302
    photo = ActivityPhoto.objects.get(caption="村口合影")
    on_disk = attachments.read_bytes(photo.file)
    assert carries_no_metadata(on_disk) and size_of(on_disk) == (1200, 1600) and top_is_red(on_disk)
    assert photo.file.sha256 == __import__("hashlib").sha256(on_disk).hexdigest()
    staff = f"/work/womenshome/photos/{photo.file.token}/"
    public = reverse("portal:womenshome-photo", args=[photo.file.token])
    for url, client_used in ((staff, client), (public, login("guojia_women")), (public, client)):
        for suffix, longest in (("", 1600), ("?v=thumb", attachments.images.THUMB_SIDE)):
            response = client_used.get(url + suffix)
            assert response.status_code == 200, url + suffix
            data = body(response)
            assert carries_no_metadata(data), url + suffix
            assert max(size_of(data)) == longest and top_is_red(data), url + suffix
            assert response["X-Content-Type-Options"] == "nosniff"


def test_the_activity_page_shows_thumbnails_so_a_phone_photo_no_longer_weighs_megabytes(login, xiaoliu):
    client = login("xiaoliu_women")
    activity = xiaoliu["activity"]
    big = jpeg(width=4000, height=3000)
    assert big.size > 2_000_000  # what a phone sends
    client.post(photos_url(activity), {"file": big, "caption": "培训现场"})
    page = client.get(activity.get_absolute_url()).content.decode()
    sources = re.findall(r'<img[^>]+src="([^"]+)"', page)
    photo_sources = [s for s in sources if "/photos/" in s]
    assert len(photo_sources) == 2 and all(s.endswith("?v=thumb") for s in photo_sources)
    weight = sum(len(body(client.get(s.replace("&amp;", "&")))) for s in photo_sources)
    assert weight < 60_000, weight  # was the 2.5 MB original and more
    # The full-size photo is one tap away, and bounded too.
    full = body(client.get(photo_sources[1].removesuffix("?v=thumb")))
    assert len(full) < big.size / 4 and max(size_of(full)) == 1600


def test_several_photos_at_once_each_audited(login, xiaoliu):
    client = login("xiaoliu_women")
    activity = xiaoliu["activity"]
    files = [jpeg(f"IMG_{n}.jpg", width=1200, height=900, noisy=False) for n in range(3)]
    response = client.post(photos_url(activity), {"file": files, "caption": "三张"}, follow=True)
    assert "已上传 3 张照片" in response.content.decode()
    assert ActivityPhoto.objects.filter(activity=activity, caption="三张").count() == 3
    assert AuditEvent.objects.filter(event="womenshome.activity.photo_added", object_id=str(activity.pk)).count() == 4


def test_a_refused_file_keeps_the_caption_says_why_in_chinese_and_stores_nothing(login, xiaoliu):
    client = login("xiaoliu_women")
    activity = xiaoliu["activity"]
    before = ActivityPhoto.objects.count()
    fake = SimpleUploadedFile("假照片.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    good = jpeg("好照片.jpg", width=800, height=600, noisy=False)
    response = client.post(photos_url(activity), {"file": [good, fake], "caption": "妇女节合影"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="妇女节合影"' in page
    assert "“假照片.jpg”：不支持的文件类型" in page
    assert ActivityPhoto.objects.count() == before  # all or none: she sends them again together


def test_a_photo_too_large_is_refused_on_the_server_too(login, xiaoliu, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_PHOTO_BYTES", 50_000)
    client = login("xiaoliu_women")
    response = client.post(photos_url(xiaoliu["activity"]), {"file": jpeg("大照片.jpg", width=800, height=600),
                                                             "caption": "太大了"})
    page = response.content.decode()
    assert response.status_code == 400 and "照片太大" in page and "大照片.jpg" in page
    assert 'value="太大了"' in page
    # The browser is told the same limit, to check before sending.
    assert 'data-max-bytes="50000"' in page


def test_an_htmx_upload_answers_the_photo_section_only(login, xiaoliu):
    client = login("xiaoliu_women")
    headers = {"HX-Request": "true", "HX-Target": "photos"}
    response = client.post(photos_url(xiaoliu["activity"]), {"file": jpeg(width=640, height=480, noisy=False),
                                                             "caption": "htmx"}, headers=headers)
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<section id="photos"')
    assert "已上传 1 张照片" in page and "参加人员" not in page
    refused = client.post(photos_url(xiaoliu["activity"]), {"caption": "没选照片"}, headers=headers)
    assert refused.status_code == 400 and 'value="没选照片"' in refused.content.decode()
    assert "请选择照片" in refused.content.decode()
    photo = ActivityPhoto.objects.select_related("file").get(caption="htmx")
    deleted = client.post(f"{photos_url(xiaoliu['activity'])}{photo.pk}/delete/", headers=headers)
    assert deleted.status_code == 200 and deleted.content.decode().lstrip().startswith('<section id="photos"')
    assert "照片已删除" in deleted.content.decode() and photo.file.token not in deleted.content.decode()


def test_deleting_a_photo_is_audited_and_removes_it_from_storage_and_the_portal(
        login, xiaoliu, django_capture_on_commit_callbacks):
    client = login("xiaoliu_women")
    activity = xiaoliu["activity"]
    activity.is_public = True
    activity.save(update_fields=["is_public"])
    client.post(photos_url(activity), {"file": jpeg(width=800, height=600), "caption": "要删的", "is_public": "1"})
    photo = ActivityPhoto.objects.get(caption="要删的")
    stored = photo.file
    paths = [attachments.file_path(stored), attachments.thumbnail_path(stored)]
    public = reverse("portal:womenshome-photo", args=[stored.token])
    assert all(p.exists() for p in paths) and client.get(public).status_code == 200
    portal_page = client.get(reverse("portal:womenshome-activity", args=[activity.pk])).content.decode()
    assert stored.token in portal_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{photos_url(activity)}{photo.pk}/delete/", follow=True)
    assert "照片已删除" in response.content.decode()
    assert not ActivityPhoto.objects.filter(pk=photo.pk).exists()
    assert not any(p.exists() for p in paths)
    assert client.get(public).status_code == 404
    assert client.get(f"/work/womenshome/photos/{stored.token}/").status_code == 404
    assert stored.token not in client.get(reverse("portal:womenshome-activity", args=[activity.pk])).content.decode()
    event = AuditEvent.objects.get(event="womenshome.activity.photo_deleted")
    assert event.actor.username == "xiaoliu_women"
    assert event.changes["sha256"] == stored.sha256 and event.changes["caption"] == "要删的"


def test_another_village_cannot_delete_and_a_get_deletes_nothing(login, xiaoliu):
    photo = xiaoliu["photo"]
    url = f"{photos_url(xiaoliu['activity'])}{photo.pk}/delete/"
    assert login("guojia_women").post(url).status_code == 404
    assert login("xiaoliu_women").get(url).status_code == 405
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()
    assert attachments.file_path(photo.file).exists()


def test_a_photo_of_another_activity_cannot_be_deleted_through_this_one(login, xiaoliu, acting, org):
    from .factories import make_activity

    other = make_activity(acting("xiaoliu_women"), org("小留村妇联"))
    url = f"{photos_url(other)}{xiaoliu['photo'].pk}/delete/"
    assert login("xiaoliu_women").post(url).status_code == 404
    assert ActivityPhoto.objects.filter(pk=xiaoliu["photo"].pk).exists()


def test_site_photos_several_at_once_thumbnails_and_delete(login, xiaoliu, django_capture_on_commit_callbacks):
    client = login("xiaoliu_women")
    site = xiaoliu["site"]
    url = f"/work/womenshome/sites/{site.pk}/photos/"
    client.post(url, {"file": [jpeg("a.jpg", width=900, height=600, noisy=False),
                               jpeg("b.jpg", width=900, height=600, noisy=False)], "caption": "阵地新照"})
    photos = list(SitePhoto.objects.filter(site=site, caption="阵地新照"))
    assert len(photos) == 2 and all(carries_no_metadata(attachments.read_bytes(p.file)) for p in photos)
    page = client.get(site.get_absolute_url()).content.decode()
    assert f"/work/womenshome/photos/{photos[0].file.token}/?v=thumb" in page
    assert login("guojia_women").post(f"{url}{photos[0].pk}/delete/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}{photos[0].pk}/delete/")
    assert not SitePhoto.objects.filter(pk=photos[0].pk).exists()
    assert AuditEvent.objects.filter(event="womenshome.site.photo_deleted", object_id=str(site.pk)).exists()
    assert not attachments.file_path(photos[0].file).exists()
