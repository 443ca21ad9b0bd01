"""The commendation API: GET/POST /api/v1/commendations (same reach and errors as the pages, in
Chinese), GET /api/v1/commendations/{id}, the public GET /api/v1/public/commendations?org=; the
title kinds and states as enums in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from gongjian.campaigns.models import Nomination, NominationState, TitleKind

from .factories import DEEDS, nominate, women_of

pytestmark = pytest.mark.django_db


def post(client, **data):
    return client.post("/api/v1/commendations", data, content_type="application/json")


def test_a_street_posts_a_nomination_and_sends_it_up(api_client, org):
    response = post(api_client("taihua_fed"), kind="civilized_post", year=timezone.localdate().year,
                    deciding_organization_id=org("华阴市妇联").pk, public_name="太华路街道巾帼服务岗",
                    deeds=DEEDS, submit=True)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["kind_label"] == "巾帼文明岗"
    assert body["organization_name"] == "太华路街道妇联" and body["deciding_organization_name"] == "华阴市妇联"
    assert Nomination.objects.get(pk=body["id"]).state == NominationState.SUBMITTED


def test_a_woman_is_nominated_by_her_id(api_client, org):
    woman = women_of("小留村妇联")[3]
    response = post(api_client("xiaoliu_women"), kind="red_banner", year=timezone.localdate().year,
                    deciding_organization_id=org("太华路街道妇联").pk, person_id=woman.pk, deeds=DEEDS)
    assert response.status_code == 201, response.content
    assert response.json()["public_name"] == woman.name and response.json()["state"] == "draft"


def test_bad_input_is_a_400_in_chinese_and_nothing_is_saved(api_client, org):
    client = api_client("taihua_fed")
    before = Nomination.objects.count()
    wrong_kind = post(client, kind="hero", year=timezone.localdate().year,
                      deciding_organization_id=org("华阴市妇联").pk, deeds=DEEDS)
    assert wrong_kind.status_code in (400, 422) and "须为以下之一" in wrong_kind.content.decode()
    no_person = post(client, kind="red_banner", year=timezone.localdate().year,
                     deciding_organization_id=org("华阴市妇联").pk, deeds=DEEDS)
    assert no_person.status_code == 400 and "请选择被推荐人" in no_person.content.decode()
    stranger = post(client, kind="red_banner", year=timezone.localdate().year,
                    deciding_organization_id=org("华阴市妇联").pk, deeds=DEEDS,
                    person_id=women_of("郭家村妇联")[0].pk + 10_000_000)
    assert stranger.status_code == 400 and "管辖范围" in stranger.content.decode()
    assert Nomination.objects.count() == before


def test_the_list_reaches_like_the_pages(api_client, acting):
    mine = nominate(acting("taihua_fed"), public_name="太华路街道API测试岗")
    county = api_client("huayin_fed").get("/api/v1/commendations", {"per_page": 100, "kind": "civilized_post"})
    assert mine.pk in [row["id"] for row in county.json()]
    other = api_client("lingsha_fed").get("/api/v1/commendations", {"per_page": 100}).json()
    assert mine.pk not in [row["id"] for row in other]
    assert api_client("lingsha_fed").get(f"/api/v1/commendations/{mine.pk}").status_code == 404
    assert api_client("huayin_fed").get(f"/api/v1/commendations/{mine.pk}").json()["public_name"] == mine.public_name
    assert api_client("taihua_party").get("/api/v1/commendations").status_code == 403


def test_the_public_api_lists_awarded_exemplars_without_personal_data(org):
    rows = Client().get("/api/v1/public/commendations", {"org": org("太华路街道妇联").pk}).json()
    kinds = {row["kind"] for row in rows}
    assert {"red_banner", "advanced_org"} <= kinds
    assert all("person_id" not in row and "state" not in row for row in rows)
    assert "太华路街道便民服务中心" not in [row["public_name"] for row in rows]  # on notice, not awarded
    assert Client().get("/api/v1/public/commendations", {"org": org("灵沙乡妇联").pk}).json() == []
    assert Client().get("/api/v1/public/commendations", {"org": 987654321}).status_code == 404
    only_red = Client().get("/api/v1/public/commendations", {"kind": "red_banner"}).json()
    assert only_red and {row["kind"] for row in only_red} == {"red_banner"}


def test_the_openapi_document_lists_the_titles_and_states_as_enums():
    schema = Client().get("/api/v1/openapi.json").json()
    text = str(schema)
    assert "/api/v1/commendations" in schema["paths"] and "/api/v1/public/commendations" in schema["paths"]
    for value in TitleKind.values + NominationState.values:
        assert f"'{value}'" in text
