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
