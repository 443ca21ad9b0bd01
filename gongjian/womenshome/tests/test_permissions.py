"""Every womenshome permission walked over every demo role (docs/permissions.md ## womenshome)."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can
from gongjian.womenshome.models import HonourQuota

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "taihua_party", "xiaoliu_women", "guojia_women", "xiaoliu_branch",
         "lingsha_fed", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women", "lingsha_fed"}
ABOVE_XIAOLIU = {"huayin_fed", "taihua_fed", "xiaoliu_women"}

# permission -> accounts that hold it without an object (may open the page at all).
GLOBAL = {
    "womenshome.view": FEDERATION,
    "womenshome.change_site": FEDERATION,
    "womenshome.manage_team": FEDERATION,
    "womenshome.change_activity": FEDERATION,
    "womenshome.record_attendance": FEDERATION,
    "womenshome.export": FEDERATION,
    "womenshome.nominate_honour": FEDERATION,
    "womenshome.decide_honour": {"huayin_fed", "taihua_fed", "lingsha_fed"},
    "womenshome.set_quota": {"huayin_fed"},
}
# permission -> accounts that hold it on 小留村's records.
ON_XIAOLIU = {
    "womenshome.view": ABOVE_XIAOLIU,
    "womenshome.change_site": ABOVE_XIAOLIU,
    "womenshome.manage_team": ABOVE_XIAOLIU,
    "womenshome.change_activity": ABOVE_XIAOLIU,
    "womenshome.record_attendance": ABOVE_XIAOLIU,
    "womenshome.export": ABOVE_XIAOLIU,
    "womenshome.nominate_honour": ABOVE_XIAOLIU,
    # Nobody decides on what her own organisation put forward: the village director cannot.
    "womenshome.decide_honour": {"huayin_fed", "taihua_fed"},
}


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU))
def test_permissions_on_xiaoliu_records(acting, xiaoliu, username, permission):
    user = acting(username)
    for record in ("activity", "site", "team", "honour"):
        assert can(user, permission, xiaoliu[record]) == (username in ON_XIAOLIU[permission]), record


@pytest.mark.parametrize("username", ROLES)
def test_only_the_county_chair_sets_a_townships_quota(acting, org, username):
    quota = HonourQuota(organization=org("太华路街道妇联"), year=2026, quota=2)
    assert can(acting(username), "womenshome.set_quota", quota) == (username == "huayin_fed")


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_womenshome_pages(login, username):
    status = login(username).get("/work/womenshome/").status_code
    assert status == (200 if username in FEDERATION else 403)


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_xiaoliu_activity(login, xiaoliu, username):
    status = login(username).get(f"/work/womenshome/activities/{xiaoliu['activity'].pk}/").status_code
    expected = 200 if username in ABOVE_XIAOLIU else 404 if username in FEDERATION else 403
    assert status == expected


@pytest.mark.parametrize("username", ROLES)
def test_who_reads_xiaoliu_activity_through_the_api(api_client, xiaoliu, username):
    status = api_client(username).get(f"/api/v1/activities/{xiaoliu['activity'].pk}").status_code
    expected = 200 if username in ABOVE_XIAOLIU else 404 if username in FEDERATION else 403
    assert status == expected


@pytest.mark.parametrize("username", ROLES)
def test_the_menu_shows_womenshome_only_to_the_federation_line(login, username):
    page = login(username).get("/work/").content.decode()
    assert ("/work/womenshome/" in page) == (username in FEDERATION)


def test_a_denied_page_is_audited(login):
    from gongjian.kernel.models import AuditEvent

    login("xiaoliu_branch").get("/work/womenshome/")
    assert AuditEvent.objects.filter(event="kernel.access.denied", actor_username="xiaoliu_branch",
                                     changes__permission="womenshome.view").exists()
