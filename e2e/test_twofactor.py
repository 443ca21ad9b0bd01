"""Two-step verification on a phone (A-05): a village lead signs in, is sent to enrolment, types
the secret shown under the QR code into her "authenticator" (computed here), saves her recovery
codes, signs out, and signs in again with a password and a fresh code.

The suite runs with GONGJIAN_REQUIRE_2FA off (test settings, ADR 0033); this test turns it on —
the live server runs in this process and reads the same settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.checks import assert_no_sideways_scroll


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.GONGJIAN_REQUIRE_2FA = True


def code_for(secret: str, steps_ahead: int = 0) -> str:
    from gongjian.kernel import twofactor

    return twofactor.code_at(secret, twofactor.current_step() + steps_ahead)


def test_a_lead_enrols_on_her_phone_and_signs_in_with_a_code(phone: Page, demo_password, shot):
    page = phone
    page.goto("/work/login/")
    page.get_by_label("用户名", exact=True).fill("xiaoliu_women")
    page.get_by_label("密码", exact=True).fill(demo_password)
    page.get_by_role("button", name="登录", exact=True).click()

    # Straight to enrolment, whatever she meant to open.
    page.wait_for_url("**/work/account/second-factor/")
    expect(page.get_by_text("您的职务或管理角色要求启用两步验证")).to_be_visible()
    qr = page.locator("#qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150, "the QR code is too small to scan"
    secret = page.locator("#secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert_no_sideways_scroll(page)
    shot(page, "twofactor-enrol-phone")

    page.goto("/work/people/")
    page.wait_for_url("**/work/account/second-factor/")

    page.get_by_label("验证码", exact=True).fill(code_for(secret))
    page.get_by_role("button", name="启用两步验证").click()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    assert re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", codes.first.inner_text())
    assert_no_sideways_scroll(page)
    shot(page, "twofactor-recovery-codes-phone")
    page.get_by_role("link", name="已保存，继续").click()
    page.wait_for_url(lambda url: url.endswith("/work/"))

    # Sign out and back in: password, then a code (the next step's: this step's is spent).
    toggler = page.locator("nav.navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("form[action$='/work/logout/'] button").click()
    page.wait_for_url("**/work/login/")
    page.get_by_label("用户名", exact=True).fill("xiaoliu_women")
    page.get_by_label("密码", exact=True).fill(demo_password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/work/login/code/")
    assert_no_sideways_scroll(page)
    page.get_by_label("验证码或恢复码").fill("000000" if code_for(secret, 1) != "000000" else "111111")
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    page.get_by_label("验证码或恢复码").fill(code_for(secret, 1))
    page.get_by_label(re.compile("在这台设备上记住我")).check()
    shot(page, "twofactor-code-step-phone")
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(lambda url: url.endswith("/work/"))
    expect(page.locator("form[action$='/work/logout/']")).to_be_attached()
    expect(page.get_by_text("小留村妇联").first).to_be_visible()
    shot(page, "twofactor-signed-in-phone")

    # Her recovery codes run low: she makes new ones herself with a current code.
    from gongjian.kernel import twofactor

    signed_in_step = twofactor.current_step()
    page.goto("/work/account/second-factor/")
    page.get_by_role("link", name="重新生成恢复码").click()
    page.wait_for_url("**/work/account/second-factor/recovery-codes/")
    expect(page.get_by_text("原来的恢复码（包括未使用的）全部作废")).to_be_visible()
    assert_no_sideways_scroll(page)
    shot(page, "twofactor-renew-codes-phone")
    while twofactor.current_step() <= signed_in_step:  # the sign-in spent the next step's code
        page.wait_for_timeout(1000)
    page.get_by_label("手机验证器上的验证码").fill(code_for(secret, 1))
    page.get_by_role("button", name="生成新的恢复码").click()
    renewed = page.locator("#recovery-codes li")
    expect(renewed).to_have_count(10)
    expect(page.get_by_text("原来的恢复码已全部作废")).to_be_visible()
    assert_no_sideways_scroll(page)
    shot(page, "twofactor-renewed-codes-phone")
