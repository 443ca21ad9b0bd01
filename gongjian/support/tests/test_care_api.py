"""关爱 API: /api/v1/care/recipients, /care/recipients/{id}, /care/pairings, /care/pairings/overdue,
/care/pairings/{id}/visits — the same reach and masking as the pages, enums in OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from gongjian.kernel.models import AuditEvent, Pairing, PairingPurpose, Person
from gongjian.support.models import CareRecipient, RecipientCategory

from .factories import care_person, staff_clerk

pytestmark = pytest.mark.django_db


def test_list_recipients_with_filters_and_masking(api_client, org):
    rows = api_client("guojia_women").get("/api/v1/care/recipients?per_page=50").json()
    child = next(r for r in rows if r["name"] == "郭小雨")
    assert child["category"] == "left_behind_child" and child["category_label"] == "留守儿童"
    assert child["minor_under_14"] is True and child["details_shown"] is True
    assert child["guardian_mobile_masked"] == "137****2000" and "guardian_mobile" not in child
    rows = api_client("taihua_fed").get(f"/api/v1/care/recipients?org={org('小留村妇联').pk}").json()
    assert all(r["organization_id"] != org("郭家村妇联").pk for r in rows)
    rows = api_client("taihua_fed").get("/api/v1/care/recipients?category=left_behind_elder").json()
    assert {r["category"] for r in rows} == {"left_behind_elder"}
    assert api_client("taihua_fed").get("/api/v1/care/recipients?category=nonsense").status_code == 422
    assert all(r["organization_id"] != org("郭家村妇联").pk
               for r in api_client("xiaoliu_women").get("/api/v1/care/recipients").json())


def test_one_recipient_is_audited_masked_and_out_of_reach_404(api_client):
    child = CareRecipient.objects.get(person__name="郭小雨")
    got = api_client("guojia_women").get(f"/api/v1/care/recipients/{child.pk}")
    assert got.status_code == 200 and got.json()["needs"] == child.needs
    assert AuditEvent.objects.filter(event="support.recipient.read", object_id=str(child.pk),
                                     changes__via="api").exists()
    assert api_client("xiaoliu_women").get(f"/api/v1/care/recipients/{child.pk}").status_code == 404
    assert api_client("xiaoliu_branch").get(f"/api/v1/care/recipients/{child.pk}").status_code == 403


def test_a_clerk_above_gets_the_child_masked(api_client, demo_password):
    from django.test import Client

    clerk = staff_clerk("太华路街道妇联", "taihua_clerk_api")
    clerk.set_password(demo_password)
    clerk.save()
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "taihua_clerk_api", "password": demo_password},
                        content_type="application/json").json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    child = CareRecipient.objects.get(person__name="郭小雨")
    body = api.get(f"/api/v1/care/recipients/{child.pk}").json()
    assert body["name"] == "郭**" and body["needs"] is None and body["guardian_name"] is None
    assert body["details_shown"] is False and body["guardian_mobile_masked"] == ""
    pairs = api.get("/api/v1/care/pairings").json()
    assert "郭小雨" not in str(pairs) and any(p["mentee_name"] == "郭**" for p in pairs)


def test_the_recipient_read_fails_closed(api_client, monkeypatch):
    from gongjian.support.services import care as services

    child = CareRecipient.objects.get(person__name="郭小雨")
    client = api_client("guojia_women")

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    response = client.get(f"/api/v1/care/recipients/{child.pk}")
    assert response.status_code == 503 and child.needs not in response.content.decode()


def test_post_a_recipient(api_client):
    child = care_person(age=5, name="郭接口")
    client = api_client("guojia_women")
    bad = client.post("/api/v1/care/recipients", {"person_id": child.pk, "category": "left_behind_child",
                                                  "guardian_name": "郭奶奶", "legal_basis": "consent",
                                                  "consent_at": timezone.now().isoformat()},
                      content_type="application/json")
    assert bad.status_code == 400 and "监护人" in bad.content.decode()
    made = client.post("/api/v1/care/recipients", {"person_id": child.pk, "category": "left_behind_child",
                                                   "guardian_name": "郭奶奶", "guardian_mobile": "13791350999",
                                                   "needs": "学前教育", "legal_basis": "guardian",
                                                   "consent_at": timezone.now().isoformat()},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["minor_under_14"] is True and made.json()["guardian_mobile_masked"] == "137****0999"
    far = care_person("小留村妇联", age=5)
    refused = client.post("/api/v1/care/recipients", {"person_id": far.pk, "category": "poor_woman",
                                                      "legal_basis": "statutory"}, content_type="application/json")
    assert refused.status_code == 400


def test_pairings_overdue_and_a_visit(api_client):
    client = api_client("guojia_women")
    rows = client.get("/api/v1/care/pairings").json()
    assert any(r["mentor_name"] == "郭彩霞" and r["mentee_name"] == "郭小雨" and r["recipient_id"] for r in rows)
    late = client.get("/api/v1/care/pairings/overdue").json()
    assert [r["mentee_name"] for r in late if r["overdue"]] and "郭小雨" not in {r["mentee_name"] for r in late}
    pairing = Pairing.objects.get(kind=PairingPurpose.CARE, mentee__name="郭晨阳")
    today = timezone.localdate()
    made = client.post(f"/api/v1/care/pairings/{pairing.pk}/visits", {"date": today.isoformat(),
                                                                       "content": "上门辅导作业。"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["pairing_id"] == pairing.pk and made.json()["has_photo"] is False
    pairing.refresh_from_db()
    assert pairing.due_on == today + timedelta(days=30)
    future = client.post(f"/api/v1/care/pairings/{pairing.pk}/visits", {
        "date": (today + timedelta(days=2)).isoformat(), "content": "未来的走访"}, content_type="application/json")
    assert future.status_code == 400
    assert api_client("xiaoliu_women").post(f"/api/v1/care/pairings/{pairing.pk}/visits", {
        "date": today.isoformat(), "content": "不应保存"}, content_type="application/json").status_code == 404


def test_post_a_pairing(api_client):
    child = CareRecipient.objects.get(person__name="郭浩然")
    mother = Person.objects.get(name="郭彩霞")
    client = api_client("guojia_women")
    made = client.post("/api/v1/care/pairings", {"recipient_id": child.pk, "mentor_id": mother.pk,
                                                 "interval_days": 30}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["recipient_id"] == child.pk and made.json()["due_on"]
    again = client.post("/api/v1/care/pairings", {"recipient_id": child.pk, "mentor_id": mother.pk},
                        content_type="application/json")
    assert again.status_code == 400 and "已经结对" in again.content.decode()
    odd = client.post("/api/v1/care/pairings", {"recipient_id": child.pk, "mentor_id": mother.pk,
                                                "interval_days": 5}, content_type="application/json")
    assert odd.status_code == 400


def test_openapi_names_the_enums(client):
    doc = client.get("/api/v1/openapi.json").json()
    text = str(doc)
    for path in ("/api/v1/care/recipients", "/api/v1/care/recipients/{recipient_id}", "/api/v1/care/pairings",
                 "/api/v1/care/pairings/overdue", "/api/v1/care/pairings/{pairing_id}/visits"):
        assert path in doc["paths"], path
    assert all(c in text for c in RecipientCategory.values)
    assert "guardian" in text and "statutory" in text
