"""The cache shared by several app servers (issue 12 §6; ADR 0040).

`GONGJIAN_REDIS_URL` makes Django's own `RedisCache` the default cache, so a page rendered on one
app server is a hit on the others. What the platform caches can always be rebuilt from the
database, under keys that change when the data does (a public board is cached under its
organisation's board revision, the log check under the newest tree head): nothing stale can be
served, whichever server rendered it, and no key ever needs deleting. What must hold across
servers — rate limits, lock-outs, sessions, the one-use challenge tokens, scheduled runs — is kept
in the database, not here.

So a Redis that stops answering must cost speed, never a page: `SharedRedisCache` answers a miss
for a read and drops a write when Redis fails (with a short connect and read timeout from the
settings), and says so in the log at most once a minute per process."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")
WARN_EVERY = 60.0


class SharedRedisCache(RedisCache):
    """Django's RedisCache, failing open: an unreachable Redis is a cache miss, not an error."""

    _warned_at = 0.0

    def _safely(self, action: str, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except RedisError as exc:
            now = time.monotonic()
            if now - SharedRedisCache._warned_at > WARN_EVERY:
                SharedRedisCache._warned_at = now
                logger.warning("shared cache unavailable (%s: %s); serving without it", action, exc)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._safely("get", lambda: super(SharedRedisCache, self).get(key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return self._safely("get_many", lambda: super(SharedRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._safely("has_key", lambda: super(SharedRedisCache, self).has_key(key, version), False)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        self._safely("set", lambda: super(SharedRedisCache, self).set(key, value, timeout, version), None)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        return self._safely("add", lambda: super(SharedRedisCache, self).add(key, value, timeout, version), False)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[Any]:
        return self._safely("set_many", lambda: super(SharedRedisCache, self).set_many(data, timeout, version),
                            list(data))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._safely("touch", lambda: super(SharedRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._safely("delete", lambda: super(SharedRedisCache, self).delete(key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._safely("delete_many", lambda: super(SharedRedisCache, self).delete_many(keys, version), None)


def ping() -> str:
    """'ok', 'unavailable' or 'local' (no shared cache configured): what /healthz reports."""
    from django.core.cache import caches

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return "local"
    try:
        shared: Any = cache  # RedisCache's client is not typed
        client = shared._cache.get_client(write=True)
        return "ok" if client.ping() else "unavailable"
    except RedisError:
        return "unavailable"
