"""Organisations maintained in the app (issue 9): a lead sets up, renames, closes and staffs units
under her organisation; the system admin maintains the rest; every change audited; a closed unit
is never deleted and stays readable."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjian.kernel import access, services
from gongjian.kernel.models import AuditEvent, Organization, Person, Position, Region, User
from gongjian.kernel.organizations import NewPlace, role_for_title

pytestmark = pytest.mark.django_db

Kind = Organization.Kind
GROUP = "太华路街道妇联巾帼建功活动领导小组"


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def _audit(event: str, obj: Any) -> AuditEvent:
    return AuditEvent.objects.get(event=event, object_id=str(obj.pk))


@pytest.fixture
def group(acting, org) -> Organization:
    return services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                        kind=Kind.LEADING_GROUP, name=GROUP)


ACCOUNT_OF = {"姚慧敏": "taihua_fed", "刘桂兰": "xiaoliu_women", "马秀琴": "lingsha_fed"}


def _person(name: str) -> Person:
    """A demo cadre by name (through her account: invented residents may share the name)."""
    person = User.objects.get(username=ACCOUNT_OF[name]).person
    assert person is not None and person.name == name
    return person


# --- organization_create -----------------------------------------------------------------------

def test_a_township_lead_sets_up_a_leading_group_under_her_federation_and_it_is_audited(acting, org, group):
    assert group.kind == Kind.LEADING_GROUP and group.is_active and group.closed_on is None
    assert group.region == org("太华路街道妇联").region
    assert group in access.children(org("太华路街道妇联")).filter(kind=Kind.LEADING_GROUP)
    row = _audit("kernel.organization.created", group)
    assert row.actor_username == "taihua_fed"
    assert row.changes["name"] == [None, GROUP] and row.changes["parent"] == org("太华路街道妇联").pk


def test_an_office_goes_under_the_leading_group_and_nowhere_else(acting, org, group):
    lead = acting("taihua_fed")
    office = services.organization_create(actor=lead, parent=group, kind=Kind.OFFICE, name="领导小组办公室")
    assert access.children(group).get() == office
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=lead, parent=org("太华路街道妇联"), kind=Kind.OFFICE, name="办公室")
    assert "之下不能设立办公室" in _messages(exc)


def test_a_new_village_federation_comes_with_its_village_under_the_townships_place(acting, org):
    fed = services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                       kind=Kind.VILLAGE_FEDERATION, name="新华村妇联",
                                       place=NewPlace(code="610582001299", name="新华村"))
    region = Region.objects.get(code="610582001299")
    assert fed.region == region and region.level == Region.Level.VILLAGE
    assert region.parent == org("太华路街道妇联").region
    community = services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                             kind=Kind.VILLAGE_FEDERATION, name="幸福社区妇联",
                                             place=NewPlace(code="610582001098", name="幸福社区"))
    assert community.region.level == Region.Level.COMMUNITY


def test_a_village_code_outside_the_township_is_refused_and_nothing_is_saved(acting, org):
    before = Region.objects.count(), Organization.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                     kind=Kind.VILLAGE_FEDERATION, name="外村妇联",
                                     place=NewPlace(code="640221203201", name="外村"))
    assert "区划代码应以上级" in _messages(exc)
    assert (Region.objects.count(), Organization.objects.count()) == before


@pytest.mark.parametrize(("code", "name", "said"), [
    ("", "新村", "请填写所在地的12位区划代码"),
    ("61058200129", "新村", "区划代码应为12位数字"),
    ("610582001201", "", "已有在用的村（社区）妇联"),   # 小留村 has its federation already
    ("610582001201", "别的村", "已登记为“小留村”"),
    ("610582001299", "", "请填写所在地名称"),
])
def test_a_new_village_needs_a_right_code_and_name(acting, org, code, name, said):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                     kind=Kind.VILLAGE_FEDERATION, name="某村妇联",
                                     place=NewPlace(code=code, name=name) if code else None)
    assert said in _messages(exc)


def test_an_enterprise_womens_committee_sits_under_a_township_federation(acting, org):
    committee = services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                             kind=Kind.ENTERPRISE_COMMITTEE, name="华山旅游公司妇委会")
    assert committee.region == org("太华路街道妇联").region
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=acting("xiaoliu_women"), parent=org("小留村妇联"),
                                     kind=Kind.ENTERPRISE_COMMITTEE, name="小留村某厂妇委会")
    assert "之下不能设立非公企业妇委会" in _messages(exc)


def test_a_party_branch_sets_up_its_work_group(acting, org):
    branch = org("中共小留村支部委员会")
    group = services.organization_create(actor=acting("xiaoliu_branch"), parent=branch,
                                         kind=Kind.WORK_GROUP, name="小留村党务公开工作小组")
    assert access.children(branch).get() == group


def test_a_name_is_unique_per_place_closed_ones_included(acting, org, group):
    lead = acting("taihua_fed")
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=lead, parent=org("太华路街道妇联"), kind=Kind.WORK_GROUP, name=GROUP)
    assert "已有名为" in _messages(exc)
    services.organization_close(actor=lead, organization=group)
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=lead, parent=org("太华路街道妇联"), kind=Kind.LEADING_GROUP, name=GROUP)
    assert "（已撤销）" in _messages(exc)


def test_a_blank_or_one_letter_name_is_refused(acting, org):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                     kind=Kind.LEADING_GROUP, name=" 组 ")
    assert "请填写名称" in _messages(exc)


def test_nothing_is_set_up_under_a_closed_unit(acting, org, group):
    services.organization_close(actor=acting("taihua_fed"), organization=group)
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=acting("taihua_fed"), parent=group, kind=Kind.OFFICE, name="办公室")
    assert "撤销，不能再办理" in _messages(exc)


def test_only_the_system_admin_sets_up_a_county(acting):
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=acting("huayin_fed"), parent=None, kind=Kind.COUNTY_FEDERATION,
                                     name="潼关县妇联", place=NewPlace(code="610522000000", name="潼关县"))
    fed = services.organization_create(actor=User.objects.get(username="sysadmin"), parent=None,
                                       kind=Kind.COUNTY_FEDERATION, name="潼关县妇联",
                                       place=NewPlace(code="610522000000", name="潼关县"))
    assert fed.is_root() and fed.region.level == Region.Level.COUNTY
    assert fed.region.parent == Region.objects.get(code="610500000000")  # 渭南市
    assert _audit("kernel.organization.created", fed).actor_username == "sysadmin"


def test_a_leading_group_cannot_be_a_root(acting):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=User.objects.get(username="sysadmin"), parent=None,
                                     kind=Kind.LEADING_GROUP, name="某领导小组")
    assert "不能作为顶级组织" in _messages(exc)


def test_a_lead_sets_up_nothing_outside_her_organisation(acting, org):
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=acting("taihua_fed"), parent=org("灵沙乡妇联"),
                                     kind=Kind.LEADING_GROUP, name="灵沙乡领导小组")
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=acting("taihua_fed"), parent=org("华阴市妇联"),
                                     kind=Kind.LEADING_GROUP, name="华阴市领导小组")


# --- organization_update, organization_close ----------------------------------------------------

def test_a_lead_renames_a_unit_and_the_audit_has_before_and_after(acting, group):
    services.organization_update(actor=acting("taihua_fed"), organization=group, name="太华路街道妇联创先争优工作领导小组")
    group.refresh_from_db()
    assert group.name == "太华路街道妇联创先争优工作领导小组"
    assert _audit("kernel.organization.updated", group).changes == {
        "name": [GROUP, "太华路街道妇联创先争优工作领导小组"]}


def test_a_lead_cannot_rename_or_close_her_own_organisation(acting, org):
    lead = acting("taihua_fed")
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=lead, organization=org("太华路街道妇联"), name="改名")
    with pytest.raises(PermissionDenied):
        services.organization_close(actor=lead, organization=org("太华路街道妇联"))


def test_closing_a_unit_ends_its_positions_keeps_everything_and_is_audited(acting, group):
    lead = acting("taihua_fed")
    chair = services.position_create(actor=lead, organization=group, person=_person("姚慧敏"), title="组长")
    services.organization_close(actor=lead, organization=group)
    group.refresh_from_db()
    chair.refresh_from_db()
    today = timezone.localdate()
    assert not group.is_active and group.closed_on == today
    assert Organization.objects.filter(pk=group.pk).exists() and Position.objects.filter(pk=chair.pk).exists()
    assert not chair.is_current(today)
    row = _audit("kernel.organization.closed", group)
    assert row.changes["is_active"] == [True, False] and row.changes["positions_ended"] == [chair.pk]


def test_a_unit_with_open_units_below_is_not_closed(acting, group):
    lead = acting("taihua_fed")
    services.organization_create(actor=lead, parent=group, kind=Kind.OFFICE, name="领导小组办公室")
    with pytest.raises(ValidationError) as exc:
        services.organization_close(actor=lead, organization=group)
    assert "请先撤销其下级组织：领导小组办公室" in _messages(exc)


def test_a_closing_day_in_the_future_is_refused_and_a_closed_unit_is_not_closed_again(acting, group):
    lead = acting("taihua_fed")
    with pytest.raises(ValidationError) as exc:
        services.organization_close(actor=lead, organization=group, closed_on=date.today() + timedelta(days=3))
    assert "不能晚于今天" in _messages(exc)
    services.organization_close(actor=lead, organization=group)
    for again in (lambda: services.organization_close(actor=lead, organization=group),
                  lambda: services.organization_update(actor=lead, organization=group, name="新名称小组")):
        with pytest.raises(ValidationError) as exc:
            again()
        assert "撤销，不能再办理" in _messages(exc)


def test_the_system_admin_closes_a_village_federation_and_its_people_stay_readable(acting, org):
    fed = org("红岭村妇联")
    people = Person.objects.filter(organization=fed).count()
    services.organization_close(actor=User.objects.get(username="sysadmin"), organization=fed)
    assert Person.objects.filter(organization=fed).count() == people > 0
    assert access.visible(acting("taihua_fed"), Person.objects.filter(organization=fed)).count() == people


# --- position_create, position_end -------------------------------------------------------------

def test_a_lead_staffs_her_leading_group_and_the_roles_follow_the_titles(acting, group):
    lead = acting("taihua_fed")
    chair = services.position_create(actor=lead, organization=group, person=_person("姚慧敏"), title="组长",
                                     note="街道妇联主席")
    member = services.position_create(actor=lead, organization=group, person=_person("刘桂兰"), title="成员")
    assert (chair.role, member.role) == (Position.Role.LEAD, Position.Role.MEMBER)
    assert chair.sort_order < member.sort_order
    row = _audit("kernel.position.created", chair)
    assert row.changes["title"] == [None, "组长"] and row.changes["person"] == [None, chair.person_id]


@pytest.mark.parametrize(("title", "role"), [("组长", "lead"), ("副组长", "deputy"), ("常务副组长", "deputy"),
                                            ("成员", "member"), ("办公室主任", "lead"), ("联络员", "staff")])
def test_the_usual_role_of_a_title(title, role):
    assert role_for_title(title) == role


def test_a_person_out_of_reach_is_not_appointed(acting, group):
    outsider = _person("马秀琴")  # 灵沙乡妇联's chair
    with pytest.raises(ValidationError) as exc:
        services.position_create(actor=acting("taihua_fed"), organization=group, person=outsider, title="成员")
    assert "请选择您管辖范围内的人员" in _messages(exc)


def test_an_admin_role_account_holds_no_position(acting, org, group):
    holder = Person.objects.filter(organization=org("小留村妇联"), user__isnull=True).first()
    assert holder is not None
    User.objects.create(username="temp_admin", person=holder, admin_role=User.AdminRole.AUDITOR)
    with pytest.raises(ValidationError) as exc:
        services.position_create(actor=acting("taihua_fed"), organization=group, person=holder, title="组长")
    assert "三权分立" in _messages(exc)


def test_the_same_title_twice_and_a_blank_title_are_refused(acting, group):
    lead = acting("taihua_fed")
    services.position_create(actor=lead, organization=group, person=_person("姚慧敏"), title="组长")
    with pytest.raises(ValidationError) as exc:
        services.position_create(actor=lead, organization=group, person=_person("姚慧敏"), title="组长")
    assert "已担任" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.position_create(actor=lead, organization=group, person=_person("刘桂兰"), title="  ")
    assert "请填写职务" in _messages(exc)


def test_a_closed_unit_takes_no_new_positions(acting, group):
    lead = acting("taihua_fed")
    services.organization_close(actor=lead, organization=group)
    with pytest.raises(ValidationError) as exc:
        services.position_create(actor=lead, organization=group, person=_person("刘桂兰"), title="成员")
    assert "撤销，不能再办理" in _messages(exc)


def test_a_lead_appoints_nobody_in_her_own_organisation(acting, org):
    with pytest.raises(PermissionDenied):
        services.position_create(actor=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                 person=_person("刘桂兰"), title="副主席")


def test_ending_a_term_keeps_the_position_and_is_audited(acting, group):
    lead = acting("taihua_fed")
    member = services.position_create(actor=lead, organization=group, person=_person("刘桂兰"), title="成员")
    services.position_end(actor=lead, position=member)
    member.refresh_from_db()
    assert not member.is_current() and member.end_date is not None
    assert "end_date" in _audit("kernel.position.ended", member).changes
    with pytest.raises(ValidationError) as exc:
        services.position_end(actor=lead, position=member)
    assert "任期已结束" in _messages(exc)


def test_a_village_director_ends_no_position_of_the_township(acting, org):
    chair = Position.objects.get(organization=org("太华路街道妇联"), title="主席")
    with pytest.raises(PermissionDenied):
        services.position_end(actor=acting("xiaoliu_women"), position=chair)
    with pytest.raises(PermissionDenied):
        services.position_end(actor=acting("taihua_fed"), position=chair)  # her own


# --- what a closed unit means elsewhere ---------------------------------------------------------

def test_a_closed_unit_is_no_choice_for_a_new_person_but_stays_on_the_tree(acting, login, org):
    fed = org("红岭村妇联")
    services.organization_close(actor=User.objects.get(username="sysadmin"), organization=fed)
    page = login("taihua_fed").get("/work/people/new/")
    assert "红岭村妇联" not in page.content.decode()
    tree = login("taihua_fed").get("/work/organizations/").content.decode()
    assert "红岭村妇联" in tree and "已撤销" in tree
    detail = login("taihua_fed").get(f"/work/organizations/{fed.pk}/").content.decode()
    assert "撤销" in detail and "设立下级组织" not in detail
