"""What every workspace page repeats (issue 12 §7): the menu is asked of the policy once per account
stamp, acting position, admin role and language, and is never shown stale — a position, a grant,
a switch of position or of language shows on the next page. And the people list of a small scope
walks its organisations' indexes, not the whole table."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from gongjian.kernel import access, navigation, principal, selectors, services
from gongjian.kernel.context import Acting
from gongjian.kernel.models import Grant, Organization, Person, Position, User

pytestmark = pytest.mark.django_db

SUPPORT = "维权与关爱"  # support.view: a federation's staff
SUGGESTIONS = "意见箱"  # disclosure.view_suggestion: a party organisation's staff


def _menu(client) -> list[str]:
    page = client.get("/work/")
    assert page.status_code == 200
    return [item["label"] for item in page.context["nav_items"]]


def _signed_in(username: str) -> User:
    """The account as a request loads her (kernel.principal), acting in her first position."""
    user = principal.load(User.objects.get(username=username).pk)
    assert user is not None and user.principal_positions
    user.positions = list(user.principal_positions)
    user.acting = Acting(user.positions[0])
    return user


def test_the_menu_is_asked_of_the_policy_once_while_nothing_changes(login, monkeypatch):
    client = login("taihua_fed")
    first = _menu(client)
    asked = []
    original = navigation._compute
    monkeypatch.setattr(navigation, "_compute", lambda user: asked.append(user) or original(user))
    assert _menu(client) == first
    assert _menu(client) == first
    assert asked == []


def test_a_new_position_and_the_switch_to_it_show_in_the_menu_at_once(login, acting):
    client = login("taihua_fed")
    menu = _menu(client)
    assert SUPPORT in menu and SUGGESTIONS not in menu
    branch = Organization.objects.filter(kind=Organization.Kind.PARTY_BRANCH).order_by("path").first()
    person = User.objects.get(username="taihua_fed").person
    position = Position.objects.create(person=person, organization=branch, title="支部委员",
                                       role=Position.Role.STAFF)
    page = client.get("/work/")
    assert f'<option value="{position.pk}"' in page.content.decode()  # the switcher offers it
    assert client.post("/work/switch/", {"position": position.pk}).status_code == 302
    menu = _menu(client)
    assert SUGGESTIONS in menu and SUPPORT not in menu
    # Ending the position takes her back, and the menu with her.
    position.end_date = timezone.localdate() - timedelta(days=1)
    position.save()
    menu = _menu(client)
    assert SUPPORT in menu and SUGGESTIONS not in menu


def test_a_grant_shows_in_the_menu_and_a_revoked_one_leaves_it(login, acting, org):
    client = login("xiaoliu_women")
    assert SUGGESTIONS not in _menu(client)
    account = User.objects.get(username="xiaoliu_women")
    grant = services.grant_create(actor=acting("secadmin"), account=account,
                                  permission="disclosure.view_suggestion", organization=org("小留村妇联"),
                                  reason="协助处理群众意见", days=7)
    assert SUGGESTIONS in _menu(client)
    services.grant_revoke(actor=acting("secadmin"), grant=grant)
    assert SUGGESTIONS not in _menu(client)


def test_a_grant_that_lapses_leaves_the_kept_menu(acting, org):
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        Grant.objects.create(user=User.objects.get(username="xiaoliu_women"),
                             permission="disclosure.view_suggestion", organization=org("小留村妇联"),
                             reason="协助处理群众意见", granted_by=acting("secadmin"),
                             expires_at=timezone.now() + timedelta(hours=1))
        user = _signed_in("xiaoliu_women")
        assert SUGGESTIONS in [i["label"] for i in navigation.items_for(user)]
    # Nothing in the database changed, the account's stamp neither: the grant's own end ends it.
    with time_machine.travel("2026-12-01 10:01 +0800", tick=False):
        assert SUGGESTIONS not in [i["label"] for i in navigation.items_for(user)]


def test_the_menu_follows_the_language(login):
    client = login("taihua_fed")
    assert "人员" in _menu(client)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/work/"})
    assert response.status_code == 302
    english = _menu(client)
    assert "People" in english and "人员" not in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/work/"})
    assert "人员" in _menu(client)


def test_an_account_not_loaded_this_request_is_never_served_a_kept_menu(acting):
    # A user object built outside a request has no fresh stamp: its menu is worked out each time.
    user = acting("taihua_fed")
    assert navigation._key(user) is None
    assert navigation.items_for(user) == navigation._compute(user)


def _village_lead() -> User:
    user = _signed_in("xiaoliu_women")
    assert user.acting is not None and user.acting.organization.kind == Organization.Kind.VILLAGE_FEDERATION
    return user


def test_a_village_list_holds_the_same_people_as_its_reach(org):
    user = _village_lead()
    village = user.acting.organization
    listed = set(selectors.person_list_visible_to(user=user).values_list("pk", flat=True))
    reach = set(access.visible(user, Person.objects.all()).values_list("pk", flat=True))
    assert listed == reach and listed
    assert set(Person.objects.filter(organization=village).values_list("pk", flat=True)) <= listed


@pytest.mark.sqlite_only  # SQLite's plan text
def test_a_village_list_does_not_read_the_whole_people_table():
    user = _village_lead()
    qs = selectors.person_list_visible_to(user=user)[:21]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SCAN kernel_person" not in plan, plan
    assert "person_org_name" in plan, plan


def test_the_kept_header_carries_each_pages_own_working_csrf_token(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="taihua_fed"))
    tokens = []
    for _ in range(2):
        page = client.get("/work/people/").content.decode()
        header = page[page.index("<nav"):page.index("<main")]
        assert navigation.CSRF_STAND_IN not in page
        tokens.append(header.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
        assert 'class="nav-link active" href="/work/people/"' in header  # this page's entry is lit
    assert tokens[0] != tokens[1]  # the header is kept, the token is each page's own
    response = client.post("/work/logout/", {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302  # accepted (a stale or stand-in token would be a 403)


def test_a_renamed_cadre_sees_her_new_name_in_the_kept_header(login):
    client = login("taihua_fed")
    person = User.objects.get(username="taihua_fed").person
    assert f"（{person.name}）" in client.get("/work/").content.decode()
    person.name = "王新名"
    person.save()
    assert "（王新名）" in client.get("/work/").content.decode()
