"""What the migrations leave in the database, on each vendor: the person table's indexes."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def person_indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return {name: info for name, info in connection.introspection.get_constraints(cursor, "kernel_person").items()
                if info["index"] or info["unique"]}


def test_an_id_number_can_be_registered_once_per_county_and_is_found_by_a_plain_index():
    indexes = person_indexes()
    assert "person_unique_id_number" not in indexes
    assert indexes["person_unique_id_number_in_registry"]["unique"]
    assert indexes["person_unique_id_number_in_registry"]["columns"] == ["registry", "id_number_index"]
    assert indexes["person_id_number_index"]["columns"] == ["id_number_index"]
    assert indexes["person_mobile_index"]["columns"] == ["mobile_index"]


def test_every_insert_keeps_up_only_the_indexes_someone_reads():
    indexes = person_indexes()
    # No LIKE (varchar_pattern_ops) twins of the digests, no single-column organisation index
    # (person_org_name leads with it): each imported row updates these and nothing else.
    assert not [name for name in indexes if name.endswith("_like")]
    columns = sorted(tuple(info["columns"]) for name, info in indexes.items() if not info["primary_key"])
    assert columns == sorted([
        ("registry", "id_number_index"), ("id_number_index",), ("mobile_index",), ("home_region_id",),
        ("party_organization_id",), ("organization_id", "name", "id"), ("name", "id"),
    ])
