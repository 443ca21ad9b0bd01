"""Every kernel permission walked over every role (docs/permissions.md is this table)."""

from __future__ import annotations

import pytest

from gongjian.kernel.models import Person
from gongjian.kernel.permissions import can

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "taihua_party", "xiaoliu_women", "guojia_women", "xiaoliu_branch",
         "lingsha_fed", "auditor", "secadmin", "sysadmin"]

# permission -> the demo accounts that hold it for a person of 小留村 (object-level).
ON_XIAOLIU_PERSON = {
    "kernel.view_person": {"huayin_fed", "taihua_fed", "xiaoliu_women"},
    "kernel.change_person": {"huayin_fed", "taihua_fed", "xiaoliu_women"},
    "kernel.reveal_pii": {"huayin_fed", "taihua_fed", "xiaoliu_women"},
}
# permission -> accounts that hold it without an object.
GLOBAL = {
    "kernel.use_workspace": {"huayin_fed", "taihua_fed", "taihua_party", "xiaoliu_women", "guojia_women",
                             "xiaoliu_branch", "lingsha_fed"},
    "kernel.import_people": {"huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women", "lingsha_fed"},
    "kernel.view_audit": {"auditor"},
    "kernel.manage_accounts": {"secadmin"},
    "kernel.manage_system": {"sysadmin"},
    "kernel.use_console": {"auditor", "secadmin", "sysadmin"},
}


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU_PERSON))
def test_object_permissions_on_a_xiaoliu_resident(acting, username, permission):
    person = Person.objects.filter(organization__name="小留村妇联", party_organization__isnull=True).first()
    assert can(acting(username), permission, person) == (username in ON_XIAOLIU_PERSON[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
def test_only_the_auditor_opens_the_audit_viewer(login, username):
    status = login(username).get("/work/console/audit/").status_code
    assert status == (200 if username == "auditor" else 403)


@pytest.mark.parametrize("username", ROLES)
def test_only_the_security_admin_manages_accounts(login, username):
    status = login(username).get("/work/console/accounts/").status_code
    assert status == (200 if username == "secadmin" else 403)


def test_a_denied_attempt_is_audited(login):
    from gongjian.kernel.models import AuditEvent

    login("guojia_women").get("/work/console/audit/")
    assert AuditEvent.objects.filter(event="kernel.access.denied", actor_username="guojia_women").exists()


def test_security_admin_cannot_change_her_own_role(login, account):
    me = account("secadmin")
    login("secadmin").post(f"/work/console/accounts/{me.pk}/", {"action": "role", "role": "auditor"})
    me.refresh_from_db()
    assert me.admin_role == "security"


def test_security_admin_can_unlock_an_account(login, account, demo_password):
    from django.test import Client

    for _ in range(6):
        Client().post("/work/login/", {"username": "guojia_women", "password": "bad"})
    assert Client().post("/work/login/", {"username": "guojia_women", "password": demo_password}).status_code == 429
    login("secadmin").post(f"/work/console/accounts/{account('guojia_women').pk}/", {"action": "unlock"})
    assert Client().post("/work/login/", {"username": "guojia_women", "password": demo_password}).status_code == 302


def test_a_superuser_flag_does_not_open_the_audit_viewer(login, account):
    from gongjian.kernel.models import User

    User.objects.filter(username="sysadmin").update(is_superuser=True, is_staff=True)
    assert login("sysadmin").get("/work/console/audit/").status_code == 403


def test_switching_to_an_organisation_where_she_holds_no_position_is_refused(login, org):
    client = login("guojia_women")
    client.post("/work/switch/", {"position": "999999"})
    assert client.get(f"/work/organizations/{org('小留村妇联').pk}/").status_code == 404


def test_a_person_with_two_positions_switches_between_them(login, org):
    from gongjian.kernel.models import Position

    client = login("taihua_party")
    group_position = Position.objects.get(person__user__username="taihua_party", organization__name__contains="领导小组")
    client.post("/work/switch/", {"position": str(group_position.pk)})
    page = client.get("/work/").content.decode()
    assert "太华路街道党务公开工作领导小组" in page
    # The leading group's subtree does not hold the village branches.
    assert client.get(f"/work/organizations/{org('中共小留村支部委员会').pk}/").status_code == 404
