"""Every case permission walked over every demo persona (docs/permissions.md ## support, 维权案件),
and every case page and API operation asked by every persona for a case of 小留村妇联: need-to-know
(Z-07) — only its named handler and the lead of the handling organisation get in; the rest of the
federation staff get a 404 (the case does not exist for them), the others a 403."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can
from gongjian.kernel.tests.test_matrix import PERSONAS
from gongjian.support.models import Case

from .factories import recorded

pytestmark = pytest.mark.django_db

FEDERATION_STAFF = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "lingsha_line"}
GLOBAL = {
    "support.view": FEDERATION_STAFF,
    "support.record_case": FEDERATION_STAFF,
    "support.view_case": FEDERATION_STAFF,
    "support.handle_case": FEDERATION_STAFF,
    "support.assign_case": FEDERATION_STAFF - {"lingsha_line"},  # a lead's
    "support.close_case": FEDERATION_STAFF - {"lingsha_line"},
    "support.view_case_board": FEDERATION_STAFF,
    "support.view_case_stats": FEDERATION_STAFF,
}
#: A case 小留村妇联 handles, recorded by its director (its lead and first handler).
ON_XIAOLIU = {
    "support.view_case": {"xiaoliu_women"},
    "support.handle_case": {"xiaoliu_women"},
    "support.assign_case": {"xiaoliu_women"},
    "support.close_case": {"xiaoliu_women"},
}
#: A call on 灵沙乡's 悄悄话 line, recorded by its volunteer: she handles it, the township's lead leads.
ON_LINGSHA = {
    "support.view_case": {"lingsha_line", "lingsha_fed"},
    "support.handle_case": {"lingsha_line", "lingsha_fed"},
    "support.assign_case": {"lingsha_fed"},
    "support.close_case": {"lingsha_fed"},
}


@pytest.fixture
def xiaoliu_case() -> Case:
    return recorded("xiaoliu_women")


@pytest.fixture
def lingsha_case() -> Case:
    return recorded("lingsha_line", channel="whisper_line", category="health_advice")


def test_the_persona_list_holds_the_whisper_line():
    assert "lingsha_line" in PERSONAS


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_case_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU))
def test_permissions_on_a_xiaoliu_case(acting, xiaoliu_case, username, permission):
    assert can(acting(username), permission, xiaoliu_case) == (username in ON_XIAOLIU[permission])


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize("permission", sorted(ON_LINGSHA))
def test_permissions_on_a_whisper_line_case(acting, lingsha_case, username, permission):
    assert can(acting(username), permission, lingsha_case) == (username in ON_LINGSHA[permission])


PAGE_ACTIONS = ["accept", "not-accept", "assign", "steps", "refer", "feedback", "resolve", "follow-up", "close",
                "reply"]
API_ACTIONS = ["accept", "not-accept", "assign", "steps", "refer", "resolve", "follow-up", "close"]


LEAD_ONLY = {"assign": "support.assign_case", "close": "support.close_case"}
BODIES = {"not-accept": {"reason": "不属于妇联职责范围"}, "assign": {"handler_ids": [1]},
          "steps": {"kind": "call", "note": "电话联系当事人"}, "refer": {"to_partner": "police"},
          "resolve": {"outcome": "advice", "public_reply": "已解答"}, "follow-up": {"satisfaction": "satisfied"}}


def _refused(status: int, username: str, action: str = "") -> bool:
    """Out of reach is a 404; a route the persona may not use at all is a 403."""
    may_use = GLOBAL[LEAD_ONLY.get(action, "support.handle_case")]
    return status == (404 if username in may_use else 403)


@pytest.mark.parametrize("username", PERSONAS)
def test_every_case_page_for_every_persona(login, xiaoliu_case, username):
    client = login(username)
    base = f"/work/support/cases/{xiaoliu_case.pk}/"
    for url in (base, base + "edit/"):
        status = client.get(url).status_code
        if username == "xiaoliu_women":
            assert status == 200, url
        else:
            assert _refused(status, username), (url, status)
    for action in PAGE_ACTIONS:
        status = client.post(base + action + "/", {}).status_code
        if username == "xiaoliu_women":
            assert status == 302, action  # a message says what is missing; nothing changes
        else:
            assert _refused(status, username, action), (action, status)
    xiaoliu_case.refresh_from_db()
    if username != "xiaoliu_women":
        assert xiaoliu_case.state == "received"  # nobody else moved it
        assert xiaoliu_case.steps.count() == 1
    list_status = client.get("/work/support/cases/").status_code
    assert list_status == (200 if username in FEDERATION_STAFF else 403)


@pytest.mark.parametrize("username", [p for p in PERSONAS if p not in ("auditor", "secadmin", "secadmin2", "sysadmin")])
def test_every_case_api_operation_for_every_persona(api_client, xiaoliu_case, username):
    client = api_client(username)
    base = f"/api/v1/cases/{xiaoliu_case.pk}"
    status = client.get(base).status_code
    assert status == 200 if username == "xiaoliu_women" else _refused(status, username)
    for action in API_ACTIONS:
        status = client.post(f"{base}/{action}", BODIES.get(action, {}), content_type="application/json").status_code
        if username == "xiaoliu_women":
            assert status in (200, 201, 400), (action, status)
        else:
            assert _refused(status, username, action), (action, status)
    listed = client.get("/api/v1/cases")
    if username in FEDERATION_STAFF:
        ids = {row["id"] for row in listed.json()}
        assert (xiaoliu_case.pk in ids) == (username == "xiaoliu_women")
    else:
        assert listed.status_code == 403


def test_the_admin_roles_get_no_case(login):
    for username in ("auditor", "secadmin", "secadmin2", "sysadmin"):
        assert login(username).get("/work/support/cases/").status_code in (302, 403)
