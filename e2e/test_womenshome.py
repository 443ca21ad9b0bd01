"""妇女之家 in a real browser (issue 4): on a phone xiaoliu_women records a 农用技术培训 at 小留村's
妇女之家 (counted under the 创先争优 line 素质提升) and opens its sign-in code; three attendees sign in from three browser contexts (two on
the roster, one newcomer she confirms); taihua_fed sees the coverage board and the training
figures and chart of 太华路街道 move by one session and three people; guojia_women cannot open
小留村's activity. Screenshots land in e2e/artifacts/womenshome_*.png."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from playwright.sync_api import Browser, Page, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page


def figure(page: Page, key: str) -> int:
    return int(page.locator(f"[data-figure='{key}'] .wh-figure-value").inner_text().split("/")[0])


def chart_training_sessions(page: Page) -> int:
    expect(page.locator(".wh-chart[data-ready='1'] svg").first).to_be_attached()
    data = json.loads(page.locator("#wh-chart-data").text_content() or "{}")
    return sum(data["monthTraining"])


def open_taihua_figures(page: Page) -> tuple[int, int, int]:
    year = date.today().year
    page.goto(f"/work/womenshome/figures/?from={year}-01-01&to={year}-12-31")
    expect(page.locator("main h1")).to_contain_text("太华路街道妇联")
    return figure(page, "training"), figure(page, "trained"), chart_training_sessions(page)


def roster_women_not_yet_trained(count: int) -> list[Any]:
    from gongjian.kernel.models import Person
    from gongjian.womenshome.models import TRAINING_KINDS

    year = date.today().year
    return list(Person.objects.filter(organization__name="小留村妇联", gender="F", positions__isnull=True)
                .exclude(attendances__activity__kind__in=TRAINING_KINDS, attendances__activity__date__year=year)
                .exclude(mobile_index="").order_by("pk")[:count])


def sign_in(browser: Browser, base_url: str, url: str, name: str, mobile: str, shot: Any, label: str) -> None:
    page, watch = _open_page(browser, base_url, **PHONE)
    try:
        page.goto(url)
        expect(page.get_by_role("heading", name="活动签到")).to_be_visible()
        page.get_by_label("姓名").fill(name)
        page.get_by_label("手机号码").fill(mobile)
        assert_phone_friendly(page)
        shot(page, f"womenshome_signin_form_{label}")
        page.get_by_role("button", name="签到", exact=True).click()
        expect(page.get_by_role("heading", name="签到成功")).to_be_visible()
        shot(page, f"womenshome_signin_done_{label}")
    finally:
        _close_page(page, watch)


def test_a_training_signed_in_by_qr_moves_the_street_figures(browser, live_server, phone, desktop, login_as, shot):
    # taihua_fed: the coverage board, then the figures before.
    login_as(desktop, "taihua_fed")
    desktop.goto("/work/womenshome/coverage/")
    expect(desktop.locator("#coverage-total")).to_contain_text("26/26")
    shot(desktop, "womenshome_coverage_taihua")
    sessions_before, trained_before, chart_before = open_taihua_figures(desktop)
    shot(desktop, "womenshome_figures_before")

    # xiaoliu_women on her phone records a 农用技术培训 at 小留村妇女之家.
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/womenshome/activities/new/")
    phone.locator("#id_kind").select_option(label="农用技术培训")
    phone.locator("#id_title").fill("冬季苹果树修剪现场培训")
    phone.locator("#id_date").fill(date.today().isoformat())
    expect(phone.locator("#id_site option:checked")).to_have_text(re.compile("小留村妇女之家"))
    phone.get_by_label("农业").check()
    phone.locator("#id_hours").fill("3")
    # The 创先争优 line it counts under (the campaign pages read it through kernel.figures).
    expect(phone.get_by_label("不属于创先争优活动")).to_be_checked()
    phone.get_by_label("素质提升").check()
    assert_phone_friendly(phone)
    shot(phone, "womenshome_activity_form_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("main h1")).to_have_text("冬季苹果树修剪现场培训")
    expect(phone.locator("#activity-line")).to_contain_text("素质提升")
    activity_url = phone.url

    # She opens the sign-in code.
    phone.locator("#open-signin").click()
    expect(phone.locator(".wh-qr-box svg")).to_be_visible()
    signin_url = phone.locator("#signin-link").get_attribute("href")
    assert signin_url and "/womenshome/signin/" in signin_url
    assert_phone_friendly(phone)
    shot(phone, "womenshome_signin_qr_phone")

    # Three attendees, three browser contexts: two on the roster, one newcomer.
    roster = roster_women_not_yet_trained(2)
    assert len(roster) == 2
    for i, person in enumerate(roster):
        sign_in(browser, live_server.url, signin_url, person.name, person.mobile, shot, f"roster{i + 1}")
    sign_in(browser, live_server.url, signin_url, "韩新梅", "13992345601", shot, "newcomer")

    # The organiser's page counts the matched two and holds the newcomer; she confirms her.
    phone.goto(activity_url)
    expect(phone.locator("#attendance-count")).to_have_text("2")
    phone.get_by_role("link", name=re.compile("韩新梅")).click()
    phone.get_by_role("button", name="登记为新人员并确认").click()
    expect(phone.locator("#attendance-count")).to_have_text("3")
    assert_no_full_numbers(phone)
    shot(phone, "womenshome_activity_detail_phone")

    # The activity list filtered to the line shows it.
    phone.goto("/work/womenshome/activities/")
    phone.get_by_label("创先争优活动载体").select_option(label="素质提升")
    phone.get_by_role("button", name="筛选").click()
    expect(phone.locator("#active-filters")).to_contain_text("素质提升")
    expect(phone.locator("#activity-rows")).to_contain_text("冬季苹果树修剪现场培训")
    assert_phone_friendly(phone)
    shot(phone, "womenshome_activities_by_line_phone")

    # taihua_fed: one more session, three more people, and the chart follows.
    sessions_after, trained_after, chart_after = open_taihua_figures(desktop)
    assert sessions_after == sessions_before + 1
    assert trained_after == trained_before + 3
    assert chart_after == chart_before + 1
    shot(desktop, "womenshome_figures_after")


def test_another_village_cannot_open_xiaoliu_activity(phone, login_as, shot, allow_console_error):
    from gongjian.womenshome.models import Activity

    activity = Activity.objects.filter(organization__name="小留村妇联").order_by("-date").first()
    allow_console_error(phone, r"status of 404")  # the browser logs the 404 we expect
    login_as(phone, "guojia_women")
    response = phone.goto(f"/work/womenshome/activities/{activity.pk}/")
    assert response is not None and response.status == 404
    expect(phone.locator("body")).not_to_contain_text(activity.title)
    shot(phone, "womenshome_guojia_404_phone")


def test_the_village_director_dashboard_and_the_public_news_on_a_phone(phone, login_as, shot):
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/womenshome/")
    expect(phone.locator(".wh-chart[data-ready='1'] svg").first).to_be_attached()
    assert_phone_friendly(phone)
    shot(phone, "womenshome_dashboard_phone")
    phone.goto("/womenshome/activities/")
    expect(phone.get_by_role("heading", name="妇女之家活动")).to_be_visible()
    assert_no_full_numbers(phone)
    shot(phone, "womenshome_public_news_phone")
    phone.goto("/womenshome/notices/")
    expect(phone.get_by_role("heading", name="荣誉推荐人选公示")).to_be_visible()
    shot(phone, "womenshome_public_notices_phone")
