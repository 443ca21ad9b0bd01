"""The security admin's console says what each action did, and an unknown action does nothing."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from gongjian.kernel.models import User

pytestmark = pytest.mark.django_db


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_deactivating_and_activating_an_account_say_so(login):
    client = login("secadmin")
    target = User.objects.get(username="guojia_women")
    response = client.post(f"/work/console/accounts/{target.pk}/", {"action": "deactivate"})
    assert response.status_code == 302 and _said(response) == ["已停用该账户。"]
    target.refresh_from_db()
    assert not target.is_active
    response = client.post(f"/work/console/accounts/{target.pk}/", {"action": "activate"})
    assert _said(response)[-1] == "已启用该账户。"


def test_an_unknown_console_action_is_a_404_and_changes_nothing(login):
    target = User.objects.get(username="guojia_women")
    response = login("secadmin").post(f"/work/console/accounts/{target.pk}/", {"action": "delete"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_a_refused_role_request_says_why(login):
    target = User.objects.get(username="xiaoliu_women")
    response = login("secadmin").post(f"/work/console/accounts/{target.pk}/",
                                      {"action": "role", "role": "auditor", "reason": "测试"})
    assert any("不能同时担任管理角色" in m for m in _said(response))
    target.refresh_from_db()
    assert target.admin_role == ""


def test_a_malformed_grant_or_organisation_id_on_the_grants_page_is_a_404(login):
    target = User.objects.get(username="guojia_women")
    client = login("secadmin")
    assert client.post(f"/work/console/accounts/{target.pk}/grants/", {"revoke": "abc"}).status_code == 404
    assert client.post(f"/work/console/accounts/{target.pk}/grants/",
                       {"permission": "kernel.view_person", "organization": "abc", "days": "7",
                        "reason": "测试"}).status_code == 404
