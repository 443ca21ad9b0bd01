"""The API of 考评: GET/POST /api/v1/assessments and GET /api/v1/campaigns/{id}/ranking, with the
same reach, refusals and Chinese errors as the pages."""

from __future__ import annotations

import pytest

from gongjian.campaigns.demo import FIVE_GOOD_TITLE, HUAYIN_TITLE, demo_campaign
from gongjian.campaigns.models import AssessmentState, CriteriaSet

from .factories import criteria_set_made

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments"


def _post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_the_county_lists_every_assessment_of_its_set_and_a_township_only_its_own(api_client):
    demo = CriteriaSet.objects.get(title=FIVE_GOOD_TITLE)
    county = api_client("huayin_fed").get(URL, {"criteria_set": demo.pk}).json()
    assert sorted((a["subject"], a["total"]) for a in county) == [("太华路街道妇联", "87.0"), ("罗敷镇妇联", "83.0")]
    assert county[0]["state"] == "published" and len(county[0]["scores"]) == 5
    township = api_client("taihua_fed").get(URL, {"criteria_set": demo.pk}).json()
    assert [a["subject"] for a in township] == ["太华路街道妇联"]
    assert api_client("lingsha_fed").get(URL, {"criteria_set": demo.pk}).status_code == 404
    assert api_client("xiaoliu_women").get(URL).json() == []


def test_a_subject_is_added_self_assesses_and_is_scored_through_the_api(api_client, org):
    made = criteria_set_made(subjects="")
    county = api_client("huayin_fed")
    created = _post(county, {"action": "create", "criteria_set_id": made.pk, "organization_id": org("罗敷镇妇联").pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft" and body["subject_kind"] == "organization"
    ids = [s["criterion_id"] for s in body["scores"]]
    again = _post(county, {"action": "create", "criteria_set_id": made.pk, "organization_id": org("罗敷镇妇联").pk})
    assert again.status_code == 400 and "已在本次考评中" in str(again.json()["errors"])

    taihua_made = _post(county, {"action": "create", "criteria_set_id": made.pk,
                                 "organization_id": org("太华路街道妇联").pk}).json()
    township = api_client("taihua_fed")
    submitted = _post(township, {"action": "self_assess", "assessment_id": taihua_made["id"], "submit": True,
                                 "summary": "逐项自查",
                                 "scores": [{"criterion_id": pk, "score": "18", "note": "说明",
                                             "evidence_links": "/work/womenshome/activities/1/"} for pk in ids]})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "self_assessed" and submitted.json()["self_total"] == "90.0"
    # Before publication the township does not see the county's scores.
    scored = _post(county, {"action": "score", "assessment_id": taihua_made["id"],
                            "scores": [{"criterion_id": pk, "score": 17, "note": "好"} for pk in ids]})
    assert scored.status_code == 200 and scored.json()["total"] == "85.0"
    mine = township.get(URL, {"criteria_set": made.pk}).json()[0]
    assert mine["state"] == "scored" and mine["total"] is None and mine["scores"][0]["score"] is None


def test_bad_requests_read_in_chinese_and_change_nothing(api_client):
    made = criteria_set_made()
    taihua = made.assessments.get(organization__name="太华路街道妇联")
    ids = list(made.criteria.values_list("pk", flat=True))
    township = api_client("taihua_fed")
    over = _post(township, {"action": "self_assess", "assessment_id": taihua.pk, "submit": True,
                            "scores": [{"criterion_id": pk, "score": 25} for pk in ids]})
    assert over.status_code == 400 and "之间" in str(over.json()["errors"])
    taihua.refresh_from_db()
    assert taihua.state == AssessmentState.DRAFT and not taihua.scores.exclude(self_score=None).exists()
    no_reason = _post(api_client("huayin_fed"), {"action": "return", "assessment_id": taihua.pk, "reason": ""})
    assert no_reason.status_code == 400
    bad_action = _post(township, {"action": "delete", "assessment_id": taihua.pk})
    assert bad_action.status_code == 422
    missing = _post(township, {"action": "self_assess"})
    assert missing.status_code == 400 and "assessment_id" in str(missing.json()["errors"])


def test_out_of_reach_or_missing_records_are_404(api_client):
    made = criteria_set_made()
    luofu = made.assessments.get(organization__name="罗敷镇妇联")
    township = api_client("taihua_fed")
    assert _post(township, {"action": "self_assess", "assessment_id": luofu.pk, "scores": []}).status_code == 404
    assert _post(township, {"action": "score", "assessment_id": 987654321, "scores": []}).status_code == 404
    assert _post(api_client("lingsha_fed"), {"action": "create", "criteria_set_id": made.pk,
                                             "organization_id": 1}).status_code == 404
    # The township may read its own assessment but not score it: the assessor's permission, refused.
    own = made.assessments.get(organization__name="太华路街道妇联")
    assert _post(township, {"action": "score", "assessment_id": own.pk, "scores": []}).status_code == 403


def test_the_campaign_ranking(api_client):
    campaign = demo_campaign(HUAYIN_TITLE)
    url = f"/api/v1/campaigns/{campaign.pk}/ranking"
    county = api_client("huayin_fed").get(url).json()
    assert [(r["name"], r["total"], r["rank"], r["organization_kind"]) for r in county] == [
        ("太华路街道妇联", "87.0", 1, "township_fed"), ("罗敷镇妇联", "83.0", 2, "township_fed")]
    assert [(r["organization_id"], r["rank"]) for r in api_client("taihua_fed").get(url).json()] == [
        (county[0]["organization_id"], 1)]
    assert api_client("xiaoliu_women").get(url).json() == []
    assert api_client("lingsha_fed").get(url).status_code == 404
    assert api_client("huayin_fed").get("/api/v1/campaigns/987654321/ranking").status_code == 404
    assert api_client("taihua_party").get(url).status_code == 403


def test_the_openapi_document_types_the_choices_as_enums(api_client):
    schemas = api_client("huayin_fed").get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schemas["AssessmentIn"]["properties"]["action"]["enum"]) == {"create", "self_assess", "score", "return"}
    assert "published" in schemas["AssessmentOut"]["properties"]["state"]["enum"]
    assert set(schemas["RankingRowOut"]["properties"]) >= {"organization_id", "subject", "name", "total", "rank"}
