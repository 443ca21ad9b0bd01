"""Compiled reads (kernel.compiled, ADR 0033): the SQL is kept per reach condition and arguments,
so every call answers what the uncached read answers, for whoever asks, whatever changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.kernel import access
from gongjian.kernel.compiled import CompiledRead, Uncacheable, key_of
from gongjian.kernel.models import Grant, Organization, Person, User
from gongjian.kernel.tests.matrix import persona

pytestmark = pytest.mark.django_db


def _people(rows: QuerySet[Person], *, gender: str, offset: int = 0, limit: int = 50) -> QuerySet[Any]:
    return rows.filter(gender=gender).order_by("id").values_list("id", "name", "organization__name")[
        offset : offset + limit]


def _uncached(user: Any, **arguments: Any) -> list[tuple[Any, ...]]:
    return list(_people(access.visible(user, Person.objects.all()), **arguments))


def test_a_compiled_read_answers_what_the_read_answers_for_every_persona_and_compiles_once_each() -> None:
    read = CompiledRead(Person, _people)
    for username in ("xiaoliu_women", "taihua_fed", "huayin_fed", "guojia_women"):
        user = persona(username)
        expected = _uncached(user, gender="F")
        assert read(user, gender="F") == expected
        assert read(user, gender="F") == expected
    assert (read.misses, read.hits) == (4, 4)


def test_users_whose_reach_differs_never_share_sql_and_users_whose_reach_is_the_same_do() -> None:
    read = CompiledRead(Person, _people)
    village, township = persona("xiaoliu_women"), persona("taihua_fed")
    read(township, gender="F")
    assert read(village, gender="F") == _uncached(village, gender="F") != _uncached(township, gender="F")
    assert read.misses == 2
    read(persona("xiaoliu_women"), gender="F")  # the same reach, another request
    assert (read.misses, read.hits) == (2, 1)


def test_each_argument_is_part_of_the_key() -> None:
    read = CompiledRead(Person, _people)
    user = persona("huayin_fed")
    for arguments in ({"gender": "F"}, {"gender": "M"}, {"gender": "F", "offset": 2}, {"gender": "F", "limit": 1}):
        assert read(user, **arguments) == _uncached(user, **arguments)
    assert read.misses == 4


def test_no_reach_is_no_rows_and_no_query() -> None:
    read = CompiledRead(Person, _people)
    with CaptureQueriesContext(connection) as captured:
        assert read(None, gender="F") == []
    assert not captured.captured_queries


def test_a_lapsed_grant_is_not_served_from_the_cache() -> None:
    """The reach condition is computed on every call: a grant that ran out changes the key."""
    read = CompiledRead(Organization, lambda rows: rows.order_by("path").values_list("name"),
                        reach=access.Granted("kernel.view_person", via=""))
    grant = Grant.objects.create(
        user=persona("taihua_fed"), permission="kernel.view_person",
        organization=Organization.objects.get(name="华阴市妇联"), expires_at=timezone.now() + timedelta(days=1),
        reason="测试", granted_by=User.objects.get(username="secadmin"))
    assert ("小留村妇联",) in read(persona("taihua_fed"))
    grant.expires_at = timezone.now() - timedelta(seconds=1)
    grant.save()
    assert read(persona("taihua_fed")) == []


def test_a_moved_organisation_gives_another_key() -> None:
    read = CompiledRead(Person, _people)
    user = persona("taihua_fed")
    read(user, gender="F")
    org = user.acting.organization
    org.path = org.path[:-1] + "Z"  # what a move would do to the acting subtree (not saved)
    assert read(user, gender="F") == _uncached(user, gender="F") == []
    assert read.misses == 2


def test_the_cache_is_bounded_least_recently_used_out() -> None:
    read = CompiledRead(Person, _people, size=2)
    user = persona("huayin_fed")
    for offset in (0, 1, 0, 2):
        read(user, gender="F", offset=offset)
    assert len(read) == 2 and read.misses == 3
    read(user, gender="F", offset=0)  # kept: it was used before offset 1
    assert read.misses == 3
    read(user, gender="F", offset=1)
    assert read.misses == 4


def test_values_that_compare_equal_but_give_other_sql_are_other_keys() -> None:
    assert len({key_of(v) for v in (1, 1.0, True, Decimal("1"), Decimal("1.00"))}) == 5
    assert key_of(date(2026, 1, 1)) != key_of(datetime(2026, 1, 1))
    assert key_of(Q(a=1) | Q(b=2)) != key_of(Q(a=1) & Q(b=2)) != key_of(~(Q(a=1) & Q(b=2)))
    with pytest.raises(Uncacheable):
        key_of(Q(pk__in=Person.objects.all()))
    with pytest.raises(Uncacheable):
        key_of(Organization.objects.first())


def test_a_read_whose_key_holds_a_model_instance_runs_uncached_with_the_same_answer() -> None:
    read = CompiledRead(Person, lambda rows, *, org: rows.filter(organization=org).values_list("id"))
    user, org = persona("taihua_fed"), Organization.objects.get(name="小留村妇联")
    expected = list(access.visible(user, Person.objects.filter(organization=org)).values_list("id"))
    assert read(user, org=org) == expected and expected
    assert len(read) == 0


def test_values_are_converted_as_the_orm_converts_them() -> None:
    read = CompiledRead(Person, lambda rows: rows.order_by("id").values_list("id", "birth_date", "created_at")[:5])
    user = persona("huayin_fed")
    assert read(user) == list(access.visible(user, Person.objects.order_by("id")).values_list(
        "id", "birth_date", "created_at")[:5])


def test_a_query_that_can_match_nothing_answers_no_rows_without_a_query() -> None:
    read = CompiledRead(Person, lambda rows: rows.filter(pk__in=[]).values_list("id"))
    user = persona("huayin_fed")
    read(user)
    with CaptureQueriesContext(connection) as captured:
        assert read(user) == []
    assert not captured.captured_queries


def test_only_values_list_reads_are_compiled() -> None:
    with pytest.raises(TypeError):
        CompiledRead(Person, lambda rows: rows.all())(persona("huayin_fed"))


def test_a_settings_change_forgets_the_compiled_sql() -> None:
    read = CompiledRead(Person, _people)
    read(persona("huayin_fed"), gender="F")
    with override_settings(TIME_ZONE="UTC"):
        assert len(read) == 0


def test_rows_are_made_by_into_the_same_cached_or_not() -> None:
    from typing import NamedTuple

    class Row(NamedTuple):
        id: int
        name: str
        organization: str

    read = CompiledRead(Person, _people)
    user = persona("huayin_fed")
    expected = [Row(*values) for values in _uncached(user, gender="F")]
    assert read(user, Row, gender="F") == expected  # compiled
    assert read(user, Row, gender="F") == expected  # kept
    uncachable = CompiledRead(Person, lambda rows, *, org: _people(rows.filter(organization=org), gender="F"))
    org = Organization.objects.get(name="小留村妇联")
    assert uncachable(user, Row, org=org) == [
        Row(*values) for values in _people(access.visible(user, Person.objects.filter(organization=org)), gender="F")]
    assert len(uncachable) == 0
