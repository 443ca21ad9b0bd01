"""The 党员推荐培养 pages: a recommendation from the form, the step form, where she stands."""

from __future__ import annotations

from datetime import date as _date

import pytest

from gongjian.development.models import CultivationStage, Recommendation, StepKind

from .factories import decided, recommended, village_woman

pytestmark = pytest.mark.django_db


def test_a_village_director_finds_a_woman_by_name_and_recommends_her(login):
    woman = village_woman()
    client = login("xiaoliu_women")
    page = client.get("/work/development/recommendations/new/", {"q": woman.name})
    assert page.status_code == 200 and woman.name in page.content.decode()
    response = client.post("/work/development/recommendations/new/", {
        "person": woman.pk, "party_organization": "", "recommended_on": "2026-03-01",
        "reason": "带领本村妇女发展苹果种植，热心公益，群众基础好。"})
    made = Recommendation.objects.get(person=woman)
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.party_organization.name == "中共小留村支部委员会"


def test_a_short_reason_shows_a_chinese_message_and_saves_nothing(login):
    woman = village_woman()
    response = login("xiaoliu_women").post("/work/development/recommendations/new/", {
        "person": woman.pk, "recommended_on": "2026-03-01", "reason": "好"})
    assert response.status_code == 400
    assert "至少10个字" in response.content.decode()
    assert not Recommendation.objects.filter(person=woman).exists()


def test_party_members_are_not_offered_as_candidates(login):
    response = login("xiaoliu_women").get("/work/development/recommendations/new/")
    offered = {label for _value, label in response.context["form"].fields["person"].choices}
    assert any("小留村妇联" in str(label) for label in offered)
    assert not any(str(label).startswith("刘桂兰") for label in offered)  # the director herself, a party member


def test_the_step_form_offers_only_the_next_step_and_the_ends(login):
    made = recommended()
    decided(made, StepKind.ACTIVIST)
    page = login("xiaoliu_branch").get(f"/work/development/recommendations/{made.pk}/step/").content.decode()
    assert "列为发展对象" in page and "未被吸收" in page
    assert "接收为预备党员" not in page and "确定为入党积极分子" not in page.split("已有环节")[0]


def test_a_step_dated_before_the_last_one_is_refused_on_the_page(login):
    made = recommended()
    decided(made, StepKind.ACTIVIST, on=_date(2026, 5, 1))
    response = login("xiaoliu_branch").post(f"/work/development/recommendations/{made.pk}/step/", {
        "step": "development", "decided_on": "2026-04-01", "note": ""})
    assert response.status_code == 400
    assert "不能早于上一环节" in response.content.decode()
    made.refresh_from_db()
    assert made.stage == CultivationStage.ACTIVIST


def test_the_federation_sees_the_step_but_no_button_to_decide(login):
    made = recommended()
    decided(made, StepKind.ACTIVIST, on=_date(2026, 4, 1), note="支部委员会研究确定")
    page = login("xiaoliu_women").get(made.get_absolute_url()).content.decode()
    assert "确定为入党积极分子" in page and "2026-04-01" in page and "支部委员会研究确定" in page
    assert "记录培养环节" not in page and "培养环节由党组织决定并记录" in page
    branch_page = login("xiaoliu_branch").get(made.get_absolute_url()).content.decode()
    assert "记录培养环节" in branch_page


def test_the_list_filters_by_stage(login):
    made = recommended()
    decided(made, StepKind.ACTIVIST)
    client = login("xiaoliu_women")
    assert made.person.name in client.get("/work/development/recommendations/", {"stage": "activist"}).content.decode()
    assert made.person.name not in client.get("/work/development/recommendations/",
                                              {"stage": "member"}).content.decode()
