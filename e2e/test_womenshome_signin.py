"""QR sign-in as the people at the door live it (issue 13). 小留村's women's head opens the sign-in
code of a lecture whose head count she already typed (20); a resident on a 360 px phone signs in,
then signs again and is told calmly that she has already signed in; the organiser's QR page
counts the 待确认 signers as they arrive without a reload (htmx polling) and confirms them all
with one tap; the public page adds the sign-ins to the typed head count. Screenshots land in
e2e/artifacts/womenshome_signin13_*.png."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from playwright.sync_api import Browser, expect

from e2e.checks import assert_phone_friendly
from e2e.conftest import _close_page, _open_page

NARROW_PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
                "is_mobile": True, "has_touch": True}


def xiaoliu_lecture(title: str) -> Any:
    from gongjian.kernel.models import Organization
    from gongjian.kernel.tests.matrix import persona
    from gongjian.womenshome import services

    return services.activity_create(actor=persona("xiaoliu_women"), data={
        "organization": Organization.objects.get(name="小留村妇联"), "kind": "health", "title": title,
        "date": date.today(), "hours": 2, "is_public": True, "attendance_mode": "headcount", "head_count": 20})


def resident_signs(browser: Browser, base_url: str, url: str, name: str, mobile: str, shot: Any = None,
                   twice: bool = False) -> None:
    page, watch = _open_page(browser, base_url, **NARROW_PHONE)
    try:
        for attempt in range(2 if twice else 1):
            page.goto(url)
            expect(page.get_by_role("heading", name="活动签到")).to_be_visible()
            page.get_by_label("姓名").fill(name)
            page.get_by_label("手机号码").fill(mobile)
            page.get_by_role("button", name="签到", exact=True).click()
            if attempt == 0:
                expect(page.get_by_role("heading", name="签到成功")).to_be_visible()
        if twice:
            # The second time: a calm green answer, no red error, nothing to correct.
            expect(page.get_by_role("heading", name="您已签到")).to_be_visible()
            expect(page.locator(".alert-danger, .is-invalid")).to_have_count(0)
            expect(page.locator(".wh-done")).to_have_css("color", "rgb(46, 125, 50)")
            assert_phone_friendly(page)
            if shot:
                shot(page, "womenshome_signin13_twice_360")
    finally:
        _close_page(page, watch)


def test_residents_sign_in_twice_calmly_and_the_organiser_confirms_all_in_one_tap(
        browser, live_server, phone, login_as, shot):
    lecture = xiaoliu_lecture("妇女健康知识讲座")
    login_as(phone, "xiaoliu_women")
    phone.goto(f"/work/womenshome/activities/{lecture.pk}/")
    expect(phone.locator("#head-count")).to_contain_text("合计 20 人")
    phone.locator("#open-signin").click()
    expect(phone.locator(".wh-qr-box svg")).to_be_visible()
    expect(phone.locator("#signin-pending")).to_have_text("0")
    url = phone.locator("#signin-link").get_attribute("href")
    assert url and "/womenshome/signin/" in url

    resident_signs(browser, live_server.url, url, "韩新梅", "13992345600", shot, twice=True)
    resident_signs(browser, live_server.url, url, "吴春燕", "13992345601")

    # No reload: the status fragment polls and shows both as 待确认, with 全部确认.
    expect(phone.locator("#signin-pending")).to_have_text("2", timeout=10_000)
    expect(phone.locator("#signin-count")).to_have_text("0")
    confirm_all = phone.get_by_role("button", name="全部确认（2 人）")
    expect(confirm_all).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "womenshome_signin13_staff_qr_pending")

    confirm_all.click()
    expect(phone.get_by_role("alert")).to_contain_text("已确认 2 人。")
    expect(phone.locator("#signin-count")).to_have_text("2")
    expect(phone.locator("#signin-pending")).to_have_text("0")
    expect(phone.locator("#signin-head-count")).to_contain_text("合计 22 人")
    expect(confirm_all).to_have_count(0)
    shot(phone, "womenshome_signin13_staff_qr_confirmed")

    # The public page adds the sign-ins to the typed head count.
    phone.goto(f"/womenshome/activities/{lecture.pk}/")
    expect(phone.locator("main")).to_contain_text("参加人数：22 人")


def test_the_street_sets_the_figures_period_with_one_tap_and_sees_the_moral_model_target(phone, login_as, shot):
    today = date.today()
    quarter_first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    login_as(phone, "taihua_fed")
    phone.goto("/work/womenshome/")
    expect(phone.locator("#training-kinds")).to_contain_text("农用技术培训、职业技能培训")
    phone.locator("#period-presets").get_by_role("link", name="本季度").click()
    expect(phone.locator("main h1")).to_contain_text("活动统计")
    expect(phone.locator("#id_from")).to_have_value(quarter_first.isoformat())
    expect(phone.locator("[data-preset='quarter']")).to_have_attribute("aria-current", "true")
    phone.locator("#period-presets").get_by_role("link", name="本月").click()
    expect(phone.locator("#id_from")).to_have_value(today.replace(day=1).isoformat())
    expect(phone.locator("[data-preset='month']")).to_have_attribute("aria-current", "true")
    expect(phone.locator("#training-kinds")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "womenshome_signin13_figures_presets_phone")

    phone.goto("/work/womenshome/honours/")
    expect(phone.locator("#quota-rows")).to_contain_text("目标1-2名")
    expect(phone.locator("#quota-rows")).to_contain_text(re.compile(r"今年已推荐\d+名"))
    assert_phone_friendly(phone)
    shot(phone, "womenshome_signin13_quota_progress_phone")
