"""Sharing and finding (issue 13): a village board found by typing its pinyin initials, and a public
activity carrying its share tags and a short link with a copy button, on a phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from e2e.checks import assert_phone_friendly


def test_a_village_board_is_found_by_typing_its_initials(phone: Page, shot):
    phone.goto("/disclosure/")
    rows = phone.locator("#board-list a.list-row")
    everything = rows.count()
    assert everything > 20
    phone.get_by_label("找公开栏").fill("xlc")
    expect(phone.locator("#board-list")).to_contain_text("找到")
    expect(rows.filter(has_text="小留村")).to_have_count(1)
    assert rows.count() < 5
    assert "q=xlc" in phone.url  # the address can be shared or reopened
    assert_phone_friendly(phone)
    shot(phone, "sharing_board_finder_xlc_phone")
    rows.filter(has_text="小留村").click()
    expect(phone.locator("main h1")).to_contain_text("小留村")


def test_the_board_finder_works_without_javascript(browser: Any, live_server: Any):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/disclosure/")
        page.get_by_label("找公开栏").fill("郭家")
        page.get_by_role("button", name="查找").click()
        expect(page.locator("#board-list a.list-row").first).to_contain_text("郭家")
        assert all("郭家" in t for t in page.locator("#board-list a.list-row").all_inner_texts())
    finally:
        context.close()


def public_activity() -> Any:
    from gongjian.kernel.models import Organization
    from gongjian.kernel.tests.matrix import persona
    from gongjian.womenshome import services
    from gongjian.womenshome.tests.factories import make_activity, png

    director = persona("xiaoliu_women")
    activity = make_activity(director, Organization.objects.get(name="小留村妇联"), title="新春秧歌汇演",
                             summary="全村妇女一起排练秧歌，迎接新年。", is_public=True)
    services.activity_add_photos(actor=director, activity=activity, uploads=[png()], caption="汇演合影",
                                 is_public=True)
    return activity


def test_a_shared_activity_has_its_title_picture_and_a_short_link_to_copy(phone: Page, shot):
    activity = public_activity()
    phone.goto(f"/womenshome/activities/{activity.pk}/")
    expect(phone.locator('meta[property="og:title"]')).to_have_attribute("content", "新春秧歌汇演")
    token = activity.photos.get().file.token
    expect(phone.locator('meta[property="og:image"]')).to_have_attribute(
        "content", phone.url.split("/womenshome")[0] + f"/womenshome/photos/{token}/?v=thumb")
    box = phone.get_by_role("region", name="转发到微信群")
    expect(box).to_be_visible()
    link = phone.locator("#share-url").inner_text()
    assert "/s/" in link
    box.get_by_role("button", name="复制链接").click()
    expect(box.get_by_role("button", name="已复制")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "sharing_activity_short_link_phone")
    phone.goto(link)
    expect(phone.locator("main h1")).to_have_text("新春秧歌汇演")
