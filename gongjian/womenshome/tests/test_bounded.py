"""LD-02: list pages cost the same number of queries however many rows they show, and never
more than 100 rows a page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LISTS = ["/work/womenshome/activities/", "/work/womenshome/attendance/", "/work/womenshome/trained/",
         "/work/womenshome/sites/", "/work/womenshome/teams/", "/work/womenshome/honours/",
         "/work/womenshome/coverage/", "/work/womenshome/figures/", "/work/womenshome/"]


def queries(client, url: str, **params) -> int:
    client.get(url, params)  # warm-up (sessions, caches)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", LISTS)
def test_a_small_and_a_large_scope_cost_the_same_queries(login, url):
    """灵沙乡 sees a few rows, 华阴市 hundreds: the query count does not follow."""
    assert queries(login("lingsha_fed"), url, per_page=100) == queries(login("huayin_fed"), url, per_page=100)


def test_a_page_never_shows_more_than_100_rows(login):
    body = login("huayin_fed").get("/work/womenshome/attendance/", {"per_page": 10_000}).content.decode()
    assert body.count('class="list-row') == 100
