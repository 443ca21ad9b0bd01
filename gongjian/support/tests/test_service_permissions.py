"""Every service-site and health-round permission walked over every demo persona (docs/permissions.md
## support, 服务站点和健康服务), and who opens which page: out of reach is a 404, a page the persona
may not use a 403."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can

from .factories import make_round, make_site

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
PERMISSIONS = ["support.view_service_site", "support.manage_service_site", "support.view_health_round",
               "support.record_health_round"]
# A site or round of 太华路街道妇联: the township itself and the county above keep it; its villages,
# another township, the party line and the admin roles do not.
ON_TAIHUA = {"huayin_fed", "taihua_fed"}
# One of 郭家村妇联: the village, its township and its county.
ON_GUOJIA = {"huayin_fed", "taihua_fed", "guojia_women"}


@pytest.fixture
def taihua_site(acting):
    return make_site(acting("taihua_fed"), organization="太华路街道妇联")


@pytest.fixture
def guojia_round(acting):
    return make_round(acting("guojia_women"))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_each_role_holds_the_service_permissions_of_the_federation_line_only(acting, username, permission):
    assert can(acting(username), permission) == (username in FEDERATION)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", ["support.view_service_site", "support.manage_service_site"])
def test_a_township_site_is_kept_by_the_township_and_the_county(acting, taihua_site, username, permission):
    assert can(acting(username), permission, taihua_site) == (username in ON_TAIHUA)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", ["support.view_health_round", "support.record_health_round"])
def test_a_village_round_is_kept_by_the_village_and_the_federations_above(acting, guojia_round, username,
                                                                         permission):
    assert can(acting(username), permission, guojia_round) == (username in ON_GUOJIA)


def _status(username: str, keepers: set[str]) -> int:
    if username in keepers:
        return 200
    return 404 if username in FEDERATION else 403


@pytest.mark.parametrize("username", ROLES)
def test_the_site_pages_open_in_reach_only(login, taihua_site, username):
    client = login(username)
    expected = _status(username, ON_TAIHUA)
    assert client.get(f"/work/support/sites/{taihua_site.pk}/").status_code == expected
    assert client.get(f"/work/support/sites/{taihua_site.pk}/edit/").status_code == expected


@pytest.mark.parametrize("username", ROLES)
def test_the_round_form_opens_in_reach_only(login, guojia_round, username):
    assert login(username).get(f"/work/support/health/{guojia_round.pk}/edit/").status_code == _status(
        username, ON_GUOJIA)


@pytest.mark.parametrize("username", ROLES)
def test_closing_a_site_out_of_reach_changes_nothing(login, taihua_site, username):
    response = login(username).post(f"/work/support/sites/{taihua_site.pk}/close/", {"reason": "测试"})
    assert response.status_code == (302 if username in ON_TAIHUA else 404 if username in FEDERATION else 403)
    taihua_site.refresh_from_db()
    assert (taihua_site.closed_on is not None) == (username in ON_TAIHUA)


LISTS = ["/work/support/sites/", "/work/support/sites/new/", "/work/support/health/", "/work/support/health/new/"]


@pytest.mark.parametrize("username", ROLES)
def test_the_lists_and_forms_open_for_federation_staff_only(login, username):
    client = login(username)
    for url in LISTS:
        assert client.get(url).status_code == (200 if username in FEDERATION else 403), url


@pytest.mark.parametrize("username", ROLES)
def test_the_api_lists_answer_federation_staff_only(api_client, username):
    client = api_client(username)
    for url in ("/api/v1/support/sites", "/api/v1/support/health-rounds"):
        assert client.get(url).status_code == (200 if username in FEDERATION else 403), url
