"""Z-01: another subtree's object is a 404, by page and by API; lists hold only the subtree."""

import pytest

from gongjian.kernel.models import Person

pytestmark = pytest.mark.django_db


def person_of(org_name: str) -> Person:
    return Person.objects.filter(organization__name=org_name).order_by("id").first()


def test_village_director_cannot_see_other_village_person_page(login):
    xiaoliu_person = person_of("小留村妇联")
    assert login("guojia_women").get(f"/work/people/{xiaoliu_person.pk}/").status_code == 404


def test_village_director_sees_own_village_person_page(login):
    guojia_person = person_of("郭家村妇联")
    assert login("guojia_women").get(f"/work/people/{guojia_person.pk}/").status_code == 200


def test_village_director_cannot_see_other_village_person_by_api(api_client):
    xiaoliu_person = person_of("小留村妇联")
    response = api_client("guojia_women").get(f"/api/v1/people/{xiaoliu_person.pk}")
    assert response.status_code == 404
    assert "小留" not in response.content.decode()


def test_village_director_cannot_edit_other_village_person(login):
    xiaoliu_person = person_of("小留村妇联")
    client = login("guojia_women")
    assert client.get(f"/work/people/{xiaoliu_person.pk}/edit/").status_code == 404
    response = client.post(f"/work/people/{xiaoliu_person.pk}/edit/", {"name": "改名"})
    assert response.status_code == 404
    xiaoliu_person.refresh_from_db()
    assert xiaoliu_person.name != "改名"


def test_township_chair_sees_all_her_villages_but_not_the_parent_or_siblings(login, org):
    client = login("taihua_fed")
    assert client.get(f"/work/people/{person_of('小留村妇联').pk}/").status_code == 200
    assert client.get(f"/work/people/{person_of('郭家村妇联').pk}/").status_code == 200
    assert client.get(f"/work/people/{person_of('罗敷村妇联').pk}/").status_code == 404
    assert client.get(f"/work/organizations/{org('华阴市妇联').pk}/").status_code == 404
    assert client.get(f"/work/organizations/{org('灵沙乡妇联').pk}/").status_code == 404


def test_person_list_holds_only_the_subtree(login):
    body = login("guojia_women").get("/work/people/?per_page=100").content.decode()
    assert "郭家村妇联" in body
    assert "小留村妇联" not in body


def test_organization_filter_outside_scope_is_404(login, org):
    response = login("guojia_women").get(f"/work/people/?org={org('小留村妇联').pk}")
    assert response.status_code == 404


def test_api_organization_list_is_the_subtree(api_client):
    names = {o["name"] for o in api_client("taihua_fed").get("/api/v1/organizations").json()}
    assert "太华路街道妇联" in names and "小留村妇联" in names
    assert "华阴市妇联" not in names and "灵沙乡妇联" not in names and "罗敷镇妇联" not in names


def test_party_branch_secretary_sees_her_party_members_not_the_whole_village(login):
    client = login("xiaoliu_branch")
    member = Person.objects.filter(party_organization__name="中共小留村支部委员会").first()
    non_member = Person.objects.filter(organization__name="小留村妇联", party_organization__isnull=True).first()
    assert client.get(f"/work/people/{member.pk}/").status_code == 200
    assert client.get(f"/work/people/{non_member.pk}/").status_code == 404


def test_garbage_ids_are_404_not_500(login):
    client = login("taihua_fed")
    assert client.get("/work/people/99999999/").status_code == 404
    assert client.get("/work/organizations/0/").status_code == 404
