"""The one way to leave an audit record: append to the hash chain inside the caller's transaction.

A failed audit write raises, so the operation around it rolls back (L-07: fail closed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from . import context
from .models import AuditEvent, AuditHead, Organization, User

GENESIS = "0" * 64

# Fields whose values never enter the audit table in clear (L-06): they are masked first.
MASKED_FIELDS: dict[str, Any] = {}


def _register_masks() -> None:
    from .identity import mask_id_number, mask_mobile

    MASKED_FIELDS.update({"id_number": mask_id_number, "mobile": mask_mobile})


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-able values, personal data masked."""
    if not MASKED_FIELDS:
        _register_masks()
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, getattr(field, "attname", name))
        if name in MASKED_FIELDS and value:
            value = MASKED_FIELDS[name](value)
        out[name] = _jsonable(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only what changed, as {"field": [old, new]}."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def canonical(event: AuditEvent) -> bytes:
    """The bytes a row hash covers: every recorded column, in a fixed order."""
    body = {
        "chain_index": event.chain_index,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "acting_organization": event.acting_organization_id,
        "event": event.event,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
        "ip": event.ip,
        "request_id": event.request_id,
        "result": event.result,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical(event)).hexdigest()


def record(
    obj: models.Model | None,
    event: str,
    *,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    organization: Organization | None = None,
    object_type: str = "",
    object_id: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one event (dotted code like "kernel.person.created") to the chain."""
    ctx = context.current()
    acting = getattr(actor, "acting", None) if actor is not None else None
    if organization is None and acting is not None:
        organization = acting.organization
    with transaction.atomic():
        head, _ = AuditHead.objects.get_or_create(id=1)
        # Lock the head so appends are strictly ordered; on SQLite the IMMEDIATE transaction
        # already serialises writers.
        head = AuditHead.objects.select_for_update().get(id=1)
        entry = AuditEvent(
            chain_index=head.count + 1,
            at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=(actor.get_username() if actor is not None and actor.pk else username)[:150],
            acting_organization=organization,
            event=event,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None and obj.pk is not None else ""),
            changes=_jsonable(changes or {}),
            ip=ctx.ip,
            request_id=ctx.request_id,
            result=result,
            prev_hash=head.last_hash,
        )
        entry.row_hash = chain_hash(head.last_hash, entry)
        entry.save(force_insert=True)
        AuditHead.objects.filter(id=1).update(count=entry.chain_index, last_hash=entry.row_hash)
    return entry


@dataclass(frozen=True)
class ChainProblem:
    chain_index: int
    kind: str  # "edited", "missing", "reordered", "truncated"
    detail: str


def verify_chain(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk the chain in order and report every row that breaks it."""
    expected_index = 1
    prev_hash = GENESIS
    last_seen = 0
    qs = AuditEvent.objects.order_by("chain_index")
    for event in qs.iterator(chunk_size=batch_size):
        if event.chain_index != expected_index:
            kind = "missing" if event.chain_index > expected_index else "reordered"
            yield ChainProblem(expected_index, kind, f"expected #{expected_index}, found #{event.chain_index}")
            expected_index = event.chain_index
        if event.prev_hash != prev_hash:
            yield ChainProblem(event.chain_index, "reordered", "previous-hash link does not match")
        if chain_hash(event.prev_hash, event) != event.row_hash:
            yield ChainProblem(event.chain_index, "edited", "content does not match its hash")
        prev_hash = event.row_hash
        last_seen = event.chain_index
        expected_index += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.count != last_seen or head.last_hash != prev_hash):
        yield ChainProblem(last_seen + 1, "truncated", f"head says {head.count} events, chain has {last_seen}")


# --- checkpoints out of the database (L-04, issue 12) -----------------------------------------------
# Someone holding the database file can drop the triggers, delete the newest rows and fix the head,
# or edit a row and re-hash every row after it: the chain alone still verifies. A checkpoint — the
# chain's length and last hash at a moment, with an HMAC under a key that is not in the database —
# is appended to a file outside the database (the scheduler writes one every hour; operators copy
# the file off the host). `verify_checkpoints` finds the chain shorter than a checkpoint (rows cut
# off) or holding another hash at a checkpointed index (rows rewritten), and a checkpoint whose MAC
# fails (forged or damaged). What changed after the newest checkpoint is what an hour can hide.


def _audit_key() -> bytes:
    key = settings.GONGJIAN_AUDIT_KEY
    if not key:
        raise ImproperlyConfigured("GONGJIAN_AUDIT_KEY is not set (run `gongjian init-secrets` in development)")
    return base64.b64decode(key)


def _checkpoint_mac(body: dict[str, Any]) -> str:
    message = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_audit_key(), message, hashlib.sha256).hexdigest()


def checkpoint_write(path: Path | None = None) -> dict[str, Any]:
    """Append the chain's current length and last hash, with its MAC, to the checkpoint file."""
    path = Path(path or settings.GONGJIAN_AUDIT_CHECKPOINTS)
    head = AuditHead.objects.filter(id=1).first()
    body = {"count": head.count if head else 0, "last_hash": head.last_hash if head else GENESIS,
            "at": timezone.now().astimezone(UTC).isoformat(timespec="seconds")}
    line = {**body, "mac": _checkpoint_mac(body)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return line


def checkpoint_latest(path: Path | None = None) -> dict[str, Any] | None:
    """The newest checkpoint in the file whose MAC holds, or None (no file, none valid)."""
    path = Path(path or settings.GONGJIAN_AUDIT_CHECKPOINTS)
    if not path.exists():
        return None
    for raw in reversed(path.read_text(encoding="utf-8").splitlines()):
        try:
            line = json.loads(raw)
            body = {"count": int(line["count"]), "last_hash": str(line["last_hash"]), "at": str(line["at"])}
            if hmac.compare_digest(str(line["mac"]), _checkpoint_mac(body)):
                return body
        except (ValueError, KeyError, TypeError):
            continue
    return None


def verify_checkpoints(path: Path | None = None) -> Iterator[ChainProblem]:
    """Hold the chain in the database against every checkpoint in the file."""
    path = Path(path or settings.GONGJIAN_AUDIT_CHECKPOINTS)
    if not path.exists():
        return
    head = AuditHead.objects.filter(id=1).first()
    length = AuditEvent.objects.order_by("-chain_index").values_list("chain_index", flat=True).first() or 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            count, last_hash, at = int(line["count"]), str(line["last_hash"]), str(line["at"])
            body: dict[str, Any] = {"count": count, "last_hash": last_hash, "at": at}
            mac = str(line["mac"])
        except (ValueError, KeyError, TypeError):
            yield ChainProblem(0, "checkpoint", f"checkpoint line {number} is unreadable")
            continue
        if not hmac.compare_digest(mac, _checkpoint_mac(body)):
            yield ChainProblem(count, "checkpoint", f"checkpoint line {number} fails its MAC (forged or damaged)")
            continue
        if count == 0:
            continue
        if length < count or (head is not None and head.count < count):
            yield ChainProblem(length + 1, "truncated",
                               f"checkpoint of {at} saw {count} events, the chain now has {length}")
            continue
        row_hash = AuditEvent.objects.filter(chain_index=count).values_list("row_hash", flat=True).first()
        if row_hash != last_hash:
            yield ChainProblem(count, "rewritten", f"event #{count} is not the one checkpointed at {at} (rows rewritten)")
