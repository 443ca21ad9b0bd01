"""The talent API: GET/POST /api/v1/talents, POST /api/v1/talents/{id}/report, /forward, /return,
/accept — the same reach and errors as the pages (Chinese 400s), no ID number or full mobile in any
answer, kinds and states as enums in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.development.models import Talent, TalentKind, TalentState

from .factories import talent_accepted, woman_of

pytestmark = pytest.mark.django_db


def post(client, url, **data):
    return client.post(url, data, content_type="application/json")


def test_a_village_posts_a_woman_the_street_forwards_and_the_county_accepts(api_client):
    woman = woman_of("小留村妇联", 2)
    created = post(api_client("xiaoliu_women"), "/api/v1/talents", person_id=woman.pk, kind="rich_able",
                   trade="苹果种植", skills="果树修剪", income="12.5", jobs=8, report=True)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "reported" and body["holder_name"] == "太华路街道妇联" and body["kind_label"] == "致富女能手"
    assert woman.mobile not in created.content.decode() and woman.id_number not in created.content.decode()
    forwarded = post(api_client("taihua_fed"), f"/api/v1/talents/{body['id']}/forward")
    assert forwarded.status_code == 200 and forwarded.json()["holder_name"] == "华阴市妇联"
    accepted = post(api_client("huayin_fed"), f"/api/v1/talents/{body['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    pool = api_client("huayin_fed").get("/api/v1/talents", {"show": "pool", "q": "修剪", "per_page": 100}).json()
    assert body["id"] in [row["id"] for row in pool]


def test_a_return_needs_a_reason_and_only_the_holder_returns(api_client):
    client = api_client("xiaoliu_women")
    created = post(client, "/api/v1/talents", person_id=woman_of("小留村妇联", 2).pk, kind="broker",
                   trade="农产品经纪", report=True).json()
    url = f"/api/v1/talents/{created['id']}/return"
    assert post(api_client("huayin_fed"), url, reason="不在这里。").status_code == 403
    empty = post(api_client("taihua_fed"), url, reason="")
    assert empty.status_code == 400 and "退回理由" in empty.content.decode()
    done = post(api_client("taihua_fed"), url, reason="请补充证明材料。")
    assert done.status_code == 200 and done.json()["return_reason"] == "请补充证明材料。"
    assert post(client, f"/api/v1/talents/{created['id']}/report").json()["state"] == "reported"


def test_bad_input_is_a_400_in_chinese_and_nothing_is_saved(api_client):
    client = api_client("xiaoliu_women")
    before = Talent.objects.count()
    no_trade = post(client, "/api/v1/talents", person_id=woman_of("小留村妇联", 2).pk, kind="rich_able", trade="")
    assert no_trade.status_code == 400 and "行业" in no_trade.content.decode()
    stranger = post(client, "/api/v1/talents", person_id=woman_of("郭家村妇联").pk, kind="rich_able", trade="种植")
    assert stranger.status_code == 400 and "管辖范围" in stranger.content.decode()
    wrong_kind = post(client, "/api/v1/talents", person_id=woman_of("小留村妇联", 2).pk, kind="hero", trade="种植")
    assert wrong_kind.status_code in (400, 422)
    assert Talent.objects.count() == before


def test_out_of_reach_entries_are_404_and_the_party_line_is_403(api_client):
    talent = talent_accepted()
    assert post(api_client("lingsha_fed"), f"/api/v1/talents/{talent.pk}/forward").status_code == 404
    assert api_client("taihua_party").get("/api/v1/talents").status_code == 403
    lingsha = api_client("lingsha_fed").get("/api/v1/talents", {"show": "all", "per_page": 100}).json()
    assert talent.pk not in [row["id"] for row in lingsha]


def test_the_openapi_document_lists_the_kinds_and_states_as_enums():
    schema = Client().get("/api/v1/openapi.json").json()
    for path in ("/api/v1/talents", "/api/v1/talents/{talent_id}/forward", "/api/v1/talents/{talent_id}/return",
                 "/api/v1/talents/{talent_id}/accept"):
        assert path in schema["paths"]
    text = str(schema)
    for value in TalentKind.values + TalentState.values + ["queue", "mine"]:
        assert f"'{value}'" in text
