"""Every 示范/转移/牵手结对 permission walked over every demo role (docs/permissions.md ##
development, 示范和转移), and who opens which page: out of reach is a 404, a page the role may not
use a 403."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can

from .factories import propose_demonstration

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
PERMISSIONS = ["development.view_demonstration", "development.propose_demonstration",
               "development.designate_demonstration", "development.view_placement", "development.record_placement",
               "development.view_pairing", "development.manage_pairing"]
GLOBAL = dict.fromkeys(PERMISSIONS, FEDERATION) | {"development.designate_demonstration": {"huayin_fed"}}
# A proposal of 南营村 (under 太华路街道, 华阴市): its township and county reach it; only the county designates.
ON_NANYING = {perm: {"huayin_fed", "taihua_fed"} for perm in PERMISSIONS} | {
    "development.designate_demonstration": {"huayin_fed"}}


@pytest.fixture
def nanying_base(acting):
    return propose_demonstration(acting("taihua_fed"))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_each_role_holds_the_demonstration_permissions_of_its_line(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_a_nanying_proposal_is_designated_by_the_county_only(acting, nanying_base, username, permission):
    assert can(acting(username), permission, nanying_base) == (username in ON_NANYING[permission])


PAGE = {"huayin_fed": 200, "taihua_fed": 200, "lingsha_fed": 404, "xiaoliu_women": 404, "guojia_women": 404,
        "taihua_party": 403, "xiaoliu_branch": 403, "auditor": 403, "secadmin": 403, "sysadmin": 403}


@pytest.mark.parametrize(("username", "status"), PAGE.items())
def test_the_demonstration_page_opens_in_reach_only(login, nanying_base, username, status):
    assert login(username).get(f"/work/development/demonstrations/{nanying_base.pk}/").status_code == status


LISTS = ["/work/development/demonstrations/", "/work/development/placements/", "/work/development/pairings/",
         "/work/development/demonstrations/new/", "/work/development/placements/new/",
         "/work/development/pairings/new/"]


@pytest.mark.parametrize("username", ROLES)
def test_the_lists_and_forms_open_for_federation_staff_only(login, username):
    client = login(username)
    for url in LISTS:
        assert client.get(url).status_code == (200 if username in FEDERATION else 403), url
