"""考评 in a real browser (issue 9): huayin_fed sets up a 五好 assessment of her townships on a
desktop; taihua_fed fills the self-assessment on a phone (scores, notes, a link to a record, a PDF
of evidence) and submits; huayin_fed scores it, publishes and reads the campaign's ranking; the
township then sees its total and rank on the phone; lingsha_fed (another county) gets a 404.
Screenshots land in e2e/artifacts/campaigns_assessment_*.png."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.checks import assert_no_sideways_scroll, assert_phone_friendly

PDF = {"name": "妇女之家制度.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 e2e evidence"}


def test_a_township_self_assesses_on_a_phone_and_the_county_scores_and_ranks(
        phone, desktop, login_as, shot, allow_console_error):
    from gongjian.campaigns.demo import HUAYIN_TITLE, demo_campaign

    campaign = demo_campaign(HUAYIN_TITLE)
    assert campaign is not None

    # The county sets up the assessment from the 五好 template for every township federation.
    login_as(desktop, "huayin_fed")
    desktop.goto(f"/work/campaigns/assessments/sets/new/?campaign={campaign.pk}")
    desktop.locator("#id_kind").select_option("five_good")
    desktop.locator("#id_title").fill("2026年度“五好”复评")
    desktop.locator("#id_target_kind").select_option("township_fed")
    shot(desktop, "campaigns_assessment_set_form_desktop")
    desktop.get_by_role("button", name="建立考评").click()
    expect(desktop.locator("main h1")).to_have_text("2026年度“五好”复评")
    set_url = desktop.url
    expect(desktop.get_by_role("link", name="太华路街道妇联")).to_be_visible()

    # The township, on her phone: her assessment is waiting on the 考评 tab.
    login_as(phone, "taihua_fed")
    phone.goto("/work/campaigns/assessments/")
    phone.get_by_role("link", name=re.compile("2026年度“五好”复评.*待自评")).click()
    assert_phone_friendly(phone)
    shot(phone, "campaigns_assessment_detail_draft_phone")
    phone.get_by_role("link", name="填写自评").click()
    expect(phone.get_by_role("heading", name="自评")).to_be_visible()
    scores = phone.get_by_label(re.compile("自评分"))
    assert scores.count() == 5
    for i in range(5):
        scores.nth(i).fill(str(19 - i % 2))
    notes = phone.get_by_label("自评说明")
    notes.nth(0).fill("26个村（社区）妇联和妇女之家全覆盖。")
    phone.get_by_label(re.compile("佐证记录")).nth(0).fill("/work/womenshome/coverage/")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_assessment_self_form_phone")
    phone.get_by_role("button", name="先保存，稍后提交").click()
    expect(phone.get_by_role("alert").or_(phone.locator(".alert-success")).first).to_be_visible()
    phone.locator("#id_file").set_input_files(PDF)
    phone.get_by_role("button", name="上传", exact=True).click()
    expect(phone.get_by_text("妇女之家制度.pdf")).to_be_visible()
    phone.get_by_role("button", name="提交自评").click()
    expect(phone.locator("[data-state]")).to_have_text("已自评，待评分")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_assessment_submitted_phone")

    # The county scores it on the desktop table and publishes.
    desktop.goto(set_url)
    desktop.get_by_role("link", name="太华路街道妇联").click()
    desktop.get_by_role("link", name="评分").click()
    expect(desktop.get_by_text("妇女之家制度.pdf")).to_be_visible()
    given = desktop.get_by_label(re.compile("评分（满分"))
    for i, value in enumerate(["18", "17", "18", "18", "16.5"]):
        given.nth(i).fill(value)
    desktop.get_by_label("评语").nth(4).fill("经费保障可再加强。")
    shot(desktop, "campaigns_assessment_score_desktop")
    desktop.get_by_role("button", name="保存评分").click()
    expect(desktop.locator("[data-total]")).to_have_text("87.5")
    desktop.goto(set_url)
    desktop.get_by_role("button", name="公布已评分的考评结果").click()
    expect(desktop.locator("table").last).to_contain_text("87.5")
    shot(desktop, "campaigns_assessment_set_desktop")
    desktop.goto(f"/work/campaigns/{campaign.pk}/ranking/")
    expect(desktop.get_by_role("heading", name="考评排名")).to_be_visible()
    expect(desktop.locator("tr[data-rank]").first).to_contain_text("太华路街道妇联")
    assert_no_sideways_scroll(desktop)
    shot(desktop, "campaigns_assessment_ranking_desktop")
    desktop.goto(f"/work/campaigns/{campaign.pk}/")
    expect(desktop.get_by_role("heading", name="考评", exact=True)).to_be_visible()
    expect(desktop.get_by_role("link", name=re.compile("2026年度“五好”复评"))).to_be_visible()
    shot(desktop, "campaigns_assessment_on_campaign_desktop")

    # Back on the phone: the published total and the township's own rank.
    phone.reload()
    expect(phone.locator("[data-state]")).to_have_text("已公布")
    expect(phone.locator("[data-total]")).to_have_text("87.5")
    phone.goto(f"/work/campaigns/{campaign.pk}/ranking/")
    expect(phone.get_by_role("heading", name="本单位的名次")).to_be_visible()
    expect(phone.locator("main")).not_to_contain_text("罗敷镇妇联")
    assert_phone_friendly(phone)
    shot(phone, "campaigns_assessment_ranking_phone")

    # Another county's township: the set does not exist for her.
    allow_console_error(phone, r"status of 404")
    phone.context.clear_cookies()
    login_as(phone, "lingsha_fed")
    response = phone.goto(set_url)
    assert response is not None and response.status == 404
