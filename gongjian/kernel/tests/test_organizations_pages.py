"""The pages of the organisation tree (issue 9): a lead's on the organisation page, the system
admin's in the console, and the printable name list of a federation-line leading group."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from gongjian.kernel import services
from gongjian.kernel.models import AuditEvent, Organization, Position, User
from gongjian.kernel.tests.matrix import persona

pytestmark = pytest.mark.django_db

Kind = Organization.Kind
GROUP = "太华路街道妇联巾帼建功活动领导小组"


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_lead_sees_add_a_unit_and_the_positions_block_on_a_unit_below(login, org):
    page = login("taihua_fed").get(f"/work/organizations/{org('小留村妇联').pk}/").content.decode()
    assert "设立下级组织" in page and "添加职务" in page and "撤销" in page and "结束任期" in page
    own = login("taihua_fed").get(f"/work/organizations/{org('太华路街道妇联').pk}/").content.decode()
    assert "设立下级组织" in own and "添加职务" not in own and "结束任期" not in own


def test_nothing_is_offered_to_set_up_under_an_office(login, org):
    office = org("党务公开工作领导小组办公室")
    page = login("taihua_party").get(f"/work/organizations/{office.pk}/").content.decode()
    assert "添加职务" in page and "设立下级组织" not in page


def test_a_lead_sets_up_a_leading_group_from_the_page(login, org):
    client = login("taihua_fed")
    parent = org("太华路街道妇联")
    form = client.get(f"/work/organizations/{parent.pk}/units/new/").content.decode()
    assert "领导小组" in form and "所在地区划代码" in form  # a new village needs a place
    response = client.post(f"/work/organizations/{parent.pk}/units/new/", {"kind": Kind.LEADING_GROUP, "name": GROUP})
    group = Organization.objects.get(name=GROUP)
    assert response.status_code == 302 and response.url == f"/work/organizations/{group.pk}/"
    assert _said(response) == [f"已设立：{GROUP}"]


def test_a_refused_unit_says_why_in_chinese_and_saves_nothing(login, org):
    parent = org("太华路街道妇联")
    response = login("taihua_fed").post(f"/work/organizations/{parent.pk}/units/new/",
                                        {"kind": Kind.VILLAGE_FEDERATION, "name": "新华村妇联",
                                         "region_name": "新华村", "region_code": "6405"})
    assert response.status_code == 400 and "区划代码应为12位数字" in response.content.decode()
    assert not Organization.objects.filter(name="新华村妇联").exists()


def test_an_out_of_reach_parent_is_a_404_and_a_forbidden_action_a_403(login, org):
    client = login("taihua_fed")
    assert client.get(f"/work/organizations/{org('灵沙乡妇联').pk}/units/new/").status_code == 404
    assert client.get(f"/work/organizations/{org('华阴市妇联').pk}/close/").status_code == 404
    assert client.get(f"/work/organizations/{org('太华路街道妇联').pk}/close/").status_code == 403
    assert client.post(f"/work/organizations/{org('太华路街道妇联').pk}/rename/", {"name": "改"}).status_code == 403
    assert login("xiaoliu_women").get(f"/work/organizations/{org('太华路街道妇联').pk}/units/new/").status_code == 404


def test_a_lead_appoints_from_the_page_and_ends_the_term(login, acting, org):
    lead = acting("taihua_fed")
    group = services.organization_create(actor=lead, parent=org("太华路街道妇联"), kind=Kind.LEADING_GROUP, name=GROUP)
    client = login("taihua_fed")
    chair = User.objects.get(username="taihua_fed").person
    assert chair is not None
    picker = client.get(f"/work/organizations/{group.pk}/positions/new/").content.decode()
    assert chair.name in picker  # people of the organisations above are offered first
    found = client.get(f"/work/organizations/{group.pk}/positions/new/", {"q": "刘桂兰"}).content.decode()
    assert "刘桂兰" in found
    response = client.post(f"/work/organizations/{group.pk}/positions/new/",
                           {"person": chair.pk, "title": "组长", "note": "街道妇联主席"})
    assert response.status_code == 302 and _said(response) == [f"已任命：{chair.name} 任 组长"]
    position = Position.objects.get(organization=group, title="组长")
    assert position.role == Position.Role.LEAD
    # The header's switcher offers her own two positions, not the group's list of holders.
    page = client.get(f"/work/organizations/{group.pk}/").content.decode()
    own = Position.objects.get(organization=org("太华路街道妇联"), title="主席")
    assert f'<option value="{own.pk}" selected>太华路街道妇联 · 主席</option>' in page
    response = client.post(f"/work/positions/{position.pk}/end/")
    assert response.status_code == 302
    position.refresh_from_db()
    assert not position.is_current()


def test_a_person_out_of_reach_posted_by_hand_is_refused(login, acting, org):
    group = services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                         kind=Kind.LEADING_GROUP, name=GROUP)
    outsider = User.objects.get(username="lingsha_fed").person
    assert outsider is not None
    response = login("taihua_fed").post(f"/work/organizations/{group.pk}/positions/new/",
                                        {"person": outsider.pk, "title": "成员"})
    assert response.status_code == 400 and "请选择您管辖范围内的人员" in response.content.decode()
    assert not Position.objects.filter(organization=group).exists()


def test_another_townships_position_cannot_be_ended(login, org):
    chair = Position.objects.get(organization=org("灵沙乡妇联"), title="主席")
    assert login("taihua_fed").post(f"/work/positions/{chair.pk}/end/").status_code == 404
    chair.refresh_from_db()
    assert chair.end_date is None


def test_closing_from_the_page(login, acting, org):
    group = services.organization_create(actor=acting("taihua_fed"), parent=org("太华路街道妇联"),
                                         kind=Kind.LEADING_GROUP, name=GROUP)
    client = login("taihua_fed")
    assert "确认撤销" in client.get(f"/work/organizations/{group.pk}/close/").content.decode()
    response = client.post(f"/work/organizations/{group.pk}/close/", {"closed_on": ""})
    assert response.status_code == 302
    group.refresh_from_db()
    assert not group.is_active
    page = client.get(f"/work/organizations/{group.pk}/").content.decode()
    assert "撤销" in page and "添加职务" not in page


def test_a_closed_units_page_and_list_show_who_held_its_positions_until_it_closed(login, acting, org):
    lead = acting("taihua_fed")
    group = services.organization_create(actor=lead, parent=org("太华路街道妇联"), kind=Kind.LEADING_GROUP, name=GROUP)
    village = User.objects.get(username="xiaoliu_women").person
    assert village is not None
    services.position_create(actor=lead, organization=group, person=village, title="成员")
    services.organization_close(actor=lead, organization=group)
    client = login("taihua_fed")
    assert "刘桂兰" in client.get(f"/work/organizations/{group.pk}/").content.decode()
    roster = client.get(f"/work/organizations/{group.pk}/roster/").content.decode()
    assert "名单为撤销前" in roster and "刘桂兰" in roster


# --- the printable name list --------------------------------------------------------------------

def test_the_name_list_of_a_federation_leading_group_prints_its_members_and_its_office(login, acting, org):
    lead = acting("taihua_fed")
    group = services.organization_create(actor=lead, parent=org("太华路街道妇联"), kind=Kind.LEADING_GROUP, name=GROUP)
    office = services.organization_create(actor=lead, parent=group, kind=Kind.OFFICE, name="领导小组办公室")
    chair = User.objects.get(username="taihua_fed").person
    village = User.objects.get(username="xiaoliu_women").person
    assert chair is not None and village is not None
    services.position_create(actor=lead, organization=group, person=village, title="成员", note="小留村妇联主席")
    services.position_create(actor=lead, organization=group, person=chair, title="组长", note="街道妇联主席")
    services.position_create(actor=lead, organization=office, person=chair, title="办公室主任")
    text = login("taihua_fed").get(f"/work/organizations/{group.pk}/roster/").content.decode()
    assert f"{GROUP}成员名单" in text
    assert text.index("组长：") < text.index("成员：") < text.index("领导小组下设领导小组办公室：") < text.index("办公室主任：")


def test_a_federations_name_list_does_not_print_its_villages_as_offices(login, org):
    text = login("taihua_fed").get(f"/work/organizations/{org('太华路街道妇联').pk}/roster/").content.decode()
    assert "领导小组下设" not in text and "小留村妇联" not in text


def test_the_party_line_list_of_the_seed_still_prints_its_office(login, org):
    text = login("taihua_party").get(
        f"/work/organizations/{org('太华路街道党务公开工作领导小组').pk}/roster/").content.decode()
    assert "领导小组下设党务公开工作领导小组办公室：" in text and "孙卫东" in text


# --- the system admin's console -------------------------------------------------------------------

def test_the_console_points_to_the_organisation_pages_not_to_a_missing_command(login):
    page = login("sysadmin").get("/work/console/").content.decode()
    assert "/work/console/organizations/" in page and "命令行" not in page


def test_the_system_admin_sets_up_a_county_and_a_township_below_it(login):
    client = login("sysadmin")
    assert "华阴市妇联" in client.get("/work/console/organizations/").content.decode()
    response = client.post("/work/console/organizations/", {"kind": Kind.COUNTY_FEDERATION, "name": "潼关县妇联",
                                                            "region_code": "610522000000", "region_name": "潼关县"})
    county = Organization.objects.get(name="潼关县妇联")
    assert response.status_code == 302 and response.url == f"/work/console/organizations/{county.pk}/"
    response = client.post(f"/work/console/organizations/{county.pk}/", {
        "action": "add", "kind": Kind.TOWNSHIP_FEDERATION, "name": "城关街道妇联",
        "region_code": "610522001000", "region_name": "城关街道"})
    township = Organization.objects.get(name="城关街道妇联")
    assert response.status_code == 302 and township.region.parent == county.region
    assert AuditEvent.objects.filter(event="kernel.organization.created", actor_username="sysadmin").count() == 2


def test_the_system_admin_renames_and_closes_in_the_console(login, org):
    client = login("sysadmin")
    fed = org("红岭村妇联")
    client.post(f"/work/console/organizations/{fed.pk}/", {"action": "rename", "name": "红岭村妇女联合会"})
    fed.refresh_from_db()
    assert fed.name == "红岭村妇女联合会"
    response = client.post(f"/work/console/organizations/{fed.pk}/", {"action": "close", "closed_on": ""})
    fed.refresh_from_db()
    assert response.status_code == 302 and not fed.is_active


def test_the_console_shows_titles_but_no_names(login, org):
    page = login("sysadmin").get(f"/work/console/organizations/{org('灵沙乡妇联').pk}/").content.decode()
    assert "主席" in page and "马秀琴" not in page


def test_closing_a_township_with_open_villages_is_refused_in_the_console(login, org):
    response = login("sysadmin").post(f"/work/console/organizations/{org('罗敷镇妇联').pk}/",
                                      {"action": "close", "closed_on": ""})
    assert response.status_code == 400 and "请先撤销其下级组织" in response.content.decode()
    assert org("罗敷镇妇联").is_active


def test_an_unknown_action_or_a_bad_id_in_the_console_is_a_404(login, org):
    client = login("sysadmin")
    assert client.post(f"/work/console/organizations/{org('红岭村妇联').pk}/", {"action": "delete"}).status_code == 404
    assert client.get("/work/console/organizations/abc/").status_code == 404
    assert client.get("/work/console/organizations/99999999999999999999/").status_code == 404


@pytest.mark.parametrize("username", ["huayin_fed", "taihua_fed", "auditor", "secadmin"])
def test_nobody_but_the_system_admin_opens_the_organisation_console(login, org, username):
    client = login(username)
    assert client.get("/work/console/organizations/").status_code == 403
    assert client.get(f"/work/console/organizations/{org('华阴市妇联').pk}/").status_code == 403


def test_the_system_admin_sees_no_workspace_organisation_page(login, org):
    """Her console is the way in; the workspace pages stay the positions' (Z-06)."""
    assert persona("sysadmin").acting is None
    assert login("sysadmin").get(f"/work/organizations/{org('华阴市妇联').pk}/units/new/").status_code == 403
