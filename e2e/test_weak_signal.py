"""Weak signal (issue 13): a form submitted with no connection says 待发送, stays on the phone, and
is sent once when the connection comes back — one activity, one sign-in, however often sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from e2e.checks import assert_phone_friendly

OUTBOX = "#gj-outbox"


def xiaoliu_activity(title: str) -> Any:
    from gongjian.kernel.models import Organization
    from gongjian.kernel.tests.matrix import persona
    from gongjian.womenshome.tests.factories import make_activity

    return make_activity(persona("xiaoliu_women"), Organization.objects.get(name="小留村妇联"), title=title)


def test_an_activity_saved_without_signal_is_sent_once_when_it_returns(phone: Page, login_as, shot):
    from gongjian.womenshome.models import Activity

    login_as(phone, "xiaoliu_women")
    phone.goto("/work/womenshome/activities/new/")
    phone.locator("#id_kind").select_option(label="农用技术培训")
    phone.locator("#id_title").fill("没信号时登记的修剪培训")
    phone.locator("#id_date").fill(date.today().isoformat())
    phone.locator("#id_hours").fill("2")
    expect(phone.get_by_text("信号不好时也可以点“保存”")).to_be_visible()

    phone.context.set_offline(True)
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator(OUTBOX)).to_contain_text("待发送：1 份表单已存在本机")
    expect(phone.get_by_role("button", name="保存")).to_be_disabled()
    assert_phone_friendly(phone)
    shot(phone, "weak_signal_activity_waiting_phone")
    assert not Activity.objects.filter(title="没信号时登记的修剪培训").exists()

    phone.context.set_offline(False)
    # Sent by itself: she is taken to the activity that was made, with a note that it was sent.
    expect(phone.locator("main h1")).to_have_text("没信号时登记的修剪培训")
    expect(phone.locator(OUTBOX)).to_contain_text("已发送")
    shot(phone, "weak_signal_activity_sent_phone")
    assert Activity.objects.filter(title="没信号时登记的修剪培训").count() == 1

    # Opening another page online sends nothing again: the phone's outbox is empty.
    phone.goto("/work/womenshome/activities/")
    expect(phone.locator(OUTBOX)).to_be_hidden()
    assert Activity.objects.filter(title="没信号时登记的修剪培训").count() == 1


def test_a_sign_in_without_signal_waits_and_is_one_sign_in(browser: Any, phone: Page, desktop: Page,
                                                           login_as, shot):
    from gongjian.womenshome.models import SignIn

    activity = xiaoliu_activity("断网也能签到的培训")
    login_as(desktop, "xiaoliu_women")
    desktop.goto(f"/work/womenshome/activities/{activity.pk}/signin/")
    url = desktop.locator("#signin-link").get_attribute("href")
    assert url

    phone.goto(url)
    expect(phone.get_by_text("信号不好也可以点“签到”")).to_be_visible()
    phone.get_by_label("姓名").fill("没信号的人")
    phone.get_by_label("手机号码").fill("13912348888")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="签到", exact=True).click()
    expect(phone.locator(OUTBOX)).to_contain_text("待发送")
    assert_phone_friendly(phone)
    shot(phone, "weak_signal_signin_waiting_phone")
    assert not SignIn.objects.filter(activity=activity).exists()
    # A second copy of the same form (another tab kept it too): the key makes it the same sign-in.
    phone.evaluate("""() => { const box = JSON.parse(localStorage.getItem('gj-outbox-v1'));
        box.push(Object.assign({}, box[0], {at: 'another tab'}));
        localStorage.setItem('gj-outbox-v1', JSON.stringify(box)); }""")

    phone.context.set_offline(False)
    expect(phone.locator(OUTBOX)).to_contain_text("已发送")
    expect(phone.get_by_role("heading", name="签到成功")).to_be_visible()
    expect(phone.get_by_label("姓名")).to_have_count(0)
    shot(phone, "weak_signal_signin_sent_phone")
    assert SignIn.objects.filter(activity=activity, name="没信号的人").count() == 1
    assert phone.evaluate("() => localStorage.getItem('gj-outbox-v1')") == "[]"


def test_what_was_typed_is_still_there_after_the_page_is_reopened(phone: Page, login_as):
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/womenshome/activities/new/")
    phone.locator("#id_title").fill("写了一半的活动")
    phone.locator("#id_place").fill("村文化广场")
    phone.reload()
    expect(phone.locator("#id_title")).to_have_value("写了一半的活动")
    expect(phone.locator("#id_place")).to_have_value("村文化广场")


def test_the_manifest_and_the_service_worker_are_served_from_the_site_root(phone: Page):
    manifest = phone.request.get("/manifest.webmanifest")
    assert manifest.ok and manifest.json()["scope"] == "/" and manifest.json()["short_name"] == "共建"
    worker = phone.request.get("/sw.js")
    assert worker.ok and "javascript" in worker.headers["content-type"]
    assert worker.headers["service-worker-allowed"] == "/"
    assert "cdn" not in worker.text().lower() and "/static/gongjian/offline.js" in worker.text()


def test_the_sign_in_page_opens_without_signal_once_it_was_opened(browser: Any, live_server: Any, desktop: Page,
                                                                   login_as):
    """The service worker (allowed here, unlike the other tests' contexts) keeps the page and its
    files: reopened with no connection, the form is there and the offline note with it."""
    activity = xiaoliu_activity("先开过一次的签到页")
    login_as(desktop, "xiaoliu_women")
    desktop.goto(f"/work/womenshome/activities/{activity.pk}/signin/")
    url = desktop.locator("#signin-link").get_attribute("href")
    assert url
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", service_workers="allow")
    try:
        page = context.new_page()
        page.goto(url)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now under the worker's control: this copy is kept
        expect(page.get_by_role("heading", name="活动签到")).to_be_visible()
        context.set_offline(True)
        page.reload()
        expect(page.get_by_role("heading", name="活动签到")).to_be_visible()
        expect(page.get_by_text("信号不好也可以点“签到”")).to_be_visible()
        # The site's own stylesheet came from the kept copy too (the red bar, not an unstyled page).
        assert page.evaluate("() => getComputedStyle(document.querySelector('.navbar-gj')).backgroundColor") \
            == "rgb(183, 28, 28)"
        assert page.evaluate("() => !!document.querySelector('link[rel=manifest]')")
    finally:
        context.close()


def test_a_phone_that_says_online_but_gets_nothing_through_keeps_the_form(phone: Page, desktop: Page, login_as,
                                                                          allow_console_error):
    from gongjian.womenshome.models import SignIn

    activity = xiaoliu_activity("一格信号时的签到")
    login_as(desktop, "xiaoliu_women")
    desktop.goto(f"/work/womenshome/activities/{activity.pk}/signin/")
    url = desktop.locator("#signin-link").get_attribute("href")
    assert url
    phone.goto(url)
    phone.get_by_label("姓名").fill("一格信号的人")
    phone.get_by_label("手机号码").fill("13912347777")
    # navigator.onLine stays true; the small request before sending gets no answer.
    allow_console_error(phone, r"ERR_CONNECTION_FAILED|manifest")
    phone.route("**/manifest.webmanifest", lambda route: route.abort("connectionfailed"))
    phone.get_by_role("button", name="签到", exact=True).click()
    expect(phone.locator(OUTBOX)).to_contain_text("待发送")
    assert not SignIn.objects.filter(activity=activity).exists()
    phone.unroute("**/manifest.webmanifest")
    phone.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(phone.get_by_role("heading", name="签到成功")).to_be_visible()
    assert SignIn.objects.filter(activity=activity, name="一格信号的人").count() == 1
