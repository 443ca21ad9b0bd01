"""学习教育 and 督查指导 in a real browser (issue 9): on a phone xiaoliu_women writes a 学习心得 on
the county's study document; taihua_fed sees 小留村's count move by one on the count page; on a
phone taihua_fed answers the overdue follow-up of the county's visit and huayin_fed confirms it.
Screenshots land in e2e/artifacts/campaigns_study_*.png."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.checks import assert_no_sideways_scroll, assert_phone_friendly

STUDY_TITLE = "关于深入学习贯彻妇女十大精神、扎实开展创先争优活动的学习提纲"


def xiaoliu_count(page: Page) -> int:
    page.goto("/work/campaigns/study/counts/")
    expect(page.locator("main h1")).to_contain_text("太华路街道妇联")
    return int(page.locator("[data-org='小留村妇联'] .count").inner_text())


def test_a_village_note_on_a_phone_counts_for_the_street(phone, desktop, login_as, shot, allow_console_error):
    login_as(desktop, "taihua_fed")
    before = xiaoliu_count(desktop)

    login_as(phone, "xiaoliu_women")
    phone.goto("/work/campaigns/study/")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_study_home_phone")
    phone.get_by_role("link", name=STUDY_TITLE).click()
    expect(phone.get_by_role("heading", name=STUDY_TITLE)).to_be_visible()
    phone.locator("#write-note").click()
    expect(phone.get_by_role("heading", name="写学习心得")).to_be_visible()
    expect(phone.locator("#id_author option:checked")).to_have_text("刘桂兰")
    allow_console_error(phone, r"status of 400")  # the refused empty form answers 400
    phone.get_by_role("button", name="保存").click()  # empty: refused, nothing saved
    expect(phone.get_by_text("请填写题目。")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "campaigns_study_note_errors_phone")
    phone.get_by_label("题目").fill("学提纲、比奉献，当好姐妹们的娘家人")
    phone.get_by_label("心得内容").fill("学习了市妇联印发的学习提纲，我要把妇女之家办得更实在，"
                                    "每月组织一次实用技术培训，带动更多姐妹参与创先争优。")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_study_note_form_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("heading", name="学提纲、比奉献，当好姐妹们的娘家人")).to_be_visible()
    expect(phone.get_by_text("学习心得已保存。")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "campaigns_study_note_saved_phone")

    assert xiaoliu_count(desktop) == before + 1
    assert_no_sideways_scroll(desktop)
    shot(desktop, "campaigns_study_counts_taihua")


def test_the_street_answers_the_countys_overdue_followup_on_a_phone(phone, desktop, login_as, shot):
    login_as(phone, "taihua_fed")
    phone.goto("/work/campaigns/supervision/")
    overdue = phone.locator("#to-answer a.list-row", has=phone.locator(".overdue"))
    expect(overdue).to_have_count(1)
    assert_phone_friendly(phone)
    shot(phone, "campaigns_supervision_home_phone")
    overdue.click()
    expect(phone.get_by_role("heading", name="整改事项")).to_be_visible()
    expect(phone.locator("#followup-status")).to_contain_text("已逾期")
    phone.get_by_label("整改情况").fill("已督促22个村妇联全部完成学习心得撰写，共收到心得86篇，汇总表已报市妇联。")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_supervision_answer_phone")
    phone.get_by_role("button", name="反馈整改情况").click()
    expect(phone.get_by_text("整改情况已反馈。")).to_be_visible()
    expect(phone.locator("#followup-status")).to_contain_text("已反馈")
    url = phone.url
    shot(phone, "campaigns_supervision_answered_phone")

    login_as(desktop, "huayin_fed")
    desktop.goto(url)
    expect(desktop.locator("#followup-answer")).to_contain_text("共收到心得86篇")
    desktop.get_by_role("button", name="确认整改完成").click()
    expect(desktop.locator("#followup-status")).to_contain_text("已确认")
    shot(desktop, "campaigns_supervision_confirmed_county")


def test_the_county_records_a_visit_with_a_followup_and_a_meeting(desktop, phone, login_as, shot):
    from datetime import date, timedelta

    login_as(desktop, "huayin_fed")
    desktop.goto("/work/campaigns/supervision/visits/new/")
    desktop.get_by_label("被督查组织").select_option(label="罗敷镇妇联")
    desktop.get_by_label("所属活动").select_option(label="强组织创先进、提素质争模范——华阴市基层妇联组织创先争优活动")
    desktop.get_by_label("参加人员").fill("市妇联：韩淑华；罗敷镇妇联主席")
    desktop.get_by_label("督查发现").fill("罗敷镇妇联尚未报送活动方案，领导小组未成立。")
    shot(desktop, "campaigns_supervision_visit_form")
    desktop.get_by_role("button", name="保存").click()
    expect(desktop.get_by_role("heading", name="华阴市妇联 → 罗敷镇妇联")).to_be_visible()
    desktop.get_by_label("整改事项").fill("一周内成立领导小组并报送活动方案")
    desktop.get_by_label("整改期限").fill((date.today() + timedelta(days=7)).isoformat())
    desktop.get_by_role("button", name="添加").click()
    expect(desktop.locator("#followups")).to_contain_text("一周内成立领导小组并报送活动方案")
    shot(desktop, "campaigns_supervision_visit_detail")

    login_as(phone, "taihua_fed")
    phone.goto("/work/campaigns/supervision/meetings/new/")
    phone.get_by_label("会议类型").select_option(label="座谈会")
    phone.get_by_label("会议名称").fill("村妇联主任学习座谈会")
    phone.get_by_label("参会人数").fill("24")
    phone.get_by_label("会议纪要").fill("交流学习心得撰写情况，部署下一阶段岗位奉献活动。")
    phone.locator("summary", has_text="参会人员").click()
    phone.get_by_label("刘桂兰（小留村妇联）").check()
    assert_phone_friendly(phone)
    shot(phone, "campaigns_meeting_form_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("heading", name="村妇联主任学习座谈会")).to_be_visible()
    expect(phone.locator("#head-count")).to_have_text("24")
    expect(phone.get_by_text("刘桂兰")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "campaigns_meeting_detail_phone")
