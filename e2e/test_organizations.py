"""Organisations maintained in the app (issue 9) in a real browser: on a phone taihua_fed sets up a
巾帼建功活动领导小组 under 太华路街道妇联, appoints its 组长 and a 成员, sets up its office with a
director, and opens the printable name list; the system admin finds the organisation pages from
her console on a desktop. Screenshots land in e2e/artifacts/organizations_*.png."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly

GROUP = "太华路街道妇联巾帼建功活动领导小组"


def _appoint(phone, shot, *, search: str | None, who: re.Pattern[str], title: str, note: str, label: str) -> None:
    phone.get_by_role("link", name="添加职务").click()
    expect(phone.get_by_role("heading", name="添加职务")).to_be_visible()
    if search:
        phone.get_by_label("查找人员").fill(search)
        phone.get_by_role("button", name="查找").click()
    phone.get_by_label(who).first.check()
    phone.get_by_label("职务").fill(title)
    phone.get_by_label("兼任/说明").fill(note)
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)
    shot(phone, f"organizations_position_form_{label}_phone")
    phone.get_by_role("button", name="任命").click()
    expect(phone.locator(".alert-success, .alert")).to_contain_text("已任命")


def test_a_township_lead_sets_up_a_leading_group_on_her_phone(phone, desktop, login_as, shot):
    from gongjian.kernel.models import Organization

    fed = Organization.objects.get(name="太华路街道妇联")
    login_as(phone, "taihua_fed")
    phone.goto(f"/work/organizations/{fed.pk}/")
    assert_phone_friendly(phone)
    shot(phone, "organizations_federation_phone")

    # A new unit under her federation.
    phone.get_by_role("link", name="设立下级组织").click()
    phone.locator("#id_kind").select_option(label="领导小组")
    phone.locator("#id_name").fill(GROUP)
    assert_phone_friendly(phone)
    shot(phone, "organizations_unit_form_phone")
    phone.get_by_role("button", name="设立").click()
    expect(phone.locator("main h1")).to_have_text(GROUP)

    # 组长: herself (registered at the federation above, offered first); a 成员 found by name.
    _appoint(phone, shot, search=None, who=re.compile("姚慧敏（太华路街道妇联）"), title="组长",
             note="街道妇联主席", label="chair")
    _appoint(phone, shot, search="刘桂兰", who=re.compile("刘桂兰（小留村妇联）"), title="成员",
             note="小留村妇联主席", label="member")
    expect(phone.locator("main")).to_contain_text("组长")
    expect(phone.locator("main")).to_contain_text("刘桂兰")
    # The switcher in the header lists her own positions, not the group's: she still acts as 主席.
    expect(phone.locator("select[name=position] option:checked")).to_have_text("太华路街道妇联 · 主席")
    assert_phone_friendly(phone)
    shot(phone, "organizations_group_phone")

    # Its office, with a director.
    phone.get_by_role("link", name="设立下级组织").click()
    phone.locator("#id_kind").select_option(label="办公室")
    phone.locator("#id_name").fill("巾帼建功活动领导小组办公室")
    phone.get_by_role("button", name="设立").click()
    expect(phone.locator("main h1")).to_have_text("巾帼建功活动领导小组办公室")
    _appoint(phone, shot, search=None, who=re.compile("姚慧敏（太华路街道妇联）"), title="办公室主任",
             note="", label="director")

    # The printable name list of the group.
    group = Organization.objects.get(name=GROUP)
    phone.goto(f"/work/organizations/{group.pk}/roster/")
    roster = phone.locator("main")
    expect(roster).to_contain_text(f"{GROUP}成员名单")
    expect(roster).to_contain_text("领导小组下设巾帼建功活动领导小组办公室：")
    text = roster.inner_text()
    assert text.index("组长：") < text.index("成员：") < text.index("办公室主任：")
    assert_phone_friendly(phone)
    shot(phone, "organizations_roster_phone")

    login_as(desktop, "taihua_fed")
    desktop.goto(f"/work/organizations/{group.pk}/roster/")
    shot(desktop, "organizations_roster_desktop")

    # The office is closed, not deleted: its page stays readable, the list no longer prints it.
    office = Organization.objects.get(name="巾帼建功活动领导小组办公室")
    phone.goto(f"/work/organizations/{office.pk}/")
    phone.get_by_role("link", name="撤销").click()
    expect(phone.locator("main")).to_contain_text("办公室主任 姚慧敏")
    assert_phone_friendly(phone)
    shot(phone, "organizations_close_phone")
    phone.get_by_role("button", name="确认撤销").click()
    expect(phone.locator("main .alert-secondary")).to_contain_text("撤销")
    expect(phone.locator("main")).to_contain_text("撤销前的职务")
    shot(phone, "organizations_closed_office_phone")
    phone.goto(f"/work/organizations/{group.pk}/roster/")
    expect(phone.locator("main")).not_to_contain_text("领导小组下设")


def test_the_system_admin_finds_the_organisation_pages_from_her_console(desktop, phone, login_as, shot):
    login_as(desktop, "sysadmin")
    desktop.goto("/work/console/")
    desktop.get_by_role("link", name=re.compile("组织架构维护")).click()
    expect(desktop.get_by_role("heading", name="组织架构维护")).to_be_visible()
    desktop.get_by_label("按名称查找").fill("灵沙")
    desktop.get_by_role("button", name="查找").click()
    desktop.get_by_role("link", name=re.compile("灵沙乡妇联")).click()
    expect(desktop.locator("main h1")).to_have_text("灵沙乡妇联")
    desktop.locator("summary", has_text="设立下级组织").click()
    shot(desktop, "organizations_console_desktop")
    login_as(phone, "sysadmin")
    phone.goto(desktop.url)
    phone.locator("summary", has_text="设立下级组织").click()
    assert_phone_friendly(phone)
    shot(phone, "organizations_console_phone")
