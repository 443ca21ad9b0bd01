"""The signed-in account per request (issue 12 §7, ADR 0038): two small queries for any logged-in
request (the session and the account's fresh columns); the rest from a per-process snapshot that
never outlives a change of what it holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from gongjian.kernel import principal
from gongjian.kernel.models import Organization, Position, User

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="bench.urls")
def test_a_logged_in_request_costs_the_session_and_one_account_query(login):
    client = login("huayin_fed")
    client.get("/bench/bare")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/bench/bare").status_code == 200
    sqls = [q["sql"].replace('"', "").replace("`", "") for q in ctx.captured_queries]
    assert len(sqls) == 2, sqls
    assert "FROM django_session WHERE" in sqls[0]
    assert "FROM kernel_user WHERE" in sqls[1] and "kernel_secondfactor" in sqls[1]


def _acting_name(client) -> str:
    page = client.get("/work/")
    assert page.status_code == 200
    user = page.wsgi_request.user
    return user.acting.organization.name if user.acting else ""


def test_a_position_that_ends_is_gone_on_the_next_request(login):
    client = login("taihua_fed")
    assert _acting_name(client) == "太华路街道妇联"
    position = Position.objects.get(person__user__username="taihua_fed", organization__name="太华路街道妇联")
    position.end_date = timezone.localdate() - timedelta(days=1)
    position.save()
    assert _acting_name(client) != "太华路街道妇联"


def test_a_renamed_organisation_is_read_again(login):
    client = login("taihua_fed")
    _acting_name(client)
    org = Organization.objects.get(name="太华路街道妇联")
    org.name = "太华路街道妇女联合会"
    org.save()
    assert _acting_name(client) == "太华路街道妇女联合会"


def test_what_decides_the_session_is_read_fresh_even_behind_the_signals_back(login):
    client = login("taihua_fed")
    assert client.get("/work/").status_code == 200
    # A bulk update fires no signal: deactivation still ends the session at once.
    User.objects.filter(username="taihua_fed").update(is_active=False)
    assert client.get("/work/").status_code == 302

    other = login("lingsha_fed")
    assert other.get("/work/").status_code == 200
    # So does a password changed behind the signals' back (the session's auth hash no longer matches).
    User.objects.filter(username="lingsha_fed").update(password="argon2$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA")
    assert other.get("/work/").status_code == 302

    admin = login("xiaoliu_women")
    assert _acting_name(admin) == "小留村妇联"
    # An admin role given in bulk: she acts in no position from the next request (Z-06).
    User.objects.filter(username="xiaoliu_women").update(admin_role="auditor")
    page = admin.get("/work/")
    assert page.wsgi_request.user.acting is None


def test_a_change_behind_the_signals_back_lasts_no_longer_than_the_snapshot(login, monkeypatch):
    client = login("taihua_fed")
    assert _acting_name(client) == "太华路街道妇联"
    Position.objects.filter(person__user__username="taihua_fed",
                            organization__name="太华路街道妇联").update(end_date=timezone.localdate() - timedelta(days=1))
    monkeypatch.setattr(principal, "MAX_AGE", 0.0)
    assert _acting_name(client) != "太华路街道妇联"


def test_snapshots_are_bounded_and_a_new_stamp_reloads(login, monkeypatch):
    monkeypatch.setattr(principal, "MAX_ENTRIES", 2)
    for name in ("taihua_fed", "lingsha_fed", "xiaoliu_women"):
        login(name).get("/work/")
    assert len(principal._snapshots) <= 2
    user = User.objects.get(username="xiaoliu_women")
    before = user.access_stamp
    principal.touch(pk=user.pk)
    assert User.objects.get(pk=user.pk).access_stamp != before
