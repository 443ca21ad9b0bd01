"""The case list walks one index per part of the need-to-know reach (kernel.selectors.paginate_visible):
same rows, same order, same pages as the plain queryset — for a lead (her organisation's cases OR
the ones she is named on), a named handler, and someone who reaches nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.kernel.selectors import paginate
from gongjian.kernel.tests.matrix import persona
from gongjian.support.models import Case
from gongjian.support.selectors import case as selectors
from gongjian.support.services import case as services
from gongjian.support.tests.factories import recorded, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    """13 more cases of 小留村 (received a day apart); a 小留村 staff member is named on 5 of them."""
    made = [recorded("xiaoliu_women", summary=f"第{i}件") for i in range(13)]
    now = timezone.now()
    for i, case in enumerate(made):
        Case.objects.filter(pk=case.pk).update(received_at=now - timedelta(days=i))
    helper = staff_of("小留村妇联")
    lead = persona("xiaoliu_women")
    for case in made[2:12:2]:
        services.case_assign(actor=lead, case=case, handlers=[lead, helper])
    return made, helper


def _pages(user, **filters):
    pages, number = [], 1
    while True:
        page = selectors.case_page_for(user=user, page=number, per_page=4, **filters)
        pages.append([c.pk for c in page.rows])
        if not page.has_next:
            return pages
        number += 1


def _plain(user, **filters):
    pages, number = [], 1
    while True:
        page = paginate(selectors.case_list_for(user=user, **filters), page=number, per_page=4)
        pages.append([c.pk for c in page.rows])
        if not page.has_next:
            return pages
        number += 1


@pytest.mark.parametrize("who", ["lead", "helper", "township", "party"])
def test_every_page_is_the_plain_querysets_page(cases, who):
    made, helper = cases
    user = {"lead": persona("xiaoliu_women"), "helper": helper, "township": persona("taihua_fed"),
            "party": persona("xiaoliu_branch")}[who]
    for filters in ({}, {"state": "received"}, {"category": "marriage_family"}, {"overdue": True}):
        assert _pages(user, **filters) == _plain(user, **filters), (who, filters)
    from gongjian.kernel import access

    shown = sum(len(p) for p in _pages(user))
    assert shown == access.visible(user, Case.objects.all()).count()
    assert {"lead": shown >= 13, "helper": shown == 5, "township": shown >= 1, "party": shown == 0}[who]


def test_a_page_costs_the_same_queries_however_many_cases(cases):
    lead = persona("xiaoliu_women")
    with CaptureQueriesContext(connection) as few:
        selectors.case_page_for(user=lead, page=2, per_page=4)
    for i in range(20):
        recorded("xiaoliu_women", summary=f"又一件{i}")
    with CaptureQueriesContext(connection) as many:
        selectors.case_page_for(user=lead, page=2, per_page=4)
    assert len(few.captured_queries) == len(many.captured_queries)
