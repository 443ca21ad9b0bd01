"""A form never clears what it does not show: re-saving a person unchanged, as a browser would
post the page, changes no field for any role; a role that may not change her changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from gongjian.kernel.models import AuditEvent, Person, User
from gongjian.kernel.people import PERSON_FIELDS

pytestmark = pytest.mark.django_db

#: Who re-saves whom: for each role that may change people, someone in her reach with every
#: field filled, including those she cannot choose (another line's party organisation, a
#: township instead of a village as home).
EDITORS = {
    "huayin_fed": {"organization__name": "小留村妇联", "party_organization__isnull": False},
    "taihua_fed": {"organization__name": "郭家村妇联", "party_organization__isnull": False},
    "lingsha_fed": {"organization__name": "灵沙村妇联", "party_organization__isnull": False},
    "xiaoliu_women": {"organization__name": "小留村妇联", "party_organization__isnull": False,
                      "user__isnull": True},
    "guojia_women": {"organization__name": "郭家村妇联", "party_organization__isnull": False},
    "taihua_party": {"name": "薛玉兰"},
    # The 悄悄话 line volunteer: staff of 灵沙乡妇联, she keeps its roster like any staff member.
    "lingsha_line": {"organization__name": "灵沙村妇联", "party_organization__isnull": False},
}
#: Roles that may not change these people: the branch sees its members but they are registered
#: with the village federation; the admin roles have no workspace (every admin-role account is
#: walked by the test below, whatever its name).
NOT_EDITORS = {
    "xiaoliu_branch": {"organization__name": "小留村妇联", "party_organization__name": "中共小留村支部委员会",
                       "user__isnull": True},
    "auditor": {"organization__name": "郭家村妇联"},
    "secadmin": {"organization__name": "郭家村妇联"},
    "sysadmin": {"organization__name": "郭家村妇联"},
}


def browser_post(form: forms.BaseForm) -> dict[str, str]:
    """What a browser sends back for the page as rendered: a select whose value is not among its
    options sends its first option."""
    data: dict[str, str] = {}
    for bound in form:
        value = bound.value()
        value = "" if value is None else str(value)
        if isinstance(bound.field, forms.ChoiceField):
            options = [str(v) for v, _label in bound.field.choices]
            if value not in options:
                value = options[0] if options else ""
        data[bound.name] = value
    return data


def stored(person: Person) -> dict[str, Any]:
    person = Person.objects.get(pk=person.pk)
    return {name: getattr(person, f"{name}_id" if name in ("organization", "home_region", "party_organization")
                          else name) for name in PERSON_FIELDS}


def test_every_role_is_covered():
    admins = set(User.objects.exclude(admin_role="").values_list("username", flat=True))
    assert set(EDITORS) | set(NOT_EDITORS) | admins == set(User.objects.values_list("username", flat=True))


def test_no_admin_role_account_changes_a_person(login):
    person = Person.objects.filter(organization__name="郭家村妇联").order_by("id").first()
    before = stored(person)
    for username in User.objects.exclude(admin_role="").values_list("username", flat=True):
        response = login(username).post(f"/work/people/{person.pk}/edit/", {"name": "改名", "organization": ""})
        assert response.status_code in (403, 404), username
    assert stored(person) == before


@pytest.mark.parametrize("field", PERSON_FIELDS)
@pytest.mark.parametrize("username", sorted(EDITORS))
def test_re_saving_a_person_unchanged_keeps_every_field(login, username, field):
    person = Person.objects.filter(**EDITORS[username]).order_by("id").first()
    assert person is not None and person.party_organization_id and person.home_region_id and person.id_number
    before = stored(person)
    client = login(username)
    page = client.get(f"/work/people/{person.pk}/edit/")
    assert page.status_code == 200
    response = client.post(f"/work/people/{person.pk}/edit/", browser_post(page.context["form"]))
    assert response.status_code == 302, page.context["form"].errors
    assert stored(person)[field] == before[field]
    assert not AuditEvent.objects.filter(event="kernel.person.updated", object_id=str(person.pk)).exists()


@pytest.mark.parametrize("username", sorted(NOT_EDITORS))
def test_a_role_that_may_not_change_the_person_changes_nothing(login, username):
    person = Person.objects.filter(**NOT_EDITORS[username]).order_by("id").first()
    before = stored(person)
    data = {name: ("" if value is None else str(value)) for name, value in before.items()}
    data.update(name="改名", political_status="masses", party_organization="")
    response = login(username).post(f"/work/people/{person.pk}/edit/", data)
    assert response.status_code in (403, 404)
    assert stored(person) == before


def test_a_federation_chair_who_re_saves_a_party_member_leaves_her_party_access_alone(login, org):
    from gongjian.disclosure.selectors import party_member_of

    director = User.objects.get(username="xiaoliu_women")
    branch = org("中共小留村支部委员会")
    assert party_member_of(director, branch)
    client = login("taihua_fed")
    url = f"/work/people/{director.person_id}/edit/"
    page = client.get(url)
    assert "中共小留村支部委员会" in page.content.decode()  # shown, not offered
    assert client.post(url, browser_post(page.context["form"])).status_code == 302
    director.refresh_from_db()
    assert director.person.party_organization == branch and party_member_of(director, branch)


def test_a_change_by_a_federation_chair_records_only_what_she_changed(login):
    person = Person.objects.filter(organization__name="郭家村妇联", party_organization__isnull=False).first()
    client = login("taihua_fed")
    url = f"/work/people/{person.pk}/edit/"
    data = browser_post(client.get(url).context["form"])
    data["name"] = "郭新名"
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(event="kernel.person.updated", object_id=str(person.pk))
    assert list(event.changes) == ["name"]
