"""Separation of duties (Z-06, ADR 0025): an account works in organisations or holds an admin role,
never both; admin roles change only when a second security admin confirms."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongjian.kernel import services
from gongjian.kernel.context import Acting
from gongjian.kernel.models import AdminRoleRequest, AuditEvent, Person, Position, User
from gongjian.kernel.permissions import can

pytestmark = pytest.mark.django_db

ADMIN_ROLES = ("auditor", "system", "security")


def resident(name: str = "小留村妇联") -> Person:
    """A villager with no position and no account yet."""
    return Person.objects.filter(organization__name=name, positions__isnull=True, user__isnull=True).first()


def admin_account(username: str, role: str, *, person: Person | None = None) -> User:
    return User.objects.create(username=username, admin_role=role, person=person)


def ask(account: User, role: str, *, by: str = "secadmin") -> AdminRoleRequest:
    return services.admin_role_request_create(actor=User.objects.get(username=by), account=account,
                                              role=role, reason="岗位调整")


def confirm(request: AdminRoleRequest, *, by: str = "secadmin2") -> User:
    return services.admin_role_request_confirm(actor=User.objects.get(username=by), request=request)


def give_position(person: Person) -> Position:
    position = Position(person=person, organization=person.organization, title="妇联执委",
                        role=Position.Role.STAFF)
    position.full_clean()  # what the Django admin's form runs
    position.save()
    return position


# --- the case --------------------------------------------------------------------------

def test_secadmin_cannot_make_xiaoliu_women_an_auditor(account):
    with pytest.raises(ValidationError, match="担任职务"):
        ask(account("xiaoliu_women"), "auditor")
    assert account("xiaoliu_women").admin_role == ""
    assert not AdminRoleRequest.objects.filter(account=account("xiaoliu_women")).exists()


def test_the_console_page_refuses_to_make_xiaoliu_women_an_auditor(login, account):
    target = account("xiaoliu_women")
    response = login("secadmin").post(f"/work/console/accounts/{target.pk}/",
                                      {"action": "role", "role": "auditor", "reason": "协助审计"}, follow=True)
    assert "担任职务" in response.content.decode()
    assert account("xiaoliu_women").admin_role == ""
    # And so she still cannot read the audit log.
    assert login("xiaoliu_women").get("/work/console/audit/").status_code == 403


# --- every pair: (what is given, what the account already holds) -------------------------------

HOLDING = ("position", *ADMIN_ROLES)


@pytest.fixture
def holder(org):
    """An account holding `what`, linked to a villager so a position could be given too."""

    def make(what: str) -> User:
        person = resident()
        if what == "position":
            give_position(person)
            return User.objects.create(username="holder", person=person)
        return admin_account("holder", what, person=person)

    return make


@pytest.mark.parametrize("holding", HOLDING)
@pytest.mark.parametrize("given", ADMIN_ROLES)
def test_an_admin_role_is_given_only_to_an_account_without_a_position(holder, given, holding):
    account = holder(holding)
    if holding == "position":
        with pytest.raises(ValidationError, match="担任职务"):
            ask(account, given)
    elif holding == given:
        with pytest.raises(ValidationError, match="已是此管理角色"):
            ask(account, given)
    else:
        # One admin role for another: allowed, once a second security admin confirms.
        request = ask(account, given)
        account.refresh_from_db()
        assert account.admin_role == holding
        confirm(request)
        account.refresh_from_db()
        assert account.admin_role == given


def test_the_django_admin_refuses_a_position_for_an_auditors_person(client, org, settings):
    person = resident()
    admin_account("auditor_with_person", "auditor", person=person)
    superuser = User.objects.create_superuser(username="operator", password="x-Operator-2026!")
    client.force_login(superuser)
    response = client.post(f"/{settings.GONGJIAN_ADMIN_PATH}kernel/position/add/", {
        "person": person.pk, "organization": org("小留村妇联").pk, "title": "妇联执委", "role": "staff",
        "sort_order": 100, "start_date": "2026-12-01"})
    assert response.status_code == 200  # the form again, with the error
    assert "三权分立" in response.content.decode()
    assert not person.positions.exists()


def test_the_position_form_without_a_person_reports_the_field_not_a_crash(org):
    with pytest.raises(ValidationError) as caught:
        Position(organization=org("小留村妇联"), title="妇联执委", role=Position.Role.STAFF).full_clean()
    assert "person" in caught.value.message_dict


@pytest.mark.parametrize("holding", HOLDING)
def test_a_position_is_given_only_to_an_account_without_an_admin_role(holder, holding):
    account = holder(holding)
    if holding == "position":
        give_position(account.person)
        assert account.person.positions.count() == 2
    else:
        with pytest.raises(ValidationError, match="管理角色"):
            give_position(account.person)
        assert not account.person.positions.exists()


# --- two security admins -----------------------------------------------------------------------

def test_a_request_changes_nothing_until_a_second_security_admin_confirms(account):
    newcomer = admin_account("newcomer", "")
    request = ask(newcomer, "auditor")
    newcomer.refresh_from_db()
    assert newcomer.admin_role == ""
    assert not can(newcomer, "kernel.view_audit")
    confirm(request, by="secadmin2")
    newcomer.refresh_from_db()
    assert newcomer.admin_role == "auditor"
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (AdminRoleRequest.State.CONFIRMED, account("secadmin2"))


def test_secadmin_cannot_confirm_her_own_request():
    request = ask(admin_account("newcomer", ""), "security")
    with pytest.raises(ValidationError, match="另一名安全管理员"):
        confirm(request, by="secadmin")
    assert User.objects.get(username="newcomer").admin_role == ""


def test_secadmin_cannot_make_another_account_a_security_admin_on_her_own(login):
    newcomer = admin_account("newcomer", "")
    client = login("secadmin")
    client.post(f"/work/console/accounts/{newcomer.pk}/", {"action": "role", "role": "security", "reason": "增补"})
    request = AdminRoleRequest.objects.get(account=newcomer)
    client.post(f"/work/console/role-requests/{request.pk}/", {"action": "confirm"})
    newcomer.refresh_from_db()
    assert newcomer.admin_role == ""
    login("secadmin2").post(f"/work/console/role-requests/{request.pk}/", {"action": "confirm"})
    newcomer.refresh_from_db()
    assert newcomer.admin_role == "security"


def test_a_security_admin_cannot_decide_a_request_about_her_own_account():
    request = ask(User.objects.get(username="secadmin2"), "", by="secadmin")
    with pytest.raises(ValidationError, match="自己账户"):
        confirm(request, by="secadmin2")
    with pytest.raises(ValidationError, match="自己账户"):
        services.admin_role_request_reject(actor=User.objects.get(username="secadmin2"), request=request)


def test_nobody_asks_to_change_her_own_role(account):
    with pytest.raises(ValidationError, match="自己的管理角色"):
        ask(account("secadmin"), "auditor", by="secadmin")


def test_only_a_security_admin_asks_or_confirms(account):
    from django.core.exceptions import PermissionDenied

    newcomer = admin_account("newcomer", "")
    with pytest.raises(PermissionDenied):
        ask(newcomer, "auditor", by="sysadmin")
    request = ask(newcomer, "auditor")
    with pytest.raises(PermissionDenied):
        confirm(request, by="auditor")


def test_one_open_request_per_account():
    newcomer = admin_account("newcomer", "")
    ask(newcomer, "auditor")
    with pytest.raises(ValidationError, match="待确认"):
        ask(newcomer, "system", by="secadmin2")


def test_a_request_expires_after_three_days_and_the_expiry_is_audited():
    newcomer = admin_account("newcomer", "")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request = ask(newcomer, "auditor")
        traveller.shift(timedelta(days=3, minutes=1))
        with pytest.raises(ValidationError, match="过期"):
            confirm(request)
        request.refresh_from_db()
        assert request.state == AdminRoleRequest.State.EXPIRED
        assert AuditEvent.objects.filter(event="kernel.admin_role_request.expired",
                                         object_id=str(request.pk)).exists()
        newcomer.refresh_from_db()
        assert newcomer.admin_role == ""
        # A fresh request may then be made.
        assert ask(newcomer, "auditor").is_open()


def test_a_position_taken_up_while_the_request_waits_stops_the_confirmation():
    person = resident()
    newcomer = User.objects.create(username="newcomer", person=person)
    request = ask(newcomer, "auditor")
    give_position(person)
    with pytest.raises(ValidationError, match="担任职务"):
        confirm(request)
    newcomer.refresh_from_db()
    assert newcomer.admin_role == ""


def test_a_second_security_admin_rejects_and_the_requester_withdraws():
    first = ask(admin_account("newcomer", ""), "auditor")
    services.admin_role_request_reject(actor=User.objects.get(username="secadmin2"), request=first)
    first.refresh_from_db()
    assert first.state == AdminRoleRequest.State.REJECTED
    second = ask(User.objects.get(username="newcomer"), "system")
    services.admin_role_request_reject(actor=User.objects.get(username="secadmin"), request=second)
    second.refresh_from_db()
    assert second.state == AdminRoleRequest.State.WITHDRAWN
    assert User.objects.get(username="newcomer").admin_role == ""
    with pytest.raises(ValidationError, match="已处理"):
        confirm(second)


def test_every_step_is_audited_with_who_asked_and_who_confirmed():
    newcomer = admin_account("newcomer", "")
    request = ask(newcomer, "auditor")
    confirm(request)
    events = dict(AuditEvent.objects.filter(object_id__in=[str(request.pk), str(newcomer.pk)],
                                            event__startswith="kernel.a").values_list("event", "actor_username"))
    assert events["kernel.admin_role_request.created"] == "secadmin"
    assert events["kernel.admin_role_request.confirmed"] == "secadmin2"
    assert events["kernel.account.role_changed"] == "secadmin2"
    changed = AuditEvent.objects.get(event="kernel.account.role_changed", object_id=str(newcomer.pk))
    assert changed.changes["admin_role"] == ["", "auditor"]
    assert changed.changes["requested_by"] == "secadmin"


def test_the_console_shows_pending_requests_to_both_security_admins(login):
    newcomer = admin_account("newcomer", "")
    ask(newcomer, "auditor")
    mine = login("secadmin").get("/work/console/accounts/").content.decode()
    theirs = login("secadmin2").get("/work/console/accounts/").content.decode()
    assert "newcomer" in mine and "撤回" in mine and 'value="confirm"' not in mine
    assert "newcomer" in theirs and 'value="confirm"' in theirs


# --- an admin-role account never acts in the workspace ----------------------------------------

@pytest.fixture
def xiaoliu_made_auditor_behind_our_back(account):
    """The data say xiaoliu_women holds a position *and* the auditor role (e.g. an old row)."""
    User.objects.filter(username="xiaoliu_women").update(admin_role="auditor")
    return account("xiaoliu_women")


def test_an_admin_role_account_with_a_position_still_cannot_read_people(login, xiaoliu_made_auditor_behind_our_back):
    client = login("xiaoliu_women")
    assert client.get("/work/people/").status_code == 403
    assert client.get("/work/").status_code == 302


def test_an_admin_role_account_acts_in_no_position_even_if_one_is_set(xiaoliu_made_auditor_behind_our_back):
    user = xiaoliu_made_auditor_behind_our_back
    assert not user.current_positions().exists()
    user.acting = Acting(Position.objects.filter(person=user.person).first())
    person = Person.objects.filter(organization__name="小留村妇联").first()
    assert not can(user, "kernel.view_person", person)
    assert not can(user, "kernel.use_workspace")


def test_an_admin_role_account_gets_an_api_token_for_no_position(api_client, xiaoliu_made_auditor_behind_our_back):
    assert api_client("xiaoliu_women").get("/api/v1/people").status_code == 403


def test_an_admin_role_account_gets_no_grant(acting, org):
    with pytest.raises(ValidationError, match="管理角色账户"):
        services.grant_create(actor=acting("secadmin"), account=acting("auditor"), permission="kernel.view_person",
                              organization=org("小留村妇联"), reason="协助", days=7)
