"""The commendation permissions walked over every demo persona: who sees, who nominates, who
decides (only the chosen deciding organisation's chair, never on what her own organisation put
forward); the party line and the admin roles see none of it."""

from __future__ import annotations

import pytest

from gongjian.campaigns.models import TitleKind
from gongjian.kernel.permissions import can

from .factories import nominate, women_of

pytestmark = pytest.mark.django_db

PERSONAS = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
            "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}


@pytest.fixture
def nominations(acting):
    """One sent by the street up to the county, one by the village up to the street."""
    street = nominate(acting("taihua_fed"), public_name="太华路街道权限测试岗")
    village = nominate(acting("xiaoliu_women"), kind=TitleKind.DOUBLE_LEARNING, deciding="太华路街道妇联",
                       public_name="", person=women_of("小留村妇联")[3])
    return {"street": street, "village": village}


@pytest.mark.parametrize("username", PERSONAS)
def test_who_sees_and_nominates(username, acting, login):
    user = acting(username)
    expected = username in FEDERATION
    assert can(user, "campaigns.view_commendation") is expected
    assert can(user, "campaigns.nominate") is expected
    status = login(username).get("/work/campaigns/commendations/").status_code
    assert status == (200 if expected else 403)


@pytest.mark.parametrize("username", PERSONAS)
def test_who_reaches_each_nomination(username, acting, nominations):
    user = acting(username)
    assert can(user, "campaigns.view_commendation", nominations["street"]) is (username in {"huayin_fed", "taihua_fed"})
    assert can(user, "campaigns.view_commendation", nominations["village"]) is (
        username in {"huayin_fed", "taihua_fed", "xiaoliu_women"})
    # Only the nominating organisation changes or sends up what it put forward.
    assert can(user, "campaigns.nominate", nominations["village"]) is (username == "xiaoliu_women")
    assert can(user, "campaigns.nominate", nominations["street"]) is (username == "taihua_fed")


@pytest.mark.parametrize("username", PERSONAS)
def test_only_the_deciding_organisations_chair_decides(username, acting, login, nominations):
    user = acting(username)
    assert can(user, "campaigns.decide_commendation", nominations["street"]) is (username == "huayin_fed")
    assert can(user, "campaigns.decide_commendation", nominations["village"]) is (username == "taihua_fed")
    status = login(username).post(f"/work/campaigns/commendations/{nominations['street'].pk}/review/",
                                  {"decision": "reject", "reason": "权限测试。"}).status_code
    if username == "huayin_fed":
        assert status == 302
    elif username == "taihua_fed" or username not in FEDERATION:
        assert status == 403  # her own organisation's nomination, or no right to decide at all
    else:
        assert status == 404  # a chair elsewhere: the nomination is out of her reach


@pytest.mark.parametrize("username", ["taihua_fed", "xiaoliu_women", "guojia_women", "lingsha_fed"])
def test_nobody_decides_on_what_her_own_organisation_put_forward(username, acting):
    user = acting(username)
    if username == "lingsha_fed":
        own = nominate(user, deciding="平罗县妇联", public_name="灵沙乡权限测试岗")
    elif username == "taihua_fed":
        own = nominate(user, public_name="太华路街道自荐测试岗")
    else:
        own = nominate(user, deciding="太华路街道妇联", public_name=f"{username}自荐测试岗")
    assert can(user, "campaigns.view_commendation", own)
    assert not can(user, "campaigns.decide_commendation", own)
