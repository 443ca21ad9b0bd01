"""示范和转移 in a real browser (issue 11): on a phone taihua_fed proposes a 巾帼科技致富示范基地 at
南营村; on a desktop huayin_fed (the county) designates it with criteria and an evaluation; a
visitor on a phone finds it on the portal (no ID number, no mobile); taihua_fed records a placement
on her phone and sees it counted, then logs a 牵手结对 meeting. Screenshots land in e2e/artifacts/development_demonstration_*.png."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

NAME = "南营村巾帼科技致富示范基地（二期）"


def test_a_base_proposed_on_a_phone_is_designated_and_public(browser: Browser, live_server, phone, desktop,
                                                             login_as, shot):
    # taihua_fed on her phone proposes the base.
    login_as(phone, "taihua_fed")
    phone.goto("/work/development/demonstrations/new/")
    phone.locator("#id_kind").select_option(label="巾帼科技致富示范基地")
    phone.locator("#id_organization").select_option(label="南营村妇联")
    phone.locator("#id_name").fill(NAME)
    phone.locator("#id_trade").fill("食用菌种植")
    phone.locator("#id_description").fill("村妇联牵头建菌棚20座，统一技术指导和收购，带动留守妇女就近务工。")
    phone.locator("#id_women_count").fill("18")
    phone.locator("#id_photo_is_public").check()
    assert_phone_friendly(phone)
    shot(phone, "development_demonstration_propose_phone")
    phone.get_by_role("button", name="提交推荐").click()
    expect(phone.locator("main h1")).to_contain_text(NAME)
    expect(phone.locator("main h1")).to_contain_text("已推荐，待县妇联认定")
    expect(phone.locator("#designate")).to_have_count(0)
    assert_phone_friendly(phone)
    shot(phone, "development_demonstration_proposed_phone")

    # huayin_fed (the county) designates it on a desktop.
    login_as(desktop, "huayin_fed")
    desktop.goto("/work/development/demonstrations/?state=proposed")
    desktop.get_by_role("link", name=NAME).click()
    desktop.get_by_label("认定为示范").check()
    desktop.locator("#id_criteria").fill("有稳定产业；带动妇女15人以上；每年技术培训不少于4次。")
    desktop.locator("#id_evaluation").fill("产业特色鲜明，带动作用明显，同意认定。")
    shot(desktop, "development_demonstration_designate_desktop")
    desktop.get_by_role("button", name="提交认定结果").click()
    expect(desktop.locator("main h1")).to_contain_text("已认定")
    expect(desktop.locator("#review")).to_be_visible()
    shot(desktop, "development_demonstration_designated_desktop")

    # A visitor on a phone finds it on the portal.
    visitor, watch = _open_page(browser, live_server.url, **PHONE)
    try:
        visitor.goto("/")
        expect(visitor.locator("#demonstrations-section")).to_contain_text(NAME)
        visitor.locator("#demonstrations-section").get_by_role("link", name=NAME).click()
        expect(visitor.locator("main h1")).to_contain_text(NAME)
        expect(visitor.locator("main")).to_contain_text("食用菌种植")
        assert_no_full_numbers(visitor)
        assert_phone_friendly(visitor)
        shot(visitor, "development_demonstration_portal_phone")
        visitor.goto("/development/demonstrations/")
        expect(visitor.locator("main")).to_contain_text("南营村巾帼科技致富示范基地")
        assert_phone_friendly(visitor)
        shot(visitor, "development_demonstration_portal_list_phone")
    finally:
        _close_page(visitor, watch)

    # taihua_fed records a placement on her phone; it is counted.
    phone.goto("/work/development/placements/")
    before = int(phone.locator("[data-figure='total'] strong").inner_text())
    phone.get_by_role("link", name="+ 登记转移就业").click()
    phone.locator("#id_person").select_option(index=1)
    phone.locator("#id_organization").select_option(label="南营村妇联")
    phone.locator("#id_training").fill("太华路街道月嫂培训")
    phone.locator("#id_employer").fill("西安巾帼家政服务公司")
    phone.locator("#id_work").fill("月嫂")
    phone.get_by_label("外出务工").check()
    phone.locator("#id_place").fill("西安市雁塔区")
    assert_phone_friendly(phone)
    shot(phone, "development_demonstration_placement_form_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("main")).to_contain_text("转移就业已登记")
    expect(phone.locator("main")).to_contain_text("西安巾帼家政服务公司")
    assert int(phone.locator("[data-figure='total'] strong").inner_text()) == before + 1
    assert_no_full_numbers(phone)
    assert_phone_friendly(phone)
    shot(phone, "development_demonstration_placements_phone")

    # The demo's 牵手结对 on the phone: the pairing list and one pair's meetings.
    phone.goto("/work/development/pairings/")
    assert_phone_friendly(phone)
    shot(phone, "development_demonstration_pairings_phone")
    phone.locator("a.list-row").first.click()
    phone.locator("#id_content").fill("到示范基地学习菌棚温湿度管理。")
    assert_phone_friendly(phone)
    phone.get_by_role("button", name="保存帮带记录").click()
    expect(phone.locator("main")).to_contain_text("联系记录已登记")
    expect(phone.locator("main")).to_contain_text("到示范基地学习菌棚温湿度管理。")
    assert_no_full_numbers(phone)
    shot(phone, "development_demonstration_pairing_meeting_phone")
