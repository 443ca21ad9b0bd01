"""Z-01 / Z-02 over every womenshome route: another village's (or county's) record is a 404 for
reading and for writing, and a refused write changes nothing. A new route with an object in its
URL fails here until it is added to OBJECT_ROUTES."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongjian.kernel.models import AuditEvent, Person
from gongjian.kernel.permissions import can
from gongjian.womenshome.models import (
    Activity,
    ActivityPhoto,
    Attendance,
    Honour,
    SignIn,
    SitePhoto,
    Team,
    TeamMember,
    WomensHome,
)

pytestmark = pytest.mark.django_db

# URL name -> how to fill its parameters from 小留村's records.
OBJECT_ROUTES = {
    "site-detail": lambda x: {"pk": x["site"].pk},
    "site-edit": lambda x: {"pk": x["site"].pk},
    "site-photo-add": lambda x: {"pk": x["site"].pk},
    "site-photo-delete": lambda x: {"pk": x["site"].pk, "photo_id": x["site_photo"].pk},
    "photo": lambda x: {"token": x["photo"].file.token},
    "team-detail": lambda x: {"pk": x["team"].pk},
    "team-edit": lambda x: {"pk": x["team"].pk},
    "team-member-add": lambda x: {"pk": x["team"].pk},
    "team-member-remove": lambda x: {"pk": x["team"].pk, "member_id": x["member"].pk},
    "activity-detail": lambda x: {"pk": x["activity"].pk},
    "activity-edit": lambda x: {"pk": x["activity"].pk},
    "activity-photo-add": lambda x: {"pk": x["activity"].pk},
    "activity-photo-visibility": lambda x: {"pk": x["activity"].pk, "photo_id": x["photo"].pk},
    "activity-photo-delete": lambda x: {"pk": x["activity"].pk, "photo_id": x["photo"].pk},
    "attendance-search": lambda x: {"pk": x["activity"].pk},
    "attendance-add": lambda x: {"pk": x["activity"].pk},
    "attendance-remove": lambda x: {"pk": x["activity"].pk, "attendance_id": x["attendance"].pk},
    "attendance-import": lambda x: {"pk": x["activity"].pk},
    "signin": lambda x: {"pk": x["activity"].pk},
    "signin-code": lambda x: {"pk": x["activity"].pk},
    "signin-close": lambda x: {"pk": x["activity"].pk},
    "signin-status": lambda x: {"pk": x["activity"].pk},
    "signin-confirm-all": lambda x: {"pk": x["activity"].pk},
    "signin-review": lambda x: {"pk": x["activity"].pk, "signin_id": x["signin"].pk},
    "signin-confirm": lambda x: {"pk": x["activity"].pk, "signin_id": x["signin"].pk},
    "honour-detail": lambda x: {"pk": x["honour"].pk},
    "honour-review": lambda x: {"pk": x["honour"].pk},
    "honour-decide": lambda x: {"pk": x["honour"].pk},
    "honour-withdraw": lambda x: {"pk": x["honour"].pk},
    "honour-answer": lambda x: {"pk": x["honour"].pk, "objection_id": x["objection"].pk},
}
# Routes with a parameter that is not a record (checked elsewhere).
NOT_OBJECTS = {"import-template", "export"}


def womenshome_patterns() -> list[URLPattern]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and getattr(entry, "namespace", None) == "womenshome":
            return list(entry.url_patterns)
    raise AssertionError("womenshome URLs not mounted")


def object_urls(xiaoliu: dict[str, Any]) -> list[tuple[str, str]]:
    """(url, permission the view declares) for every route that names a record."""
    urls = []
    for pattern in womenshome_patterns():
        if not pattern.pattern.converters:
            continue
        if pattern.name in NOT_OBJECTS:
            continue
        assert pattern.name in OBJECT_ROUTES, f"classify the new route {pattern.name!r} in OBJECT_ROUTES"
        url = reverse(f"womenshome:{pattern.name}", kwargs=OBJECT_ROUTES[pattern.name](xiaoliu))
        urls.append((url, pattern.callback.required_permission))
    return urls


def expected(user: Any, permission: str) -> set[int]:
    """404 when she may do this kind of thing at all (the record is not hers), else 403."""
    return {404, 405} if can(user, permission) else {403, 405}


def state(xiaoliu: dict[str, Any]) -> tuple[Any, ...]:
    activity = Activity.objects.get(pk=xiaoliu["activity"].pk)
    return (
        activity.title, activity.signin_epoch, WomensHome.objects.get(pk=xiaoliu["site"].pk).name,
        Team.objects.get(pk=xiaoliu["team"].pk).name, TeamMember.objects.filter(team=xiaoliu["team"]).count(),
        Attendance.objects.filter(activity=activity).count(), ActivityPhoto.objects.filter(is_public=True).count(),
        ActivityPhoto.objects.count(), SitePhoto.objects.count(),
        SignIn.objects.get(pk=xiaoliu["signin"].pk).state, Honour.objects.get(pk=xiaoliu["honour"].pk).state,
        Person.objects.count(), AuditEvent.objects.filter(result="success").count(),
    )


@pytest.mark.parametrize("username", ["guojia_women", "lingsha_fed"])
def test_another_village_or_county_gets_404_on_every_xiaoliu_record(login, acting, xiaoliu, username):
    client, user = login(username), acting(username)
    for url, permission in object_urls(xiaoliu):
        status = client.get(url).status_code
        assert status in expected(user, permission), f"GET {url} -> {status}"


@pytest.mark.parametrize("username", ["guojia_women", "lingsha_fed"])
def test_writes_to_another_villages_records_are_404_and_change_nothing(login, acting, xiaoliu, username, org):
    client, user = login(username), acting(username)
    before = state(xiaoliu)
    person = xiaoliu["people"][2]
    payload = {"title": "改名", "name": "改名", "person": person.pk, "decision": "approve", "days": 7,
               "reply": "答复", "upheld": "0", "is_public": "1", "action": "register", "role": "member",
               "organization": org("郭家村妇联").pk, "kind": "agri_training", "date": "2026-11-20",
               "attendance_mode": "person"}
    for url, permission in object_urls(xiaoliu):
        status = client.post(url, payload).status_code
        assert status in expected(user, permission) - {405}, f"POST {url} -> {status}"
    assert state(xiaoliu) == before


def test_the_party_line_is_refused_before_any_lookup(login, xiaoliu):
    client = login("taihua_party")
    for url, _permission in object_urls(xiaoliu):
        assert client.get(url).status_code in (403, 405), url


def test_filters_naming_another_villages_organisation_are_404(login, org, xiaoliu):
    client = login("guojia_women")
    xiaoliu_org = org("小留村妇联").pk
    for url in ("/work/womenshome/figures/", "/work/womenshome/coverage/", "/work/womenshome/activities/",
                "/work/womenshome/attendance/", "/work/womenshome/trained/", "/work/womenshome/sites/"):
        assert client.get(url, {"org": xiaoliu_org}).status_code == 404, url
    assert client.get("/work/womenshome/figures/", {"site": xiaoliu["site"].pk}).status_code == 404


@pytest.mark.parametrize("query", ["activity", "team", "org", "site"])
def test_exports_of_another_villages_records_are_404(login, xiaoliu, org, query):
    value = {"activity": xiaoliu["activity"].pk, "team": xiaoliu["team"].pk, "org": org("小留村妇联").pk,
             "site": xiaoliu["site"].pk}[query]
    table = {"activity": "attendance", "team": "team-members", "org": "figures", "site": "activities"}[query]
    assert login("guojia_women").get(f"/work/womenshome/export/{table}.xlsx", {query: value}).status_code == 404


def test_an_activity_cannot_be_put_at_another_villages_site_or_team(login, org, xiaoliu):
    """Z-02: hidden ids in a form are re-checked against scope."""
    client = login("guojia_women")
    before = Activity.objects.count()
    response = client.post("/work/womenshome/activities/new/", {
        "organization": org("郭家村妇联").pk, "kind": "agri_training", "title": "借用别村阵地",
        "date": "2026-11-20", "site": xiaoliu["site"].pk, "team": xiaoliu["team"].pk, "hours": "2",
        "attendance_mode": "person"})
    assert response.status_code == 400
    assert "请选择您管辖范围内的妇女之家" in response.content.decode()
    assert Activity.objects.count() == before


def test_someone_of_another_village_cannot_be_added_to_an_activity(login, org, xiaoliu):
    guojia_person = Person.objects.filter(organization__name="郭家村妇联").first()
    response = login("xiaoliu_women").post(
        f"/work/womenshome/activities/{xiaoliu['activity'].pk}/attendance/", {"person": guojia_person.pk})
    assert response.status_code == 404
    assert not Attendance.objects.filter(activity=xiaoliu["activity"], person=guojia_person).exists()


def test_the_api_scopes_lists_and_objects(api_client, xiaoliu):
    client = api_client("guojia_women")
    ids = {a["id"] for a in client.get("/api/v1/activities", {"per_page": 100}).json()}
    assert xiaoliu["activity"].pk not in ids
    assert client.get(f"/api/v1/sites/{xiaoliu['site'].pk}").status_code == 404
    assert client.get(f"/api/v1/teams/{xiaoliu['team'].pk}").status_code == 404
    assert client.get(f"/api/v1/honours/{xiaoliu['honour'].pk}").status_code == 404
