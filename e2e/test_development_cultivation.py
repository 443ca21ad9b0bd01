"""党员推荐培养 in a real browser (issue 11): on a phone xiaoliu_women recommends a woman of 小留村
to the village's party branch; xiaoliu_branch, the branch secretary, on her own phone records her
as 入党积极分子 (dated, with a note); xiaoliu_women sees the step and cannot decide one herself;
the street federation follows it on a desktop; the woman's political status in the register
follows. Screenshots land in
e2e/artifacts/cultivation_*.png."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from e2e.checks import assert_no_full_numbers, assert_phone_friendly
from e2e.conftest import PHONE, _close_page, _open_page

REASON = "带领邻里种植中药材，组织妇女互助，热心村里公益事务，群众评价好。"


def candidate() -> tuple[int, str]:
    """A woman of 小留村 who is no party member and not yet recommended (the demo leaves one)."""
    from gongjian.development.models.cultivation import OPEN_STAGES
    from gongjian.kernel.models import Person, PoliticalStatus

    woman = (Person.objects.filter(organization__name="小留村妇联", gender="F",
                                   political_status=PoliticalStatus.MASSES)
             .exclude(party_recommendations__stage__in=OPEN_STAGES).order_by("pk").first())
    assert woman is not None
    return woman.pk, woman.name


def recommend_on_a_phone(phone: Page, person_id: int, name: str, shot) -> str:
    phone.goto("/work/development/")
    phone.get_by_role("link", name="党员推荐培养").first.click()
    expect(phone.get_by_role("heading", name="党员推荐培养")).to_be_visible()
    expect(phone.locator(".list-row").filter(has_text="发展对象").first).to_be_visible()  # the demo's
    assert_phone_friendly(phone)
    shot(phone, "cultivation_list_phone")
    phone.get_by_role("link", name="+ 推荐培养对象").click()
    expect(phone.get_by_role("heading", name="推荐党员培养对象")).to_be_visible()
    expect(phone.locator(f"#id_person option[value='{person_id}']")).to_contain_text(f"{name}（小留村妇联")
    phone.locator("#id_person").select_option(value=str(person_id))
    phone.locator("#id_reason").fill(REASON)
    assert_phone_friendly(phone)
    assert_no_full_numbers(phone)
    shot(phone, "cultivation_form_phone")
    phone.get_by_role("button", name="推荐给党组织").click()
    expect(phone.locator("main h1")).to_have_text(name)
    expect(phone.locator("main")).to_contain_text("已推荐，待党组织考察")
    expect(phone.locator("main")).to_contain_text("中共小留村支部委员会")
    expect(phone.get_by_role("link", name="记录培养环节")).to_have_count(0)
    assert_phone_friendly(phone)
    shot(phone, "cultivation_recommended_phone")
    return phone.url


def test_a_recommended_woman_is_made_activist_by_the_branch(browser, live_server, phone, desktop, login_as, shot):
    person_id, name = candidate()
    login_as(phone, "xiaoliu_women")
    detail = recommend_on_a_phone(phone, person_id, name, shot)

    branch, watch = _open_page(browser, live_server.url, **PHONE)
    try:
        login_as(branch, "xiaoliu_branch")
        branch.goto("/work/development/recommendations/")
        branch.locator(".list-row").filter(has_text=name).click()
        branch.get_by_role("link", name="记录培养环节").click()
        expect(branch.get_by_role("heading", name="记录培养环节")).to_be_visible()
        expect(branch.get_by_label("列为发展对象")).to_have_count(0)  # no step is skipped
        branch.get_by_label("确定为入党积极分子").check()
        branch.locator("#id_decided_on").fill(date.today().isoformat())
        branch.locator("#id_note").fill("支部委员会研究，确定为入党积极分子，指定两名培养联系人")
        assert_phone_friendly(branch)
        shot(branch, "cultivation_step_phone")
        branch.get_by_role("button", name="确认记录").click()
        expect(branch.locator("main")).to_contain_text("培养环节已记录")
        expect(branch.locator("main .badge").first).to_have_text("入党积极分子")
        shot(branch, "cultivation_step_done_phone")
    finally:
        _close_page(branch, watch)

    phone.goto(detail)
    expect(phone.locator("main .badge").first).to_have_text("入党积极分子")
    expect(phone.locator("main")).to_contain_text("确定为入党积极分子")
    expect(phone.locator("main")).to_contain_text(date.today().isoformat())
    expect(phone.locator("main")).to_contain_text("培养环节由党组织决定并记录")
    expect(phone.get_by_role("link", name="记录培养环节")).to_have_count(0)
    assert_phone_friendly(phone)
    shot(phone, "cultivation_seen_by_federation_phone")

    # The street federation follows its villages' recommendations on a desktop.
    login_as(desktop, "taihua_fed")
    desktop.goto("/work/development/recommendations/?stage=activist")
    expect(desktop.locator(".list-row").filter(has_text=name)).to_contain_text("入党积极分子")
    assert_no_full_numbers(desktop)
    shot(desktop, "cultivation_list_taihua_desktop")

    from gongjian.kernel.models import Person, PoliticalStatus

    assert Person.objects.get(pk=person_id).political_status == PoliticalStatus.ACTIVIST
