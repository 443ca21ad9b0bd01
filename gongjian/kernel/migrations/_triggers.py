"""The append-only triggers on the audit table, shared by the migration and the tamper tests."""

from __future__ import annotations

from typing import Any

SQLITE = [
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_delete;",
    "CREATE TRIGGER kernel_auditevent_no_update BEFORE UPDATE ON kernel_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    "CREATE TRIGGER kernel_auditevent_no_delete BEFORE DELETE ON kernel_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
SQLITE_REVERSE = SQLITE[:2]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION kernel_auditevent_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_change ON kernel_auditevent;",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_truncate ON kernel_auditevent;",
    "CREATE TRIGGER kernel_auditevent_no_change BEFORE UPDATE OR DELETE ON kernel_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION kernel_auditevent_append_only();",
    "CREATE TRIGGER kernel_auditevent_no_truncate BEFORE TRUNCATE ON kernel_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION kernel_auditevent_append_only();",
    "ALTER TABLE kernel_auditevent ENABLE TRIGGER USER;",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_change ON kernel_auditevent;",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_truncate ON kernel_auditevent;",
    "DROP FUNCTION IF EXISTS kernel_auditevent_append_only();",
]


def install(connection: Any) -> None:
    statements = POSTGRES if connection.vendor == "postgresql" else SQLITE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    statements = POSTGRES_REVERSE if connection.vendor == "postgresql" else SQLITE_REVERSE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
