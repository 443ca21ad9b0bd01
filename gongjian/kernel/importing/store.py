"""Writing people in bulk: plain SQL per batch (ADR 0021). Who is registered already is the
person rule book's question (`kernel.people.registrations`, per county: ADR 0026).

The ORM spends more time preparing thousands of parameters and fields than the database spends
on them, so the statements here are written by hand, over every column of `kernel_person`
(`PERSON_COLUMNS`, checked against the model). Each function takes the connection to use, as
the batch writer runs them on a second thread on the caller's connection.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from ..crypto import blind_index_many, encrypt_many
from ..fields import keyring
from ..models import Person
from .people import PersonRow

IN_CHUNK = 900  # below every backend's limit on query parameters


# Every column of kernel_person the raw insert fills; a new Person field must be added here (the
# importer test fails until it is), so an import never silently leaves a column at a bad value.
PERSON_COLUMNS = (
    "name", "gender", "birth_date", "id_number", "id_number_index", "mobile", "mobile_index",
    "ethnicity", "political_status", "organization_id", "home_region_id", "party_organization_id",
    "created_at", "updated_at", "registry",
)


def person_fields() -> list[Any]:
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    names = tuple(f.attname for f in fields)
    if sorted(names) != sorted(PERSON_COLUMNS):
        raise RuntimeError("kernel_person has columns the importer does not know: " + ", ".join(
            sorted(set(names) ^ set(PERSON_COLUMNS))))
    return fields


Sealed = tuple[str, str, str, str]  # (ID ciphertext, ID blind index, mobile ciphertext, mobile blind index)


def seal(pairs: list[tuple[str, str]]) -> list[Sealed]:
    """Ciphertexts and blind indexes of (ID number, mobile) pairs, exactly as
    `EncryptedTextField`/`BlindIndexField` would store them, made in bulk (the CPU-heavy part
    of an import)."""
    ring = keyring()
    ids = [i for i, _ in pairs]
    mobiles = [m for _, m in pairs if m]
    id_tokens = encrypt_many(ids, keyring=ring, purpose="person.id_number")
    id_indexes = blind_index_many(ids, keyring=ring, purpose="person.id_number")
    mobile_tokens = iter(encrypt_many(mobiles, keyring=ring, purpose="person.mobile"))
    mobile_indexes = iter(blind_index_many(mobiles, keyring=ring, purpose="person.mobile"))
    return [(token, index, *((next(mobile_tokens), next(mobile_indexes)) if mobile else ("", "")))
            for (_, mobile), token, index in zip(pairs, id_tokens, id_indexes, strict=True)]


def person_values(rows: list[PersonRow], sealed: list[Sealed]) -> list[tuple[Any, ...]]:
    """The column values of new people, in the table's column order."""
    order = [PERSON_COLUMNS.index(f.attname) for f in person_fields()]
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    adapt_date = ops.adapt_datefield_value
    out: list[tuple[Any, ...]] = [  # in PERSON_COLUMNS order
        (p.name, p.gender, adapt_date(p.birth_date), id_token, id_index, mobile_token, mobile_index,
         p.ethnicity, p.political_status, p.organization_id, p.home_region_id, None, now, now, p.registry)
        for p, (id_token, id_index, mobile_token, mobile_index) in zip(rows, sealed, strict=True)
    ]
    if order != sorted(order):  # the table's columns come in another order
        out = [tuple(row[i] for i in order) for row in out]
    return out


def write_people(values: list[tuple[Any, ...]], db: BaseDatabaseWrapper | None = None) -> None:
    """One INSERT … VALUES per batch (`executemany`), without per-field ORM work."""
    if not values:
        return
    db = db or connections[DEFAULT_DB_ALIAS]
    fields = person_fields()
    ops = db.ops
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with db.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {ops.quote_name(Person._meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608
            values,
        )


def upsert_limit(db: BaseDatabaseWrapper) -> int:
    """Rows per INSERT … ON CONFLICT DO NOTHING statement, 0 when the database cannot."""
    if db.vendor == "postgresql":
        return 2000
    if db.vendor == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info >= (3, 24, 0):  # ON CONFLICT … DO NOTHING
            parameters = 32_000 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
            return min(2000, parameters // len(PERSON_COLUMNS))
    return 0


def conflict_target(db: BaseDatabaseWrapper) -> str:
    """`ON CONFLICT (…) WHERE …` naming the partial unique index an ID number is registered once
    per county by (`person_unique_id_number_in_registry`, ADR 0026): its columns and its condition,
    exactly, or the database finds no index to infer."""
    q = db.ops.quote_name
    return (f"ON CONFLICT ({q('registry')}, {q('id_number_index')}) "
            f"WHERE NOT ({q('id_number_index')} = '')")


def insert_unregistered(values: list[tuple[Any, ...]], db: BaseDatabaseWrapper | None = None) -> set[str]:
    """Insert the people whose ID number is not registered yet, in multi-row statements that
    skip the others (`ON CONFLICT … DO NOTHING`); returns the blind indexes actually inserted.

    Asking the database "who exists?" before inserting costs a second lookup per row, which
    gets slow while the transaction grows; the insert itself already knows."""
    db = db or connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql":
        return insert_unregistered_by_copy(values, db)
    fields = person_fields()
    ops = db.ops
    table = ops.quote_name(Person._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    target = conflict_target(db)
    at = [f.attname for f in fields].index("id_number_index")
    row = "(" + ", ".join(["?"] * len(fields)) + ")"
    limit = upsert_limit(db)
    inserted: set[str] = set()
    db.ensure_connection()
    # The sqlite3 connection itself (same transaction): Django's cursor would rewrite the
    # 28,000 placeholders of each statement from %s to ? while holding Python's lock.
    raw = db.connection
    with db.wrap_database_errors:
        for start in range(0, len(values), limit):
            chunk = values[start : start + limit]
            done = raw.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row] * len(chunk))
                + f" {target} DO NOTHING",
                list(chain.from_iterable(chunk)),
            )
            if done.rowcount == len(chunk):  # the usual case: nobody was registered yet
                inserted.update(values_row[at] for values_row in chunk)
            else:
                inserted |= _ours(chunk, fields, db)
    return inserted


def _ours(values: list[tuple[Any, ...]], fields: list[Any], db: BaseDatabaseWrapper) -> set[str]:
    """The blind indexes of the rows in `values` that the database stored (not skipped as
    registered already): a stored row is ours when its ID ciphertext is the very token we made
    (each has its own random nonce), which holds whoever else is importing at the same time."""
    names = [f.attname for f in fields]
    at_index, at_token = names.index("id_number_index"), names.index("id_number")
    ops = db.ops
    head = (
        f"SELECT {ops.quote_name('id_number_index')}, {ops.quote_name('id_number')} "  # noqa: S608
        f"FROM {ops.quote_name(Person._meta.db_table)} WHERE {ops.quote_name('id_number_index')} IN "
    )
    tokens = {row[at_index]: row[at_token] for row in values}
    return {index for index, token in select_in(db, head, list(tokens)) if tokens[index] == token}


def insert_unregistered_by_copy(values: list[tuple[Any, ...]], db: BaseDatabaseWrapper) -> set[str]:
    """PostgreSQL: COPY the batch into a temporary table (dropped at commit), then one
    INSERT … SELECT … ON CONFLICT DO NOTHING. Planning a 2,000-row VALUES list costs PostgreSQL
    more than copying the rows. No RETURNING: reading 2,000 returned rows re-takes Python's lock
    once per network read, and the batch's writer thread would wait for it each time."""
    fields = person_fields()
    ops = db.ops
    table = ops.quote_name(Person._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    at = [f.attname for f in fields].index("id_number_index")
    keys = [row[at] for row in values]
    with db.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS gj_import_person ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY gj_import_person ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM gj_import_person "  # noqa: S608
                       f"{conflict_target(db)} DO NOTHING")
        stored = cursor.rowcount
        cursor.execute("TRUNCATE gj_import_person")
    if stored == len(values):  # the usual case: nobody was registered yet
        return set(keys)
    return _ours(values, fields, db)


def select_in(db: BaseDatabaseWrapper, head: str, keys: list[str]) -> list[tuple[Any, ...]]:
    """The rows of `head` (a SELECT ending in "… IN ") for `keys`, IN_CHUNK keys a statement."""
    rows: list[tuple[Any, ...]] = []
    with db.cursor() as cursor:
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start : start + IN_CHUNK]
            cursor.execute(head + "(" + ", ".join(["%s"] * len(chunk)) + ")", chunk)
            rows.extend(cursor.fetchall())
    return rows


def id_indexes(id_numbers: list[str]) -> list[str]:
    """The blind indexes of ID numbers (what a dry run looks people up by)."""
    return blind_index_many(id_numbers, keyring=keyring(), purpose="person.id_number")
