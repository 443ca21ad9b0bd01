"""维权 on the portal in a real browser (issue 10): on a 360 px phone a woman finds 网上求助 on the
portal's front page, reads the hotlines first, asks for help (no ID number asked), gets her tracking
code and query password, and checks her case; a wrong password gets the calm same answer. The
township's lead opens the oversight board on her phone: counts, no content. Screenshots land in
e2e/artifacts/support_case_public_*.png."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

NARROW = {**PHONE, "viewport": {"width": 360, "height": 780}}
SUMMARY = "丈夫喝酒后经常打我，昨天又动手了"


def test_a_woman_asks_for_help_on_her_phone_and_follows_her_case(browser: Browser, live_server, phone,
                                                                  login_as, shot, allow_console_error):
    woman, watch = _open_page(browser, live_server.url, **NARROW)
    # The form sent back with its reasons (400) and the calm "not found" (404) are expected answers.
    allow_console_error(woman, r"status of 400 .*/support/help/\)")
    allow_console_error(woman, r"status of 404 .*/support/help/track/(#code=[\w-]+)?\)")
    try:
        woman.goto("/")
        expect(woman.locator("#support-case-section")).to_contain_text("12338")
        woman.locator("#support-case-section").get_by_role("link", name="网上求助").click()
        expect(woman.locator("main h1")).to_have_text("网上求助")
        hotlines = woman.locator("#hotlines")
        expect(hotlines).to_contain_text("110")
        expect(hotlines).to_contain_text("12338")
        assert woman.locator("#hotlines").bounding_box()["y"] < woman.locator("#help-form").bounding_box()["y"]
        expect(woman.locator("#help-form input[name*=id_number], #help-form input[name*=address]")).to_have_count(0)
        assert_phone_friendly(woman)
        shot(woman, "support_case_public_help_phone")

        woman.locator("#id_organization").select_option(label="太华路街道 · 小留村妇联")
        woman.locator("#id_category").select_option(label="家庭暴力")
        woman.locator("#id_summary").fill(SUMMARY)
        woman.locator("#id_narrative").fill("孩子也被吓到了，我想知道怎么申请人身安全保护令。")
        woman.locator("#id_contact_name").fill("李女士")
        woman.locator("#id_contact_mobile").fill("13912345678")
        woman.locator("#id_call_note").fill("工作日上午，不要留言")
        woman.get_by_label("我要求匿名").check()
        # Forgetting the consent brings the form back with the reason, nothing lost.
        woman.get_by_role("button", name="提交求助").click()
        expect(woman.locator("main")).to_contain_text("请勾选同意")
        expect(woman.locator("#id_summary")).to_have_value(SUMMARY)
        shot(woman, "support_case_public_help_missing_consent_phone")
        woman.get_by_label("我同意妇联工作人员为帮助我而使用以上信息").check()
        woman.get_by_role("button", name="提交求助").click()

        expect(woman.locator("main h1")).to_have_text("已收到您的求助")
        code = woman.locator("#tracking-code").inner_text().strip()
        password = woman.locator("#query-password").inner_text().strip()
        assert re.fullmatch(r"WQ-[0-9A-Z]{4}-[0-9A-Z]{4}", code) and re.fullmatch(r"\d{8}", password)
        expect(woman.locator("#credentials")).to_contain_text("只显示这一次")
        assert_no_full_numbers(woman)
        assert_phone_friendly(woman)
        shot(woman, "support_case_public_done_phone")

        woman.get_by_role("link", name="查询办理情况").click()
        expect(woman.locator("main h1")).to_have_text("查询求助办理情况")
        woman.locator("#id_code").fill(code)
        woman.locator("#id_password").fill("12345678" if password != "12345678" else "87654321")
        woman.get_by_role("button", name="查询", exact=True).click()
        expect(woman.locator("main")).to_contain_text("没有查到")
        expect(woman.locator("#case-status")).to_have_count(0)
        assert_phone_friendly(woman)
        shot(woman, "support_case_public_wrong_password_phone")

        woman.locator("#id_code").fill(code.lower())
        woman.locator("#id_password").fill(password)
        woman.get_by_role("button", name="查询", exact=True).click()
        status = woman.locator("#case-status")
        expect(status).to_contain_text("已登记")
        expect(status).to_contain_text("工作人员将尽快联系您")
        expect(woman.locator("main")).not_to_contain_text(SUMMARY)
        expect(woman.locator("main")).not_to_contain_text("李女士")
        assert_no_full_numbers(woman)
        assert_phone_friendly(woman)
        shot(woman, "support_case_public_status_phone")
    finally:
        _close_page(woman, watch)

    # The township's lead sees the count on her phone, never the content.
    login_as(phone, "taihua_fed")
    phone.goto("/work/support/")
    phone.get_by_role("link", name="案件督办").first.click()
    expect(phone.locator("main h1")).to_have_text("案件督办")
    expect(phone.locator("#board-rows")).to_contain_text("小留村妇联")
    expect(phone.locator("#board-total")).to_contain_text("在办")
    expect(phone.locator("main")).not_to_contain_text(SUMMARY)
    expect(phone.locator("main")).not_to_contain_text(code)
    assert_phone_friendly(phone)
    shot(phone, "support_case_public_board_phone")
    phone.get_by_role("link", name="案件统计").first.click()
    expect(phone.locator("main h1")).to_have_text("维权案件统计")
    expect(phone.locator("#stats-totals")).to_contain_text("<5")
    assert_no_full_numbers(phone)
    assert_phone_friendly(phone)
    shot(phone, "support_case_public_stats_phone")
