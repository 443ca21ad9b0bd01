"""Every campaigns (core) permission walked over every demo persona (docs/permissions.md ## campaigns).

The federation line runs campaigns; the party line co-issues and reads them (联动机制); the admin
roles see no domain data."""

from __future__ import annotations

import pytest

from gongjian.campaigns.demo import HUAYIN_TITLE, demo_campaign
from gongjian.campaigns.tests.factories import draft_campaign, plan_of
from gongjian.kernel.permissions import can

pytestmark = pytest.mark.django_db

PERSONAS = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
            "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
PARTY = {"taihua_party", "xiaoliu_branch"}

# permission -> who may open the route at all (no object).
GLOBAL = {
    "campaigns.view": FEDERATION | PARTY,
    "campaigns.manage_campaign": FEDERATION,
    "campaigns.issue_campaign": FEDERATION,  # every federation persona is her organisation's lead
    "campaigns.submit_plan": FEDERATION,
    "campaigns.review_plan": FEDERATION,
}
# On 华阴市妇联's issued campaign (co-issued by 中共华阴市委员会): everyone at or below either
# issuer reads it; only the issuer changes, issues or closes it.
ON_HUAYIN_CAMPAIGN = {
    "campaigns.view": {"huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women", "taihua_party",
                       "xiaoliu_branch"},
    "campaigns.manage_campaign": {"huayin_fed"},
    "campaigns.issue_campaign": {"huayin_fed"},
}
# On 太华路街道妇联's plan for it: the township and the county read it, the township submits it,
# the county (the issuer) reviews it; the villages below and the party line do not see it.
ON_TAIHUA_PLAN = {
    "campaigns.view": {"huayin_fed", "taihua_fed"},
    "campaigns.submit_plan": {"taihua_fed"},
    "campaigns.review_plan": {"huayin_fed"},
}


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_who_may_use_each_campaign_route_at_all(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(ON_HUAYIN_CAMPAIGN))
def test_permissions_on_the_countys_issued_campaign(acting, username, permission):
    campaign = demo_campaign(HUAYIN_TITLE)
    assert can(acting(username), permission, campaign) == (username in ON_HUAYIN_CAMPAIGN[permission])


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(ON_TAIHUA_PLAN))
def test_permissions_on_a_townships_plan(acting, username, permission):
    plan = plan_of(demo_campaign(HUAYIN_TITLE), "太华路街道妇联")
    assert can(acting(username), permission, plan) == (username in ON_TAIHUA_PLAN[permission])


@pytest.mark.parametrize("username", PERSONAS)
def test_a_draft_is_read_only_within_its_issuers_subtree(acting, username):
    draft = draft_campaign(acting("taihua_fed"), target_kinds=["village_fed"])
    assert can(acting(username), "campaigns.view", draft) == (username in {"huayin_fed", "taihua_fed"})


@pytest.mark.parametrize("username", PERSONAS)
def test_every_persona_gets_the_pages_she_may_use_and_a_refusal_otherwise(login, username):
    campaign = demo_campaign(HUAYIN_TITLE)
    client = login(username)
    listing = client.get("/work/campaigns/").status_code
    detail = client.get(f"/work/campaigns/{campaign.pk}/").status_code
    board = client.get(f"/work/campaigns/{campaign.pk}/plans/").status_code
    if username in GLOBAL["campaigns.view"]:
        assert listing == 200
        expected = 200 if username in ON_HUAYIN_CAMPAIGN["campaigns.view"] else 404
        assert (detail, board) == (expected, expected)
    else:
        assert (listing, detail, board) == (403, 403, 403)
