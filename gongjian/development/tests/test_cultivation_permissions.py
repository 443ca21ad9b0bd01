"""Every 党员推荐培养 permission walked over every demo role (docs/permissions.md ## development):
the federation recommends and follows, the party side alone moves a step; out of reach is a 404,
a page the role may not use a 403."""

from __future__ import annotations

import pytest

from gongjian.development.models import CultivationStage, Recommendation
from gongjian.kernel.models import Person, PoliticalStatus
from gongjian.kernel.permissions import can

from .factories import recommended, village_woman

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
PARTY = {"taihua_party", "xiaoliu_branch"}
# The recommending federation's subtree and the receiving branch's subtree.
REACH_XIAOLIU = {"huayin_fed", "taihua_fed", "xiaoliu_women", "taihua_party", "xiaoliu_branch"}

GLOBAL = {
    "development.view_recommendation": FEDERATION | PARTY,
    "development.recommend": FEDERATION,
    "development.decide_cultivation": PARTY,
}
ON_XIAOLIU = {
    "development.view_recommendation": REACH_XIAOLIU,
    "development.recommend": {"huayin_fed", "taihua_fed", "xiaoliu_women"},
    "development.decide_cultivation": PARTY,
}


@pytest.fixture
def xiaoliu() -> Recommendation:
    return recommended()


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU))
def test_permissions_on_a_xiaoliu_recommendation(acting, xiaoliu, username, permission):
    assert can(acting(username), permission, xiaoliu) == (username in ON_XIAOLIU[permission])


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_recommendation_list(login, xiaoliu, username):
    response = login(username).get("/work/development/recommendations/")
    assert response.status_code == (200 if username in FEDERATION | PARTY else 403)
    if username in REACH_XIAOLIU:
        assert xiaoliu.person.name in response.content.decode()


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_recommend_form(login, username):
    status = login(username).get("/work/development/recommendations/new/").status_code
    assert status == (200 if username in FEDERATION else 403)


@pytest.mark.parametrize("username", ROLES)
def test_who_sees_where_a_xiaoliu_woman_stands(login, xiaoliu, username):
    status = login(username).get(f"/work/development/recommendations/{xiaoliu.pk}/").status_code
    expected = 200 if username in REACH_XIAOLIU else 404 if username in FEDERATION | PARTY else 403
    assert status == expected


@pytest.mark.parametrize("username", ROLES)
def test_only_the_party_side_moves_a_step_on_the_page(login, xiaoliu, username):
    client = login(username)
    url = f"/work/development/recommendations/{xiaoliu.pk}/step/"
    assert client.get(url).status_code == (200 if username in PARTY else 403)
    response = client.post(url, {"step": "activist", "decided_on": "2026-04-01", "note": "支部委员会研究决定"})
    xiaoliu.refresh_from_db()
    person = Person.objects.get(pk=xiaoliu.person_id)
    if username in PARTY:
        assert response.status_code == 302
        assert xiaoliu.stage == CultivationStage.ACTIVIST and person.political_status == PoliticalStatus.ACTIVIST
    else:
        assert response.status_code == 403
        assert xiaoliu.stage == CultivationStage.RECOMMENDED and person.political_status == PoliticalStatus.MASSES


@pytest.mark.parametrize("username", ROLES)
def test_only_the_party_side_moves_a_step_through_the_api(api_client, xiaoliu, username):
    response = api_client(username).post(f"/api/v1/recommendations/{xiaoliu.pk}/steps",
                                         {"step": "activist", "decided_on": "2026-04-01", "note": ""},
                                         content_type="application/json")
    xiaoliu.refresh_from_db()
    if username in PARTY:
        assert response.status_code == 201, response.content
        assert xiaoliu.stage == CultivationStage.ACTIVIST
    else:
        assert response.status_code == 403
        assert xiaoliu.stage == CultivationStage.RECOMMENDED


@pytest.mark.parametrize("username", ROLES)
def test_who_recommends_through_the_api(api_client, username):
    woman = village_woman()
    response = api_client(username).post("/api/v1/recommendations", {
        "person_id": woman.pk, "reason": "带领本村妇女发展苹果种植，热心公益。"}, content_type="application/json")
    made = Recommendation.objects.filter(person=woman)
    if username in {"huayin_fed", "taihua_fed", "xiaoliu_women"}:
        assert response.status_code == 201, response.content
        assert made.get().organization.name in {"华阴市妇联", "太华路街道妇联", "小留村妇联"}
    else:
        assert response.status_code in (400, 403)
        assert not made.exists()
        if username in {"lingsha_fed", "guojia_women"}:
            assert "管辖范围" in response.content.decode()
