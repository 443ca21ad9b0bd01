"""The API: tokens, the same scoping and masking as the pages, Chinese errors, lock-out."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from gongjian.kernel.models import AuditEvent, Person

pytestmark = pytest.mark.django_db


def token_for(username: str, password: str) -> Client:
    return Client().post("/api/v1/auth/token", {"username": username, "password": password},
                         content_type="application/json")


def test_token_is_issued_for_the_right_password(demo_password):
    response = token_for("taihua_fed", demo_password)
    assert response.status_code == 200
    assert len(response.json()["token"]) > 30


def test_wrong_password_gets_401_in_chinese():
    response = token_for("taihua_fed", "wrong")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.json()["detail"]


def test_api_failures_count_toward_the_lock_out(demo_password):
    for _ in range(5):
        token_for("guojia_women", "wrong")
    response = token_for("guojia_women", demo_password)
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]


def test_requests_without_a_token_are_refused():
    response = Client().get("/api/v1/people")
    assert response.status_code == 401


def test_tokens_expire(demo_password):
    with time_machine.travel("2026-06-01 08:00 +0800", tick=False):
        token = token_for("taihua_fed", demo_password).json()["token"]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert client.get("/api/v1/people").status_code == 200
    with time_machine.travel("2026-06-01 17:00 +0800", tick=False):
        assert client.get("/api/v1/people").status_code == 401


def test_people_list_is_masked_and_scoped(api_client):
    response = api_client("guojia_women").get("/api/v1/people?per_page=100")
    assert response.status_code == 200
    body = response.content.decode()
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", body)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", body)
    orgs = {p["organization_name"] for p in response.json()}
    assert orgs == {"郭家村妇联"}


def test_person_can_be_created_by_api_and_is_audited(api_client, org):
    client = api_client("guojia_women")
    response = client.post("/api/v1/people", {"name": "API新人", "id_number": "11010519491231002X",
                                              "mobile": "13800138000", "organization_id": org("郭家村妇联").pk},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["id_number_masked"] == "1101**********002X"
    assert AuditEvent.objects.filter(event="kernel.person.created", object_id=str(response.json()["id"])).exists()


def test_bad_person_by_api_is_400_in_chinese_and_saves_nothing(api_client, org):
    before = Person.objects.count()
    response = api_client("guojia_women").post(
        "/api/v1/people", {"name": "坏数据", "id_number": "110105194912310021", "organization_id": org("郭家村妇联").pk},
        content_type="application/json")
    assert response.status_code == 400
    assert "身份证号码校验位错误" in str(response.json()["errors"])
    assert Person.objects.count() == before


def test_error_lists_carry_messages_only_and_codes_apart(api_client, org):
    response = api_client("guojia_women").post(
        "/api/v1/people", {"name": "坏数据", "id_number": "110105194912310021", "organization_id": org("郭家村妇联").pk},
        content_type="application/json")
    body = response.json()
    assert body["errors"]["id_number"] == ["身份证号码校验位错误"]
    assert body["codes"]["id_number"] == ["id_checksum"]


def test_a_missing_field_is_422_with_a_chinese_message_per_field(api_client):
    response = api_client("guojia_women").post("/api/v1/people", {"id_number": 5}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert "name" in body["detail"] and "organization_id" in body["detail"]
    assert body["errors"]["name"] == ["必须填写。"] and body["errors"]["id_number"] == ["须为文字。"]
    assert body["codes"]["name"] == ["missing"]


def test_creating_a_person_in_another_village_by_api_is_refused(api_client, org):
    response = api_client("guojia_women").post(
        "/api/v1/people", {"name": "越权", "organization_id": org("小留村妇联").pk, "gender": "F"},
        content_type="application/json")
    assert response.status_code == 400
    assert not Person.objects.filter(name="越权").exists()


def test_malformed_json_gets_a_chinese_message(api_client):
    response = api_client("guojia_women").post("/api/v1/people", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "请求" in response.json()["detail"]


def test_openapi_document_is_served():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/people" in response.json()["paths"]


def test_api_docs_page_loads_nothing_from_the_internet():
    body = Client().get("/api/v1/docs").content.decode()
    assert "cdn" not in body.lower() and "https://" not in body


def test_a_blank_gender_is_read_from_the_id_number_and_returned_as_its_stored_value(api_client, org):
    response = api_client("guojia_women").post(
        "/api/v1/people", {"name": "空性别", "id_number": "11010519491231002X", "gender": "",
                           "political_status": "member", "organization_id": org("郭家村妇联").pk},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["gender"], response.json()["political_status"]) == ("F", "member")


def test_a_political_status_outside_the_enum_is_refused_in_chinese(api_client, org):
    response = api_client("guojia_women").post(
        "/api/v1/people", {"name": "乱填", "political_status": "党员", "organization_id": org("郭家村妇联").pk},
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["political_status"][0].startswith("须为以下之一：masses、")
    assert not Person.objects.filter(name="乱填").exists()


def test_every_api_answer_is_kept_by_no_cache(api_client):
    """P-07 (issue 12): personal data in API answers is never stored by a browser or a proxy — the
    masked people list, a refusal, a public read alike."""
    client = api_client("xiaoliu_women")
    for response in (client.get("/api/v1/people"), client.get("/api/v1/people/987654321"),
                     Client().get("/api/v1/openapi.json"), Client().get("/api/v1/people")):
        assert "no-store" in response["Cache-Control"], response.status_code


def test_the_roster_page_and_its_rows_are_kept_by_no_cache(login):
    from gongjian.kernel.models import Organization

    client = login("xiaoliu_women")
    org = Organization.objects.get(name="小留村妇联")
    for response in (client.get("/work/people/"), client.get("/work/people/", HTTP_HX_REQUEST="true"),
                     client.get(f"/work/organizations/{org.pk}/roster/")):  # the printable name list too
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


# --- tokens obey the account (issue 12) --------------------------------------------


def bearer(username: str, password: str) -> Client:
    response = token_for(username, password)
    assert response.status_code == 200, response.content
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def test_a_token_stops_when_the_password_is_changed(demo_password):
    from gongjian.kernel.models import User

    client = bearer("taihua_fed", demo_password)
    assert client.get("/api/v1/people").status_code == 200
    user = User.objects.get(username="taihua_fed")
    user.set_password("Tz8#rWq2-vkm")
    user.save()
    assert client.get("/api/v1/people").status_code == 401
    assert bearer("taihua_fed", "Tz8#rWq2-vkm").get("/api/v1/people").status_code == 200


def test_a_token_stops_when_the_password_expires_or_the_account_is_deactivated_or_locked(demo_password):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    from gongjian.kernel.models import User

    expired, deactivated, locked = (bearer(name, demo_password) for name in ("taihua_fed", "lingsha_fed", "guojia_women"))
    for client in (expired, deactivated, locked):
        assert client.get("/api/v1/people").status_code == 200
    User.objects.filter(username="taihua_fed").update(password_changed_at=timezone.now() - timedelta(days=91))
    User.objects.filter(username="lingsha_fed").update(is_active=False)
    AccessAttempt.objects.create(username="guojia_women", ip_address="127.0.0.1", user_agent="x", get_data="",
                                 post_data="", http_accept="", path_info="/work/login/", failures_since_start=5)
    for client in (expired, deactivated, locked):
        assert client.get("/api/v1/people").status_code == 401


def test_a_token_left_unused_for_the_idle_limit_stops(demo_password):
    with time_machine.travel("2026-06-01 08:00 +0800", tick=False) as clock:
        busy, idle = bearer("taihua_fed", demo_password), bearer("xiaoliu_women", demo_password)
        for _ in range(4):  # used every 20 minutes: alive after 80
            clock.shift(20 * 60)
            assert busy.get("/api/v1/people").status_code == 200
        assert idle.get("/api/v1/people").status_code == 401


def test_she_lists_and_revokes_her_own_tokens_and_nobody_elses(demo_password):
    from gongjian.kernel.models import ApiToken, AuditEvent

    first, second = bearer("xiaoliu_women", demo_password), bearer("xiaoliu_women", demo_password)
    other = bearer("guojia_women", demo_password)
    listed = first.get("/api/v1/auth/tokens").json()
    mine = ApiToken.objects.filter(user__username="xiaoliu_women")
    assert {row["id"] for row in listed} == set(mine.values_list("id", flat=True))
    assert [row["token_state"] for row in listed] == ["active", "active"]
    assert sum(row["current"] for row in listed) == 1 and listed[0]["acts_for"].startswith("小留村妇联")
    theirs = ApiToken.objects.filter(user__username="guojia_women").get()
    assert first.delete(f"/api/v1/auth/tokens/{theirs.pk}").status_code == 404
    assert other.get("/api/v1/people").status_code == 200
    current = next(row["id"] for row in listed if row["current"])
    answer = first.delete(f"/api/v1/auth/tokens/{current}")
    assert answer.status_code == 200 and answer.json()["token_state"] == "revoked"
    assert first.get("/api/v1/people").status_code == 401
    assert second.get("/api/v1/people").status_code == 200
    assert AuditEvent.objects.filter(event="kernel.api.token_revoked", object_id=str(current)).count() == 1


def test_the_token_page_lists_hers_and_revokes_only_hers(login, demo_password):
    from gongjian.kernel.models import ApiToken

    client_api = bearer("xiaoliu_women", demo_password)
    bearer("guojia_women", demo_password)
    page = login("xiaoliu_women")
    listing = page.get("/work/account/tokens/")
    assert listing.status_code == 200 and "可以使用" in listing.content.decode()
    theirs = ApiToken.objects.get(user__username="guojia_women")
    assert page.post(f"/work/account/tokens/{theirs.pk}/revoke/").status_code == 404
    mine = ApiToken.objects.get(user__username="xiaoliu_women")
    assert page.post(f"/work/account/tokens/{mine.pk}/revoke/").status_code == 302
    assert client_api.get("/api/v1/people").status_code == 401
    assert "已吊销" in page.get("/work/account/tokens/").content.decode()
