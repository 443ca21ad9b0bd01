"""The county report in a real browser (issue 14): huayin_fed (华阴市妇联's chair) opens 各项工作统计
from the reports home for this year, sees her townships and the totals as cards, drills into
太华路街道 (its villages), downloads the Excel of it; on a phone the table scrolls sideways inside
its box with the organisation column staying put and the page itself never scrolls sideways.
Screenshots land in e2e/artifacts/reports_county_*.png."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.checks import assert_no_sideways_scroll, assert_phone_friendly

NARROW = {"width": 360, "height": 780}


def test_the_county_chair_drills_into_a_township_and_downloads_its_excel(live_server, desktop, login_as, shot):
    login_as(desktop, "huayin_fed")
    desktop.goto("/work/reports/")
    desktop.locator("#tile-county").click()
    expect(desktop.locator("h1")).to_contain_text("华阴市妇联各项工作统计")
    year = date.today().year
    expect(desktop.locator("main")).to_contain_text(f"{year}年1月1日 — {year}年12月31日")
    expect(desktop.get_by_role("link", name="今年")).to_have_class("btn btn-sm btn-gj")
    expect(desktop.locator("#county-cards")).to_contain_text("妇女之家")
    expect(desktop.locator("#county-cards")).to_contain_text("维权案件")
    table = desktop.locator("#county-table")
    expect(table).to_contain_text("太华路街道妇联")
    expect(table).to_contain_text("罗敷镇妇联")
    expect(table.locator("thead")).to_contain_text("活动次数")
    shot(desktop, "reports_county_desktop")

    table.get_by_role("link", name="太华路街道妇联").click()
    expect(desktop.locator("h1")).to_contain_text("太华路街道妇联各项工作统计")
    expect(desktop.locator("#county-trail")).to_contain_text("华阴市妇联")
    expect(table).to_contain_text("小留村妇联")
    expect(table).not_to_contain_text("罗敷镇妇联")
    shot(desktop, "reports_county_township_desktop")

    with desktop.expect_download() as info:
        desktop.locator("#county-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and "太华路街道妇联" in download.suggested_filename
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "组织" and "妇女之家：活动次数" in rows[2]
    names = [r[0] for r in rows[3:] if r and r[0]]
    assert "小留村妇联" in names and any(str(n).startswith("合计") for n in names)


def test_on_a_phone_the_table_scrolls_in_its_box_and_the_names_stay(live_server, phone, login_as, shot):
    phone.set_viewport_size(NARROW)
    login_as(phone, "huayin_fed")
    phone.goto("/work/reports/county/")
    expect(phone.locator("#county-cards")).to_contain_text("妇女之家")
    assert_phone_friendly(phone, "main .county-picks .btn, main #county-period button, main #county-period input, "
                                 "main #county-xlsx, main #county-pdf")
    shot(phone, "reports_county_phone")
    box = phone.locator("#county-scroll")
    box.scroll_into_view_if_needed()
    widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1]  # the table is wider than the screen: it scrolls inside its box
    name = phone.locator("#county-table tbody th", has_text="太华路街道妇联")
    before = name.bounding_box()
    box.evaluate("el => el.scrollLeft = 600")
    phone.wait_for_function("document.querySelector('#county-scroll').scrollLeft > 0")
    after = name.bounding_box()
    assert before is not None and after is not None and abs(after["x"] - before["x"]) < 1  # sticky
    assert_no_sideways_scroll(phone)
    shot(phone, "reports_county_phone_scrolled")
    phone.locator("#county-table").get_by_role("link", name="太华路街道妇联").click()
    expect(phone.locator("h1")).to_contain_text("太华路街道妇联各项工作统计")
    assert_no_sideways_scroll(phone)
    shot(phone, "reports_county_township_phone")
