"""A commendation goes through 公示 and is awarded (issue 9), in a real browser: on a phone
taihua_fed nominates a 巾帼文明岗 and sends it up; huayin_fed approves it and opens the notice on
the desktop; an anonymous visitor on a phone reads the notice and objects; huayin_fed answers; the
period is set over in the test's database; huayin_fed closes the notice and awards; the exemplar
and its deeds appear on the portal. Screenshots land in e2e/artifacts/commendation_*.png."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

NAME = "太华路街道政务服务中心综合窗口"
DEEDS = ("综合窗口八名女职工推行“一窗受理、集成服务”，全年办件一万余件，群众满意率百分之百；"
         "开设“巾帼代办”专窗，上门为行动不便的老人办理社保认证。")


def end_the_notice_period() -> None:
    """The notice ran its days: move its dates into the past in the test's database."""
    from gongjian.campaigns.models import Nomination
    from gongjian.kernel import notices

    notice = notices.notice_for(Nomination.objects.get(public_name=NAME))
    today = timezone.localdate()
    type(notice).objects.filter(pk=notice.pk).update(starts_on=today - timedelta(days=8),
                                                     ends_on=today - timedelta(days=2))


def test_a_commendation_goes_through_the_notice_and_is_awarded(browser, live_server, phone, desktop, login_as,
                                                                shot):
    # The street nominates on a phone and sends it up.
    login_as(phone, "taihua_fed")
    phone.goto("/work/campaigns/commendations/")
    expect(phone.get_by_role("heading", name="评选表彰")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "commendation_list_phone")
    phone.get_by_role("link", name="+ 推荐").click()
    expect(phone.get_by_role("heading", name="推荐表彰对象")).to_be_visible()
    phone.get_by_label("表彰称号").select_option(label="巾帼文明岗")
    phone.get_by_label("表彰单位").select_option(label="华阴市妇联")
    phone.get_by_label("名称").fill(NAME)
    phone.get_by_label("先进事迹").fill(DEEDS)
    assert_phone_friendly(phone)
    shot(phone, "commendation_form_phone")
    phone.get_by_role("button", name="保存", exact=True).click()
    expect(phone.get_by_role("heading", name=NAME)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("草稿")
    phone.get_by_role("button", name="报送华阴市妇联审核").click()
    expect(phone.locator("main h1")).to_contain_text("已报送，待审核")
    assert_phone_friendly(phone)
    shot(phone, "commendation_submitted_phone")

    # The county reviews on the desktop and opens the notice.
    login_as(desktop, "huayin_fed")
    desktop.goto("/work/campaigns/commendations/board/")
    expect(desktop.locator("#board-submitted")).to_contain_text(NAME)
    shot(desktop, "commendation_board_desktop")
    desktop.locator("#board-submitted").get_by_role("link", name=NAME).click()
    desktop.get_by_label("同意，拟表彰").check()
    desktop.get_by_role("button", name="提交审核意见").click()
    expect(desktop.locator("main h1")).to_contain_text("拟表彰，待公示")
    desktop.get_by_label("公示天数").fill("7")
    desktop.get_by_role("button", name="开始公示").click()
    expect(desktop.locator("main h1")).to_contain_text("公示中")
    shot(desktop, "commendation_on_notice_desktop")
    nomination_url = desktop.url

    # An anonymous visitor on a phone reads the notice and objects.
    visitor, watch = _open_page(browser, live_server.url, **PHONE)
    try:
        visitor.goto("/campaigns/commendations/")
        expect(visitor.locator("#running-notices")).to_contain_text(NAME)
        assert_phone_friendly(visitor)
        assert_no_full_numbers(visitor)
        shot(visitor, "commendation_portal_notices_phone")
        visitor.locator("#running-notices").get_by_role("link", name=NAME).click()
        expect(visitor.locator("#notice-body")).to_contain_text("一窗受理")
        assert_phone_friendly(visitor)
        shot(visitor, "commendation_portal_notice_phone")
        visitor.get_by_role("link", name="我有异议").click()
        visitor.get_by_label("异议内容（请写明事实和理由）").fill("听说窗口中午常常没人值班，请核实。")
        assert_phone_friendly(visitor)
        shot(visitor, "commendation_portal_objection_phone")
        visitor.get_by_role("button", name="提交异议").click()
        expect(visitor.get_by_role("heading", name="异议已提交")).to_be_visible()
        code = visitor.locator("#tracking-code").inner_text()
        password = visitor.locator("#query-password").inner_text()
        shot(visitor, "commendation_portal_objection_done_phone")
    finally:
        _close_page(visitor, watch)

    # The county answers the objection, and once the period is over closes the notice and awards.
    desktop.goto(nomination_url)
    expect(desktop.locator("#notice")).to_contain_text(code)
    desktop.get_by_label("答复内容").fill("经核实，窗口实行中午轮班值守，异议不成立。")
    desktop.get_by_label("异议不成立", exact=True).check()
    desktop.get_by_role("button", name="答复", exact=True).click()
    expect(desktop.locator("#notice")).to_contain_text("异议不成立")
    end_the_notice_period()
    desktop.reload()
    desktop.get_by_label("公示期满（无异议或异议不成立），予以表彰").check()
    desktop.get_by_role("button", name="确定", exact=True).click()
    expect(desktop.locator("main h1")).to_contain_text("已表彰")
    shot(desktop, "commendation_awarded_desktop")
    desktop.goto("/work/campaigns/commendations/roll/")
    expect(desktop.locator("#roll")).to_contain_text(NAME)
    shot(desktop, "commendation_roll_desktop")

    # The exemplar and its deeds on the portal; the objector reads the answer with her code.
    phone.goto("/campaigns/commendations/")
    expect(phone.locator("#exemplars")).to_contain_text(NAME)
    phone.locator("#exemplars").get_by_role("link", name=NAME).click()
    expect(phone.locator("#deeds")).to_contain_text("巾帼代办")
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)
    shot(phone, "commendation_exemplar_phone")
    phone.goto("/campaigns/commendations/objections/track/")
    phone.get_by_label("查询码").fill(code)
    phone.get_by_label("查询密码").fill(password)
    phone.get_by_role("button", name="查询", exact=True).click()
    expect(phone.locator("#objection-status")).to_contain_text("异议不成立")
    shot(phone, "commendation_track_phone")


def test_the_march_8_roll_and_the_demo_notice_on_a_phone(phone: Page, login_as, shot):
    login_as(phone, "huayin_fed")
    phone.goto("/work/campaigns/commendations/roll/")
    expect(phone.locator("#roll")).to_contain_text("三八红旗手")
    assert_phone_friendly(phone)
    shot(phone, "commendation_roll_phone")
    phone.goto("/work/campaigns/commendations/board/")
    expect(phone.locator("#board-on_notice")).to_contain_text("太华路街道便民服务中心")
    assert_phone_friendly(phone)
    shot(phone, "commendation_board_phone")


def test_a_village_director_finds_a_woman_to_nominate_on_her_phone(phone: Page, login_as, shot):
    from gongjian.kernel.models import Person

    woman = Person.objects.filter(organization__name="小留村妇联", gender="F", positions__isnull=True).order_by("id")[3]
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/campaigns/commendations/new/")
    phone.get_by_label("查找被推荐人（推荐个人时）").fill(woman.name)
    phone.get_by_role("button", name="查找", exact=True).click()
    phone.get_by_label(woman.name).check()
    phone.get_by_label("表彰称号").select_option(label="三八红旗手")
    phone.get_by_label("先进事迹").fill(DEEDS)
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)
    shot(phone, "commendation_person_form_phone")
    phone.get_by_role("button", name="保存", exact=True).click()
    expect(phone.get_by_role("heading", name=woman.name)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("太华路街道妇联")  # the street decides by default
    shot(phone, "commendation_person_draft_phone")
