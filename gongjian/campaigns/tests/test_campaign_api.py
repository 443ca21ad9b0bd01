"""The campaigns API: shapes the issue names, enums, Chinese errors, 404 out of reach."""

from __future__ import annotations

from datetime import date

import pytest

from gongjian.campaigns.demo import HUAYIN_TITLE, PINGLUO_TITLE, demo_campaign
from gongjian.campaigns.tests.factories import draft_campaign, issued_campaign, plan_of

pytestmark = pytest.mark.django_db

NEW = {"title": "接口发起的活动", "theme": "strong_org", "target_kinds": ["township_fed"],
       "starts_on": "2026-03-01", "ends_on": "2026-12-31", "plan_due": "2026-03-20",
       "phases": [{"name": "广泛发动，安排部署", "starts_on": "2026-03-01", "ends_on": "2026-03-31"},
                  {"name": "全面争创，扎实推进", "starts_on": "2026-04-01", "ends_on": "2026-12-31"}]}


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_campaign_reads_with_the_fields_the_issue_names(api_client):
    campaign = demo_campaign(HUAYIN_TITLE)
    body = api_client("huayin_fed").get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert {"title", "theme", "organization_id", "co_organization_ids", "target_kinds", "target_organization_ids",
            "phases", "plan_due", "current_phase", "state"} <= set(body)
    assert body["theme"] == "strong_org" and body["target_kinds"] == ["township_fed"]
    assert [p["name"] for p in body["phases"]][0] == "广泛发动，安排部署"
    assert set(body["phases"][0]) >= {"name", "starts_on", "ends_on"}


def test_a_township_lists_its_countys_issued_campaign_but_not_another_countys(api_client):
    titles = [c["title"] for c in api_client("taihua_fed").get("/api/v1/campaigns").json()]
    assert HUAYIN_TITLE in titles and PINGLUO_TITLE not in titles


def test_the_county_creates_and_issues_a_campaign_through_the_api(api_client, org):
    client = api_client("huayin_fed")
    response = _post(client, "/api/v1/campaigns", {**NEW, "co_organization_ids": [org("中共华阴市委员会").pk],
                                                   "issue": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "issued" and body["co_organization_ids"] == [org("中共华阴市委员会").pk]
    plans = client.get(f"/api/v1/campaigns/{body['id']}/plans").json()
    assert {p["organization_name"] for p in plans} == {"太华路街道妇联", "罗敷镇妇联"}
    assert {p["status"] for p in plans} == {"missing"}
    assert set(plans[0]) >= {"organization_id", "organization_name", "status", "submitted_at"}


def test_bad_input_is_a_400_in_chinese_and_nothing_is_made(api_client, org):
    client = api_client("huayin_fed")
    response = _post(client, "/api/v1/campaigns", {**NEW, "theme": "nope"})
    assert response.status_code in (400, 422)
    assert "须为以下之一" in response.content.decode()
    response = _post(client, "/api/v1/campaigns", {**NEW, "target_organization_ids": [org("灵沙乡妇联").pk]})
    assert response.status_code == 400
    assert "不在管辖范围内" in response.content.decode()
    response = _post(client, "/api/v1/campaigns", {**NEW, "organization_id": org("太华路街道妇联").pk})
    assert response.status_code == 400
    assert "当前所在组织" in response.content.decode()
    titles = [c["title"] for c in client.get("/api/v1/campaigns").json()]
    assert NEW["title"] not in titles


def test_a_township_submits_late_is_returned_and_resubmits_through_the_api(api_client, acting):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    township, county = api_client("taihua_fed"), api_client("huayin_fed")
    response = _post(township, f"/api/v1/campaigns/{campaign.pk}/plans", {"title": "太华路方案", "body": "内容"})
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["status"] == "late" and plan["organization_name"] == "太华路街道妇联"
    response = _post(county, f"/api/v1/campaigns/{campaign.pk}/plans/{plan['id']}/return", {"reason": ""})
    assert response.status_code == 400 and "退回原因" in response.content.decode()
    response = _post(county, f"/api/v1/campaigns/{campaign.pk}/plans/{plan['id']}/return", {"reason": "请细化"})
    assert response.json()["status"] == "returned" and response.json()["review_reason"] == "请细化"
    assert _post(township, f"/api/v1/campaigns/{campaign.pk}/plans", {"title": "修改稿"}).status_code == 201
    response = _post(county, f"/api/v1/campaigns/{campaign.pk}/plans/{plan['id']}/accept", {})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    rows = county.get(f"/api/v1/campaigns/{campaign.pk}/plans?status=accepted").json()
    assert [r["organization_name"] for r in rows] == ["太华路街道妇联"]


def test_an_organisation_not_targeted_is_told_so(api_client, acting):
    campaign = issued_campaign(acting("huayin_fed"))
    response = _post(api_client("xiaoliu_women"), f"/api/v1/campaigns/{campaign.pk}/plans", {"title": "方案"})
    assert response.status_code == 400
    assert "参加组织" in response.content.decode()


def test_out_of_reach_campaigns_and_plans_are_404(api_client, acting):
    campaign = issued_campaign(acting("huayin_fed"))
    draft = draft_campaign(acting("huayin_fed"))
    other = plan_of(campaign, "罗敷镇妇联")
    lingsha = api_client("lingsha_fed")
    assert lingsha.get(f"/api/v1/campaigns/{campaign.pk}").status_code == 404
    assert lingsha.get(f"/api/v1/campaigns/{campaign.pk}/plans").status_code == 404
    assert api_client("taihua_fed").get(f"/api/v1/campaigns/{draft.pk}").status_code == 404
    assert api_client("taihua_fed").get("/api/v1/campaigns/987654").status_code == 404
    pingluo = demo_campaign(PINGLUO_TITLE)
    response = _post(api_client("huayin_fed"), f"/api/v1/campaigns/{pingluo.pk}/plans/{other.pk}/accept", {})
    assert response.status_code == 404


def test_the_statuses_and_themes_are_enums_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema["components"]["schemas"])
    for value in ("on_time", "late", "missing", "returned", "accepted", "strong_org", "township_fed"):
        assert value in text
    assert "/api/v1/campaigns/{campaign_id}/plans/{plan_id}/return" in schema["paths"]
