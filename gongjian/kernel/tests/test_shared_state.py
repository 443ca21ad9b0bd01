"""What several app servers must share, checked in one process on both databases (issue 12 §6;
ADR 0040). The servers themselves are started by test_scaleout.py (PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from config.settings import base
from gongjian.kernel import attachments, backup
from gongjian.kernel.cache import SharedRedisCache, ping
from gongjian.kernel.middleware import client_ip

REDIS_URL = os.environ.get("GONGJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


# --- settings from the environment ----------------------------------------------------------------------


def test_the_cache_is_local_memory_unless_a_redis_url_is_set(monkeypatch):
    monkeypatch.delenv("GONGJIAN_REDIS_URL", raising=False)
    assert base.cache_from_env()["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("GONGJIAN_REDIS_URL", "redis://cache.internal:6379/2")
    shared = base.cache_from_env()
    assert shared["BACKEND"] == "gongjian.kernel.cache.SharedRedisCache"
    assert shared["LOCATION"] == "redis://cache.internal:6379/2" and shared["KEY_PREFIX"] == "gongjian"


def test_uploads_are_on_the_filesystem_unless_an_s3_bucket_is_set(monkeypatch):
    monkeypatch.delenv("GONGJIAN_S3_BUCKET", raising=False)
    assert base.file_storage_from_env() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("GONGJIAN_S3_BUCKET", "gongjian-uploads")
    monkeypatch.setenv("GONGJIAN_S3_ENDPOINT_URL", "https://oss.example.gov.cn")
    s3 = base.file_storage_from_env()
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    # Private, never overwritten, never handed out by a lasting URL.
    assert options["bucket_name"] == "gongjian-uploads" and options["endpoint_url"] == "https://oss.example.gov.cn"
    assert options["default_acl"] == "private" and options["file_overwrite"] is False
    assert options["querystring_auth"] is True and options["querystring_expire"] <= 300


def test_axes_and_the_platform_read_the_same_client_address_behind_the_proxy(settings):
    from axes.helpers import get_client_ip_address

    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.1.1.1, 10.2.2.2", REMOTE_ADDR="127.0.0.1")
    # The proxy appended the address it saw: the last entry. Not the proxy's own REMOTE_ADDR —
    # that would lock an account for every user behind the proxy at once.
    assert get_client_ip_address(request) == client_ip(request) == "10.2.2.2"


# --- the shared cache -----------------------------------------------------------------------------------


def test_an_unreachable_redis_is_a_cache_miss_not_an_error(caplog):
    cache = SharedRedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache.get("board", "missing") == "missing"
    cache.set("board", "page")  # dropped, not raised
    assert cache.add("board", "page") is False and cache.get_many(["a", "b"]) == {}
    assert cache.delete("board") is False and cache.has_key("board") is False
    assert "shared cache unavailable" in caplog.text


@pytest.fixture
def redis_cache(settings: Any) -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); CI runs it")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc})")
    client.flushdb()
    settings.CACHES = {"default": {"BACKEND": "gongjian.kernel.cache.SharedRedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": f"t{os.getpid()}"}}
    yield caches["default"]
    client.flushdb()


def test_the_shared_cache_is_redis_and_health_says_so(redis_cache, db):
    redis_cache.set("k", {"v": 1})
    assert redis_cache.get("k") == {"v": 1}
    assert ping() == "ok"
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json()["cache"] == "ok"


def test_health_stays_green_without_the_shared_cache(settings, db):
    settings.CACHES = {"default": {"BACKEND": "gongjian.kernel.cache.SharedRedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0", "OPTIONS": {"socket_connect_timeout": 0.2}}}
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json()["cache"] == "unavailable"


def test_the_public_board_cached_by_one_server_is_never_stale_on_another(redis_cache, acting):
    """The key carries the board's revision from the database: a publication anywhere changes it."""
    from gongjian.disclosure import selectors, services
    from gongjian.disclosure.tests.factories import approved

    item = approved(acting, title="两台服务器之间的公开栏")
    org = item.organization
    before = Client().get(f"/disclosure/org/{org.pk}/").content.decode()
    assert "两台服务器之间的公开栏" not in before
    key_before = selectors.board_cache_key(organization=org, variant="page:zh-hans")
    assert redis_cache.get(key_before) is not None  # rendered into the shared cache
    services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    # Another server, holding the old page under the old key, looks under the new one.
    assert selectors.board_cache_key(organization=org, variant="page:zh-hans") != key_before
    assert "两台服务器之间的公开栏" in Client().get(f"/disclosure/org/{org.pk}/").content.decode()


# --- uploads through the storage, never a path --------------------------------------------------------------


@pytest.fixture
def object_storage(settings: Any) -> Any:
    """A storage with no folder at all (as object storage has none): any path use would fail."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return default_storage


def test_an_upload_is_stored_served_and_backed_up_through_any_storage(object_storage, db, settings):
    from gongjian.kernel.models import Organization

    pdf = b"%PDF-1.4 in object storage\n"
    stored = attachments.store_upload(SimpleUploadedFile("通知.pdf", pdf), actor=None,
                                      organization=Organization.objects.order_by("pk").first())
    assert isinstance(object_storage._wrapped, InMemoryStorage)
    assert object_storage.exists(attachments.storage_path(stored.storage_name))
    assert attachments.read_bytes(stored) == pdf
    response = attachments.file_response(RequestFactory().get("/"), stored)
    assert b"".join(response.streaming_content) == pdf  # type: ignore[arg-type]
    listed = dict(backup.media_files())
    assert listed[attachments.storage_path(stored.storage_name)] == f"files/{attachments.storage_path(stored.storage_name)}"
    # Nothing reached the folder the filesystem storage would use.
    assert not (Path(settings.MEDIA_ROOT) / attachments.storage_path(stored.storage_name)).exists()


def test_the_restore_drill_never_restores_into_the_platforms_shared_files(monkeypatch, settings, tmp_path, db):
    """On several servers the upload folder or bucket is shared: the drill's scratch restore must
    write its files into its own scratch folder, whatever the platform's storage settings say."""
    import subprocess

    monkeypatch.setenv("GONGJIAN_MEDIA_ROOT", "/srv/gongjian-files")
    monkeypatch.setenv("GONGJIAN_S3_BUCKET", "gongjian-uploads")
    monkeypatch.setenv("GONGJIAN_S3_SECRET_ACCESS_KEY", "not-for-the-drill")
    settings.GONGJIAN_BACKUP_DIR = tmp_path
    seen: dict[str, Any] = {}

    def restore(command: list[str], *, env: dict[str, str], **kwargs: Any) -> Any:
        seen.update(env)
        return subprocess.CompletedProcess(command, 0, "恢复完成并核验通过", "")

    monkeypatch.setattr(backup.subprocess, "run", restore)
    entry = backup.drill_run(tmp_path / "gongjian-20261201-020000.gjbk")
    assert entry["result"] == "passed"
    assert seen["GONGJIAN_MEDIA_ROOT"].startswith(seen["GONGJIAN_VAR_DIR"])
    assert not any(key.startswith("GONGJIAN_S3_") for key in seen)
