"""The staff API of 维权案件: the exact paths and fields of the issue, the list masked and without
the narrative, the code and password given once, the read audited and failing closed, enums in
the OpenAPI document, errors in the house shape."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from gongjian.kernel.models import AuditEvent, Organization
from gongjian.kernel.tests.matrix import persona
from gongjian.support.models import Case

from .factories import MOBILE, NARRATIVE, SUMMARY, accepted, recorded

pytestmark = pytest.mark.django_db

POST = {"channel": "hotline_12338", "category": "domestic_violence", "summary": SUMMARY, "narrative": NARRATIVE,
        "risk": True, "contact_mobile": MOBILE, "anonymous": False}


def test_a_call_recorded_through_the_api(api_client):
    client = api_client("xiaoliu_women")
    response = client.post("/api/v1/cases", POST, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(pk=data["id"])
    assert data["tracking_code"] == case.tracking_code and len(data["password"]) == 8
    assert "narrative" not in data and data["contact_mobile"] == "139****1234"
    assert case.narrative == NARRATIVE and case.risk and case.organization.name == "小留村妇联"
    again = client.get(f"/api/v1/cases/{case.pk}").json()
    assert "password" not in again


def test_bad_input_is_a_chinese_400_or_422(api_client):
    client = api_client("xiaoliu_women")
    response = client.post("/api/v1/cases", {**POST, "category": "nope"}, content_type="application/json")
    assert response.status_code == 422 and "category" in response.json()["errors"]
    response = client.post("/api/v1/cases", {**POST, "summary": ""}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"]["summary"]


def test_the_list_masks_and_never_returns_the_narrative(api_client):
    recorded("xiaoliu_women", narrative=NARRATIVE, contact_name="杨秀兰")
    response = api_client("xiaoliu_women").get("/api/v1/cases?per_page=100")
    text = response.content.decode()
    assert response.status_code == 200 and response.json()
    assert NARRATIVE not in text and MOBILE not in text and "杨秀兰" not in text
    assert all("narrative" not in row for row in response.json())
    assert api_client("xiaoliu_women").get("/api/v1/cases?state=received&category=marriage_family&risk=false"
                                           "&overdue=false").status_code == 200


def test_the_read_is_audited_and_carries_the_content(api_client):
    case = recorded("xiaoliu_women", narrative=NARRATIVE)
    before = AuditEvent.objects.filter(event="support.case.read", object_id=str(case.pk)).count()
    data = api_client("xiaoliu_women").get(f"/api/v1/cases/{case.pk}").json()
    assert data["narrative"] == NARRATIVE and data["contact_mobile_full"] == MOBILE
    assert [s["kind"] for s in data["steps"]] == ["received"]
    assert AuditEvent.objects.filter(event="support.case.read", object_id=str(case.pk)).count() == before + 1


def test_the_read_fails_closed(api_client, monkeypatch):
    from gongjian.support.selectors import case as selectors

    case = recorded("xiaoliu_women", narrative=NARRATIVE)
    client = api_client("xiaoliu_women")

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(selectors.audit, "record", broken)
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 503
    text = response.content.decode()
    assert NARRATIVE not in text and SUMMARY not in text and MOBILE not in text and "查看记录" in text


def test_moves_through_the_api(api_client):
    client = api_client("xiaoliu_women")
    case = recorded("xiaoliu_women")
    base = f"/api/v1/cases/{case.pk}"

    def post(path, body=None):
        return client.post(base + path, body or {}, content_type="application/json")

    assert post("/accept").json()["state"] == "accepted"
    me = persona("xiaoliu_women")
    assert post("/assign", {"handler_ids": [me.pk]}).status_code == 200
    assert post("/assign", {"handler_ids": [persona("guojia_women").pk]}).status_code == 400
    step = post("/steps", {"kind": "visit", "note": "上门走访"})
    assert step.status_code == 201 and step.json()["kind"] == "visit"
    assert post("/refer", {"to_partner": "police"}).json()["state"] == "referred"
    assert post("/resolve", {"outcome": "partner_handled", "public_reply": "公安已出警处置"}).json()["state"] == "resolved"
    assert post("/follow-up", {"satisfaction": "satisfied"}).json()["state"] == "followed_up"
    assert post("/close").json()["state"] == "closed"


def test_refer_up_and_not_accept_through_the_api(api_client):
    case = accepted("xiaoliu_women")
    street = Organization.objects.get(name="太华路街道妇联")
    client = api_client("xiaoliu_women")
    other = Organization.objects.get(name="郭家村妇联")
    bad = client.post(f"/api/v1/cases/{case.pk}/refer", {"to_organization_id": other.pk},
                      content_type="application/json")
    assert bad.status_code == 400 and "to_organization_id" in bad.json()["errors"]
    moved = client.post(f"/api/v1/cases/{case.pk}/refer", {"to_organization_id": street.pk},
                        content_type="application/json")
    assert moved.status_code == 200 and moved.json()["organization_id"] == street.pk
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
    township = api_client("taihua_fed")
    assert township.get(f"/api/v1/cases/{case.pk}").status_code == 200
    fresh = recorded("xiaoliu_women")
    done = client.post(f"/api/v1/cases/{fresh.pk}/not-accept", {"reason": "不属于妇联职责"},
                       content_type="application/json")
    assert done.json()["state"] == "not_accepted"


def test_the_enums_are_in_the_openapi_document(login):
    schema = login("xiaoliu_women").get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/accept",
                 "/api/v1/cases/{case_id}/assign", "/api/v1/cases/{case_id}/steps", "/api/v1/cases/{case_id}/refer",
                 "/api/v1/cases/{case_id}/resolve", "/api/v1/cases/{case_id}/close",
                 "/api/v1/cases/{case_id}/not-accept", "/api/v1/cases/{case_id}/follow-up"):
        assert path in paths, path
    case_in = schema["components"]["schemas"]["CaseIn"]["properties"]
    for field in ("channel", "category", "summary", "narrative", "risk", "contact_mobile", "anonymous"):
        assert field in case_in
    text = str(schema["components"]["schemas"])
    assert "domestic_violence" in text and "hotline_12338" in text and "justice" in text
