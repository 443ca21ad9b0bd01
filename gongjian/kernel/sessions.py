"""Database sessions whose every-request read runs precompiled SQL (issue 12 §7, ADR 0038).

Django's database session store builds and compiles `Session.objects.get(session_key=…,
expire_date__gt=now)` on every request: a millisecond of Python for a primary-key lookup. This
store keeps that SQL per database connection's vendor and runs it with the two parameters; every
other operation (create, save, delete, flush, cycle) is Django's own. `SESSION_ENGINE` names it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

_KEY_MARKER = "gongjian-session-key-marker"
_compiled: dict[tuple[str, str], tuple[str, int, int]] = {}


@dataclass(frozen=True)
class _Row:
    session_data: str


def _sql(alias: str) -> tuple[str, int, int]:
    connection = connections[alias]
    found = _compiled.get((alias, connection.vendor))
    if found is None:
        moment = timezone.now()
        query = Session.objects.filter(session_key=_KEY_MARKER, expire_date__gt=moment).values_list("session_data")
        sql, params = query.query.get_compiler(alias).as_sql()
        listed = list(params)
        key_at = listed.index(_KEY_MARKER)
        time_at = next(i for i, value in enumerate(listed) if i != key_at)
        found = (sql, key_at, time_at)
        _compiled[(alias, connection.vendor)] = found
    return found


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def _get_session_from_db(self) -> Any:
        alias = router.db_for_read(Session)
        connection = connections[alias]
        sql, key_at, time_at = _sql(alias)
        params: list[Any] = [None, None]
        params[key_at] = self.session_key
        params[time_at] = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return _Row(row[0])
