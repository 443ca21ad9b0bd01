"""Service sites and health services in a real browser (issue 10): on a phone taihua_fed (the
township federation chair) records a 两癌检查 round with 华阴市卫健局 and sees the year's total grow;
she opens the township's 维权投诉站 (its contact's mobile masked); a visitor on a phone opens the public
page of hotlines and sites — the hotline numbers, addresses and hours, never a contact's mobile.
Screenshots land in e2e/artifacts/support_service_*.png."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

PLACE = "太华社区卫生服务站（e2e）"


def test_a_township_cadre_records_a_cancer_screening_round_on_her_phone(phone, login_as, shot, allow_console_error):
    login_as(phone, "taihua_fed")
    phone.goto("/work/support/")
    assert_phone_friendly(phone)
    shot(phone, "support_service_home_phone")
    phone.get_by_role("link", name="妇女健康服务").click()
    before = int(phone.locator("[data-figure='served'] strong").inner_text())
    phone.get_by_role("link", name="+ 登记健康服务").click()
    phone.get_by_role("radio", name="两癌检查").check()
    expect(phone.locator("#id_organization")).to_have_value(str(_org_pk("太华路街道妇联")))
    day = timezone.localdate() - timedelta(days=1)
    if day.year != timezone.localdate().year:
        day = timezone.localdate()
    phone.locator("#id_starts_on").fill(day.isoformat())
    phone.locator("#id_place").fill(PLACE)
    phone.locator("#id_partner").fill("华阴市卫健局")
    phone.locator("#id_served").fill("64")
    phone.locator("#id_cervical_screened").fill("60")
    phone.locator("#id_breast_screened").fill("58")
    assert_phone_friendly(phone)
    shot(phone, "support_service_health_form_phone")

    # A typo first: more screenings than women served is refused in Chinese (a 400), nothing saved.
    allow_console_error(phone, r"status of 400")
    phone.locator("#id_breast_screened").fill("65")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("#field-breast_screened")).to_contain_text("乳腺癌筛查人数不能多于服务妇女人数。")
    shot(phone, "support_service_health_error_phone")
    phone.locator("#id_breast_screened").fill("58")
    phone.get_by_role("button", name="保存").click()

    expect(phone.locator(".alert-success, .alert")).to_contain_text("健康服务已登记。")
    expect(phone.locator("main")).to_contain_text(PLACE)
    after = int(phone.locator("[data-figure='served'] strong").inner_text())
    assert after == before + 64
    expect(phone.locator("[data-kind='cancer_screening']")).to_contain_text("宫颈癌筛查")
    assert_phone_friendly(phone)
    shot(phone, "support_service_health_list_phone")

    # Her township's complaint station: the contact's mobile is masked.
    phone.goto("/work/support/sites/")
    assert_phone_friendly(phone)
    shot(phone, "support_service_sites_phone")
    phone.get_by_role("link", name="太华路街道妇女维权投诉站").click()
    expect(phone.locator("main h1")).to_contain_text("太华路街道妇女维权投诉站")
    assert_no_full_numbers(phone)
    assert_phone_friendly(phone)
    shot(phone, "support_service_site_detail_phone")


def test_a_visitor_finds_the_hotlines_and_sites_on_her_phone(browser: Browser, live_server, desktop, shot):
    visitor, watch = _open_page(browser, live_server.url, **PHONE)
    try:
        visitor.goto("/")
        section = visitor.locator("#support-services-section")
        expect(section).to_contain_text("12338")
        expect(section).to_contain_text("0952-6012338")
        shot(visitor, "support_service_portal_home_phone")
        section.get_by_role("link", name="查看全部").click()
        expect(visitor.locator("main h1")).to_contain_text("维权与关爱服务")
        main = visitor.locator("main")
        expect(main).to_contain_text("灵沙乡妇女悄悄话热线")
        expect(main).to_contain_text("太华路街道妇女维权投诉站")
        expect(main).to_contain_text("周一至周五 8:30-12:00，14:30-17:30")
        expect(main).to_contain_text("郭家村留守流动儿童活动室")
        expect(main).to_contain_text("健康服务预告")
        expect(visitor.locator("a[href='tel:12338']")).to_be_visible()
        assert_no_full_numbers(visitor)
        assert_phone_friendly(visitor)
        shot(visitor, "support_service_portal_phone")
        visitor.get_by_role("link", name="太华路街道 · 郭家村").click()
        expect(visitor.locator("[id^='place-']").last).to_be_visible()
    finally:
        _close_page(visitor, watch)

    # The same page on a desktop (an office computer at a 妇女之家).
    desktop.goto("/support/services/")
    expect(desktop.locator("#hotlines")).to_contain_text("12338")
    assert_no_full_numbers(desktop)
    shot(desktop, "support_service_portal_desktop")


def _org_pk(name: str) -> int:
    from gongjian.kernel.models import Organization

    return Organization.objects.get(name=name).pk
