"""承诺机制 in a real browser (issue 9): on a phone xiaoliu_women publishes a pledge and reports
its progress; an anonymous visitor on another phone opens it on the portal and leaves a comment;
the comment waits until xiaoliu_women shows it; then the visitor sees it. taihua_fed rates a
pledge on a desktop (评诺). Screenshots land in e2e/artifacts/pledges_*.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

TITLE = "每月为村里留守老人理一次发"
COMMENT = "我家老人上个月理了发，谢谢妇联的志愿者！"


def xiaoliu_id() -> int:
    from gongjian.kernel.models import Organization

    return Organization.objects.get(name="小留村妇联").pk


def publish_and_report(phone: Page, shot, photo: Path) -> None:
    phone.goto("/work/campaigns/pledges/")
    expect(phone.get_by_role("heading", name="承诺践诺评诺")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "pledges_list_phone")
    phone.get_by_role("link", name="+ 作出承诺").click()
    phone.locator("#id_category").select_option(label="为民服务承诺（对妇女群众）")
    phone.locator("#id_title").fill(TITLE)
    phone.locator("#id_content").fill("组织巾帼志愿者每月为全村留守老人上门理发一次，年底前不少于10次。")
    phone.locator("#id_measures").fill("志愿者分两组轮流，行动不便的老人上门服务。")
    phone.locator("#id_due_on").fill(f"{date.today().year}-12-31")
    assert_phone_friendly(phone)
    shot(phone, "pledges_form_phone")
    phone.get_by_role("button", name="公开承诺").click()
    expect(phone.locator("main h1")).to_contain_text(TITLE)
    expect(phone.locator("main h1 .badge")).to_have_text("已承诺，践诺中")

    phone.get_by_role("link", name="+ 填报践诺进展").click()
    phone.locator("#id_text").fill("本月上门为14位老人理发，其中3位卧床老人。")
    phone.locator("#id_percent").fill("20")
    phone.locator("#id_photo").set_input_files(photo)
    phone.get_by_label("照片可在门户公开（请确认照片中的人员同意公开）").check()
    assert_phone_friendly(phone)
    shot(phone, "pledges_progress_phone")
    phone.get_by_role("button", name="提交进展").click()
    expect(phone.locator(".pl-timeline")).to_contain_text("本月上门为14位老人理发")
    expect(phone.locator(".pl-timeline img.pl-photo")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "pledges_detail_phone")


def comment_as_visitor(browser: Browser, base_url: str, shot) -> None:
    visitor, watch = _open_page(browser, base_url, **PHONE)
    try:
        visitor.goto("/")
        section = visitor.locator("#pledges-section")
        expect(section).to_contain_text(TITLE)
        assert_phone_friendly(visitor)
        shot(visitor, "pledges_portal_home_phone")
        visitor.goto(f"/campaigns/pledges/?org={xiaoliu_id()}")
        expect(visitor.get_by_role("heading", name="小留村妇联的公开承诺")).to_be_visible()
        assert_phone_friendly(visitor)
        shot(visitor, "pledges_portal_list_phone")
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.locator("#progress")).to_contain_text("本月上门为14位老人理发")
        expect(visitor.locator("#progress img.pl-photo")).to_be_visible()
        visitor.get_by_label("留言").fill(COMMENT)
        visitor.get_by_label("称呼（选填）").fill("三组村民")
        assert_phone_friendly(visitor)
        assert_no_full_numbers(visitor)
        shot(visitor, "pledges_portal_detail_phone")
        visitor.get_by_role("button", name="提交留言").click()
        expect(visitor.get_by_role("heading", name="留言已提交")).to_be_visible()
        shot(visitor, "pledges_portal_comment_done_phone")
        visitor.get_by_role("link", name="返回承诺页面").click()
        expect(visitor.locator("main")).not_to_contain_text(COMMENT)  # waits for moderation
    finally:
        _close_page(visitor, watch)


def test_a_village_pledge_on_the_portal_takes_a_public_comment(browser, live_server, phone, login_as, shot,
                                                               tmp_path):
    from PIL import Image

    photo = tmp_path / "理发.png"
    Image.new("RGB", (320, 240), (46, 125, 50)).save(photo, "PNG")
    login_as(phone, "xiaoliu_women")
    publish_and_report(phone, shot, photo)
    comment_as_visitor(browser, live_server.url, shot)

    # xiaoliu_women sees the comment waiting and shows it.
    phone.goto("/work/campaigns/pledges/comments/")
    row = phone.locator(".bg-white", has_text=COMMENT)
    expect(row).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "pledges_moderation_phone")
    row.get_by_role("button", name="显示", exact=True).click()
    expect(phone.locator(".alert-success, .alert")).to_contain_text("留言已显示在门户")

    # The visitor now reads it on the portal.
    visitor, watch = _open_page(browser, live_server.url, **PHONE)
    try:
        visitor.goto(f"/campaigns/pledges/?org={xiaoliu_id()}")
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.locator(".pl-comment")).to_contain_text(COMMENT)
        expect(visitor.locator(".pl-comment")).to_contain_text("三组村民")
        assert_phone_friendly(visitor)
        shot(visitor, "pledges_portal_comment_shown_phone")
    finally:
        _close_page(visitor, watch)


def test_the_township_rates_a_village_pledge_on_a_desktop(desktop, login_as, shot):
    from gongjian.campaigns.models import Pledge

    pledge = Pledge.objects.get(organization__name="小留村妇联", title="每月走访留守妇女和困难妇女家庭")
    login_as(desktop, "taihua_fed")
    desktop.goto(f"/work/campaigns/pledges/{pledge.pk}/")
    desktop.get_by_role("link", name="评诺").click()
    desktop.get_by_label("满意", exact=True).check()
    desktop.get_by_label("评诺意见").fill("走访扎实，台账清楚，群众认可。")
    shot(desktop, "pledges_evaluate_desktop")
    desktop.get_by_role("button", name="提交评诺").click()
    expect(desktop.locator("#evaluation")).to_contain_text("走访扎实")
    shot(desktop, "pledges_evaluated_desktop")
    desktop.goto(f"/campaigns/pledges/{pledge.pk}/")
    expect(desktop.locator("#evaluation")).to_contain_text("满意")
    shot(desktop, "pledges_portal_evaluated_desktop")
