"""Explicit grants: extra permissions for a time, within scope, never admin powers, audited."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gongjian.kernel import services
from gongjian.kernel.context import Acting
from gongjian.kernel.models import AuditEvent, Person, Position, User
from gongjian.kernel.permissions import can

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(org):
    village = org("郭家村妇联")
    person = Person.objects.filter(organization=village, party_organization__isnull=True).first()
    position = Position.objects.create(person=person, organization=village, title="妇联执委",
                                       role=Position.Role.STAFF)
    user = User.objects.create(username="guojia_clerk", person=person)
    user.acting = Acting(position)
    return user


def target(org):
    return Person.objects.filter(organization=org("郭家村妇联")).exclude(user__username="guojia_clerk").first()


def test_a_grant_lets_a_clerk_reveal_within_her_village_until_it_expires(acting, clerk, org):
    person = target(org)
    assert not can(clerk, "kernel.reveal_pii", person)
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        services.grant_create(actor=acting("secadmin"), account=clerk, permission="kernel.reveal_pii",
                              organization=org("郭家村妇联"), reason="办理贷款核对", days=7)
        clerk._gongjian_grants = None
        assert can(clerk, "kernel.reveal_pii", person)
        # Never beyond the acting subtree, whatever the grant says.
        other = Person.objects.filter(organization=org("小留村妇联")).first()
        assert not can(clerk, "kernel.reveal_pii", other)
    with time_machine.travel("2026-12-09 09:00 +0800", tick=False):
        clerk._gongjian_grants = None
        assert not can(clerk, "kernel.reveal_pii", person)
    assert AuditEvent.objects.filter(event="kernel.grant.created").exists()


def test_admin_powers_cannot_be_granted(acting, clerk, org):
    with pytest.raises(ValidationError):
        services.grant_create(actor=acting("secadmin"), account=clerk, permission="kernel.view_audit",
                              organization=org("郭家村妇联"), reason="想看", days=7)


def test_only_the_security_admin_grants(acting, clerk, org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.grant_create(actor=acting("taihua_fed"), account=clerk, permission="kernel.reveal_pii",
                              organization=org("郭家村妇联"), reason="越权", days=7)


def test_a_revoked_grant_stops_working(acting, clerk, org):
    grant = services.grant_create(actor=acting("secadmin"), account=clerk, permission="kernel.reveal_pii",
                                  organization=org("郭家村妇联"), reason="核对", days=7)
    services.grant_revoke(actor=acting("secadmin"), grant=grant)
    clerk._gongjian_grants = None
    assert not can(clerk, "kernel.reveal_pii", target(org))


def test_grant_page_works_for_the_security_admin(login, clerk, org):
    client = login("secadmin")
    response = client.post(f"/work/console/accounts/{clerk.pk}/grants/", {
        "permission": "kernel.reveal_pii", "organization": org("郭家村妇联").pk, "days": "7", "reason": "核对"})
    assert response.status_code == 302
    assert "kernel.reveal_pii" in client.get(f"/work/console/accounts/{clerk.pk}/grants/").content.decode()
    bad = client.post(f"/work/console/accounts/{clerk.pk}/grants/", {
        "permission": "kernel.reveal_pii", "organization": org("郭家村妇联").pk, "days": "0", "reason": "核对"})
    assert "期限" in bad.content.decode()
