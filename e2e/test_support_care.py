"""关爱 in a real browser (issue 10): on a 360 px phone guojia_women (郭家村's women's head, an 爱心妈妈)
opens the registry of 留守儿童, finds the overdue pairing on the board, logs a visit with a photo,
and registers a 留守老人 through the person picker; on a desktop taihua_fed (the township) sees the
board. Screenshots land in e2e/artifacts/support_care_*.png."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly

NARROW = {"width": 360, "height": 780}


def _photo(tmp_path):
    path = tmp_path / "visit.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 90)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_loving_mother_logs_a_visit_on_her_phone(live_server, phone, desktop, login_as, shot, tmp_path):
    phone.set_viewport_size(NARROW)
    login_as(phone, "guojia_women")
    phone.goto("/work/support/")
    phone.locator("main .row a", has_text="关爱和爱心妈妈").click()  # the home tile
    expect(phone.locator("#recipients")).to_contain_text("郭小雨")
    expect(phone.locator("#recipients")).to_contain_text("未满14周岁")
    expect(phone.locator("main .alert-danger")).to_contain_text("超过走访周期")
    assert_no_full_numbers(phone)
    assert_phone_friendly(phone)
    shot(phone, "support_care_recipients_phone")

    # The overdue board: 郭晨阳's 爱心妈妈 has not visited within the month.
    phone.get_by_role("link", name="超期未走访").click()
    expect(phone.locator("#overdue")).to_contain_text("郭晨阳")
    expect(phone.locator("#overdue")).not_to_contain_text("郭小雨")
    assert_phone_friendly(phone)
    shot(phone, "support_care_overdue_phone")

    # She opens it and logs today's visit with a photo (big button, date already today).
    phone.locator("#overdue a.list-row", has_text="郭晨阳").click()
    expect(phone.locator("main .alert-danger")).to_contain_text("已超期")
    phone.locator("#id_content").fill("上门辅导数学作业，和爷爷聊了孩子的学习情况，送去冬季棉衣。")
    phone.locator("#id_photo").set_input_files(str(_photo(tmp_path)))
    assert_phone_friendly(phone)
    shot(phone, "support_care_visit_form_phone")
    phone.get_by_role("button", name="保存走访记录").click()
    expect(phone.locator("main")).to_contain_text("走访记录已保存")
    expect(phone.locator("#visits")).to_contain_text("送去冬季棉衣")
    expect(phone.locator("#visits")).to_contain_text("查看照片")
    expect(phone.locator("#next-visit")).to_contain_text("下次走访请在")
    assert_no_full_numbers(phone)
    assert_phone_friendly(phone)
    shot(phone, "support_care_visit_logged_phone")

    # The board no longer lists her.
    phone.goto("/work/support/care/pairings/overdue/")
    expect(phone.locator("#overdue")).not_to_contain_text("郭晨阳")

    # She registers an elderly man of the village left behind, found with the person picker.
    from gongjian.kernel.models import Person

    elder = Person.objects.filter(organization__name="郭家村妇联", gender="M").order_by("birth_date", "pk").first()
    assert elder is not None
    phone.goto("/work/support/care/")
    phone.get_by_role("link", name="+ 登记关爱对象").click()
    phone.locator("#id_q").fill(elder.name)
    phone.get_by_role("button", name="查找").click()
    phone.locator(f"input[name=person][value='{elder.pk}']").check()
    phone.get_by_label("留守老人").check()
    phone.locator("#id_needs").fill("子女在外地打工，独居，需要定期探望。")
    phone.get_by_label("履行法定职责（妇女权益保障法）").check()
    assert_phone_friendly(phone)
    shot(phone, "support_care_register_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("main")).to_contain_text("已登记为关爱对象")
    expect(phone.locator("main h1")).to_contain_text(elder.name)
    expect(phone.locator("main h1")).to_contain_text("留守老人")
    assert_phone_friendly(phone)
    shot(phone, "support_care_recipient_phone")

    # …and pairs him with an 爱心妈妈 found with the mother picker.
    phone.get_by_role("link", name="+ 结对").click()
    phone.locator("#id_q").fill("郭彩霞")
    phone.get_by_role("button", name="查找").click()
    phone.locator("input[name=mentor]").first.check()
    phone.locator("#id_interval_days").select_option(label="每两周")
    assert_phone_friendly(phone)
    shot(phone, "support_care_pairing_form_phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("main")).to_contain_text("爱心妈妈结对已登记")
    expect(phone.locator("main h1")).to_contain_text(f"郭彩霞 — {elder.name}")
    expect(phone.locator("main")).to_contain_text("每 14 天走访一次")

    # The township on a desktop: the pairings with the board on top.
    login_as(desktop, "taihua_fed")
    desktop.goto("/work/support/care/pairings/")
    expect(desktop.locator("#pairings")).to_contain_text("郭彩霞 — 郭小雨")
    assert_no_full_numbers(desktop)
    shot(desktop, "support_care_pairings_desktop")
