"""L-03 (issue 12): in production the app connects as a role that reads and writes rows but cannot
change the schema, drop the audit triggers, or update or delete an audit row."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import connection

from gongjian.kernel import dbroles

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def _connect(user: str):  # noqa: ANN202 — a psycopg connection
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                           dbname=settings["NAME"], user=user, password=settings.get("PASSWORD") or None,
                           autocommit=True)


@pytest.fixture
def app_role() -> Iterator[str]:
    """A login role granted what `gongjian db_grants` grants, through a committed connection (the
    test's own connection sits inside a transaction no other session sees)."""
    role = f"gj_app_{uuid.uuid4().hex[:8]}"
    owner = _connect(connection.settings_dict["USER"])
    owner.execute(f'CREATE ROLE "{role}" LOGIN')
    for sql in dbroles.grant_statements(role):
        owner.execute(sql)
    try:
        yield role
    finally:
        owner.execute(f'DROP OWNED BY "{role}"')
        owner.execute(f'DROP ROLE "{role}"')
        owner.close()


def test_the_app_role_reads_and_writes_rows_but_cannot_touch_the_schema_or_the_audit_trail(app_role: str) -> None:
    import psycopg.errors

    app = _connect(app_role)
    try:
        assert app.execute("SELECT count(*) FROM kernel_organization").fetchone()[0] > 0
        with app.transaction(force_rollback=True):
            app.execute("INSERT INTO kernel_ratecounter (key, window_start, count) VALUES ('x', now(), 1)")
            app.execute("UPDATE kernel_ratecounter SET count = 2 WHERE key = 'x'")
            app.execute("DELETE FROM kernel_ratecounter WHERE key = 'x'")
        refused = [
            "CREATE TABLE gj_evil (x int)",
            "ALTER TABLE kernel_person ADD COLUMN evil int",
            "DROP TRIGGER kernel_auditevent_no_change ON kernel_auditevent",
            "ALTER TABLE kernel_auditevent DISABLE TRIGGER USER",
            "UPDATE kernel_auditevent SET event = 'x' WHERE chain_index = 1",
            "DELETE FROM kernel_auditevent WHERE chain_index = 1",
            "TRUNCATE kernel_auditevent",
            "DELETE FROM kernel_audithead",
        ]
        for sql in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege), app.transaction(force_rollback=True):
                app.execute(sql)
    finally:
        app.close()


def test_the_grants_are_printed_for_the_operator() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("db_grants", "gongjian_app", "--print", stdout=out)
    text = out.getvalue()
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "gongjian_app";' in text
    assert 'REVOKE UPDATE, DELETE ON "public"."kernel_auditevent" FROM "gongjian_app";' in text
