"""People: validation in Chinese, nothing half-saved, encrypted at rest, masked, audited reveal."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from gongjian.kernel.fields import blind_index
from gongjian.kernel.models import AuditEvent, Person

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def form_data(org_id: int, **overrides):
    data = {"name": "王小红", "id_number": "11010519491231002X", "mobile": "13800138000", "gender": "",
            "birth_date": "", "ethnicity": "汉族", "political_status": "masses", "organization": org_id,
            "home_region": "", "party_organization": ""}
    data.update(overrides)
    return data


def test_wrong_id_checksum_reads_in_chinese_and_saves_nothing(login, org):
    before = Person.objects.count()
    response = login("guojia_women").post("/work/people/new/",
                                          form_data(org("郭家村妇联").pk, id_number="110105194912310021"))
    assert response.status_code == 400
    assert "身份证号码校验位错误" in response.content.decode()
    assert Person.objects.count() == before


def test_bad_mobile_reads_in_chinese(login, org):
    response = login("guojia_women").post("/work/people/new/", form_data(org("郭家村妇联").pk, mobile="12345"))
    assert "手机号码格式不正确" in response.content.decode()


def test_gender_and_birth_date_come_from_the_id_number(login, org):
    response = login("guojia_women").post("/work/people/new/", form_data(org("郭家村妇联").pk))
    assert response.status_code == 302
    person = Person.objects.get(name="王小红")
    assert person.gender == "F" and str(person.birth_date) == "1949-12-31"


def test_full_width_digits_and_spaces_are_accepted(login, org):
    response = login("guojia_women").post(
        "/work/people/new/", form_data(org("郭家村妇联").pk, id_number="１１０１０５ １９４９１２３１００２ｘ",
                                       mobile="138 0013 8000"))
    assert response.status_code == 302
    assert Person.objects.get(name="王小红").id_number == "11010519491231002X"


def test_same_id_number_cannot_be_registered_twice(login, org):
    client = login("guojia_women")
    assert client.post("/work/people/new/", form_data(org("郭家村妇联").pk)).status_code == 302
    response = client.post("/work/people/new/", form_data(org("郭家村妇联").pk, name="重复"))
    assert response.status_code == 400
    assert "已登记" in response.content.decode()
    assert not Person.objects.filter(name="重复").exists()


def test_cannot_register_a_person_under_another_village(login, org):
    response = login("guojia_women").post("/work/people/new/", form_data(org("小留村妇联").pk))
    assert response.status_code == 400
    assert not Person.objects.filter(name="王小红").exists()


def test_cannot_move_a_person_to_another_village_by_editing(login, org):
    person = Person.objects.filter(organization__name="郭家村妇联", party_organization__isnull=True).first()
    response = login("guojia_women").post(f"/work/people/{person.pk}/edit/", form_data(
        org("小留村妇联").pk, name=person.name, id_number="", mobile="", gender=person.gender))
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.organization.name == "郭家村妇联"


def test_editing_without_retyping_the_number_keeps_it(login, org):
    person = Person.objects.filter(organization__name="郭家村妇联", party_organization__isnull=True).first()
    old_id = person.id_number
    response = login("guojia_women").post(f"/work/people/{person.pk}/edit/", form_data(
        org("郭家村妇联").pk, name="新名字", id_number="", mobile="", gender=person.gender))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "新名字" and person.id_number == old_id
    assert AuditEvent.objects.filter(event="kernel.person.updated", object_id=str(person.pk)).exists()


def test_no_id_number_or_mobile_stands_in_plaintext_in_the_database():
    person = Person.objects.first()
    with connection.cursor() as c:
        c.execute("SELECT id_number, mobile FROM kernel_person")
        rows = c.fetchall()
    assert rows
    for id_enc, mobile_enc in rows:
        assert not FULL_ID.search(id_enc) and not FULL_MOBILE.search(mobile_enc)
        assert id_enc.startswith("sm4gcm:")
    assert FULL_ID.fullmatch(person.id_number)


@pytest.mark.sqlite_only
def test_no_plaintext_id_in_the_sqlite_file(db):
    from pathlib import Path

    numbers = [p.id_number for p in Person.objects.all()[:20]]
    name = Path(connection.settings_dict["NAME"])
    raw = b"".join(f.read_bytes() for f in (name, name.with_name(name.name + "-wal")) if f.exists())
    assert len(raw) > 100_000
    assert not any(n.encode() in raw for n in numbers)


def test_same_id_number_has_the_same_blind_index():
    person = Person.objects.first()
    assert person.id_number_index == blind_index(person.id_number, "person.id_number")


def test_pages_show_numbers_masked(login):
    client = login("guojia_women")
    person = Person.objects.filter(organization__name="郭家村妇联").first()
    for url in ("/work/people/", f"/work/people/{person.pk}/", f"/work/people/{person.pk}/edit/"):
        body = client.get(url).content.decode()
        assert person.id_number not in body and person.mobile not in body, url
        assert not FULL_ID.search(body) and not FULL_MOBILE.search(body), url
    assert person.mobile_masked in client.get("/work/people/").content.decode()


def test_person_pages_are_not_cached(login):
    person = Person.objects.filter(organization__name="郭家村妇联").first()
    assert login("guojia_women").get(f"/work/people/{person.pk}/")["Cache-Control"] == "no-store"


def test_search_by_exact_id_number_uses_the_blind_index(login):
    person = Person.objects.filter(organization__name="郭家村妇联").first()
    body = login("guojia_women").get("/work/people/", {"q": person.id_number}).content.decode()
    assert person.name in body


def test_reveal_needs_a_reason_and_is_audited(login):
    person = Person.objects.filter(organization__name="郭家村妇联").first()
    client = login("guojia_women")
    response = client.post(f"/work/people/{person.pk}/reveal/", {"field": "id_number", "reason": ""})
    assert response.status_code == 400 and person.id_number not in response.content.decode()
    response = client.post(f"/work/people/{person.pk}/reveal/", {"field": "id_number", "reason": "办理小额贷款核对"})
    assert response.status_code == 200 and person.id_number in response.content.decode()
    event = AuditEvent.objects.filter(event="kernel.person.revealed", object_id=str(person.pk)).get()
    assert event.changes == {"field": "id_number", "reason": "办理小额贷款核对"}


def test_staff_without_reveal_permission_cannot_unmask(org):
    from django.core.exceptions import PermissionDenied

    from gongjian.kernel import services
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import Position, User

    village = org("郭家村妇联")
    clerk = Person.objects.filter(organization=village, party_organization__isnull=True).first()
    position = Position.objects.create(person=clerk, organization=village, title="妇联执委",
                                       role=Position.Role.STAFF)
    user = User.objects.create(username="guojia_clerk", person=clerk)
    user.acting = Acting(position)
    target = Person.objects.filter(organization=village).exclude(pk=clerk.pk).first()
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=user, person=target, field="id_number", reason="好奇")


def test_person_list_query_count_does_not_grow_with_rows(login, django_assert_max_num_queries):
    client = login("taihua_fed")
    with django_assert_max_num_queries(12):
        small = client.get("/work/people/?per_page=10")
    with django_assert_max_num_queries(12):
        big = client.get("/work/people/?per_page=100")
    assert small.status_code == big.status_code == 200


def test_per_page_is_capped_and_bad_ordering_ignored(login):
    from gongjian.kernel import selectors

    page = selectors.paginate(Person.objects.all(), page="1", per_page="100000")
    assert page.per_page == 100
    client = login("taihua_fed")
    assert client.get("/work/people/?ordering=id_number").status_code == 200
    assert client.get("/work/people/?ordering=organization__path&per_page=<script>").status_code == 200
    assert "<script>" not in client.get("/work/people/?q=<script>").content.decode()


def test_no_full_id_or_mobile_reaches_the_logs(login, org, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client = login("guojia_women")
    client.post("/work/people/new/", form_data(org("郭家村妇联").pk, id_number="110105194912310021"))
    client.post("/work/people/new/", form_data(org("郭家村妇联").pk))
    person = Person.objects.get(name="王小红")
    client.get("/work/people/", {"q": "11010519491231002X"})
    client.post(f"/work/people/{person.pk}/reveal/", {"field": "mobile", "reason": "电话回访"})
    client.get("/api/v1/people")
    text = caplog.text
    assert not FULL_ID.search(text) and not FULL_MOBILE.search(text)
