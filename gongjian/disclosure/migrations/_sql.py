"""Vendor SQL for the disclosure tables: no UPDATE of published rows (T-01), and the full-text
index over the jieba-segmented search column (FTS5 on SQLite, GIN on PostgreSQL)."""

from __future__ import annotations

from typing import Any

IMMUTABLE_TABLES = [
    "disclosure_disclosureversion",
    "disclosure_versionattachment",
    "disclosure_withdrawal",
    "disclosure_merklenode",
    "disclosure_treehead",
]


def sqlite_forwards() -> list[str]:
    out = []
    for table in IMMUTABLE_TABLES:
        out += [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'published records never change'); END;",
        ]
    out += [
        "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_search_fts USING fts5("
        "terms, content='disclosure_searchdocument', content_rowid='id', tokenize='unicode61');",
        "CREATE TRIGGER disclosure_search_ai AFTER INSERT ON disclosure_searchdocument BEGIN "
        "INSERT INTO disclosure_search_fts(rowid, terms) VALUES (new.id, new.terms); END;",
        "CREATE TRIGGER disclosure_search_ad AFTER DELETE ON disclosure_searchdocument BEGIN "
        "INSERT INTO disclosure_search_fts(disclosure_search_fts, rowid, terms) "
        "VALUES ('delete', old.id, old.terms); END;",
        "CREATE TRIGGER disclosure_search_au AFTER UPDATE ON disclosure_searchdocument BEGIN "
        "INSERT INTO disclosure_search_fts(disclosure_search_fts, rowid, terms) "
        "VALUES ('delete', old.id, old.terms); "
        "INSERT INTO disclosure_search_fts(rowid, terms) VALUES (new.id, new.terms); END;",
    ]
    return out


def sqlite_backwards() -> list[str]:
    out = [f"DROP TRIGGER IF EXISTS {t}_no_update;" for t in IMMUTABLE_TABLES]
    out += [f"DROP TRIGGER IF EXISTS disclosure_search_{s};" for s in ("ai", "ad", "au")]
    out.append("DROP TABLE IF EXISTS disclosure_search_fts;")
    return out


def postgres_forwards() -> list[str]:
    out = [
        """CREATE OR REPLACE FUNCTION disclosure_published_immutable() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'published records never change'; END; $$ LANGUAGE plpgsql;"""
    ]
    for table in IMMUTABLE_TABLES:
        out += [
            f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION disclosure_published_immutable();",
        ]
    out.append("CREATE INDEX IF NOT EXISTS disclosure_search_gin ON disclosure_searchdocument "
               "USING GIN (to_tsvector('simple', terms));")
    return out


def postgres_backwards() -> list[str]:
    out = [f"DROP TRIGGER IF EXISTS {t}_no_update ON {t};" for t in IMMUTABLE_TABLES]
    out += ["DROP FUNCTION IF EXISTS disclosure_published_immutable();",
            "DROP INDEX IF EXISTS disclosure_search_gin;"]
    return out


def run(connection: Any, forwards: bool) -> None:
    if connection.vendor == "postgresql":
        statements = postgres_forwards() if forwards else postgres_backwards()
    elif connection.vendor == "sqlite":
        statements = sqlite_forwards() if forwards else sqlite_backwards()
    else:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def set_guards(connection: Any, on: bool) -> None:
    """Only the no-UPDATE triggers (for the tamper tests that play an attacker)."""
    if connection.vendor == "postgresql":
        statements = [sql for sql in (postgres_forwards() if on else postgres_backwards())
                      if "TRIGGER" in sql or ("FUNCTION" in sql and on)]
    else:
        statements = [sql for sql in (sqlite_forwards() if on else sqlite_backwards())
                      if "_no_update" in sql]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
