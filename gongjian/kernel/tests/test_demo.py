"""The demo county: the seed's places and leading group, idempotent, refused in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from gongjian.kernel.models import Organization, Person, Position, Region, User

pytestmark = pytest.mark.django_db


def counts():
    return (Region.objects.count(), Organization.objects.count(), Person.objects.count(),
            Position.objects.count(), User.objects.count())


def test_taihua_has_22_villages_and_4_communities():
    taihua = Region.objects.get(name="太华路街道")
    assert taihua.children.filter(level="village").count() == 22
    assert taihua.children.filter(level="community").count() == 4
    for name in ("小留村", "郭家村", "南营村"):
        assert taihua.children.filter(name=name).exists()


def test_every_village_and_community_has_residents_with_valid_numbers():
    from gongjian.kernel.identity import validate_id_number, validate_mobile

    for fed in Organization.objects.filter(kind=Organization.Kind.VILLAGE_FEDERATION):
        people = list(fed.people.all())
        assert len(people) >= 3, fed.name
        for p in people:
            validate_id_number(p.id_number)
            validate_mobile(p.mobile)


def test_loading_twice_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before


@override_settings(GONGJIAN_ALLOW_DEMO=False)
def test_production_settings_refuse_demo_data():
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())


def test_the_leading_group_of_part_four_is_represented_exactly(login, org):
    group = org("太华路街道党务公开工作领导小组")
    titles = list(Position.objects.filter(organization=group).order_by("sort_order").values_list("title", flat=True))
    assert titles == ["组长", "常务副组长", "副组长", "副组长"] + ["成员"] * 7
    office = Organization.objects.get_children(group).get()
    assert office.kind == Organization.Kind.OFFICE
    assert Position.objects.filter(organization=office, title="办公室主任").count() == 1
    assert Position.objects.filter(organization=office).count() == 4
    body = login("taihua_party").get(f"/work/organizations/{group.pk}/roster/").content.decode()
    for title in ("组长", "常务副组长", "副组长", "成员", "办公室主任"):
        assert title in body
    assert "党务联络员" in body


def test_demo_accounts_exist_with_their_positions():
    expect = {"huayin_fed": "华阴市妇联", "taihua_fed": "太华路街道妇联", "taihua_party": "中共太华路街道委员会",
              "xiaoliu_women": "小留村妇联", "guojia_women": "郭家村妇联", "xiaoliu_branch": "中共小留村支部委员会",
              "lingsha_fed": "灵沙乡妇联"}
    for username, org_name in expect.items():
        user = User.objects.get(username=username)
        assert user.current_positions().first().organization.name == org_name
    roles = dict(User.objects.filter(admin_role__gt="").values_list("username", "admin_role"))
    # Two security admins: one asks for an admin-role change, the other confirms (Z-06).
    assert roles == {"auditor": "auditor", "secadmin": "security", "secadmin2": "security", "sysadmin": "system"}
    assert not User.objects.filter(admin_role__gt="", person__isnull=False).exists()
    assert not User.objects.filter(is_superuser=True).exists()
