"""People in the browser after the access-policy and rule-book work (issue 8): a re-save clears
nothing the form does not show, a roster's bad rows are reported on the page with JavaScript on,
and the security administrator cannot make a village director an auditor (Z-06)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.checks import assert_no_full_numbers, assert_no_sideways_scroll


def test_a_village_director_resaves_her_own_record_and_keeps_her_party_organisation(
        phone: Page, login_as, shot) -> None:
    from gongjian.kernel.models import User

    me = User.objects.get(username="xiaoliu_women").person
    assert me is not None
    party_org = me.party_organization_id
    login_as(phone, "xiaoliu_women")
    phone.goto(f"/work/people/{me.pk}/")
    phone.get_by_role("link", name="修改").click()
    expect(phone.get_by_text("不在您的管辖范围内，保存时保持不变。")).to_be_visible()
    assert_no_full_numbers(phone)
    assert_no_sideways_scroll(phone)
    shot(phone, "person_edit_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已保存。")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("中共小留村支部委员会")
    shot(phone, "person_saved_phone")
    me.refresh_from_db()
    assert me.party_organization_id == party_org


def _roster(tmp_path: Path, rows: list[list[object]], name: str) -> Path:
    from gongjian.kernel.tests.rosters import xlsx

    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return path


def test_a_roster_with_a_bad_row_is_reported_on_the_page_then_imported(
        phone: Page, login_as, shot, tmp_path: Path, allow_console_error) -> None:
    from gongjian.kernel.models import Person
    from gongjian.kernel.tests.rosters import good_rows

    rows = good_rows(3, start=900)
    bad = [*rows, ["坏行", "女", "610582198805019999", "13600009999", "汉族", "群众", "小留村"]]
    # The check answers 400 with the bad rows (the browser logs it); the page shows them.
    allow_console_error(phone, r"status of 400")
    login_as(phone, "taihua_fed")
    phone.goto("/work/people/")
    phone.get_by_role("link", name="导入名单").click()
    expect(phone).to_have_url(re.compile(r"/work/people/import/$"))
    phone.set_input_files("input[type=file]", str(_roster(tmp_path, bad, "名册-有错.xlsx")))
    phone.get_by_role("button", name="检查").click()
    problems = phone.locator("#import-problems")
    expect(problems).to_contain_text("第 6 行")  # the title row and the header come first
    expect(phone.locator("#import-summary")).to_contain_text("未导入任何数据")
    assert_no_sideways_scroll(phone)
    shot(phone, "person_import_problems_phone")
    assert not Person.objects.filter(name__startswith="导入90").exists()

    phone.set_input_files("input[type=file]", str(_roster(tmp_path, rows, "名册.xlsx")))
    phone.get_by_role("button", name="检查").click()
    expect(phone.locator("#import-summary")).to_contain_text("检查通过")
    phone.get_by_role("button", name="导入").click()
    expect(phone.locator("#import-summary")).to_contain_text("已导入")
    shot(phone, "person_import_done_phone")
    assert Person.objects.filter(name__startswith="导入90").count() == 3


def test_the_security_admin_cannot_make_a_village_director_an_auditor(desktop: Page, login_as, shot) -> None:
    from gongjian.kernel.models import User

    login_as(desktop, "secadmin")
    desktop.goto("/work/console/accounts/")
    row = desktop.locator(".list-row").filter(has_text="xiaoliu_women")
    row.locator("select[name=role]").select_option(label="审计管理员")
    row.locator("input[name=reason]").fill("协助审计")
    row.get_by_role("button", name="申请变更角色").click()
    expect(desktop.get_by_role("alert")).to_contain_text("不能同时担任管理角色")
    shot(desktop, "accounts_role_refused_desktop")
    assert User.objects.get(username="xiaoliu_women").admin_role == ""
