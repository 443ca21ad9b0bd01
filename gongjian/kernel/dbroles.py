"""The database role the app connects as in production (L-03, issue 12): it reads and writes rows,
and cannot change the schema or rewrite the audit trail. Migrations run as the owner role
(`DATABASE_URL` of the owner for `gongjian migrate`); the app servers and workers get the app role's
URL. PostgreSQL only (SQLite has no roles: the file's permissions are the boundary there).

`gongjian db_grants APP_ROLE` (as the owner) grants, on every table and sequence of the schema:
- SELECT, INSERT, UPDATE, DELETE — except the audit tables, which get SELECT and INSERT only
  (kernel_auditevent, and the head row it advances is updated, never deleted);
- USAGE on the sequences; nothing else: no CREATE on the schema, no TRUNCATE, REFERENCES or
  TRIGGER, so no DROP TRIGGER and no ALTER TABLE.
Run it again after each migration (new tables need their grants); `ALTER DEFAULT PRIVILEGES` makes
tables the owner creates later readable and writable at once, and this command then narrows the
audit tables again."""

from __future__ import annotations

from django.db import connection

#: Tables the app may append to and read, never change or delete (L-03).
APPEND_ONLY = ("kernel_auditevent",)
#: The audit head is moved forward by UPDATE, never deleted.
NO_DELETE = ("kernel_audithead",)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def grant_statements(role: str, *, schema: str = "public") -> list[str]:
    """The SQL that gives `role` exactly the app's rights on the current database."""
    r, s = _quote(role), _quote(schema)
    statements = [
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"REVOKE ALL ON SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT CONNECT ON DATABASE {_quote(connection.settings_dict['NAME'])} TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    for table in APPEND_ONLY:
        statements.append(f"REVOKE UPDATE, DELETE ON {s}.{_quote(table)} FROM {r}")
    for table in NO_DELETE:
        statements.append(f"REVOKE DELETE ON {s}.{_quote(table)} FROM {r}")
    return statements


def grant(role: str) -> list[str]:
    """Run the grants on the default connection (the owner's); returns what was run."""
    if connection.vendor != "postgresql":
        raise RuntimeError("database roles are a PostgreSQL matter")
    statements = grant_statements(role)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return statements
