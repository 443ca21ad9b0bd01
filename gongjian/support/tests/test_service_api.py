"""The service API (GET/POST /api/v1/support/sites, GET/POST /api/v1/support/health-rounds): same
reach, rules and Chinese errors as the pages; a contact's mobile masked; enums in OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongjian.kernel.models import Organization, User
from gongjian.support.models import HealthRound, ServiceSite

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def org_id(name: str) -> int:
    return Organization.objects.get(name=name).pk


def test_the_township_lists_its_sites_with_the_contact_masked(api_client):
    rows = api_client("taihua_fed").get("/api/v1/support/sites?per_page=100").json()
    names = {row["name"]: row for row in rows}
    assert "太华路街道妇女维权投诉站" in names and "灵沙乡妇女悄悄话热线" not in names
    station = names["太华路街道妇女维权投诉站"]
    assert station["kind"] == "complaint_station" and station["kind_label"] == "维权投诉站"
    assert station["open_days"] == [1, 2, 3, 4, 5]
    person = User.objects.get(username="taihua_fed").person
    assert station["contact_id"] == person.pk and "*" in station["contact_mobile_masked"]
    assert person.mobile not in str(rows)


def test_a_site_is_added_through_the_api(api_client):
    made = post(api_client("lingsha_fed"), "/api/v1/support/sites", {
        "organization_id": org_id("灵沙村妇联"), "kind": "children_room", "name": "灵沙村留守儿童活动室",
        "address": "灵沙村小学旁", "hours": "周末 9:00-17:00", "open_days": [6, 7]})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["open_days"] == [6, 7] and body["is_public"] is True and body["closed_on"] is None
    assert ServiceSite.objects.get(pk=body["id"]).organization.name == "灵沙村妇联"


def test_a_bad_phone_is_a_400_in_chinese_and_saves_nothing(api_client):
    before = ServiceSite.objects.count()
    response = post(api_client("lingsha_fed"), "/api/v1/support/sites", {
        "organization_id": org_id("灵沙乡妇联"), "kind": "whisper_line", "name": "灵沙乡第二热线",
        "hours": "每天", "phone": "99"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误，未作任何修改。" and "phone" in body["errors"]
    assert ServiceSite.objects.count() == before


def test_a_kind_outside_the_enum_is_a_422(api_client):
    response = post(api_client("lingsha_fed"), "/api/v1/support/sites", {
        "organization_id": org_id("灵沙乡妇联"), "kind": "hospital", "name": "某站", "hours": "每天"})
    assert response.status_code == 422 and "kind" in response.json()["errors"]


def test_another_countys_organisation_is_refused(api_client):
    response = post(api_client("lingsha_fed"), "/api/v1/support/sites", {
        "organization_id": org_id("太华路街道妇联"), "kind": "legal_aid", "name": "某站", "address": "某地",
        "hours": "每天"})
    assert response.status_code == 400 and "organization" in response.json()["errors"]
    assert api_client("lingsha_fed").get(f"/api/v1/support/sites?org={org_id('太华路街道妇联')}").status_code == 404


def test_a_round_is_recorded_and_listed_through_the_api(api_client):
    client = api_client("taihua_fed")
    day = timezone.localdate()
    made = post(client, "/api/v1/support/health-rounds", {
        "organization_id": org_id("郭家村妇联"), "kind": "cancer_screening", "starts_on": day.isoformat(),
        "place": "郭家村卫生室", "partner": "华阴市卫健局", "served": 40, "cervical_screened": 39,
        "breast_screened": 37})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["partner_kind"] == "health_bureau" and body["served"] == 40 and body["kind_label"] == "两癌检查"
    assert "person" not in str(body)
    listed = client.get(f"/api/v1/support/health-rounds?year={day.year}&kind=cancer_screening&per_page=100").json()
    assert body["id"] in [row["id"] for row in listed]
    assert api_client("lingsha_fed").get("/api/v1/support/health-rounds?per_page=100").json() != listed


@pytest.mark.parametrize(("extra", "field"), [({"served": -1}, "served"),
                                              ({"served": 5, "starts_on": "FUTURE"}, "starts_on")])
def test_a_bad_round_is_a_400_in_chinese_and_saves_nothing(api_client, extra, field):
    before = HealthRound.objects.count()
    data = {"organization_id": org_id("太华路街道妇联"), "kind": "mother_express",
            "starts_on": timezone.localdate().isoformat(), "place": "某地", "partner": "华阴市妇幼保健院",
            "partner_kind": "maternal_child", **extra}
    if data["starts_on"] == "FUTURE":
        data["starts_on"] = (timezone.localdate() + timedelta(days=4)).isoformat()
    response = post(api_client("taihua_fed"), "/api/v1/support/health-rounds", data)
    assert response.status_code == 400 and field in response.json()["errors"]
    assert HealthRound.objects.count() == before


def test_the_openapi_document_has_the_paths_and_their_enums(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/support/sites"])
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/support/health-rounds"])
    text = str(doc["components"]["schemas"])
    for value in ("whisper_line", "children_room", "cancer_screening", "mother_express", "health_bureau"):
        assert value in text
