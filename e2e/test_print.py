"""Printing for handing upwards (issue 13) in a real browser, with print media emulated: every
page prints only its content (no menu, buttons or language list); a 公示 and a leading group's
name list print as official papers (title, body, 落款, date, room for the seal). Screenshots and
PDFs land in e2e/artifacts/print_*.{png,pdf}."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from e2e.conftest import ARTIFACTS

# Nothing of these may show on paper.
CHROME = ("nav.navbar", "body > footer", "select[name=language]", "main .btn", "main button")


def _on_paper(page: Page, shot, name: str) -> None:
    page.emulate_media(media="print")
    for selector in CHROME:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    shot(page, name)
    page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), format="A4", print_background=True)


def _notice():
    from gongjian.kernel.models import PublicNotice

    return (PublicNotice.objects.filter(organization__name="太华路街道妇联", state=PublicNotice.State.CLOSED)
            .order_by("id").first())


def test_the_public_notice_prints_as_an_official_paper(desktop, shot):
    notice = _notice()
    desktop.goto(f"/womenshome/notices/{notice.pk}/")
    expect(desktop.get_by_role("button", name="打印公示")).to_be_visible()
    _on_paper(desktop, shot, "print_notice_public")
    paper = desktop.locator("#notice-official")
    expect(paper.locator(".official-title")).to_have_text(notice.title)
    expect(paper.locator(".official-body")).to_contain_text("公示期为")
    expect(paper.locator(".official-org")).to_have_text("太华路街道妇联")
    expect(paper.locator(".official-date")).to_have_text(f"{notice.starts_on.year}年{notice.starts_on.month}月"
                                                         f"{notice.starts_on.day}日")
    # Room for the seal above the 落款, and the screen-only lines left off the paper.
    assert desktop.locator(".official-seal").bounding_box()["height"] > 80
    expect(desktop.get_by_text("公示期已结束。")).to_be_hidden()


def test_the_issuing_federation_prints_its_notice_from_the_workspace(desktop, login_as, shot):
    notice = _notice()
    login_as(desktop, "taihua_fed")
    desktop.goto(f"/work/notices/{notice.pk}/print/")
    expect(desktop.locator(".official-title")).to_have_text(notice.title)
    shot(desktop, "print_notice_staff_screen")
    _on_paper(desktop, shot, "print_notice_staff")
    expect(desktop.get_by_text("当前身份")).to_be_hidden()
    expect(desktop.locator(".official-org")).to_have_text("太华路街道妇联")


def test_the_leading_group_name_list_is_signed_by_the_committee_that_set_it_up(desktop, login_as, shot):
    from gongjian.kernel.models import Organization

    group = Organization.objects.get(name="太华路街道党务公开工作领导小组")
    login_as(desktop, "taihua_party")
    desktop.goto(f"/work/organizations/{group.pk}/roster/")
    _on_paper(desktop, shot, "print_leading_group")
    expect(desktop.locator(".official-title")).to_have_text(f"{group.name}成员名单")
    expect(desktop.locator(".official-org")).to_have_text(Organization.objects.get_parent(group).name)
    expect(desktop.locator("#roster")).to_contain_text("组长")


def test_a_list_page_prints_without_its_menu_filters_and_buttons(desktop, login_as, shot):
    login_as(desktop, "taihua_fed")
    desktop.goto("/work/womenshome/activities/")
    expect(desktop.locator("main form[method=get] >> visible=true").first).to_be_visible()  # the filters
    _on_paper(desktop, shot, "print_activity_list")
    for form in desktop.locator("main form[method=get]").all():
        expect(form).to_be_hidden()
    expect(desktop.locator("main h1").first).to_be_visible()


def test_the_coverage_export_opens_with_its_title_and_totals(desktop, login_as):
    login_as(desktop, "taihua_fed")
    response = desktop.request.get("/work/womenshome/export/coverage.xlsx")
    assert response.ok
    (ARTIFACTS / "print_coverage.xlsx").write_bytes(response.body())
    sheet = load_workbook(io.BytesIO(response.body())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "太华路街道妇联妇女之家覆盖情况" and rows[2][0] == "组织"
    assert any(r[0] == "合计" for r in rows)
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"
    county = desktop.request.get("/work/reports/county/excel/")
    assert county.ok
    (ARTIFACTS / "print_county.xlsx").write_bytes(county.body())
    names = [r[0] for r in load_workbook(io.BytesIO(county.body())).active.iter_rows(values_only=True)]
    assert names.index("本级") + 1 == names.index("合计")


def test_on_a_phone_the_notice_reads_as_the_paper_with_nothing_cut_off(phone, shot):
    from e2e.checks import assert_no_sideways_scroll, assert_phone_friendly

    phone.set_viewport_size({"width": 360, "height": 780})
    notice = _notice()
    phone.goto(f"/womenshome/notices/{notice.pk}/")
    expect(phone.locator(".official-org")).to_be_visible()
    assert_no_sideways_scroll(phone)
    assert_phone_friendly(phone)
    shot(phone, "print_notice_public_phone")
