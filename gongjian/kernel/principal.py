"""Who is signed in, loaded once per request for the price of one small query (issue 12 §7, ADR 0038).

Every staff request used to load the account with her person, her current positions with their
organisations and her second factor's stamp: four ORM queries, most of the time of a page that does
little else. Now one precompiled query reads what must never be stale — the account's `is_active`,
password hash (the session's auth hash is made from it), password-change flags, admin role, its
`access_stamp` and the confirmed second factor's stamp — and everything else (the account with her
person, her current positions and organisations) comes from a per-process snapshot keyed by the
account, its `access_stamp` and today's date.

The snapshot also holds her unrevoked grants (`permissions.current_grants` drops the ones that have
expired since), so a page that asks `can()` for a power she lacks by role needs no grants query.

`access_stamp` changes (`touch`) whenever what the snapshot holds may have changed: the account, her
person, a position of her person, an organisation she holds a position or a grant in, a grant of
hers (signals below). A change
made behind the signals' back (a bulk `update()`) is picked up when the snapshot ages out
(`MAX_AGE`); the fields that decide whether the session is valid at all are read fresh every time.
The snapshot is per process and holds no secret beyond what the process already loads.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connections, router
from django.db.models import Field, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Grant, Organization, Person, Position, SecondFactor, User

MAX_AGE = 120.0  # seconds a snapshot may serve without its stamp having changed
MAX_ENTRIES = 4096

#: Read fresh on every request: what decides whether the session still stands.
FRESH = ("is_active", "is_superuser", "is_staff", "password", "must_change_password", "password_changed_at",
         "admin_role", "access_stamp")


def new_stamp() -> str:
    return secrets.token_hex(8)


@dataclass
class _Snapshot:
    user: User
    positions: list[Position]
    grants: list[Grant]
    stamp: str
    day: date
    taken: float


_lock = threading.Lock()
_snapshots: OrderedDict[int, _Snapshot] = OrderedDict()
_compiled: dict[tuple[str, str], tuple[str, int]] = {}  # (alias, vendor) -> (sql, index of the id)


def _fresh_sql(alias: str) -> tuple[str, int]:
    connection = connections[alias]
    key = (alias, connection.vendor)
    found = _compiled.get(key)
    if found is None:
        marker = -987654321
        factor = SecondFactor.objects.filter(user_id=OuterRef("pk"), confirmed_at__isnull=False).values("stamp")[:1]
        query = (User.objects.filter(pk=marker).annotate(confirmed_factor_stamp=Subquery(factor))
                 .values_list(*FRESH, "confirmed_factor_stamp"))
        sql, params = query.query.get_compiler(alias).as_sql()
        found = (sql, list(params).index(marker))
        _compiled[key] = found
    return found


def _read_fresh(user_id: int) -> tuple[Any, ...] | None:
    alias = router.db_for_read(User)
    sql, index = _fresh_sql(alias)
    connection = connections[alias]
    params: list[Any] = [None]
    params[index:index + 1] = [user_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    # The fields' own converters (SQLite gives a datetime as text and a boolean as 0/1).
    for i, name in enumerate(FRESH):
        field = User._meta.get_field(name)
        assert isinstance(field, Field)
        column = field.get_col(User._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            values[i] = converter(values[i], column, connection)
    return tuple(values)


def load(user_id: int) -> User | None:
    """The account for this request: fresh where it matters, the rest from the snapshot."""
    fresh = _read_fresh(user_id)
    if fresh is None:
        return None
    *columns, factor_stamp = fresh
    stamp = columns[FRESH.index("access_stamp")]
    today = timezone.localdate()
    now = time.monotonic()
    with _lock:
        snap = _snapshots.get(user_id)
        if snap is not None and (snap.stamp != stamp or snap.day != today or now - snap.taken > MAX_AGE):
            snap = None
    if snap is None:
        user = (User.objects.select_related("person")
                .defer("person__id_number", "person__mobile").filter(pk=user_id).first())
        if user is None:
            return None
        positions = list(user.current_positions())
        # Unrevoked grants not yet expired; `permissions.current_grants` drops those that expire
        # while the snapshot lives.
        grants = list(Grant.objects.filter(user_id=user_id, revoked_at__isnull=True,
                                           expires_at__gt=timezone.now()).select_related("organization"))
        snap = _Snapshot(user=user, positions=positions, grants=grants, stamp=stamp, day=today, taken=now)
        with _lock:
            _snapshots[user_id] = snap
            _snapshots.move_to_end(user_id)
            while len(_snapshots) > MAX_ENTRIES:
                _snapshots.popitem(last=False)
    user = copy.copy(snap.user)
    user._state = copy.copy(snap.user._state)
    user._state.fields_cache = dict(snap.user._state.fields_cache)
    for name, value in zip(FRESH, columns, strict=True):
        setattr(user, name, value)
    # An admin-role account acts in no position (Z-06), whatever the snapshot saw.
    user.principal_positions = [] if user.admin_role else list(snap.positions)
    user.principal_grants = snap.grants
    user.factor_stamp = factor_stamp or ""
    return user


def forget(user_id: int | None = None) -> None:
    """Drop this process's snapshots (one account's, or all: tests, a changed clock)."""
    with _lock:
        if user_id is None:
            _snapshots.clear()
        else:
            _snapshots.pop(user_id, None)


def touch(**lookup: Any) -> None:
    """A new `access_stamp` for the accounts the lookup names (every process reloads them)."""
    User.objects.filter(**lookup).update(access_stamp=new_stamp())
    if "pk" in lookup:
        forget(lookup["pk"])


# --- what changes a snapshot ------------------------------------------------------------------------


@receiver(post_save, sender=User, dispatch_uid="principal-user")
def _user_saved(sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login", "access_stamp"}:
        return  # a sign-in stamps last_login: nothing the snapshot shows
    touch(pk=instance.pk)


@receiver(post_save, sender=Person, dispatch_uid="principal-person")
def _person_saved(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    touch(person_id=instance.pk)


@receiver(post_save, sender=Position, dispatch_uid="principal-position-saved")
@receiver(post_delete, sender=Position, dispatch_uid="principal-position-deleted")
def _position_changed(sender: type[Position], instance: Position, **kwargs: Any) -> None:
    touch(person_id=instance.person_id)


@receiver(post_save, sender=Organization, dispatch_uid="principal-organization")
def _organization_saved(sender: type[Organization], instance: Organization, **kwargs: Any) -> None:
    touch(person__positions__organization_id=instance.pk)
    touch(grants__organization_id=instance.pk)


@receiver(post_save, sender=Grant, dispatch_uid="principal-grant-saved")
@receiver(post_delete, sender=Grant, dispatch_uid="principal-grant-deleted")
def _grant_changed(sender: type[Grant], instance: Grant, **kwargs: Any) -> None:
    touch(pk=instance.user_id)
