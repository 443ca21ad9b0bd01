"""A village cadre sets up a 钉钉 group robot for her 待办 on her phone (issue 13): she finds the
page in the menu, a wrong address is refused in plain Chinese, the right one is saved and shown
masked — the robot's access token never appears on the page again."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.checks import FORM_TARGETS, assert_no_sideways_scroll, undersized
from e2e.test_workspace import open_menu

TOKEN = "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d4f21"
WEBHOOK = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
SECRET = "SEC7d3f1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1"


def test_a_cadre_sets_up_a_dingtalk_robot_on_her_phone_and_sees_it_saved_masked(
        phone: Page, login_as, allow_console_error, shot):
    login_as(phone, "xiaoliu_women")
    open_menu(phone)
    phone.get_by_role("link", name="待办推送").click()
    expect(phone.locator("main h1")).to_have_text("待办推送")
    expect(phone.get_by_text("还没有设置推送")).to_be_visible()
    assert undersized(phone, FORM_TARGETS) == []
    assert_no_sideways_scroll(phone)
    shot(phone, "pushes_empty_phone")

    # A link copied from elsewhere is refused, nothing saved.
    allow_console_error(phone, r"status of 400")
    phone.get_by_label("钉钉群机器人").check()
    phone.get_by_label("有新待办时立即推送").check()
    phone.get_by_label("机器人 Webhook 地址或手机号码").fill("https://example.com/robot/send?access_token=x")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_role("alert").first).to_contain_text("填写有误，未保存")
    expect(phone.locator(".invalid-feedback")).to_contain_text("这不是钉钉群机器人的地址")
    assert_no_sideways_scroll(phone)
    shot(phone, "pushes_refused_phone")

    phone.get_by_label("钉钉群机器人").check()
    phone.get_by_label("有新待办时立即推送").check()
    phone.get_by_label("机器人 Webhook 地址或手机号码").fill(WEBHOOK)
    phone.get_by_label("加签密钥（仅钉钉，选填）").fill(SECRET)
    phone.get_by_role("button", name="保存").click()

    expect(phone).to_have_url(re.compile(r"/work/account/pushes/$"))
    expect(phone.get_by_text("推送设置已保存。")).to_be_visible()
    saved = phone.locator("#push-channels li")
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text("钉钉群机器人 · 有新待办时立即推送")
    expect(saved.locator(".push-address")).to_have_text(f"oapi.dingtalk.com/…{TOKEN[-4:]}")
    expect(saved).to_contain_text("已加签")
    body = phone.locator("body").inner_text()
    assert TOKEN[:16] not in body and SECRET[:10] not in body
    assert TOKEN[:16] not in phone.content()
    assert undersized(phone, FORM_TARGETS) == []
    assert_no_sideways_scroll(phone)
    shot(phone, "pushes_saved_phone")
