"""reports.view_county walked over every demo persona (docs/permissions.md ## reports, 各项工作统计):
the staff of either line open the report of their own organisation and of any organisation below
it; the admin roles and anyone without a staff position do not; another place is a 404."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can
from gongjian.kernel.tests.test_matrix import PERSONAS

pytestmark = pytest.mark.django_db

STAFF = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "lingsha_line"}
#: The organisation each staff persona's report opens on, and one below it she may drill into.
OWN = {"huayin_fed": ("华阴市妇联", "太华路街道妇联"), "taihua_fed": ("太华路街道妇联", "小留村妇联"),
       "taihua_party": ("中共太华路街道委员会", None), "xiaoliu_women": ("小留村妇联", None)}


@pytest.mark.parametrize("username", PERSONAS)
def test_who_may_open_the_county_report(acting, username):
    assert can(acting(username), "reports.view_county") == (username in STAFF)


@pytest.mark.parametrize("username", PERSONAS)
def test_every_persona_on_the_page_and_the_api(login, api_client, username):
    response = login(username).get("/work/reports/county/")
    if username in STAFF:
        assert response.status_code == 200
        assert response.context["report"].organization == response.context["request"].user.acting.organization
    else:
        assert response.status_code in (302, 403)
    if username in STAFF:
        assert api_client(username).get("/api/v1/reports/county").status_code == 200


@pytest.mark.parametrize("username", sorted(OWN))
def test_staff_drill_into_their_own_subtree(login, org, username):
    own, below = OWN[username]
    client = login(username)
    assert client.get(f"/work/reports/county/?org={org(own).pk}").status_code == 200
    if below:
        assert client.get(f"/work/reports/county/?org={org(below).pk}").status_code == 200


def test_an_account_without_a_staff_position_gets_no_report_from_the_api(api_client):
    response = api_client("auditor").get("/api/v1/reports/county")
    assert response.status_code == 403
    assert response.json()["detail"] == "没有权限执行此操作。"
