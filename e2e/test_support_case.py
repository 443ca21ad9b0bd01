"""维权案件 in a real browser (issue 10), on a phone: the 悄悄话 line's volunteer records a call in
under a minute (timed from opening the intake page to the code and password on the screen); a case
of 小留村 is referred up to 太华路街道妇联, whose lead cannot open it before (404) and accepts it
after. Screenshots land in e2e/artifacts/support_case_*.png."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

NARROW = {"width": 360, "height": 760}


@contextmanager
def another_phone(browser: Browser, base_url: str) -> Iterator[Page]:
    """A second phone (its own browser context): another cadre signs in on it."""
    page, watch = _open_page(browser, base_url, **PHONE)
    try:
        yield page
    finally:
        _close_page(page, watch)


def test_a_hotline_call_is_recorded_in_under_a_minute(phone, login_as, shot):
    login_as(phone, "lingsha_line")
    phone.set_viewport_size(NARROW)
    started = time.monotonic()
    phone.goto("/work/support/cases/new/")
    phone.get_by_text("心理与健康咨询", exact=True).click()
    phone.get_by_text("妇女悄悄话热线", exact=True).click()
    phone.locator("#id_summary").fill("咨询两癌筛查的时间，担心检查结果")
    phone.locator("#id_contact_mobile").fill("13995121234")
    assert_phone_friendly(phone)
    shot(phone, "support_case_intake_phone")
    phone.get_by_role("button", name="保存，生成查询码").click()
    expect(phone.locator("[data-code]")).to_have_text(re.compile(r"^WQ-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    expect(phone.locator("[data-password]")).to_have_text(re.compile(r"^\d{8}$"))
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"the call took {elapsed:.1f}s to record"
    assert_phone_friendly(phone)
    shot(phone, "support_case_recorded_phone")
    code = phone.locator("[data-code]").inner_text()

    phone.get_by_role("link", name="打开案件，补充详细情况").click()
    expect(phone.locator("main h1")).to_contain_text("心理与健康咨询")
    expect(phone.locator("main")).to_contain_text(code)
    expect(phone.locator("main")).to_contain_text("敏感个人信息")
    assert_phone_friendly(phone)
    shot(phone, "support_case_detail_phone")

    phone.goto("/work/support/cases/")
    expect(phone.locator("main")).to_contain_text("心理与健康咨询")
    assert_no_full_numbers(phone)
    assert_phone_friendly(phone)
    shot(phone, "support_case_list_phone")


def test_a_case_referred_up_is_seen_by_the_township_only_after(browser, live_server, phone, login_as, shot,
                                                                allow_console_error):
    login_as(phone, "xiaoliu_women")
    phone.set_viewport_size(NARROW)
    phone.goto("/work/support/cases/new/")
    phone.get_by_text("家庭暴力", exact=True).click()
    phone.get_by_text("来访", exact=True).click()
    phone.locator("#id_summary").fill("丈夫酒后打人，威胁不许回娘家")
    phone.locator("#id_contact_mobile").fill("13700003333")
    phone.get_by_text("有人身危险（高风险）").click()
    phone.get_by_role("button", name="保存，生成查询码").click()
    phone.get_by_role("link", name="打开案件，补充详细情况").click()
    case_url = phone.url
    phone.locator("#accept-note").fill("当日受理")
    phone.get_by_role("button", name="受理", exact=True).click()
    expect(phone.locator("main h1")).to_contain_text("已受理")
    expect(phone.locator("main")).to_contain_text("高风险")

    with another_phone(browser, live_server.url) as township:
        login_as(township, "taihua_fed")
        allow_console_error(township, r"404")
        before = township.goto(case_url)
        assert before is not None and before.status == 404
        township.goto("/work/support/cases/")
        expect(township.locator("main")).not_to_contain_text("丈夫酒后打人")

        # The village refers it up the 三级维权网络.
        phone.locator("#refer summary").click()
        phone.locator("#refer_target").select_option(label="上级妇联：太华路街道妇联")
        phone.locator("#refer_note").fill("男方拒不改正，需街道协调申请人身安全保护令")
        assert_phone_friendly(phone)
        shot(phone, "support_case_refer_phone")
        phone.get_by_role("button", name="转介", exact=True).click()
        expect(phone.locator("main h1")).to_contain_text("维权案件")
        expect(phone.locator("body")).to_contain_text("已转介")
        allow_console_error(phone, r"404")
        after_village = phone.goto(case_url)
        assert after_village is not None and after_village.status == 404  # no longer hers to see

        after = township.goto(case_url)
        assert after is not None and after.status == 200
        expect(township.locator("main h1")).to_contain_text("已转介")
        expect(township.locator("main")).to_contain_text("转来的案件：受理")
        assert_phone_friendly(township)
        shot(township, "support_case_township_phone")
        township.get_by_role("button", name="受理", exact=True).click()
        expect(township.locator("main h1")).to_contain_text("已受理")
        expect(township.locator("main")).to_contain_text("小留村妇联")
        shot(township, "support_case_township_accepted_phone")
