"""Tests that fail when a case leaks (P-01, Z-07): the narrative and the callback number are never
in plaintext in the database (SQLite: the file's bytes; PostgreSQL: a raw SELECT), in the logs,
in a list page or the API list (there is no export), or in an error page."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from .factories import MOBILE, NARRATIVE, recorded

pytestmark = pytest.mark.django_db

SECRET_WORDS = "用皮带抽打她的后背"  # a part of NARRATIVE


def _everything_in_the_database() -> bytes:
    """Every row of every table as bytes (the database file itself, on SQLite)."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        if name and name != ":memory:" and "mode=memory" not in str(name):
            with open(name, "rb") as db:
                return db.read()
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from the catalogue)
            out.extend(repr(row).encode("utf-8") for row in cursor.fetchall())
    return b"\n".join(out)


def test_the_narrative_is_not_in_plaintext_in_the_database(acting):
    from gongjian.support.services import case as services

    case = recorded("xiaoliu_women", narrative=NARRATIVE, contact_name="杨秀兰", address="小留村三组")
    services.case_step_add(actor=acting("xiaoliu_women"), case=services.case_accept(
        actor=acting("xiaoliu_women"), case=case), kind="visit", note="她说" + SECRET_WORDS)
    connection.cursor().execute("SELECT 1")
    data = _everything_in_the_database()
    assert len(data) > 10000  # the whole database was read
    for secret in (SECRET_WORDS, MOBILE, "杨秀兰", "小留村三组"):
        assert secret.encode("utf-8") not in data, secret
        assert repr(secret).encode("utf-8")[1:-1] not in data
    # The control: the raw row is there, only not readable.
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM support_case WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert raw and SECRET_WORDS not in str(raw)


def test_the_narrative_is_not_in_the_logs(login, caplog):
    caplog.set_level(logging.DEBUG)
    case = recorded("xiaoliu_women", narrative=NARRATIVE)
    client = login("xiaoliu_women")
    client.get(case.get_absolute_url())
    client.post(f"/work/support/cases/{case.pk}/steps/", {"kind": "call", "note": ""})
    client.get("/work/support/cases/")
    login("guojia_women").get(case.get_absolute_url())
    assert SECRET_WORDS not in caplog.text and MOBILE not in caplog.text


def test_no_list_carries_the_narrative(login, api_client):
    recorded("xiaoliu_women", narrative=NARRATIVE)
    pages = [login("xiaoliu_women").get(url).content.decode() for url in (
        "/work/support/cases/", "/work/support/cases/?risk=1", "/work/support/cases/?state=received",
        "/work/support/")]
    pages.append(api_client("xiaoliu_women").get("/api/v1/cases?per_page=100").content.decode())
    for body in pages:
        assert SECRET_WORDS not in body and MOBILE not in body


def test_an_error_page_carries_nothing(login, monkeypatch):
    from gongjian.support.views import case as views

    case = recorded("xiaoliu_women", narrative=NARRATIVE)
    client = login("xiaoliu_women")
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError(NARRATIVE)

    monkeypatch.setattr(views.selectors, "steps_of", broken)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 500
    assert SECRET_WORDS not in response.content.decode()
    # A case out of reach: the 404 says nothing of it either.
    other = login("guojia_women").get(case.get_absolute_url())
    assert other.status_code == 404 and SECRET_WORDS not in other.content.decode()
    assert case.tracking_code not in other.content.decode()
