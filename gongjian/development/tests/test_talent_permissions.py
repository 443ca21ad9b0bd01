"""The talent pool permissions walked over every demo persona: who sees the pool, who collects
(the reporting organisation itself), who reviews (only the federation the entry now sits with);
the party line and the admin roles see none of it."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can

from .factories import talent_forwarded, talent_reported

pytestmark = pytest.mark.django_db

PERSONAS = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
            "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
ABOVE_XIAOLIU = {"huayin_fed", "taihua_fed", "xiaoliu_women"}


@pytest.fixture
def entries():
    """One reported by 小留村 (waiting at the street), one the street forwarded (waiting at the county)."""
    return {"at_street": talent_reported(), "at_county": talent_forwarded(kind="broker", trade="农产品经纪")}


@pytest.mark.parametrize("username", PERSONAS)
def test_who_sees_the_pool_and_collects(username, acting, login):
    user = acting(username)
    expected = username in FEDERATION
    assert can(user, "development.view_talent") is expected
    assert can(user, "development.collect_talent") is expected
    assert can(user, "development.export_talent") is expected
    assert login(username).get("/work/development/talents/").status_code == (200 if expected else 403)


@pytest.mark.parametrize("username", PERSONAS)
def test_who_reaches_an_entry_and_who_changes_it(username, acting, entries):
    user = acting(username)
    for talent in entries.values():
        assert can(user, "development.view_talent", talent) is (username in ABOVE_XIAOLIU)
        # Only the village that collected her changes the entry or reports it.
        assert can(user, "development.collect_talent", talent) is (username == "xiaoliu_women")


@pytest.mark.parametrize("username", PERSONAS)
def test_only_the_federation_it_sits_with_reviews(username, acting, login, entries):
    user = acting(username)
    assert can(user, "development.review_talent", entries["at_street"]) is (username == "taihua_fed")
    assert can(user, "development.review_talent", entries["at_county"]) is (username == "huayin_fed")
    status = login(username).post(f"/work/development/talents/{entries['at_street'].pk}/forward/").status_code
    if username == "taihua_fed":
        assert status == 302
    elif username in ABOVE_XIAOLIU or username not in FEDERATION:
        assert status == 403  # in reach but not hers to review, or no right at all
    else:
        assert status == 404  # another village or township: out of her reach
