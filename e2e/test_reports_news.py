"""信息报送 in a real browser (issue 14): on her phone 小留村's women's director (xiaoliu_women) writes a
piece and adds a photo from the phone's camera (a file chooser), with its caption and the byline
filled in for her; 太华路街道妇联 (taihua_fed) finds it first in its inbox, changes the title and a
phrase and adopts it; the piece, its photo, "来源：小留村妇联" and the byline show on the portal's
工作信息 for a visitor without an account. Screenshots (desktop and phone) land in
e2e/artifacts/reports_news_*.png."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import Browser, expect

from e2e.checks import assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

TITLE = "小留村妇女之家举办果蔬种植技术培训"
EDITED = "小留村妇女之家举办果蔬种植实用技术培训"
BODY = ("3月8日，小留村妇女之家邀请市农技中心技术员，为村里妇女讲解大棚果蔬种植技术。\n"
        "培训采取课堂讲解和大棚现场示范相结合的方式，参训妇女40余人。")


def _camera_photo() -> dict:
    """What a phone camera hands the page: a JPEG named as the camera names it."""
    image = Image.new("RGB", (1600, 1200), (120, 170, 90))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return {"name": "IMG_20261201_093015.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _photo_shown(page) -> None:
    """The piece's photo really loads (lazy: once it is scrolled to)."""
    page.locator("main .nw-photo img").first.scroll_into_view_if_needed()
    page.wait_for_function("() => { const i = document.querySelector('main .nw-photo img');"
                           " return i && i.complete && i.naturalWidth > 0; }", timeout=10_000)


def test_a_village_piece_goes_up_is_adopted_with_an_edit_and_shows_on_the_portal(
        browser: Browser, live_server, phone, desktop, login_as, shot):
    # The village women's director, on her phone.
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/reports/")
    phone.get_by_role("link", name="信息报送").click()
    shot(phone, "reports_news_mine_empty_phone")
    phone.get_by_role("link", name="＋ 写一篇稿件报送上级").click()
    expect(phone.locator("#id_byline")).to_have_value("小留村妇联刘桂兰供稿")
    expect(phone.locator("#id_receiver option:checked")).to_have_text("太华路街道妇联")
    phone.locator("#id_title").fill(TITLE)
    phone.locator("#id_body").fill(BODY)
    with phone.expect_file_chooser() as chooser:
        phone.get_by_text("拍照或选择第1张照片").click()
    chooser.value.set_files(_camera_photo())
    expect(phone.locator(".nw-slot[data-slot='1'] .nw-picked")).to_contain_text("IMG_20261201_093015.jpg")
    expect(phone.locator(".nw-slot[data-slot='1'] .nw-preview")).to_be_visible()
    phone.locator("#id_caption_1").fill("大棚现场示范")
    expect(phone.get_by_role("button", name="＋ 再加一张照片")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "reports_news_submit_phone")
    phone.get_by_role("button", name="报送", exact=True).click()
    expect(phone.locator(".alert-success[role=alert]")).to_contain_text("已报送给太华路街道妇联")
    expect(phone.locator("main")).to_contain_text("待采用")
    expect(phone.locator("main figcaption")).to_contain_text("大棚现场示范")
    _photo_shown(phone)
    assert_phone_friendly(phone)
    shot(phone, "reports_news_submitted_phone")

    # The street federation, at her desk: undecided pieces first; she edits and adopts.
    login_as(desktop, "taihua_fed")
    desktop.goto("/work/reports/news/inbox/")
    first = desktop.locator(".nw-row").first
    expect(first).to_contain_text(TITLE)
    expect(first).to_contain_text("待采用")
    shot(desktop, "reports_news_inbox_desktop")
    first.click()
    desktop.get_by_role("link", name="处理这篇稿件（采用或退回）").click()
    desktop.locator("#id_title").fill(EDITED)
    desktop.locator("#id_body").fill(BODY.replace("40余人", "四十余人"))
    shot(desktop, "reports_news_decide_desktop")
    desktop.get_by_role("button", name="采用并在门户发布").click()
    expect(desktop.locator(".alert-success[role=alert]")).to_contain_text("已采用")
    expect(desktop.locator(".nw-diff ins")).to_contain_text("四十")
    expect(desktop.locator(".nw-diff del")).to_contain_text("40")
    shot(desktop, "reports_news_adopted_desktop")
    desktop.get_by_role("link", name="报送排名").click()
    expect(desktop.locator("table.nw-rank tbody tr").first).to_contain_text("小留村妇联")
    shot(desktop, "reports_news_ranking_desktop")

    # The street federation's inbox on a phone, too.
    chair, watch = _open_page(browser, live_server.url, **PHONE)
    try:
        login_as(chair, "taihua_fed")
        chair.goto("/work/reports/news/inbox/")
        expect(chair.locator("main")).to_contain_text(EDITED)
        assert_phone_friendly(chair)
        shot(chair, "reports_news_inbox_phone")
    finally:
        _close_page(chair, watch)

    # A visitor without an account, on a phone and at a desk.
    for options, name in ((PHONE, "phone"), ({"viewport": {"width": 1366, "height": 900}}, "desktop")):
        visitor, watch = _open_page(browser, live_server.url, **options)
        try:
            visitor.goto("/")
            expect(visitor.locator("#news-section")).to_contain_text(EDITED)
            visitor.locator("#news-section").get_by_role("link", name="全部工作信息").click()
            expect(visitor.locator("main")).to_contain_text("来源：小留村妇联")
            shot(visitor, f"reports_news_portal_list_{name}")
            visitor.get_by_role("link", name=EDITED).click()
            main = visitor.locator("main")
            expect(main.locator("h1")).to_have_text(EDITED)
            expect(main).to_contain_text("来源：小留村妇联")
            expect(main).to_contain_text("小留村妇联刘桂兰供稿")
            expect(main).to_contain_text("四十余人")
            expect(main).not_to_contain_text(TITLE + "\n")
            expect(main.locator("figcaption")).to_have_text("大棚现场示范")
            _photo_shown(visitor)
            if name == "phone":
                assert_phone_friendly(visitor)
            shot(visitor, f"reports_news_portal_detail_{name}")
        finally:
            _close_page(visitor, watch)

    # Back on her phone, the director sees it adopted.
    phone.goto("/work/reports/news/")
    expect(phone.locator(".nw-row").first).to_contain_text("已采用")
    shot(phone, "reports_news_mine_phone")


def test_a_returned_piece_shows_the_reason_on_the_village_phone(phone, login_as, shot):
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/reports/news/?state=returned")
    row = phone.locator(".nw-row").first
    expect(row).to_contain_text("已退回")
    expect(row).to_contain_text("退回原因：请补充培训的时间、参训人数")
    row.click()
    expect(phone.locator(".alert-warning")).to_contain_text("请补充培训的时间")
    phone.get_by_role("link", name="修改后重新报送").click()
    expect(phone.locator(".alert-warning")).to_contain_text("退回原因")
    # She writes the caption the editor asked for under the photo already sent, adds the numbers.
    phone.locator(".nw-kept input[type=text]").first.fill("果园实地示范修剪")
    expect(phone.get_by_text("拍照或选择一张新照片").first).to_be_visible()
    expect(phone.get_by_text("拍照或选择一张新照片").nth(1)).to_be_hidden()
    body = phone.locator("#id_body")
    body.fill(body.input_value() + "\n培训于11月20日举行，参训妇女36人。")
    assert_phone_friendly(phone)
    shot(phone, "reports_news_revise_phone")
    phone.get_by_role("button", name="重新报送").click()
    expect(phone.locator(".alert-success[role=alert]")).to_contain_text("已修改并重新报送")
    expect(phone.locator("main")).to_contain_text("待采用")
    expect(phone.locator("main figcaption")).to_have_text("果园实地示范修剪")
    shot(phone, "reports_news_resubmitted_phone")
