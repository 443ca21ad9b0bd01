"""The 信息报送 API contract: GET/POST /api/v1/news-submissions, GET /api/v1/news-submissions/{id},
POST .../{id}/adopt and .../{id}/return — same reach and rules as the pages, Chinese errors, the
state an enum in the OpenAPI document."""

from __future__ import annotations

import pytest

from gongjian.kernel.models import Organization
from gongjian.reports.models import NewsState, NewsSubmission

from .news_factories import BODY, submit

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_village_submits_and_the_township_adopts_through_the_api(api_client):
    village, street = api_client("xiaoliu_women"), api_client("taihua_fed")
    made = post(village, "/api/v1/news-submissions", {"title": "小留村开展家庭教育讲座", "body": BODY})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "submitted" and body["state_label"] == "待采用"
    assert body["receiver_name"] == "太华路街道妇联" and body["byline"] == "小留村妇联刘桂兰供稿"
    inbox = street.get("/api/v1/news-submissions?box=received&state=submitted").json()
    assert body["id"] in [row["id"] for row in inbox]
    adopted = post(street, f"/api/v1/news-submissions/{body['id']}/adopt", {"title": "小留村开展家庭教育专题讲座"})
    assert adopted.status_code == 200, adopted.content
    assert adopted.json()["state"] == "adopted" and adopted.json()["adopted_title"] == "小留村开展家庭教育专题讲座"
    assert adopted.json()["title"] == "小留村开展家庭教育讲座"
    assert village.get(f"/api/v1/news-submissions/{body['id']}").json()["state"] == "adopted"


def test_a_return_needs_a_reason_in_chinese_and_then_shows_it(api_client):
    piece = submit("xiaoliu_women")
    street = api_client("taihua_fed")
    refused = post(street, f"/api/v1/news-submissions/{piece.pk}/return", {"reason": ""})
    assert refused.status_code == 400 and "请写明退回原因" in refused.json()["errors"]["reason"][0]
    missing = post(street, f"/api/v1/news-submissions/{piece.pk}/return", {})
    assert missing.status_code == 422 and missing.json()["errors"]["reason"] == ["必须填写。"]
    done = post(street, f"/api/v1/news-submissions/{piece.pk}/return", {"reason": "请补充照片说明。"})
    assert done.status_code == 200 and done.json()["return_reason"] == "请补充照片说明。"
    assert api_client("xiaoliu_women").get(f"/api/v1/news-submissions/{piece.pk}").json()["state"] == "returned"


def test_bad_submissions_are_400_in_chinese_and_save_nothing(api_client):
    client = api_client("xiaoliu_women")
    before = NewsSubmission.objects.count()
    short = post(client, "/api/v1/news-submissions", {"title": "太短", "body": "也太短"})
    assert short.status_code == 400 and short.json()["detail"] == "提交的数据有误，未作任何修改。"
    assert "标题" in short.json()["errors"]["title"][0] and "正文太短" in short.json()["errors"]["body"][0]
    sibling = Organization.objects.get(name="郭家村妇联").pk
    wrong = post(client, "/api/v1/news-submissions", {"title": "报送给兄弟村", "body": BODY, "receiver_id": sibling})
    assert wrong.status_code == 400 and "上级" in wrong.json()["errors"]["receiver"][0]
    assert NewsSubmission.objects.count() == before


def test_a_state_outside_the_enum_is_refused_in_chinese(api_client):
    response = api_client("taihua_fed").get("/api/v1/news-submissions?state=published")
    assert response.status_code == 422 and "须为以下之一" in response.json()["errors"]["state"][0]


def test_the_village_cannot_adopt_its_own_piece_and_a_sibling_cannot_see_it(api_client):
    piece = submit("xiaoliu_women")
    assert post(api_client("xiaoliu_women"), f"/api/v1/news-submissions/{piece.pk}/adopt", {}).status_code == 403
    assert post(api_client("guojia_women"), f"/api/v1/news-submissions/{piece.pk}/adopt", {}).status_code == 403
    assert api_client("guojia_women").get(f"/api/v1/news-submissions/{piece.pk}").status_code == 404
    piece.refresh_from_db()
    assert piece.state == NewsState.SUBMITTED


def test_the_openapi_document_keeps_the_contract(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert set(paths["/api/v1/news-submissions"]) == {"get", "post"}
    assert set(paths["/api/v1/news-submissions/{id}"]) == {"get"}
    assert set(paths["/api/v1/news-submissions/{id}/adopt"]) == {"post"}
    assert set(paths["/api/v1/news-submissions/{id}/return"]) == {"post"}
    schema = doc["components"]["schemas"]["NewsSubmissionOut"]["properties"]["state"]
    assert schema["enum"] == ["submitted", "adopted", "returned", "withdrawn"]
    reason = doc["components"]["schemas"]["ReturnIn"]
    assert reason["required"] == ["reason"]
