"""Activity photos on a phone (issue 13): xiaoliu_women picks two photos from her phone at once
(GPS in their EXIF, one held upright), sees the progress and the button disabled while they go
over a slow line (made smaller on the phone first), gets thumbnails back that weigh a few kilobytes, and deletes one; a file that is
too large is stopped before sending, in Chinese; a refused file keeps her caption. The public
page shows the kept photo as a thumbnail, with no GPS in it. Screenshots land in
e2e/artifacts/photos_*.png."""

from __future__ import annotations

import base64
from typing import Any

from playwright.sync_api import Page, expect

from e2e.checks import assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page
from gongjian.kernel.tests.photos import carries_no_metadata, phone_jpeg, size_of, top_is_red

FETCH_BYTES = """async (urls) => Promise.all(urls.map(async (u) => {
  const r = await fetch(u, {credentials: 'same-origin'});
  const b = new Uint8Array(await r.arrayBuffer());
  let s = ''; for (let i = 0; i < b.length; i++) { s += String.fromCharCode(b[i]); }
  return [r.status, btoa(s)];
}))"""


def fetched(page: Page, urls: list[str]) -> list[bytes]:
    answers = page.evaluate(FETCH_BYTES, urls)
    assert all(status == 200 for status, _ in answers), answers
    return [base64.b64decode(data) for _, data in answers]


def photo_sources(page: Page) -> list[str]:
    return page.locator("#photos img").evaluate_all("els => els.map(e => e.getAttribute('src'))")


def pictures_shown(page: Page) -> None:
    """Scroll each photo into view (they load lazily) and wait until all have arrived, so a
    screenshot shows what she sees."""
    pictures = page.locator(".wh-photos img")
    for n in range(pictures.count()):
        pictures.nth(n).scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.wh-photos img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    page.evaluate("window.scrollTo(0, 0)")


def xiaoliu_activity() -> Any:
    from gongjian.womenshome.models import Activity

    activity = Activity.objects.filter(organization__name="小留村妇联").order_by("-date", "-id").first()
    activity.is_public = True
    activity.save(update_fields=["is_public"])
    activity.photos.all().delete()
    return activity


def slow_upload(page: Page) -> None:
    """A weak village connection: about 300 kB/s up."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                  "downloadThroughput": 600_000, "uploadThroughput": 300_000})


def test_two_photos_at_once_on_a_phone_progress_thumbnails_and_delete(phone, desktop, login_as, shot, tmp_path,
                                                                     allow_console_error):
    activity = xiaoliu_activity()
    first, second = tmp_path / "IMG_0001.jpg", tmp_path / "IMG_0002.jpg"
    first.write_bytes(phone_jpeg(1800, 2400, orientation=6))   # held upright
    second.write_bytes(phone_jpeg(2400, 1800))
    assert not carries_no_metadata(first.read_bytes())
    sent = first.stat().st_size + second.stat().st_size

    login_as(phone, "xiaoliu_women")
    phone.goto(f"/work/womenshome/activities/{activity.pk}/#photos")
    form = phone.locator("form[data-photo-upload]")
    button = form.get_by_role("button", name="上传照片")

    # Over the 20 MB limit: stopped in the browser, in Chinese, nothing sent.
    big = tmp_path / "IMG_0003.jpg"
    big.write_bytes(phone_jpeg(800, 600) + bytes(21 * 1024 * 1024))
    form.get_by_label("照片（JPG 或 PNG，可一次选多张）").set_input_files([str(first), str(big)])
    expect(form.locator("[data-photo-check]")).to_contain_text("照片太大（每张不能超过 20 MB）")
    expect(form.locator("[data-photo-check]")).to_contain_text("IMG_0003.jpg")
    expect(form.locator("[data-photo-check]")).not_to_contain_text("IMG_0001.jpg")
    posts: list[str] = []
    phone.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    button.click()
    phone.wait_for_timeout(1000)
    assert not posts, posts
    shot(phone, "photos_too_large_phone")

    # Within the limit, over a slow line: progress shown, the button disabled until done.
    form.get_by_label("照片（JPG 或 PNG，可一次选多张）").set_input_files([str(first), str(second)])
    expect(form.locator("[data-photo-check]")).to_be_hidden()
    form.get_by_label("说明").fill("果树修剪现场")
    form.get_by_label("可在门户公开（请确认照片中的人员同意公开）").check()
    slow_upload(phone)
    phone.evaluate("""() => { window.sentBytes = 0; document.addEventListener('htmx:xhr:progress',
      e => { window.sentBytes = Math.max(window.sentBytes, e.detail.total || 0); }); }""")
    button.click()
    sending = form.locator("button[type=submit]")
    expect(sending).to_be_disabled()
    expect(sending).to_have_text("正在上传…")
    expect(form.locator("[data-photo-progress]")).to_be_visible()
    expect(form.locator("[data-photo-percent]")).to_contain_text("正在上传")
    shot(phone, "photos_uploading_phone")
    expect(phone.locator("#photos [role=status]")).to_contain_text("已上传 2 张照片", timeout=60_000)
    expect(phone.locator("#photos figure")).to_have_count(2)
    expect(phone.locator("form[data-photo-upload] button[type=submit]")).to_be_enabled()
    # Made smaller on the phone before sending: a weak line carries a fraction of the bytes.
    assert 0 < phone.evaluate("window.sentBytes") < sent / 3, (phone.evaluate("window.sentBytes"), sent)
    assert_phone_friendly(phone)
    pictures_shown(phone)
    shot(phone, "photos_uploaded_phone")

    # The page shows thumbnails: a few kilobytes instead of the megabytes she sent.
    sources = photo_sources(phone)
    assert len(sources) == 2 and all(s.endswith("?v=thumb") for s in sources)
    thumbs = fetched(phone, sources)
    assert sum(len(t) for t in thumbs) < sent / 20, (sum(len(t) for t in thumbs), sent)
    full = fetched(phone, [s.removesuffix("?v=thumb") for s in sources])
    for data in thumbs + full:
        assert carries_no_metadata(data) and top_is_red(data)
    assert max(max(size_of(d)) for d in full) == 1600

    # Desktop view of the same page.
    login_as(desktop, "xiaoliu_women")
    desktop.goto(f"/work/womenshome/activities/{activity.pk}/#photos")
    expect(desktop.locator("#photos figure")).to_have_count(2)
    pictures_shown(desktop)
    shot(desktop, "photos_activity_desktop")

    # A refused file keeps the caption and says why, in Chinese.
    allow_console_error(phone, r"status of 400")
    fake = tmp_path / "假照片.jpg"
    fake.write_bytes(b"<html>not a photo</html>")
    form = phone.locator("form[data-photo-upload]")
    form.get_by_label("照片（JPG 或 PNG，可一次选多张）").set_input_files(str(fake))
    form.get_by_label("说明").fill("妇女节合影")
    form.get_by_role("button", name="上传照片").click()
    expect(phone.locator("#photos .invalid-feedback")).to_contain_text("“假照片.jpg”：不支持的文件类型")
    expect(phone.locator("form[data-photo-upload]").get_by_label("说明")).to_have_value("妇女节合影")
    pictures_shown(phone)
    shot(phone, "photos_refused_phone")

    # Delete one (asked first): gone from the page and from the portal.
    token = sources[0].split("/photos/")[1].split("/")[0]
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.locator("#photos figure").first.get_by_role("button", name="删除").click()
    expect(phone.locator("#photos [role=status]")).to_contain_text("照片已删除")
    expect(phone.locator("#photos figure")).to_have_count(1)
    pictures_shown(phone)
    shot(phone, "photos_deleted_phone")

    phone.goto(f"/womenshome/activities/{activity.pk}/")
    expect(phone.locator(".wh-photos img")).to_have_count(1)
    public = phone.locator(".wh-photos img").first.get_attribute("src") or ""
    assert public.endswith("?v=thumb") and token not in public
    pictures_shown(phone)
    kept = fetched(phone, [public, public.removesuffix("?v=thumb")])
    assert all(carries_no_metadata(d) for d in kept)
    shot(phone, "photos_public_phone")


def test_without_javascript_a_site_photo_is_uploaded_and_deleted_on_a_phone(browser, live_server, login_as, shot,
                                                                           tmp_path):
    """The same form works with JavaScript off: a plain POST, a redirect to the photos."""
    from gongjian.womenshome.models import WomensHome

    site = WomensHome.objects.get(organization__name="小留村妇联")
    site.photos.all().delete()
    photo = tmp_path / "阵地.jpg"
    photo.write_bytes(phone_jpeg(2400, 1800))
    page, watch = _open_page(browser, live_server.url, java_script_enabled=False, **PHONE)
    try:
        login_as(page, "xiaoliu_women")
        page.goto(f"/work/womenshome/sites/{site.pk}/")
        form = page.locator("form[data-photo-upload]")
        form.get_by_label("照片（JPG 或 PNG，可一次选多张）").set_input_files(str(photo))
        form.get_by_label("说明").fill("阵地外景")
        form.get_by_role("button", name="上传照片").click()
        expect(page.get_by_text("已上传 1 张照片。")).to_be_visible()
        expect(page.locator("#photos figure")).to_have_count(1)
        source = page.locator("#photos img").first.get_attribute("src") or ""
        assert source.endswith("?v=thumb")
        shot(page, "photos_site_nojs_phone")
        page.locator("#photos figure").first.get_by_role("button", name="删除").click()
        expect(page.get_by_text("照片已删除。")).to_be_visible()
        expect(page.locator("#photos figure")).to_have_count(0)
    finally:
        _close_page(page, watch)
