"""党务公开 end to end in a real browser, the procedure of 第四篇: the branch drafts a quarterly
党费收缴情况 item and submits it, the street committee approves, the branch publishes; a visitor
on a phone finds it on 小留村's board and leaves a suggestion; the branch answers and marks
rectification; the revised version is published; the visitor sees both versions, the diff and
the reply; the verification page says the log is intact. Screenshots in e2e/artifacts/."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from e2e.checks import FORM_TARGETS, assert_phone_friendly

TITLE = "2026年第四季度党费收缴情况"
# The public pages' tap targets include the board's list rows.
PUBLIC_TARGETS = FORM_TARGETS + ", main .list-row"
BRANCH = "中共小留村支部委员会"


def switch_user(page: Page, login_as: Any, username: str) -> None:
    page.context.clear_cookies()
    login_as(page, username)


def open_item_in_workspace(page: Page) -> None:
    page.goto("/work/disclosure/")
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def approve_and_publish(page: Page, login_as: Any, shot: Any, name: str) -> None:
    switch_user(page, login_as, "taihua_party")
    page.goto("/work/disclosure/")
    expect(page.get_by_text("待审核备案")).to_be_visible()
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    page.get_by_label("审核意见").fill("内容完整，同意公开。")
    shot(page, f"disclosure-{name}-review")
    page.get_by_role("button", name="审核通过，予以备案").click()
    expect(page.get_by_text("已审核备案。")).to_be_visible()
    switch_user(page, login_as, "xiaoliu_branch")
    open_item_in_workspace(page)
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.get_by_text(re.compile(r"已公开第\d+版"))).to_be_visible()


def test_the_whole_loop_of_party_affairs_disclosure(desktop: Page, phone: Page, login_as: Any, shot: Any) -> None:
    staff = desktop
    # 1. The branch secretary drafts the quarterly item and submits it for review.
    login_as(staff, "xiaoliu_branch")
    staff.goto("/work/disclosure/new/")
    staff.get_by_label("标题").fill(TITLE)
    staff.get_by_label("公开内容类别").select_option(label="党组织自身建设")
    staff.get_by_label("正文").fill("本季度应缴党费党员32名，实缴32名。\n\n收缴金额合计1,860元，已按规定上缴街道党委。")
    staff.get_by_label("公开时间").select_option(label="常规")
    staff.get_by_label("更换周期（常规性工作）").select_option(label="每季度")
    staff.get_by_label("公开范围").select_option(label="向社会公开")
    shot(staff, "disclosure-01-draft")
    staff.get_by_role("button", name="保存").click()
    expect(staff.get_by_text("已保存草稿。")).to_be_visible()
    staff.get_by_role("button", name="报上级党组织审核").click()
    expect(staff.get_by_text("已报上级党组织审核。")).to_be_visible()
    shot(staff, "disclosure-02-submitted")

    # 2. The street party committee approves (审核备案); the branch publishes.
    approve_and_publish(staff, login_as, shot, "03")
    shot(staff, "disclosure-04-published")

    # 3. A visitor on a phone finds it on 小留村's board and leaves a suggestion.
    visitor = phone
    visitor.goto("/")
    visitor.get_by_role("link", name="进入公开栏").click()
    visitor.get_by_role("link", name=BRANCH).click()
    expect(visitor.get_by_role("heading", name=BRANCH)).to_be_visible()
    expect(visitor.get_by_text("党组织自身建设").first).to_be_visible()
    shot(visitor, "disclosure-05-board-phone")
    assert_phone_friendly(visitor, PUBLIC_TARGETS)
    visitor.get_by_role("link", name=re.compile(TITLE)).click()
    expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible()
    shot(visitor, "disclosure-06-item-phone")
    visitor.get_by_role("link", name="对本事项提意见").click()
    visitor.get_by_label("您的意见或建议").fill("收缴金额1,860元与上次会议通报的1,680元不一致，请核实。")
    visitor.get_by_role("button", name="提交意见").click()
    code = visitor.locator("#tracking-code").inner_text().strip()
    password = visitor.locator("#query-password").inner_text().strip()
    assert re.fullmatch(r"YJ-[2-9A-Z]{4}-[2-9A-Z]{4}", code) and re.fullmatch(r"\d{8}", password)
    shot(visitor, "disclosure-07-suggestion-code-phone")
    assert_phone_friendly(visitor, PUBLIC_TARGETS)
    # The receipt copies the code and its lookup link fills it in (issue 13).
    visitor.get_by_role("button", name="复制查询码").click()
    expect(visitor.get_by_role("button", name="已复制")).to_be_visible()
    visitor.get_by_role("link", name="查询办理情况").click()
    expect(visitor.get_by_label("查询码")).to_have_value(code)

    # 4. The branch answers publicly and marks rectification, then revises the item.
    switch_user(staff, login_as, "xiaoliu_branch")
    staff.goto("/work/disclosure/suggestions/")
    staff.get_by_role("link", name=re.compile(code)).click()
    staff.get_by_label("答复内容").fill("经核实，1,680元为第三季度数，第四季度为1,860元；已在公开内容中补充说明。")
    staff.get_by_label(re.compile("公开答复")).check()
    staff.get_by_label(re.compile("需要整改")).check()
    staff.get_by_role("button", name="答复").click()
    expect(staff.get_by_text("已答复。")).to_be_visible()
    open_item_in_workspace(staff)
    expect(staff.get_by_text("待整改").first).to_be_visible()
    staff.get_by_role("link", name="修改", exact=True).click()
    staff.get_by_label("正文").fill("本季度应缴党费党员32名，实缴32名。\n\n收缴金额合计1,860元（第三季度为1,680元），"
                                   "已按规定上缴街道党委。")
    staff.get_by_label(re.compile("更正/修订说明")).fill("根据群众意见，补充说明第三季度收缴金额。")
    staff.get_by_role("button", name="保存").click()
    staff.get_by_role("button", name="报上级党组织审核").click()
    expect(staff.get_by_text("已报上级党组织审核。")).to_be_visible()
    approve_and_publish(staff, login_as, shot, "08")
    shot(staff, "disclosure-09-second-version-staff")

    # 5. The visitor reads the reply, both versions and the diff, and checks the record.
    visitor.goto("/disclosure/track/")
    visitor.get_by_label("查询码").fill(code.replace("-", " ").lower())  # as read off paper, typed loosely
    visitor.get_by_label("查询密码").fill(password)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator(".reply")).to_contain_text("第四季度为1,860元")
    shot(visitor, "disclosure-10-reply-phone")
    visitor.get_by_role("link", name="查看公开事项").click()
    expect(visitor.get_by_text("第 2 版").first).to_be_visible()
    expect(visitor.get_by_text("第 1 版").first).to_be_visible()
    expect(visitor.locator(".diff ins").first).to_be_visible()
    expect(visitor.get_by_text("根据群众意见，补充说明第三季度收缴金额。").first).to_be_visible()
    shot(visitor, "disclosure-11-versions-diff-phone")
    assert_phone_friendly(visitor, PUBLIC_TARGETS)
    visitor.get_by_role("link", name="核验：本版本在发布记录中的证明").click()
    expect(visitor.get_by_text("验证通过")).to_be_visible()
    visitor.goto("/disclosure/verify/")
    expect(visitor.get_by_text("发布记录完整")).to_be_visible()
    shot(visitor, "disclosure-12-verify-phone")
    assert_phone_friendly(visitor, PUBLIC_TARGETS)

    # The printable A3 board is a PDF.
    board_path = visitor.evaluate("location.origin")
    from gongjian.kernel.models import Organization

    # WeasyPrint lays out an A3 page with CJK fonts: allow it more than the default 10 s.
    pdf = visitor.request.get(f"{board_path}/disclosure/org/{Organization.objects.get(name=BRANCH).pk}/poster.pdf",
                              timeout=60_000)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
