"""Who may maintain the organisation tree (docs/permissions.md ## kernel, issue 9), walked over
every demo persona: an organisation's lead for the units under it, the system admin for all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gongjian.kernel import services
from gongjian.kernel.models import Organization, Position, User
from gongjian.kernel.permissions import can
from gongjian.kernel.tests.matrix import persona

pytestmark = pytest.mark.django_db

PERSONAS = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
            "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
LEADS = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch"}
PARTY_GROUP = "太华路街道党务公开工作领导小组"

# permission -> who holds it without an object (may open its pages at all).
GLOBAL = {
    "kernel.add_unit": LEADS,
    "kernel.manage_unit": LEADS,
    "kernel.manage_system": {"sysadmin"},
}
# (permission, organisation) -> who holds it on that organisation.
ON = {
    ("kernel.add_unit", "太华路街道妇联"): {"huayin_fed", "taihua_fed"},
    ("kernel.add_unit", "小留村妇联"): {"huayin_fed", "taihua_fed", "xiaoliu_women"},
    ("kernel.add_unit", PARTY_GROUP): {"taihua_party"},
    ("kernel.add_unit", "灵沙乡妇联"): {"lingsha_fed"},
    # Never her own organisation: only the units strictly below it.
    ("kernel.manage_unit", "太华路街道妇联"): {"huayin_fed"},
    ("kernel.manage_unit", "小留村妇联"): {"huayin_fed", "taihua_fed"},
    ("kernel.manage_unit", PARTY_GROUP): {"taihua_party"},
    ("kernel.manage_unit", "中共小留村支部委员会"): {"taihua_party"},
    ("kernel.manage_unit", "华阴市妇联"): set(),
}


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_who_may_open_the_pages(username, permission):
    assert can(persona(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(("permission", "name"), sorted(ON))
def test_who_may_act_on_an_organisation(org, username, permission, name):
    assert can(persona(username), permission, org(name)) == (username in ON[(permission, name)])


def test_a_deputy_may_not_maintain_units(org):
    deputy = Position.objects.get(organization=org("中共太华路街道委员会"), title="党委副书记",
                                  role=Position.Role.DEPUTY, note="办事处主任").person
    User.objects.create(username="temp_deputy", person=deputy)
    user = persona("temp_deputy")
    assert user.acting is not None and user.acting.role == Position.Role.DEPUTY
    assert not can(user, "kernel.add_unit") and not can(user, "kernel.manage_unit")


@pytest.mark.parametrize("permission", ["kernel.add_unit", "kernel.manage_unit"])
def test_the_tree_is_never_handed_out_by_a_grant(org, permission):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from gongjian.kernel.models import Grant

    with pytest.raises(ValidationError):
        services.grant_create(actor=User.objects.get(username="secadmin"), account=User.objects.get(
            username="taihua_party"), permission=permission, organization=org("太华路街道妇联"), reason="测试", days=7)
    # Even a grant written straight into the table opens nothing for a deputy.
    deputy = Position.objects.get(organization=org("中共太华路街道委员会"), title="党委副书记",
                                  role=Position.Role.DEPUTY, note="办事处主任").person
    account = User.objects.create(username="temp_deputy", person=deputy)
    Grant.objects.create(user=account, permission=permission, organization=org("中共太华路街道委员会"),
                         reason="测试", granted_by=User.objects.get(username="secadmin"),
                         expires_at=timezone.now() + timedelta(days=7))
    assert not can(persona("temp_deputy"), permission, org(PARTY_GROUP))


@pytest.mark.parametrize("username", PERSONAS)
def test_setting_up_a_work_group_under_a_village_federation(org, username):
    """Through the service, as every persona: the leads above and of 小留村 and the system admin."""
    allowed = {"huayin_fed", "taihua_fed", "xiaoliu_women", "sysadmin"}
    actor = persona(username)
    if username in allowed:
        unit = services.organization_create(actor=actor, parent=org("小留村妇联"),
                                            kind=Organization.Kind.WORK_GROUP, name="小留村巾帼志愿工作小组")
        assert unit.is_active
    else:
        with pytest.raises(PermissionDenied):
            services.organization_create(actor=actor, parent=org("小留村妇联"),
                                         kind=Organization.Kind.WORK_GROUP, name="小留村巾帼志愿工作小组")
        assert not Organization.objects.filter(name="小留村巾帼志愿工作小组").exists()


@pytest.mark.parametrize("username", PERSONAS)
def test_closing_a_village_federation(org, username):
    allowed = {"huayin_fed", "taihua_fed", "sysadmin"}
    fed = org("郭家村妇联")
    actor = persona(username)
    if username in allowed:
        services.organization_close(actor=actor, organization=fed)
        fed.refresh_from_db()
        assert not fed.is_active
    else:
        with pytest.raises(PermissionDenied):
            services.organization_close(actor=actor, organization=fed)
