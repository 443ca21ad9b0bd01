"""The talent pool in a real browser (issue 11): on a phone xiaoliu_women enters a 女能手 of 小留村
(a woman already registered) and reports her to 太华路街道; on a phone taihua_fed finds her in the
review queue and forwards her to 华阴市; huayin_fed accepts her on the desktop and finds her in the
county pool by skill. Screenshots land in e2e/artifacts/talent_*.png."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly


def a_woman_of_xiaoliu() -> tuple[str, int]:
    """An ordinary woman of 小留村 not yet in the pool, and her id (invented demo people)."""
    from gongjian.development.models import Talent
    from gongjian.kernel.models import Person

    taken = Talent.objects.values_list("person_id", flat=True)
    woman = (Person.objects.filter(organization__name="小留村妇联", gender="F", positions__isnull=True)
             .exclude(pk__in=taken).order_by("id").first())
    assert woman is not None
    return woman.name, woman.pk


def test_a_village_reports_a_woman_the_street_forwards_and_the_county_accepts(phone, desktop, login_as, shot):
    name, person_id = a_woman_of_xiaoliu()

    # The village head, on her phone, enters the woman and reports her.
    login_as(phone, "xiaoliu_women")
    phone.goto("/work/development/talents/")
    expect(phone.get_by_role("heading", name="妇女人才库")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "talent_pool_village_phone")
    phone.get_by_role("link", name="+ 录入人才").click()
    phone.locator("#id_q").fill(name)
    phone.get_by_role("button", name="查找").click()
    phone.locator(f"input[name=person][value='{person_id}']").check()
    phone.get_by_label("人才类别").select_option(label="致富女能手")
    phone.get_by_label("从事行业").fill("苹果种植")
    phone.get_by_label("专长技能").fill("矮化密植、冬季修剪、网上销售")
    phone.get_by_label("企业或合作社").fill("小留村巾帼果蔬专业合作社")
    phone.get_by_label("年收入（万元）").fill("9.6")
    phone.get_by_label("带动就业（人）").fill("8")
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)
    shot(phone, "talent_form_phone")
    phone.get_by_role("button", name="保存", exact=True).click()
    expect(phone.locator("main h1")).to_contain_text(name)
    phone.get_by_role("button", name="上报乡镇（街道）妇联").click()
    expect(phone.locator("main")).to_contain_text("已上报太华路街道妇联审核")
    expect(phone.locator("main")).to_contain_text("已上报，待审核")
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)
    shot(phone, "talent_reported_phone")
    detail = phone.url

    # The street, on a phone, finds her in its queue and forwards her.
    phone.context.clear_cookies()  # another cadre's phone
    login_as(phone, "taihua_fed")
    phone.goto("/work/development/talents/?scope=queue")
    expect(phone.locator("#talents")).to_contain_text(name)
    assert_phone_friendly(phone)
    shot(phone, "talent_queue_street_phone")
    phone.locator("#talents a", has_text=name).first.click()
    expect(phone.locator("#review")).to_be_visible()
    assert_phone_friendly(phone)
    shot(phone, "talent_review_street_phone")
    phone.get_by_role("button", name="审核通过，转报上级妇联").click()
    expect(phone.locator("main")).to_contain_text("已转报华阴市妇联")

    # The county accepts her on the desktop and finds her in the county pool by skill.
    login_as(desktop, "huayin_fed")
    desktop.goto(detail)
    desktop.get_by_role("button", name="审核通过，纳入人才库").click()
    expect(desktop.locator("main")).to_contain_text("已纳入人才库")
    desktop.goto("/work/development/talents/?scope=pool&q=修剪")
    expect(desktop.locator("#talents")).to_contain_text(name)
    assert_no_full_numbers(desktop)
    shot(desktop, "talent_pool_county_desktop")
    phone.goto("/work/development/talents/")  # the street's pool holds her too (its subtree)
    expect(phone.locator("#talents")).to_contain_text(name)
    assert_phone_friendly(phone)
    shot(phone, "talent_pool_street_phone")


def test_the_county_offers_a_training_the_street_nominates_on_a_phone_and_attendance_is_recorded(
        phone, desktop, login_as, shot):
    from datetime import date

    from gongjian.development.models import Talent

    today = date.today().isoformat()
    login_as(desktop, "huayin_fed")
    desktop.goto("/work/development/trainings/new/")
    desktop.get_by_label("培训名称").fill("女经纪人电商营销培训")
    desktop.get_by_label("开始日期").fill(today)
    desktop.get_by_label("结束日期").fill(today)
    desktop.get_by_label("培训地点").fill("华阴市电商服务中心")
    desktop.get_by_label("太华路街道妇联").fill("2")
    shot(desktop, "talent_training_form_desktop")
    desktop.get_by_role("button", name="发布", exact=True).click()
    expect(desktop.locator("main h1")).to_contain_text("女经纪人电商营销培训")
    training_url = desktop.url

    login_as(phone, "taihua_fed")
    phone.goto(training_url)
    demo = Talent.objects.select_related("person").get(trade="苹果种植", organization__name="小留村妇联",
                                                       state="accepted", enterprise__contains="巾帼苹果")
    row = phone.locator("#nominees form", has_text=demo.person.name)
    assert_phone_friendly(phone)
    shot(phone, "talent_training_nominees_phone")
    row.get_by_role("button", name="推荐").click()
    expect(phone.locator("#nominations")).to_contain_text(demo.person.name)
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)

    desktop.reload()
    desktop.locator("#nominations").get_by_role("button", name="已参训").click()
    expect(desktop.locator("main")).to_contain_text("已登记参训情况")
    phone.goto(f"/work/development/talents/{demo.pk}/")
    expect(phone.locator("#trainings")).to_contain_text("女经纪人电商营销培训")
    expect(phone.locator("#trainings")).to_contain_text("已参训")
    assert_phone_friendly(phone)
    shot(phone, "talent_record_trainings_phone")
