"""The API: /api/v1/sites, /teams, /activities (with attendance), /honours, /stats/activities,
with the same permissions, scoping and masking as the pages."""

from __future__ import annotations

import pytest

from gongjian.womenshome.models import Activity, Attendance

pytestmark = pytest.mark.django_db


def test_sites_and_coverage(api_client, org):
    client = api_client("taihua_fed")
    sites = client.get("/api/v1/sites", {"per_page": 100}).json()
    assert len(sites) == 26 and {s["status"] for s in sites} <= {"built", "standard", "model"}
    coverage = client.get("/api/v1/coverage").json()
    assert (coverage["total"]["covered"], coverage["total"]["units"]) == (26, 26)


def test_teams_with_masked_members(api_client, xiaoliu):
    team = api_client("xiaoliu_women").get(f"/api/v1/teams/{xiaoliu['team'].pk}").json()
    assert team["members"] and all("****" in m["mobile_masked"] for m in team["members"])


def test_an_activity_is_created_and_attendance_added_through_the_api(api_client, org):
    client = api_client("xiaoliu_women")
    response = client.post("/api/v1/activities", {
        "organization_id": org("小留村妇联").pk, "kind": "legal", "title": "民法典进村宣讲", "date": "2026-11-21",
        "attendance_mode": "person", "hours": "1.5", "partners": ["justice"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    from gongjian.kernel.models import Person

    person = Person.objects.filter(organization__name="小留村妇联", positions__isnull=True).first()
    added = client.post(f"/api/v1/activities/{activity.pk}/attendance", {"person_id": person.pk},
                        content_type="application/json")
    assert added.status_code == 201 and added.json()["mobile_masked"] == person.mobile_masked
    detail = client.get(f"/api/v1/activities/{activity.pk}").json()
    assert [a["name"] for a in detail["attendance"]] == [person.name]
    assert person.mobile not in str(detail)
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_a_bad_activity_through_the_api_reads_in_chinese_and_saves_nothing(api_client, org):
    before = Activity.objects.count()
    response = api_client("xiaoliu_women").post("/api/v1/activities", {
        "organization_id": org("郭家村妇联").pk, "kind": "legal", "title": "", "date": "2026-11-21"},
        content_type="application/json")
    assert response.status_code == 400 and "未作任何修改" in response.json()["detail"]
    assert Activity.objects.count() == before


def test_honours_are_listed_and_nominated(api_client, org):
    client = api_client("xiaoliu_women")
    from django.utils import timezone

    from gongjian.kernel.models import Person

    person = Person.objects.filter(organization__name="小留村妇联", positions__isnull=True).last()
    response = client.post("/api/v1/honours", {
        "organization_id": org("小留村妇联").pk, "kind": "good_children", "year": timezone.localdate().year,
        "person_id": person.pk, "deeds": "常年照顾年迈父母，尽心尽孝，邻里称赞。"}, content_type="application/json")
    assert response.status_code == 201, response.content
    listed = client.get("/api/v1/honours", {"state": "nominated", "per_page": 100}).json()
    assert response.json()["id"] in {h["id"] for h in listed}


def test_the_party_line_gets_403_from_the_womenshome_api(api_client):
    assert api_client("taihua_party").get("/api/v1/activities").status_code == 403


def test_a_filter_outside_its_enum_is_refused_in_chinese_and_a_blank_one_filters_nothing(api_client):
    client = api_client("xiaoliu_women")
    refused = client.get("/api/v1/honours", {"state": "won"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["state"][0].startswith("须为以下之一：")
    assert client.get("/api/v1/honours", {"state": ""}).json() == client.get("/api/v1/honours").json()


def test_an_activity_form_error_lists_messages_with_their_codes_apart(api_client, org):
    response = api_client("xiaoliu_women").post("/api/v1/activities", {
        "organization_id": org("小留村妇联").pk, "kind": "legal", "title": "", "date": "2026-11-21"},
        content_type="application/json")
    body = response.json()
    assert response.status_code == 400
    assert all(isinstance(m, str) and m for m in body["errors"]["title"])
    assert body["codes"]["title"] == ["required"]
