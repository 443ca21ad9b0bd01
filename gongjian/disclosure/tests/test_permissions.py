"""Every disclosure permission walked over every demo role (docs/permissions.md § disclosure),
and the pages and API that enforce them: out of scope is a 404, in scope without the right a 403."""

from __future__ import annotations

from datetime import date

import pytest

from gongjian.disclosure import services
from gongjian.disclosure.models import Disclosure, Suggestion
from gongjian.kernel.context import Acting
from gongjian.kernel.models import Person, Position, User
from gongjian.kernel.permissions import can

from .factories import draft, published

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "taihua_party", "xiaoliu_women", "guojia_women", "xiaoliu_branch",
         "lingsha_fed", "auditor", "secadmin", "sysadmin", "taihua_group"]
PARTY_STAFF = {"taihua_party", "xiaoliu_branch"}

# permission -> who holds it on a 小留村 item submitted by the branch.
ON_XIAOLIU_ITEM = {
    "disclosure.view_disclosure": PARTY_STAFF | {"taihua_group"},
    "disclosure.change_disclosure": {"xiaoliu_branch"},
    "disclosure.submit_disclosure": {"xiaoliu_branch"},
    "disclosure.review_disclosure": {"taihua_party"},
    "disclosure.publish_disclosure": {"xiaoliu_branch"},
    "disclosure.withdraw_disclosure": {"xiaoliu_branch", "taihua_party"},
    "disclosure.require_rectification": PARTY_STAFF | {"taihua_group"},
}
ON_XIAOLIU_BRANCH = {
    "disclosure.add_disclosure": {"xiaoliu_branch"},
    "disclosure.view_calendar": PARTY_STAFF | {"taihua_group"},
    "disclosure.view_inspection": PARTY_STAFF | {"taihua_group"},
    "disclosure.add_inspection": {"taihua_group"},
    "disclosure.follow_up_inspection": {"taihua_group"},
}
ON_XIAOLIU_SUGGESTION = {
    "disclosure.view_suggestion": PARTY_STAFF,
    "disclosure.answer_suggestion": PARTY_STAFF,
}
GLOBAL = {
    "disclosure.view_disclosure": PARTY_STAFF | {"taihua_group"},
    "disclosure.add_disclosure": PARTY_STAFF,
    "disclosure.review_disclosure": {"taihua_party"},
    "disclosure.view_suggestion": PARTY_STAFF,
    "disclosure.view_calendar": PARTY_STAFF | {"taihua_group"},
    "disclosure.add_inspection": {"taihua_group"},
}


@pytest.fixture
def who(acting):
    """A demo account acting as the middleware would; "taihua_group" is the street party
    secretary switched to her position as 组长 of the leading group."""

    def make(name: str):
        if name != "taihua_group":
            return acting(name)
        user = User.objects.get(username="taihua_party")
        user.positions = list(user.current_positions())
        user.acting = Acting(next(p for p in user.positions if p.organization.kind == "leading_group"))
        return user

    return make


@pytest.fixture
def submitted_item(acting):
    item = draft(acting)
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    item.refresh_from_db()
    return item


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU_ITEM))
def test_permissions_on_a_xiaoliu_item(who, submitted_item, username, permission):
    assert can(who(username), permission, submitted_item) == (username in ON_XIAOLIU_ITEM[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU_BRANCH))
def test_permissions_on_the_xiaoliu_branch(who, org, username, permission):
    branch = org("中共小留村支部委员会")
    assert can(who(username), permission, branch) == (username in ON_XIAOLIU_BRANCH[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU_SUGGESTION))
def test_permissions_on_a_xiaoliu_suggestion(who, org, username, permission):
    suggestion, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="公开栏字太小")
    assert can(who(username), permission, suggestion) == (username in ON_XIAOLIU_SUGGESTION[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_disclosure_permissions(who, username, permission):
    assert can(who(username), permission) == (username in GLOBAL[permission])


def test_nobody_holds_a_permission_on_another_townships_branch(who, org):
    lingsha_branch = org("中共灵沙村支部委员会")
    for username in ROLES:
        for permission in (*ON_XIAOLIU_BRANCH, "disclosure.view_disclosure"):
            assert not can(who(username), permission, lingsha_branch), (username, permission)


# --- pages and API -------------------------------------------------------------------------

@pytest.fixture
def guojia_branch(org):
    """A secretary of 郭家村's branch: party staff, but not of 小留村."""
    branch = org("中共郭家村支部委员会")
    person = Person.objects.create(name="郭建国", gender="M", organization=branch, political_status="member",
                                   party_organization=branch)
    Position.objects.create(person=person, organization=branch, title="党支部书记", role="lead",
                            start_date=date(2021, 1, 1))
    user = User(username="guojia_branch", person=person)
    user.set_password("Demo-Passw0rd!x")
    user.save()
    return user


@pytest.mark.parametrize("username", ROLES[:-1])
def test_the_staff_pages_answer_by_role(login, submitted_item, username):
    client = login(username)
    allowed = username in PARTY_STAFF
    for url in ("/work/disclosure/", f"/work/disclosure/{submitted_item.pk}/", "/work/disclosure/suggestions/",
                "/work/disclosure/calendar/", "/work/disclosure/inspections/", "/work/disclosure/inspections/ranking/",
                "/work/disclosure/calendar/rollup/"):
        assert client.get(url).status_code == (200 if allowed else 403), (username, url)


def test_another_branchs_item_is_a_404_on_pages_and_api(client, submitted_item, guojia_branch, api_client):
    from django.test import Client

    client = Client()
    client.force_login(guojia_branch)
    assert client.get("/work/disclosure/").status_code == 200
    for url in (f"/work/disclosure/{submitted_item.pk}/", f"/work/disclosure/{submitted_item.pk}/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/work/disclosure/{submitted_item.pk}/approve/").status_code == 404
    api = api_client("guojia_branch")
    assert api.get(f"/api/v1/disclosures/{submitted_item.pk}").status_code == 404
    assert api.post(f"/api/v1/disclosures/{submitted_item.pk}/publish").status_code == 404
    assert submitted_item.pk not in [d["id"] for d in api.get("/api/v1/disclosures").json()]


def test_a_foreign_suggestion_is_a_404(org, guojia_branch):
    from django.test import Client

    suggestion, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="意见")
    client = Client()
    client.force_login(guojia_branch)
    assert client.get(f"/work/disclosure/suggestions/{suggestion.pk}/").status_code == 404
    assert suggestion.pk not in [s.pk for s in Suggestion.objects.none()]


def test_the_branch_cannot_approve_through_the_page(login, submitted_item):
    response = login("xiaoliu_branch").post(f"/work/disclosure/{submitted_item.pk}/approve/")
    assert response.status_code == 403
    submitted_item.refresh_from_db()
    assert submitted_item.state == "submitted"


def test_the_leading_group_sees_the_townships_items_but_cannot_review_them(login, submitted_item):
    client = login("taihua_party")
    group = Position.objects.get(person__user__username="taihua_party", organization__kind="leading_group")
    client.post("/work/switch/", {"position": str(group.pk)})
    assert client.get(f"/work/disclosure/{submitted_item.pk}/").status_code == 200
    assert client.post(f"/work/disclosure/{submitted_item.pk}/approve/").status_code == 403
    assert client.get("/work/disclosure/inspections/new/").status_code == 200


def test_the_api_walks_the_procedure_with_the_same_rules(api_client, acting):
    branch = api_client("xiaoliu_branch")
    response = branch.post("/api/v1/disclosures", {
        "title": "2026年第四季度党费收缴情况", "body": "应缴32人，实缴32人。", "category": "self_building",
        "timing": "regular", "period": "quarterly"}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert branch.post(f"/api/v1/disclosures/{pk}/submit").json()["state"] == "submitted"
    assert branch.post(f"/api/v1/disclosures/{pk}/approve", {}, content_type="application/json").status_code == 403
    committee = api_client("taihua_party")
    assert committee.post(f"/api/v1/disclosures/{pk}/approve", {"comment": "同意"},
                          content_type="application/json").json()["state"] == "approved"
    version = branch.post(f"/api/v1/disclosures/{pk}/publish").json()
    assert version["number"] == 1
    assert pk in [d["id"] for d in committee.get("/api/v1/disclosures").json()]
    response = branch.post(f"/api/v1/disclosures/{pk}/return", {"comment": "x"}, content_type="application/json")
    assert response.status_code == 403
    response = committee.post(f"/api/v1/disclosures/{pk}/withdraw", {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "撤回说明" in str(response.json())
    assert committee.post(f"/api/v1/disclosures/{pk}/withdraw", {"reason": "重复发布"},
                          content_type="application/json").json()["state"] == "withdrawn"


def test_the_api_refuses_bad_drafts_in_chinese(api_client):
    response = api_client("xiaoliu_branch").post("/api/v1/disclosures", {
        "title": "", "category": "policy", "timing": "regular"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert "未作任何修改" in body["detail"] and "title" in body["errors"] and "period" in body["errors"]


def test_a_category_outside_the_enum_is_422_naming_the_allowed_values_in_chinese(api_client):
    response = api_client("xiaoliu_branch").post("/api/v1/disclosures", {
        "title": "标题", "category": "x", "timing": "regular"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert "category" in body["detail"]
    assert body["errors"] == {"category": ["须为以下之一：policy、central_work、self_building、livelihood、cadres、other。"]}
    assert body["codes"] == {"category": ["choice"]}


def test_a_federation_account_cannot_use_the_disclosure_api(api_client):
    assert api_client("taihua_fed").get("/api/v1/disclosures").status_code == 403
    assert api_client("taihua_fed").post("/api/v1/disclosures", {}, content_type="application/json").status_code in (403, 422)


def test_public_api_lists_and_shows_items_with_versions(acting, org):
    from django.test import Client

    item, version = published(acting)
    client = Client()
    listed = client.get(f"/api/v1/public/disclosures?org={item.organization_id}").json()
    assert listed[0]["id"] == item.pk
    internal = Disclosure.objects.filter(organization=item.organization, scope="party").values_list("pk", flat=True)
    assert internal and not set(internal) & {d["id"] for d in listed}
    detail = client.get(f"/api/v1/public/disclosures/{item.pk}").json()
    assert detail["versions"][0]["leaf_hash"] == bytes(version.leaf_hash).hex()
    head = client.get("/api/v1/public/publication-log/tree-head").json()
    proof = client.get(f"/api/v1/public/publication-log/proof/{version.pk}").json()
    assert proof["verified"] and proof["root_hash"] == head["root_hash"]
    assert client.get("/api/v1/public/disclosures?org=999999").status_code == 404


def test_a_consistency_proof_is_served(acting):
    from django.test import Client

    from gongjian.disclosure import merkle

    published(acting, title="一")
    first = Client().get("/api/v1/public/publication-log/tree-head").json()
    published(acting, title="二")
    published(acting, title="三")
    second = Client().get("/api/v1/public/publication-log/tree-head").json()
    proof = Client().get("/api/v1/public/publication-log/consistency",
                         {"first": first["tree_size"], "second": second["tree_size"]}).json()
    assert merkle.verify_consistency(first["tree_size"], second["tree_size"], bytes.fromhex(first["root_hash"]),
                                     bytes.fromhex(second["root_hash"]), [bytes.fromhex(h) for h in proof["proof"]])


def test_any_leaf_has_an_inclusion_proof_and_bad_sizes_get_a_chinese_message(acting):
    from django.test import Client

    from gongjian.disclosure import merkle

    item, _ = published(acting)
    withdrawal = services.disclosure_withdraw(actor=acting("xiaoliu_branch"), disclosure=item, reason="重复")
    head = Client().get("/api/v1/public/publication-log/tree-head").json()
    proof = Client().get("/api/v1/public/publication-log/inclusion",
                         {"leaf": withdrawal.leaf_index, "size": head["tree_size"]}).json()
    assert proof["leaf_hash"] == bytes(withdrawal.leaf_hash).hex()
    assert merkle.verify_inclusion(bytes.fromhex(proof["leaf_hash"]), proof["leaf_index"], proof["tree_size"],
                                   [bytes.fromhex(h) for h in proof["audit_path"]], bytes.fromhex(head["root_hash"]))
    bad = Client().get("/api/v1/public/publication-log/inclusion", {"leaf": 5, "size": 10**9})
    assert bad.status_code == 400 and "记录条数" in str(bad.json())
