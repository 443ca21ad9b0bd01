"""关爱 pages: the registry (masked where P-05 asks), add/edit/end a recipient with the person picker,
her record (audited read, failing closed), the pairings, the overdue board, a new pairing and the
visit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from gongjian.kernel.models import AuditEvent, Pairing, PairingPurpose, Person
from gongjian.support.models import CareRecipient, LegalBasis, RecipientCategory

from .factories import care_person, pair_mother, register_recipient, staff_clerk

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_registry_lists_the_demo_children_of_guojia(login):
    body = login("guojia_women").get("/work/support/care/").content.decode()
    assert "郭小雨" in body and "留守儿童" in body and "未满14周岁" in body
    assert "137****2000" in body and "13791352000" not in body  # the guardian's phone masked


def test_the_registry_is_masked_for_a_clerk_above_the_village(acting):
    clerk = staff_clerk("太华路街道妇联", "taihua_clerk_pages")
    response = _client(clerk).get("/work/support/care/")
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "郭小雨" not in body and "郭**" in body and "详情仅本组织和上级负责人可见" in body
    assert "郭桂芳" in body  # an adult's record is not restricted


def test_the_registry_filters_by_category_place_and_ended(login, org):
    client = login("taihua_fed")
    assert "郭桂芳" not in client.get("/work/support/care/?category=left_behind_child").content.decode()
    assert "郭小雨" not in client.get(f"/work/support/care/?org={org('小留村妇联').pk}").content.decode()
    assert "郭小雨" in client.get(f"/work/support/care/?org={org('郭家村妇联').pk}").content.decode()
    assert "郭小雨" not in client.get("/work/support/care/?show=ended").content.decode()


def test_the_detail_read_is_audited_and_masked_without_the_elevated_permission(acting):
    child = CareRecipient.objects.get(person__name="郭小雨")
    clerk = staff_clerk("太华路街道妇联", "taihua_clerk_detail")
    before = AuditEvent.objects.filter(event="support.recipient.read").count()
    body = _client(clerk).get(f"/work/support/care/{child.pk}/").content.decode()
    assert "郭小雨" not in body and child.needs not in body and "13791352000" not in body
    assert "只有登记组织的工作人员和上级负责人可以查看" in body
    event = AuditEvent.objects.filter(event="support.recipient.read").order_by("-id").first()
    assert AuditEvent.objects.filter(event="support.recipient.read").count() == before + 1
    assert event.object_id == str(child.pk) and event.changes["details"] is False
    assert event.actor_username == "taihua_clerk_detail"
    # The edit page is refused to her outright (403).
    assert _client(clerk).get(f"/work/support/care/{child.pk}/edit/").status_code == 403


def test_the_detail_shows_everything_to_the_village_and_the_leads(login):
    child = CareRecipient.objects.get(person__name="郭小雨")
    for username in ("guojia_women", "taihua_fed", "huayin_fed"):
        body = login(username).get(f"/work/support/care/{child.pk}/").content.decode()
        assert "郭小雨" in body and child.needs in body and "13791352000" in body, username
        assert "郭彩霞" in body  # her 爱心妈妈
    assert login("xiaoliu_women").get(f"/work/support/care/{child.pk}/").status_code == 404
    assert login("lingsha_fed").get(f"/work/support/care/{child.pk}/").status_code == 404
    assert login("xiaoliu_branch").get(f"/work/support/care/{child.pk}/").status_code == 403


def test_the_detail_fails_closed_when_the_audit_cannot_be_written(login, monkeypatch):
    from gongjian.support.services import care as services

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    child = CareRecipient.objects.get(person__name="郭小雨")
    client = login("guojia_women")
    monkeypatch.setattr(services.audit, "record", broken)
    response = client.get(f"/work/support/care/{child.pk}/")
    body = response.content.decode()
    assert response.status_code == 503
    assert "郭小雨" not in body and child.needs not in body and "13791352000" not in body


def test_the_person_picker_finds_children_and_registers_one(login, acting):
    child = care_person(age=8, name="郭新童", gender="M")
    client = login("guojia_women")
    page = client.get("/work/support/care/new/?q=郭新童").content.decode()
    assert f'value="{child.pk}"' in page and "郭新童" in page
    response = client.post("/work/support/care/new/?q=郭新童", {
        "person": child.pk, "organization": child.organization_id, "category": RecipientCategory.LEFT_BEHIND_CHILD,
        "needs": "学习辅导", "guardian_name": "郭奶奶", "guardian_mobile": "13791350123",
        "legal_basis": LegalBasis.GUARDIAN, "consent_given": "on", "registered_on": timezone.localdate().isoformat()})
    found = CareRecipient.objects.get(person=child)
    assert response.status_code == 302 and response["Location"] == f"/work/support/care/{found.pk}/"
    assert found.minor_under_14 and found.consent_at is not None and found.guardian_mobile == "13791350123"


def test_a_form_without_a_legal_basis_says_so_and_saves_nothing(login):
    child = care_person(age=8, name="郭无依据")
    response = login("guojia_women").post("/work/support/care/new/", {
        "person": child.pk, "organization": child.organization_id, "category": RecipientCategory.LEFT_BEHIND_CHILD,
        "guardian_name": "郭奶奶", "registered_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and "请选择处理个人信息的依据" in response.content.decode()
    assert not CareRecipient.objects.filter(person=child).exists()


def test_a_person_of_another_village_cannot_be_posted(login):
    far = care_person("小留村妇联", age=8)
    response = login("guojia_women").post("/work/support/care/new/", {
        "person": far.pk, "category": RecipientCategory.LEFT_BEHIND_CHILD, "guardian_name": "某某",
        "legal_basis": LegalBasis.STATUTORY, "registered_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and not CareRecipient.objects.filter(person=far).exists()


def test_edit_and_end_a_recipient(login, acting):
    found = register_recipient(acting("guojia_women"))
    client = login("guojia_women")
    response = client.post(f"/work/support/care/{found.pk}/edit/", {
        "category": RecipientCategory.LEFT_BEHIND_CHILD, "needs": "改过的需求", "guardian_name": "新监护人",
        "guardian_mobile": "", "legal_basis": LegalBasis.STATUTORY, "registered_on": found.registered_on.isoformat()})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.needs == "改过的需求" and found.person_id == found.person.pk and found.consent_at is None
    client.post(f"/work/support/care/{found.pk}/end/", {"reason": "父母返乡"})
    found.refresh_from_db()
    assert found.ended_on is not None and CareRecipient.objects.filter(pk=found.pk).exists()


def test_the_pairings_and_the_overdue_board(login):
    client = login("guojia_women")
    body = client.get("/work/support/care/pairings/").content.decode()
    assert "郭彩霞 — 郭小雨" in body and 'id="overdue"' in body
    board = client.get("/work/support/care/pairings/overdue/").content.decode()
    overdue = Pairing.objects.get(kind=PairingPurpose.CARE, mentee__name="郭晨阳")
    assert f"/work/support/care/pairings/{overdue.pk}/" in board and "已超期" in board
    assert "郭小雨" not in board


def test_new_pairing_from_the_recipient_with_the_mother_picker(login):
    child = CareRecipient.objects.get(person__name="郭浩然")
    mother = Person.objects.get(name="郭彩霞")
    client = login("guojia_women")
    page = client.get(f"/work/support/care/pairings/new/?recipient={child.pk}&q=郭彩霞").content.decode()
    assert f'value="{mother.pk}"' in page and "selected" in page
    response = client.post(f"/work/support/care/pairings/new/?recipient={child.pk}", {
        "recipient": child.pk, "mentor": mother.pk, "started_on": timezone.localdate().isoformat(),
        "interval_days": 30, "note": "每月看望"})
    pairing = Pairing.objects.get(kind=PairingPurpose.CARE, mentee=child.person, mentor=mother)
    assert response.status_code == 302 and response["Location"] == f"/work/support/care/pairings/{pairing.pk}/"


def test_log_a_visit_on_the_pairing_page(login):
    pairing = Pairing.objects.get(kind=PairingPurpose.CARE, mentee__name="郭晨阳")
    client = login("guojia_women")
    page = client.get(f"/work/support/care/pairings/{pairing.pk}/").content.decode()
    assert "登记这次走访" in page and "已超期" in page
    response = client.post(f"/work/support/care/pairings/{pairing.pk}/", {
        "date": timezone.localdate().isoformat(), "content": "上门辅导作业，和爷爷聊了孩子的情况。"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.last_met_on == timezone.localdate()
    assert pairing.due_on == timezone.localdate() + timedelta(days=30)
    bad = client.post(f"/work/support/care/pairings/{pairing.pk}/", {"date": timezone.localdate().isoformat(),
                                                                     "content": "短"})
    assert bad.status_code == 400 and "至少4个字" in bad.content.decode()


def test_a_clerk_above_sees_the_pairing_masked_and_may_not_log(acting):
    pairing = Pairing.objects.get(kind=PairingPurpose.CARE, mentee__name="郭小雨")
    client = _client(staff_clerk("太华路街道妇联", "taihua_clerk_pair"))
    body = client.get(f"/work/support/care/pairings/{pairing.pk}/").content.decode()
    assert "郭小雨" not in body and "郭**" in body and "登记这次走访" not in body
    assert "内容仅本组织和上级负责人可见" in body
    assert client.post(f"/work/support/care/pairings/{pairing.pk}/", {
        "date": timezone.localdate().isoformat(), "content": "不应保存的内容"}).status_code == 403


def test_a_visit_photo_is_served_to_the_village_only(login, acting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongjian.support.services.care import visit_add

    guojia = acting("guojia_women")
    pairing = pair_mother(guojia, register_recipient(guojia))
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    png = buffer.getvalue()
    visit = visit_add(actor=guojia, pairing=pairing, day=timezone.localdate(), content="送学习用品。",
                      photo=SimpleUploadedFile("a.png", png, content_type="image/png"))
    url = f"/work/support/care/visits/{visit.pk}/photo/"
    response = login("guojia_women").get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert _client(staff_clerk("太华路街道妇联", "taihua_clerk_photo")).get(url).status_code == 403
    assert login("xiaoliu_women").get(url).status_code == 404


def test_the_home_tile_and_nav(login):
    body = login("guojia_women").get("/work/support/").content.decode()
    assert "/work/support/care/" in body and "关爱和爱心妈妈" in body
    assert "/work/support/care/" not in login("xiaoliu_branch").get("/work/").content.decode()


def test_the_registry_and_the_pairings_take_the_same_queries_for_more_rows(login, acting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("taihua_fed")
    urls = ["/work/support/care/", "/work/support/care/pairings/", "/work/support/care/pairings/overdue/"]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    client.get(urls[0])  # warm the session and the caches
    before = queries()
    guojia = acting("guojia_women")
    today = timezone.localdate()
    for i in range(6):
        pair_mother(guojia, register_recipient(guojia, care_person(name=f"郭多{i}")),
                    started_on=today - timedelta(days=40))
    assert queries() == before
