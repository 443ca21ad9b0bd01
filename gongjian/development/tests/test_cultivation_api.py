"""The 党员推荐培养 API: GET/POST /api/v1/recommendations, POST /api/v1/recommendations/{id}/steps."""

from __future__ import annotations

from datetime import date

import pytest

from gongjian.development.models import StepKind

from .factories import decided, recommended, village_woman

pytestmark = pytest.mark.django_db


def test_the_federation_sees_where_each_woman_it_recommended_stands(api_client):
    made = recommended()
    decided(made, StepKind.ACTIVIST, on=date(2026, 4, 2))
    rows = api_client("xiaoliu_women").get("/api/v1/recommendations", {"q": made.person.name, "per_page": 100}).json()
    row = next(r for r in rows if r["id"] == made.pk)
    assert row["stage"] == "activist" and row["stage_label"] == "入党积极分子"
    assert row["party_organization_name"] == "中共小留村支部委员会"
    assert [s["step"] for s in row["steps"]] == ["activist"]
    assert row["steps"][0]["decided_on"] == "2026-04-02"


def test_another_village_does_not_see_it(api_client):
    made = recommended()
    rows = api_client("guojia_women").get("/api/v1/recommendations", {"per_page": 100}).json()
    assert made.pk not in {r["id"] for r in rows}


def test_a_recommendation_through_the_api_goes_to_the_branch_of_her_village(api_client):
    woman = village_woman()
    response = api_client("xiaoliu_women").post("/api/v1/recommendations", {
        "person_id": woman.pk, "recommended_on": "2026-03-05", "reason": "返乡创业，带动妇女就业，群众认可。"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["party_organization_name"] == "中共小留村支部委员会"
    assert body["stage"] == "recommended" and body["steps"] == []


def test_a_skipped_step_is_a_400_in_chinese_and_nothing_changes(api_client):
    made = recommended()
    response = api_client("xiaoliu_branch").post(f"/api/v1/recommendations/{made.pk}/steps",
                                                 {"step": "probationary", "decided_on": "2026-04-01"},
                                                 content_type="application/json")
    assert response.status_code == 400
    assert "不能跳过" in response.content.decode()
    assert not made.steps.exists()


def test_an_unknown_step_is_refused(api_client):
    made = recommended()
    response = api_client("xiaoliu_branch").post(f"/api/v1/recommendations/{made.pk}/steps",
                                                 {"step": "secretary", "decided_on": "2026-04-01"},
                                                 content_type="application/json")
    assert response.status_code in (400, 422)
    assert not made.steps.exists()


def test_the_enums_are_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema)
    assert "/api/v1/recommendations" in schema["paths"]
    assert "/api/v1/recommendations/{recommendation_id}/steps" in schema["paths"]
    for value in ("not_admitted", "withdrawn", "probationary", "recommended"):
        assert value in text
