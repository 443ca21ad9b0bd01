"""创先争优 plans due upward in a real browser (issue 9): huayin_fed drafts a campaign on the
desktop with its phases and a party co-issuer and issues it to the townships; taihua_fed, on a
phone, submits her street's plan after the due day (with a file and her leading group) and sees
it marked late; huayin_fed returns it from the board with a reason; taihua_fed reads the reason
on her phone and resubmits; the county's board shows it late, awaiting review, filterable.
Screenshots land in e2e/artifacts/campaigns_*.png."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from e2e.checks import assert_phone_friendly

TITLE = "巾帼建功争先锋——年终冲刺创先争优活动"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_own_plan(phone: Page) -> None:
    phone.goto("/work/campaigns/")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.locator("#own-plan")).to_be_visible()
    phone.locator("#own-plan").get_by_role("link").click()
    expect(phone.locator("#submit-plan")).to_be_visible()


def test_the_county_issues_a_township_submits_late_is_returned_and_resubmits(phone, desktop, login_as, shot):
    today = date.today()
    # huayin_fed drafts the campaign on the desktop: text, lines, co-issuer, targets, phases.
    login_as(desktop, "huayin_fed")
    desktop.goto("/work/campaigns/")
    desktop.get_by_role("link", name="发起活动").click()
    desktop.get_by_label("活动名称").fill(TITLE)
    desktop.get_by_label("目标要求").fill("争创“五好”基层妇联组织，争当“五个模范”妇联干部。")
    desktop.get_by_label("学习讨论座谈").check()
    desktop.get_by_label("岗位奉献、巾帼建功").check()
    desktop.get_by_label("中共华阴市委员会").check()
    desktop.get_by_label("乡镇（街道）妇联").check()
    desktop.locator("#id_starts_on").fill((today - timedelta(days=30)).isoformat())
    desktop.locator("#id_ends_on").fill((today + timedelta(days=60)).isoformat())
    desktop.locator("#id_plan_due").fill((today - timedelta(days=3)).isoformat())
    desktop.locator("#id_phases-0-name").fill("广泛发动，安排部署")
    desktop.locator("#id_phases-0-starts_on").fill((today - timedelta(days=30)).isoformat())
    desktop.locator("#id_phases-0-ends_on").fill((today - timedelta(days=10)).isoformat())
    desktop.locator("#id_phases-0-tasks").fill("成立领导小组，制定活动方案")
    desktop.locator("#id_phases-1-name").fill("全面争创，扎实推进")
    desktop.locator("#id_phases-1-starts_on").fill((today - timedelta(days=9)).isoformat())
    desktop.locator("#id_phases-1-ends_on").fill((today + timedelta(days=60)).isoformat())
    shot(desktop, "campaigns_form_desktop")
    desktop.get_by_role("button", name="保存").click()
    expect(desktop.locator("main h1")).to_have_text(TITLE)
    desktop.get_by_role("button", name="下发活动").click()
    expect(desktop.locator("main")).to_contain_text("活动已下发")
    expect(desktop.locator("#phases .badge")).to_have_text("当前阶段")
    expect(desktop.locator("#phases li").nth(1)).to_contain_text("当前阶段")
    shot(desktop, "campaigns_detail_desktop")

    # taihua_fed, on her phone, submits after the due day.
    login_as(phone, "taihua_fed")
    open_own_plan(phone)
    expect(phone.locator("#submit-plan")).to_contain_text("已过报送截止日期")
    phone.get_by_label("方案标题").fill("太华路街道妇联年终冲刺创先争优活动方案")
    phone.get_by_label("方案内容").fill("一、指导思想\n二、组织领导\n三、活动安排")
    phone.get_by_label("领导小组").select_option(label="太华路街道妇联创先争优活动领导小组")
    phone.locator("#id_attachments").set_input_files(
        {"name": "活动方案.pdf", "mimeType": "application/pdf", "buffer": PDF})
    assert_phone_friendly(phone)
    shot(phone, "campaigns_plan_submit_phone")
    phone.get_by_role("button", name="报送", exact=True).click()
    expect(phone.locator("main")).to_contain_text("方案已报送")
    expect(phone.locator("main .badge").first).to_have_text("逾期报送")
    expect(phone.locator("#history")).to_contain_text("活动方案.pdf")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_plan_submitted_phone")

    # huayin_fed returns it from the board with a reason.
    desktop.get_by_role("link", name="报送情况").click()
    row = desktop.locator("#board [data-org='太华路街道妇联']")
    expect(row).to_contain_text("逾期报送")
    expect(desktop.locator("#board [data-org='罗敷镇妇联']")).to_contain_text("未报送")
    shot(desktop, "campaigns_board_desktop")
    row.click()
    desktop.get_by_label("退回原因").fill("请补充各阶段的时间安排和责任人")
    desktop.get_by_role("button", name="退回", exact=True).click()
    expect(desktop.locator("main")).to_contain_text("已退回修改")
    expect(desktop.locator("#return-reason")).to_contain_text("请补充各阶段的时间安排和责任人")

    # taihua_fed reads the reason on her phone and resubmits.
    open_own_plan(phone)
    expect(phone.locator("#return-reason")).to_contain_text("请补充各阶段的时间安排和责任人")
    expect(phone.locator("#submit-plan h2")).to_have_text("修改后重新报送")
    expect(phone.get_by_label("方案标题")).to_have_value("太华路街道妇联年终冲刺创先争优活动方案")
    phone.get_by_label("方案内容").fill("一、指导思想\n二、组织领导\n三、活动安排（分阶段、到人）")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_plan_returned_phone")
    phone.get_by_role("button", name="报送", exact=True).click()
    expect(phone.locator("main")).to_contain_text("方案已报送")
    expect(phone.locator("#history li")).to_have_count(2)
    shot(phone, "campaigns_plan_resubmitted_phone")

    # The county's board: late, resubmitted (第2次), and the filter finds it; the phone list too.
    desktop.goto(desktop.url.split("/plans/")[0] + "/plans/")
    row = desktop.locator("#board [data-org='太华路街道妇联']")
    expect(row).to_contain_text("逾期报送")
    expect(row).to_contain_text("第2次")
    desktop.locator("#board-filter [data-status='late']").click()
    expect(desktop.locator("#board [data-org]")).to_have_count(1)
    shot(desktop, "campaigns_board_late_desktop")
    phone.goto(desktop.url)
    expect(phone.locator("#board [data-org='太华路街道妇联']")).to_contain_text("逾期报送")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_board_phone")
    phone.goto("/work/campaigns/")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_list_phone")
