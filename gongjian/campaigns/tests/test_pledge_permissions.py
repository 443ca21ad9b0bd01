"""Every pledge permission walked over every demo role (docs/permissions.md ## campaigns, 承诺),
and who opens which pledge page: out of reach is a 404, a page the role may not use a 403."""

from __future__ import annotations

import pytest

from gongjian.campaigns.models import Pledge
from gongjian.kernel.permissions import can

from .factories import make_comment, make_pledge

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
ABOVE_XIAOLIU = {"huayin_fed", "taihua_fed", "xiaoliu_women"}

GLOBAL = {
    "campaigns.view_pledge": FEDERATION,
    "campaigns.make_pledge": FEDERATION,
    "campaigns.moderate_pledge": FEDERATION,
    "campaigns.evaluate_pledge": FEDERATION,  # every federation lead; the object decides (strictly above)
}
ON_XIAOLIU = {
    "campaigns.view_pledge": ABOVE_XIAOLIU,
    "campaigns.make_pledge": {"xiaoliu_women"},
    "campaigns.moderate_pledge": {"xiaoliu_women"},
    "campaigns.evaluate_pledge": {"huayin_fed", "taihua_fed"},
}


@pytest.fixture
def xiaoliu_pledge(acting) -> Pledge:
    return make_pledge(acting("xiaoliu_women"))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU))
def test_permissions_on_a_xiaoliu_pledge(acting, xiaoliu_pledge, username, permission):
    assert can(acting(username), permission, xiaoliu_pledge) == (username in ON_XIAOLIU[permission])


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_pledge_list(login, username):
    status = login(username).get("/work/campaigns/pledges/").status_code
    assert status == (200 if username in FEDERATION else 403)


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_a_xiaoliu_pledge(login, xiaoliu_pledge, username):
    status = login(username).get(f"/work/campaigns/pledges/{xiaoliu_pledge.pk}/").status_code
    assert status == (200 if username in ABOVE_XIAOLIU else 404 if username in FEDERATION else 403)


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_progress_form(login, xiaoliu_pledge, username):
    status = login(username).get(f"/work/campaigns/pledges/{xiaoliu_pledge.pk}/progress/").status_code
    expected = 200 if username == "xiaoliu_women" else 403 if username in ABOVE_XIAOLIU else \
        404 if username in FEDERATION else 403
    assert status == expected


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_evaluation_form(login, xiaoliu_pledge, username):
    status = login(username).get(f"/work/campaigns/pledges/{xiaoliu_pledge.pk}/evaluate/").status_code
    expected = 200 if username in {"huayin_fed", "taihua_fed"} else 403 if username in ABOVE_XIAOLIU else \
        404 if username in FEDERATION else 403
    assert status == expected


@pytest.mark.parametrize("username", ROLES)
def test_who_moderates_a_comment_on_a_xiaoliu_pledge(login, xiaoliu_pledge, username):
    found = make_comment(xiaoliu_pledge)
    response = login(username).post(f"/work/campaigns/pledges/comments/{found.pk}/moderate/",
                                    {"decision": "show"})
    found.refresh_from_db()
    if username == "xiaoliu_women":
        assert response.status_code == 302 and found.state == "shown"
    else:
        assert response.status_code in (403, 404) and found.state == "pending"
        if username in FEDERATION - ABOVE_XIAOLIU:
            assert response.status_code == 404


@pytest.mark.parametrize("username", ROLES)
def test_who_reads_a_xiaoliu_pledge_through_the_api(api_client, xiaoliu_pledge, username):
    rows = api_client(username).get("/api/v1/pledges")
    if username in FEDERATION:
        assert (xiaoliu_pledge.pk in {row["id"] for row in rows.json()}) == (username in ABOVE_XIAOLIU)
    else:
        assert rows.status_code == 403
