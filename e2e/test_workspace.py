"""The staff workspace in a real browser, as a village cadre on her phone (and once on a desktop).

Screenshots land in e2e/artifacts/ for a person to look at; the assertions cover what a machine
can judge: the right organisation, masked numbers, Chinese messages, tap sizes, no sideways
scrolling, and (through the fixtures) no console errors and nothing loaded from the internet.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.checks import (
    FORM_TARGETS,
    NAV_TARGETS,
    assert_no_full_numbers,
    assert_no_sideways_scroll,
    undersized,
)

VILLAGE_ORG = "小留村妇联"
MASKED_MOBILE = re.compile(r"1\d{2}\*{4}\d{4}")
def open_menu(page: Page) -> None:
    """On a phone the main navigation is behind the ☰ toggler."""
    toggler = page.locator("nav.navbar .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#mainnav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def xiaoliu_person_pk() -> int:
    from gongjian.kernel.models import Person

    pk = (Person.objects.filter(organization__name=VILLAGE_ORG)
          .order_by("pk").values_list("pk", flat=True).first())
    assert pk is not None, "the demo county has nobody registered at 小留村妇联"
    return pk


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_village_director_sees_her_organisation_on_the_home_page(request, device, login_as, shot):
    page: Page = request.getfixturevalue(device)
    login_as(page, "xiaoliu_women")

    expect(page).to_have_url(re.compile(r"/work/$"))
    expect(page.locator("main h1")).to_have_text(VILLAGE_ORG)
    expect(page.get_by_text(f"{VILLAGE_ORG} · 妇女主任")).to_be_visible()
    expect(page.locator("main a.tile").first).to_be_visible()
    assert_no_sideways_scroll(page)
    shot(page, f"workspace_home_{device}")


def test_person_list_and_detail_show_only_masked_numbers(phone, login_as, shot):
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/people/")

    expect(phone.locator("main h1")).to_have_text("人员")
    rows = phone.locator("#person-rows a.list-row")
    expect(rows.first).to_be_visible()
    expect(phone.locator("#person-rows .masked").first).to_have_text(MASKED_MOBILE)
    assert_no_full_numbers(phone)
    assert_no_sideways_scroll(phone)
    shot(phone, "people_phone")

    name = rows.first.locator("strong").inner_text()
    rows.first.click()
    expect(phone).to_have_url(re.compile(r"/work/people/\d+/$"))
    expect(phone.locator("main h1")).to_have_text(name)
    expect(phone.locator("#reveal-mobile")).to_have_text(MASKED_MOBILE)
    expect(phone.locator("#reveal-id_number")).to_have_text(re.compile(r"^\d{4}\*{10}[\dX]{4}$"))
    assert_no_full_numbers(phone)
    assert_no_sideways_scroll(phone)
    shot(phone, "person_detail_phone")


def test_login_page_on_a_phone_and_a_wrong_password(phone, shot):
    phone.goto("/work/login/")
    expect(phone.locator("main h1")).to_have_text("登录共建工作台")
    expect(phone.get_by_label("用户名", exact=True)).to_be_visible()
    expect(phone.get_by_label("密码", exact=True)).to_be_visible()
    assert_no_sideways_scroll(phone)
    shot(phone, "login_phone")

    phone.get_by_label("用户名", exact=True).fill("xiaoliu_women")
    phone.get_by_label("密码", exact=True).fill("not-the-password-1")
    phone.get_by_role("button", name="登录", exact=True).click()

    expect(phone.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(phone).to_have_url(re.compile(r"/work/login/"))
    shot(phone, "login_error_phone")


def test_a_neighbouring_village_gets_404_for_a_xiaoliu_person(phone, login_as, allow_console_error, shot):
    pk = xiaoliu_person_pk()
    login_as(phone, "guojia_women")
    # Chromium logs every 404 document as "Failed to load resource"; here it is the point.
    allow_console_error(phone, r"status of 404")

    response = phone.goto(f"/work/people/{pk}/")

    assert response is not None and response.status == 404
    expect(phone.locator("main h1")).to_contain_text("页面不存在")
    expect(phone.locator("body")).not_to_contain_text(VILLAGE_ORG)
    shot(phone, "not_found_phone")


def test_phone_tap_targets_are_big_enough_and_nothing_scrolls_sideways(phone, login_as, shot):
    phone.goto("/work/login/")
    assert undersized(phone, NAV_TARGETS) == []
    assert undersized(phone, FORM_TARGETS) == []
    assert_no_sideways_scroll(phone)

    login_as(phone, "xiaoliu_women")
    for path in ("/work/", "/work/people/", f"/work/people/{xiaoliu_person_pk()}/"):
        phone.goto(path)
        assert_no_sideways_scroll(phone)
        assert undersized(phone, FORM_TARGETS) == [], path
        assert undersized(phone, "nav.navbar .navbar-toggler, nav.navbar .navbar-brand") == [], path
        open_menu(phone)
        assert undersized(phone, NAV_TARGETS) == [], f"{path} (menu open)"
        assert_no_sideways_scroll(phone)
    shot(phone, "menu_open_phone")


def test_public_portal_renders_for_an_anonymous_visitor(phone, shot):
    response = phone.goto("/")

    assert response is not None and response.status == 200
    expect(phone.locator("main h1")).to_have_text("公开信息")
    expect(phone.get_by_role("link", name="工作人员登录")).to_be_visible()
    expect(phone.locator("form[action$='/work/logout/']")).to_have_count(0)
    assert_no_sideways_scroll(phone)
    shot(phone, "portal_phone")


# Tap targets that were once too small, kept as a guard against regression.
@pytest.mark.parametrize(("where", "username", "selector"), [
    pytest.param("/", None, "nav.navbar a, nav.navbar button", id="portal-staff-login-link"),
    pytest.param("person", "xiaoliu_women", "main details > summary", id="reveal-summary"),
])
def test_more_tap_targets_on_the_phone(phone, login_as, where, username, selector):
    if username:
        login_as(phone, username)
    phone.goto(f"/work/people/{xiaoliu_person_pk()}/" if where == "person" else where)
    assert undersized(phone, selector) == []
