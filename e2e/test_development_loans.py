"""小额贷款 in a real browser (issue 11): on a phone xiaoliu_women registers a loan application for a
woman of 小留村 and checks it (村级核实); taihua_fed reviews it, records the partner's approval and
the disbursement, and records the first repayment on her phone; the schedule shows the first
instalment paid; guojia_women cannot open the loan. Screenshots land in
e2e/artifacts/development_loans_*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from playwright.sync_api import Browser, Page, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page


@contextmanager
def another_phone(browser: Browser, base_url: str) -> Iterator[Page]:
    """A second phone (its own browser context): another cadre signs in on it."""
    page, watch = _open_page(browser, base_url, **PHONE)
    try:
        yield page
    finally:
        _close_page(page, watch)


def a_woman_of_xiaoliu() -> tuple[int, str]:
    from gongjian.kernel.models import Person

    woman = (Person.objects.filter(organization__name="小留村妇联", gender="F", positions__isnull=True)
             .order_by("pk").first())
    assert woman is not None
    return woman.pk, woman.name


def test_a_loan_from_the_village_application_to_the_first_repayment(browser, live_server, phone, desktop,
                                                                    login_as, shot, allow_console_error):
    today = date.today().isoformat()
    woman_id, woman = a_woman_of_xiaoliu()

    # The village director applies for her on a phone, with the plan written in.
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/development/loans/")
    assert_phone_friendly(phone)
    phone.get_by_role("link", name=re.compile("登记贷款申请")).click()
    phone.locator("#id_applicant").select_option(value=str(woman_id))
    phone.locator("#id_purpose").fill("扩大苹果园")
    phone.locator("#id_amount").fill("24000")
    phone.locator("#id_term_months").fill("12")
    phone.locator("#id_guarantee").fill("反担保人一名（本村教师）")
    phone.locator("#id_business_plan").fill("扩种红富士苹果二十亩，秋季销售，带动本村妇女五人就业。")
    phone.locator("#id_jobs_created").fill("5")
    phone.locator("#id_partner_name").fill("华阴市人社局")
    assert_phone_friendly(phone)
    shot(phone, "development_loans_apply_phone")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.locator("main h1")).to_contain_text(woman)
    expect(phone.locator("main h1")).to_contain_text("已申请")
    loan_url = phone.url

    # She checks it (村级核实): it goes to the township.
    phone.locator("#check-note").fill("经核实，本人常住本村，果园属实。")
    assert_phone_friendly(phone)
    shot(phone, "development_loans_check_phone")
    phone.get_by_role("button", name="核实无误，报乡镇审核").click()
    expect(phone.locator("main h1")).to_contain_text("村级已核实")
    assert_no_full_numbers(phone)

    # The township federation reviews it and records the partner's decision and the disbursement.
    login_as(desktop, "taihua_fed")
    desktop.goto(loan_url)
    desktop.locator("#review-note").fill("材料齐全，同意上报。")
    desktop.get_by_role("button", name="审核通过，报合作方").click()
    expect(desktop.locator("main h1")).to_contain_text("乡镇妇联已审核")
    desktop.get_by_role("link", name="登记合作方审批结果").click()
    desktop.get_by_label("批准", exact=True).check()
    desktop.locator("#id_decided_on").fill(today)
    desktop.locator("#id_note").fill("符合贷免扶补条件。")
    desktop.get_by_role("button", name="保存").click()
    expect(desktop.locator("main h1")).to_contain_text("合作方已批准")
    desktop.get_by_role("link", name="登记放款").click()
    desktop.locator("#id_disbursed_on").fill(today)
    desktop.get_by_role("button", name="保存").click()
    expect(desktop.locator("main h1")).to_contain_text("已放款")
    expect(desktop.get_by_text("第12期")).to_be_visible()
    shot(desktop, "development_loans_disbursed_desktop")

    # The first repayment, recorded by the township on a phone.
    with another_phone(browser, live_server.url) as township:
        login_as(township, "taihua_fed")
        township.goto(loan_url)
        township.get_by_role("link", name="登记还款").click()
        township.locator("#id_amount").fill("2000")
        township.locator("#id_paid_on").fill(today)
        assert_phone_friendly(township)
        shot(township, "development_loans_repay_phone")
        township.get_by_role("button", name="保存").click()
        expect(township.locator("main h1")).to_contain_text("还款中")
        expect(township.locator(".list-row").filter(has_text="第1期")).to_contain_text("已还清")
        assert_phone_friendly(township)
        assert_no_full_numbers(township)
        shot(township, "development_loans_detail_phone")

    # The overdue board of 灵沙乡 on a phone (its demo loan is overdue).
    with another_phone(browser, live_server.url) as lingsha:
        login_as(lingsha, "lingsha_fed")
        lingsha.goto("/work/development/loans/overdue/")
        expect(lingsha.locator("main")).to_contain_text("购买滩羊扩大养殖")
        assert_phone_friendly(lingsha)
        shot(lingsha, "development_loans_board_phone")

    # A sibling village does not reach it.
    with another_phone(browser, live_server.url) as guojia:
        login_as(guojia, "guojia_women")
        allow_console_error(guojia, "status of 404")
        response = guojia.goto(loan_url)
        assert response is not None and response.status == 404
