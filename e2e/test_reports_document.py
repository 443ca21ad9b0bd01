"""公文 in a real browser (issue 14): on a phone taihua_fed (the township federation chair) drafts
this year's 情况汇报 from the records, writes the two sections left to her and edits a paragraph,
previews it, issues it after the confirmation step, sees its 发文字号 and downloads the .docx; on a
desktop the same pages. Screenshots land in e2e/artifacts/reports_document_*.png."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.utils import timezone
from docx import Document as DocxDocument
from playwright.sync_api import Page, expect

from e2e.checks import assert_no_sideways_scroll, assert_phone_friendly

NUMBER = re.compile(r"太妇发〔\d{4}〕\d+号")


def _draft_this_years_report(page: Page) -> None:
    page.goto("/work/reports/")
    page.get_by_role("heading", name="公文", exact=True).click()
    expect(page.locator("h1")).to_have_text("公文")
    page.get_by_role("link", name="+ 起草公文").click()
    page.get_by_label("文种").select_option("situation_report")
    page.get_by_role("button", name="生成初稿").click()
    expect(page.locator(".alert-success, .alert")).to_contain_text("草稿已生成")
    expect(page.locator("h1")).to_have_text("修改公文")


def test_a_township_chair_drafts_edits_issues_and_downloads_a_situation_report_on_her_phone(
        phone, login_as, shot):
    login_as(phone, "taihua_fed")
    phone.goto("/work/reports/documents/")
    assert_phone_friendly(phone)
    shot(phone, "reports_document_list_phone")
    _draft_this_years_report(phone)
    expect(phone.locator("#s-1")).to_contain_text("本节数字的准确值")
    expect(phone.locator("#s-2")).to_contain_text("待写")
    assert_phone_friendly(phone)
    shot(phone, "reports_document_editor_phone")

    # The figures' exact values are one tap away.
    phone.locator("#s-1 summary").click()
    expect(phone.locator("#s-1 details li").first).to_contain_text("=")

    # She edits a paragraph and writes the two sections left to her.
    first = phone.locator("textarea[name='s-0-text']")
    first.fill(first.input_value() + "\n街道妇联坚持每月召开一次村妇联主席例会。")
    phone.locator("textarea[name='s-2-text']").fill("部分村妇女之家活动场地不足。\n群众参与的积极性有待提高。")
    phone.locator("textarea[name='s-3-text']").fill("继续开展妇女技能培训。")
    phone.get_by_role("button", name="保存并预览").click()
    expect(phone.locator(".gw-page")).to_contain_text("每月召开一次村妇联主席例会")
    expect(phone.locator(".gw-page")).to_contain_text("部分村妇女之家活动场地不足")
    expect(phone.locator(".gw-draft")).to_be_visible()
    phone.locator("#exact summary").click()
    expect(phone.locator("#exact li").first).to_contain_text("=")
    assert_phone_friendly(phone)
    shot(phone, "reports_document_preview_phone")

    phone.get_by_role("link", name="印发").click()
    expect(phone.locator(".alert-warning")).to_contain_text("不能再改动")
    shot(phone, "reports_document_issue_phone")
    phone.get_by_role("button", name="确认印发").click()
    expect(phone.locator(".alert-success, .alert")).to_contain_text("已印发，发文字号")
    number = phone.locator(".gw-number").inner_text()
    assert NUMBER.fullmatch(number), number
    expect(phone.locator(".doc-status")).to_contain_text(number)
    shot(phone, "reports_document_issued_phone")

    with phone.expect_download() as info:
        phone.get_by_role("link", name="下载 Word").click()
    download = info.value
    assert download.suggested_filename.endswith(f"（{number}）.docx"), download.suggested_filename
    data = open(download.path(), "rb").read()  # noqa: SIM115 — a temporary file Playwright owns
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(data)).paragraphs)
    assert number in text and "每月召开一次村妇联主席例会" in text

    # The history lists the issued version; an edit after issue is a new draft version.
    phone.get_by_role("link", name="历次版本").click()
    expect(phone.locator("main")).to_contain_text("第1版")
    expect(phone.locator("main")).to_contain_text(number)
    assert_no_sideways_scroll(phone)


def test_the_document_pages_on_a_desktop(desktop, login_as, shot):
    login_as(desktop, "taihua_fed")
    # A 公示 runs over the next days, a report over this year: the period follows the kind chosen.
    desktop.goto("/work/reports/documents/new/")
    today = timezone.localdate()
    desktop.get_by_label("文种").select_option("public_notice")
    expect(desktop.locator("#id_period_from")).to_have_value(today.isoformat())
    expect(desktop.locator("#id_period_to")).to_have_value((today + timedelta(days=5)).isoformat())
    desktop.get_by_label("文种").select_option("situation_report")
    expect(desktop.locator("#id_period_from")).to_have_value(f"{today.year}-01-01")
    expect(desktop.locator("#field-campaign_id:visible")).to_have_count(0)  # a report needs no campaign
    _draft_this_years_report(desktop)
    shot(desktop, "reports_document_editor_desktop")
    desktop.get_by_role("button", name="保存并预览").click()
    expect(desktop.locator(".gw-page")).to_contain_text("一、基本情况")
    assert_no_sideways_scroll(desktop)
    shot(desktop, "reports_document_preview_desktop")
    desktop.goto("/work/reports/documents/")
    assert_no_sideways_scroll(desktop)
    shot(desktop, "reports_document_list_desktop")


def test_the_campaign_picker_shows_only_for_a_kind_drafted_from_a_campaign(desktop, login_as):
    from gongjian.kernel import documents
    from gongjian.kernel.documents import Content, Drafter, Kind

    previous = documents.drafter(Kind.IMPLEMENTATION_PLAN)
    documents.offer(Drafter(Kind.IMPLEMENTATION_PLAN, lambda ask: Content(title="方案", sections=[]),
                            needs_campaign=True, campaigns=lambda user, org: [(71, "巾帼建功活动")]))
    try:
        login_as(desktop, "taihua_fed")
        desktop.goto("/work/reports/documents/new/")
        desktop.get_by_label("文种").select_option("situation_report")
        expect(desktop.locator("#field-campaign_id")).to_be_hidden()
        desktop.get_by_label("文种").select_option("implementation_plan")
        expect(desktop.locator("#field-campaign_id")).to_be_visible()
        expect(desktop.locator("#id_campaign_id option")).to_have_text(["请选择", "巾帼建功活动"])
    finally:
        documents.withdraw(Kind.IMPLEMENTATION_PLAN)
        if previous is not None:
            documents.offer(previous)
