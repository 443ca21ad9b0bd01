"""GET/POST /api/v1/pledges and POST /api/v1/pledges/{id}/progress: the same reach and refusals as
the pages, Chinese errors, enums in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from gongjian.campaigns.models import Pledge, PledgeCategory, PledgeState

from .factories import make_pledge

pytestmark = pytest.mark.django_db

NEW = {"category": "women", "title": "帮助留守妇女学电商", "content": "年内组织两期电商培训，帮助20名留守妇女网上卖苹果。",
       "due_on": "2026-12-31", "publish": True}


def post(client: Client, path: str, data: dict) -> object:
    return client.post(path, data, content_type="application/json")


def test_a_village_director_pledges_through_the_api_and_reports_progress(api_client, org):
    client = api_client("xiaoliu_women")
    response = post(client, "/api/v1/pledges", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "published" and body["organization_id"] == org("小留村妇联").pk
    assert body["category"] == "women" and body["category_label"].startswith("为民服务承诺")
    progress = post(client, f"/api/v1/pledges/{body['id']}/progress",
                    {"date": timezone.localdate().isoformat(), "text": "第一期培训已报名15人", "percent": 30})
    assert progress.status_code == 201 and progress.json()["percent"] == 30
    listed = client.get("/api/v1/pledges", {"state": "published"}).json()
    assert body["id"] in {row["id"] for row in listed}


def test_bad_input_is_a_400_in_chinese_and_nothing_saved(api_client):
    before = Pledge.objects.count()
    response = post(api_client("xiaoliu_women"), "/api/v1/pledges", {**NEW, "content": "太短", "category": "x"})
    assert response.status_code in (400, 422)
    assert "须为以下之一" in response.content.decode() or "至少10个字" in response.content.decode()
    response = post(api_client("xiaoliu_women"), "/api/v1/pledges", {**NEW, "content": "太短"})
    assert response.status_code == 400 and "至少10个字" in response.content.decode()
    assert Pledge.objects.count() == before


def test_bad_progress_is_refused_in_chinese(api_client, acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    response = post(api_client("xiaoliu_women"), f"/api/v1/pledges/{pledge.pk}/progress",
                    {"date": "2099-01-01", "text": "未来的进展情况", "percent": 50})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    response = post(api_client("xiaoliu_women"), f"/api/v1/pledges/{pledge.pk}/progress",
                    {"date": timezone.localdate().isoformat(), "text": "进展情况很多", "percent": 101})
    assert response.status_code == 400 and "0 到 100" in response.content.decode()
    assert pledge.updates.count() == 0


def test_another_village_does_not_see_or_touch_xiaoliu_pledges(api_client, acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    client = api_client("guojia_women")
    assert pledge.pk not in {row["id"] for row in client.get("/api/v1/pledges").json()}
    response = post(client, f"/api/v1/pledges/{pledge.pk}/progress",
                    {"date": timezone.localdate().isoformat(), "text": "别村的进展情况"})
    assert response.status_code == 404


def test_the_township_reads_but_does_not_report_for_the_village(api_client, acting, org):
    pledge = make_pledge(acting("xiaoliu_women"))
    client = api_client("taihua_fed")
    rows = client.get("/api/v1/pledges", {"org": org("小留村妇联").pk}).json()
    assert pledge.pk in {row["id"] for row in rows}
    response = post(client, f"/api/v1/pledges/{pledge.pk}/progress",
                    {"date": timezone.localdate().isoformat(), "text": "街道代填的进展"})
    assert response.status_code == 403


def test_a_cadre_pledge_through_the_api_names_her_position(api_client, account):
    director = account("xiaoliu_women")
    response = post(api_client("xiaoliu_women"), "/api/v1/pledges",
                    {**NEW, "category": PledgeCategory.INTEGRITY, "cadre_id": director.person_id})
    assert response.status_code == 201 and response.json()["cadre_title"] == "妇女主任"
    other = post(api_client("xiaoliu_women"), "/api/v1/pledges", {**NEW, "cadre_id": 987654321})
    assert other.status_code == 400 and "在任干部" in other.content.decode()


@pytest.mark.parametrize("username", ["taihua_party", "xiaoliu_branch", "auditor", "secadmin", "sysadmin"])
def test_roles_outside_the_federation_line_are_refused(api_client, username):
    client = api_client(username)
    assert client.get("/api/v1/pledges").status_code == 403
    assert post(client, "/api/v1/pledges", NEW).status_code == 403


def test_the_list_filters_out_of_reach_organisations_as_404(api_client, org):
    assert api_client("xiaoliu_women").get("/api/v1/pledges", {"org": org("郭家村妇联").pk}).status_code == 404


def test_the_openapi_document_lists_the_pledge_enums():
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    out = schema["PledgeOut"]["properties"]
    text = str(out["category"]) + str(out["state"]) + str(out["rating"])
    for value in [*PledgeCategory.values, *PledgeState.values, "satisfied", "fairly", "unsatisfied"]:
        assert value in text
    assert "cadre_id" not in schema["PublicPledgeOut"]["properties"]
