"""The loans API (GET/POST /api/v1/loans, …/check, /review, /approve, /disburse, /repayments) and
GET /api/v1/stats/development: same reach and errors as the pages, enums in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongjian.development.models import Loan

from .factories import demo_village_woman

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_loan_goes_from_application_to_the_first_repayment_through_the_api(api_client):
    village, township = api_client("xiaoliu_women"), api_client("taihua_fed")
    today = timezone.localdate().isoformat()
    made = post(village, "/api/v1/loans", {
        "applicant_id": demo_village_woman().pk, "purpose": "扩大苹果园", "amount": "12000", "term_months": 12,
        "guarantee": "反担保人一名", "business_plan": "扩种苹果二十亩，带动本村妇女五人就业。", "jobs_created": 5,
        "partner_kind": "hrss"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "applied" and "business_plan" not in body and "guarantee" not in body
    assert "*" in body["applicant_mobile"]
    pk = body["id"]
    assert post(village, f"/api/v1/loans/{pk}/check", {"note": "属实"}).json()["state"] == "checked"
    assert post(township, f"/api/v1/loans/{pk}/review", {"passed": True}).json()["state"] == "reviewed"
    assert post(township, f"/api/v1/loans/{pk}/approve",
                {"approved": True, "decided_on": today, "partner_name": "华阴市人社局"}).json()["state"] == "approved"
    disbursed = post(township, f"/api/v1/loans/{pk}/disburse", {"disbursed_on": today}).json()
    assert disbursed["state"] == "disbursed" and len(disbursed["instalments"]) == 12
    paid = post(township, f"/api/v1/loans/{pk}/repayments", {"amount": "1000", "paid_on": today})
    assert paid.status_code == 201
    assert paid.json()["loan"]["state"] == "repaying" and paid.json()["instalments"][0]["number"] == 1
    assert [row["id"] for row in village.get("/api/v1/loans").json()].count(pk) == 1


def test_a_bad_application_is_a_400_in_chinese_and_saves_nothing(api_client):
    before = Loan.objects.count()
    response = post(api_client("xiaoliu_women"), "/api/v1/loans", {
        "applicant_id": demo_village_woman().pk, "purpose": "养殖", "amount": "50", "term_months": 12,
        "guarantee": "反担保人", "business_plan": "养鸡"})
    assert response.status_code == 400
    assert "贷款金额应在100元至300万元之间。" in str(response.json())
    assert Loan.objects.count() == before


def test_a_sibling_village_does_not_reach_the_loan(api_client):
    made = post(api_client("xiaoliu_women"), "/api/v1/loans", {
        "applicant_id": demo_village_woman().pk, "purpose": "扩大苹果园", "amount": "12000", "term_months": 12,
        "guarantee": "反担保人一名", "business_plan": "扩种苹果二十亩，带动本村妇女五人就业。"}).json()
    assert api_client("guojia_women").get(f"/api/v1/loans/{made['id']}").status_code == 404


def test_the_development_stats_read_the_loan_figures_of_an_organisation_and_period(api_client, org):
    response = api_client("lingsha_fed").get(
        f"/api/v1/stats/development?org={org('灵沙乡妇联').pk}&from=2000-01-01&to={timezone.localdate()}")
    assert response.status_code == 200, response.content
    got = {row["code"]: row["value"] for row in response.json()["figures"]}
    assert got["loans.loans"] == 2 and got["loans.overdue"] == 1 and got["loans.overdue_rate"] == 50.0
    assert got["loans.applied"] == 3


def test_the_stats_of_an_organisation_out_of_reach_are_a_404(api_client, org):
    assert api_client("lingsha_fed").get(f"/api/v1/stats/development?org={org('太华路街道妇联').pk}").status_code == 404


def test_the_loan_enums_are_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["LoanOut"]["properties"]["state"]["enum"][:2] == ["applied", "checked"]
    assert set(schema["LoanIn"]["properties"]["partner_kind"]["enum"]) == {"hrss", "bank", "other"}
