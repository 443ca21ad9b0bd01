"""Platform baseline: health check, headers, error pages, SQLite durability, language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db

ARCHIVE_STATES = {"ok", "waiting", "stale", "failing", "off", "unknown"}


def without_archive(report: dict) -> dict:
    """/healthz also reports PostgreSQL's WAL archiving (B-01), never on SQLite: checked, then set aside."""
    rest = dict(report)
    state = rest.pop("wal_archive", None)
    if connection.vendor == "sqlite":
        assert state is None
    else:
        assert state in ARCHIVE_STATES
    return rest


def test_healthz_reports_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200 and without_archive(response.json()) == {"database": "ok", "disk": "ok"}


def test_healthz_is_503_when_the_database_is_down(monkeypatch):
    from django.db import DatabaseError

    from gongjian.kernel import views

    class Down:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr(views, "connection", Down())
    response = Client().get("/healthz")
    assert response.status_code == 503


def test_healthz_is_503_when_a_write_cannot_be_made(monkeypatch):
    """Reads work, writes do not (a locked or read-only database, issue 12): not healthy."""
    from django.db import OperationalError

    from gongjian.kernel.models import RateCounter

    def refuse(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(RateCounter.objects, "create", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"
    assert not RateCounter.objects.filter(key="healthz").exists()


def test_healthz_is_503_when_the_disk_is_nearly_full(monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(100 * 2**30, 99 * 2**30, 300 * 2**20))
    response = Client().get("/healthz")
    assert response.status_code == 503 and without_archive(response.json()) == {"database": "ok", "disk": "low"}


def test_a_locked_database_answers_a_chinese_page_and_api_json_not_a_500(monkeypatch, login, api_client):
    """Issue 12 §5: pages say so in Chinese, the API answers JSON, 503 with Retry-After."""
    from django.db import OperationalError

    from gongjian.kernel import selectors

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(selectors, "person_list_visible_to", locked)
    page = login("taihua_fed")
    page.raise_request_exception = False
    response = page.get("/work/people/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "系统繁忙" in response.content.decode() and "没有保存" in response.content.decode()
    api = api_client("taihua_fed")
    api.raise_request_exception = False
    answer = api.get("/api/v1/people")
    assert answer.status_code == 503 and answer["Content-Type"].startswith("application/json")
    assert "系统繁忙" in answer.json()["detail"]


def test_a_bug_is_still_a_plain_500(monkeypatch, login):
    from gongjian.kernel import selectors

    def broken(*args, **kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(selectors, "person_list_visible_to", broken)
    page = login("taihua_fed")
    page.raise_request_exception = False
    response = page.get("/work/people/")
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


def test_csp_and_security_headers_are_set(login):
    for client, url in ((Client(), "/"), (Client(), "/work/login/"), (login("taihua_fed"), "/work/people/")):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_are_chinese_by_default():
    body = Client().get("/work/login/").content.decode()
    assert 'lang="zh-CN"' in body and "登录" in body


def test_english_is_available():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/work/login/"})
    body = client.get("/work/login/").content.decode()
    assert 'lang="en"' in body


def test_404_page_is_plain_chinese_without_internals():
    response = Client().get("/work/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "Traceback" not in body and "urlpatterns" not in body


def test_500_page_has_no_traceback(settings):
    from django.urls import path

    from gongjian.kernel.decorators import public_view

    @public_view
    def boom(request):
        raise RuntimeError("secret internals")

    import config.urls

    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [path("boom/", boom)] + config.urls.urlpatterns,
                                           "handler500": config.urls.handler500})
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_pages_load_nothing_from_other_hosts(login):
    import re

    for client, url in ((Client(), "/"), (Client(), "/work/login/"), (login("taihua_fed"), "/work/")):
        body = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', body), url


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_full_sync():
    with connection.cursor() as c:
        c.execute("PRAGMA synchronous")
        assert c.fetchone()[0] == 2
        c.execute("PRAGMA journal_mode")
        assert c.fetchone()[0] == "wal"


@pytest.mark.postgres_only
def test_postgres_keeps_connections_and_checks_them():
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_settings_use_immediate_transactions_on_sqlite():
    import os

    from config.settings.base import database_from_env

    old = os.environ.pop("DATABASE_URL", None)
    try:
        cfg = database_from_env()
    finally:
        if old is not None:
            os.environ["DATABASE_URL"] = old
    assert cfg["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "synchronous=FULL" in cfg["OPTIONS"]["init_command"]
    assert "journal_mode=WAL" in cfg["OPTIONS"]["init_command"]


def test_production_settings_refuse_missing_secrets(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.delenv("GONGJIAN_FIELD_KEYS", raising=False)
    monkeypatch.setenv("GONGJIAN_VAR_DIR", "/nonexistent")
    sys.modules.pop("config.settings.prod", None)
    sys.modules.pop("config.settings.base", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("config.settings.prod")
    sys.modules.pop("config.settings.base", None)
    importlib.import_module("config.settings.base")


def test_production_settings_refuse_to_start_without_the_audit_key(tmp_path):
    import base64
    import os
    import secrets
    import subprocess
    import sys

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.prod",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(60), GONGJIAN_VAR_DIR=str(tmp_path),
               GONGJIAN_FIELD_KEYS="k1:" + base64.b64encode(secrets.token_bytes(32)).decode())
    env.pop("GONGJIAN_AUDIT_KEY", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "GONGJIAN_AUDIT_KEY" in result.stderr


def test_production_settings_pass_the_deploy_checklist(tmp_path):
    import base64
    import os
    import secrets
    import subprocess
    import sys

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.prod",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(60), GONGJIAN_VAR_DIR=str(tmp_path),
               GONGJIAN_FIELD_KEYS="k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
               GONGJIAN_AUDIT_KEY=base64.b64encode(secrets.token_bytes(32)).decode())
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_english_pages_are_translated():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/work/login/"})
    body = client.get("/work/login/").content.decode()
    assert "Password" in body and "密码" not in body


def test_every_model_change_has_its_migration():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        raise AssertionError("models changed without a migration:\n" + out.getvalue()) from exc


def test_ci_waits_for_the_package_managers_lock_instead_of_failing():
    """Issue 12 §5: `.ci/run` waits when another install holds the dpkg lock (every apt-get call)."""
    import re
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / ".ci" / "run").read_text()
    calls = re.findall(r"^\s*apt-get\b.*$", script, flags=re.MULTILINE)
    assert calls, "the CI script installs nothing with apt-get any more: update this test"
    for call in calls:
        match = re.search(r"-o DPkg::Lock::Timeout=(\d+)", call)
        assert match and int(match.group(1)) >= 60, call
