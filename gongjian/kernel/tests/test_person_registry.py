"""An ID number is registered once per county (ADR 0026): another county's people do not exist
for this county's users, whether they add a person by page or API; a number taken elsewhere in
the same county is refused without saying by whom or where."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from gongjian.kernel.models import AuditEvent, Person

pytestmark = pytest.mark.django_db

UNREGISTERED_ID = "11010519491231002X"


def woman_of(org_name: str) -> Person:
    return Person.objects.filter(organization__name=org_name, gender="F", user__isnull=True).order_by("id").first()


def create_by_api(client, org_id: int, id_number: str, name: str = "新登记"):
    return client.post("/api/v1/people", {"name": name, "id_number": id_number, "organization_id": org_id},
                       content_type="application/json")


def test_every_person_is_in_the_registry_of_her_organisations_county():
    rows = Person.objects.values_list("registry", "organization__region__code")
    assert rows and all(registry == code[:6] for registry, code in rows)


def test_a_woman_registered_in_another_county_is_registered_anew_like_an_unregistered_one(api_client, org):
    pingluo = woman_of("灵沙村妇联")
    client = api_client("xiaoliu_women")
    fresh = create_by_api(client, org("小留村妇联").pk, UNREGISTERED_ID)
    elsewhere = create_by_api(client, org("小留村妇联").pk, pingluo.id_number)
    assert fresh.status_code == elsewhere.status_code == 201
    assert set(fresh.json()) == set(elsewhere.json())
    assert elsewhere.json()["organization_name"] == "小留村妇联"
    again = Person.objects.get(pk=elsewhere.json()["id"])
    assert (again.registry, pingluo.registry) == ("610582", "640221")
    assert again.id_number_index == pingluo.id_number_index
    pingluo.refresh_from_db()
    assert pingluo.organization.name == "灵沙村妇联"  # her own county's record is untouched


def test_the_staff_page_answers_another_countys_number_as_a_new_one(login, org):
    pingluo = woman_of("灵沙村妇联")
    response = login("xiaoliu_women").post("/work/people/new/", {
        "name": "新登记", "id_number": pingluo.id_number, "gender": "", "birth_date": "", "mobile": "",
        "ethnicity": "汉族", "political_status": "masses", "organization": org("小留村妇联").pk, "home_region": ""})
    assert response.status_code == 302
    assert Person.objects.filter(name="新登记", registry="610582").exists()


def test_a_number_taken_elsewhere_in_the_county_is_refused_without_naming_her(api_client, org):
    guojia = woman_of("郭家村妇联")
    before = Person.objects.count()
    response = create_by_api(api_client("xiaoliu_women"), org("小留村妇联").pk, guojia.id_number)
    assert response.status_code == 400
    body = response.content.decode()
    assert "该身份证号码已在本县其他组织登记" in body
    for secret in (guojia.name, "郭家", guojia.organization.name, str(guojia.pk), guojia.id_number_masked):
        assert secret not in body
    assert Person.objects.count() == before


def test_a_number_registered_within_jurisdiction_is_already_registered(api_client, org):
    own = woman_of("小留村妇联")
    response = create_by_api(api_client("xiaoliu_women"), org("小留村妇联").pk, own.id_number)
    assert response.status_code == 400
    assert response.json()["errors"] == {"id_number": ["该身份证号码已登记，请勿重复录入。"]}


def test_the_database_refuses_a_number_twice_in_one_county_but_not_in_two(org):
    guojia = woman_of("郭家村妇联")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="重复", gender="F", id_number=guojia.id_number, organization=org("小留村妇联"))
    other = Person.objects.create(name="外县", gender="F", id_number=guojia.id_number, organization=org("灵沙村妇联"))
    assert other.registry == "640221" and other.id_number_index == guojia.id_number_index


def test_moving_a_person_within_the_county_keeps_her_registry_and_is_audited(acting, org):
    from gongjian.kernel import services

    person = woman_of("郭家村妇联")
    services.person_update(actor=acting("taihua_fed"), person=person, data={"organization": org("小留村妇联").pk})
    person.refresh_from_db()
    assert (person.organization.name, person.registry) == ("小留村妇联", "610582")
    event = AuditEvent.objects.get(event="kernel.person.updated", object_id=str(person.pk))
    assert list(event.changes) == ["organization"]


def test_the_people_api_does_not_validate_through_an_html_form(api_client, org, monkeypatch):
    from gongjian.kernel import forms

    def refuse(*args, **kwargs):
        raise AssertionError("the API must not build a PersonForm")

    monkeypatch.setattr(forms.PersonForm, "__init__", refuse)
    response = create_by_api(api_client("guojia_women"), org("郭家村妇联").pk, UNREGISTERED_ID)
    assert response.status_code == 201
    bad = create_by_api(api_client("guojia_women"), org("郭家村妇联").pk, "110105194912310021")
    assert bad.json()["errors"] == {"id_number": ["身份证号码校验位错误"]}
