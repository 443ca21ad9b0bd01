"""The publication record (T-01..T-04): canonical bytes of what was published, the Django-backed
Merkle node store, Ed25519-signed tree heads, and the whole-log verifier."""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import merkle
from .models import (
    DisclosureVersion,
    MerkleNode,
    PublicationLog,
    TreeHead,
    VersionAttachment,
    Withdrawal,
)

LOG_NAME = "disclosures"


# ------------------------------------------------------------------ canonical leaf content


def _dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value.isoformat())


def version_bytes(version: DisclosureVersion, files: Sequence[VersionAttachment]) -> bytes:
    """What a version's leaf commits to: every public field and each attachment's digest."""
    return _dumps({
        "type": "disclosure.version",
        "disclosure": version.disclosure_id,
        "organization": version.organization_id,
        "number": version.number,
        "title": version.title,
        "body": version.body,
        "category": version.category,
        "channels": list(version.channels),
        "timing": version.timing,
        "period": version.period,
        "scope": version.scope,
        "public_from": _iso(version.public_from),
        "stage": version.stage,
        "opinions_until": _iso(version.opinions_until),
        "correction_note": version.correction_note,
        "published_at": _iso(version.published_at),
        "attachments": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in files],
    })


def withdrawal_bytes(withdrawal: Withdrawal) -> bytes:
    return _dumps({
        "type": "disclosure.withdrawal",
        "disclosure": withdrawal.disclosure_id,
        "version": withdrawal.version_number,
        "reason": withdrawal.reason,
        "at": _iso(withdrawal.at),
    })


# ----------------------------------------------------------------------- the node store


class DatabaseNodeStore:
    """``merkle.NodeStore`` over `MerkleNode` rows; the caller holds the log row locked."""

    def __init__(self, log: PublicationLog) -> None:
        self.log = log

    def size(self) -> int:
        return int(self.log.size)

    def get_nodes(self, keys: Sequence[merkle.NodeKey]) -> Mapping[merkle.NodeKey, bytes]:
        if not keys:
            return {}
        # The log id inside every OR term, so each term is one probe of the unique index.
        q = models.Q()
        for level, index in keys:
            q |= models.Q(log_id=self.log.pk, level=level, index=index)
        rows = MerkleNode.objects.filter(q).values_list("level", "index", "hash")
        return {(level, index): bytes(digest) for level, index, digest in rows}

    def put_nodes(self, nodes: Sequence[merkle.Node]) -> None:
        leaves = sum(1 for level, _i, _h in nodes if level == 0)
        with transaction.atomic():
            try:
                MerkleNode.objects.bulk_create(
                    [MerkleNode(log=self.log, level=lv, index=ix, hash=h) for lv, ix, h in nodes]
                )
            except IntegrityError as exc:
                raise ValueError("Merkle node already exists; the log is append-only") from exc
            PublicationLog.objects.filter(pk=self.log.pk).update(size=models.F("size") + leaves)
        self.log.size += leaves


def hash_algorithm() -> str:
    return str(getattr(settings, "GONGJIAN_MERKLE_HASH", "sha256") or "sha256").lower()


def get_log(*, lock: bool = False) -> PublicationLog:
    """The publication log row; `lock=True` serialises appenders (inside a transaction) and
    creates the row on the first publication. A reader never writes: before the first
    publication she gets an empty, unsaved log."""
    if not lock:
        found = PublicationLog.objects.filter(name=LOG_NAME).first()
        return found if found is not None else PublicationLog(name=LOG_NAME, algo=hash_algorithm())
    log, _ = PublicationLog.objects.get_or_create(name=LOG_NAME, defaults={"algo": hash_algorithm()})
    return PublicationLog.objects.select_for_update().get(pk=log.pk)


def merkle_log(log: PublicationLog) -> merkle.MerkleLog:
    return merkle.MerkleLog(DatabaseNodeStore(log), algo=log.algo)


# ------------------------------------------------------------------------- signing key


def _key_config() -> str:
    configured = getattr(settings, "GONGJIAN_LOG_SIGNING_KEY", "") or os.environ.get(
        "GONGJIAN_LOG_SIGNING_KEY", ""
    )
    if configured:
        return str(configured).strip()
    path = settings.VAR_DIR / "secrets" / "log_signing_key"
    return path.read_text().strip() if path.exists() else ""


@lru_cache(maxsize=4)
def _private_key(config: str) -> Ed25519PrivateKey:
    if not config:
        raise ImproperlyConfigured(
            "GONGJIAN_LOG_SIGNING_KEY is not set: tree heads cannot be signed (run init-secrets)"
        )
    try:
        raw = base64.b64decode(config, validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError as exc:
        raise ImproperlyConfigured("GONGJIAN_LOG_SIGNING_KEY must be 32 bytes of base64") from exc


def signing_key() -> Ed25519PrivateKey:
    return _private_key(_key_config())


def public_key_bytes() -> bytes:
    return signing_key().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def new_signing_key() -> str:
    """A fresh key in the configured format (base64 of the 32-byte Ed25519 seed)."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def tree_head_message(*, algo: str, size: int, root: bytes, timestamp: datetime) -> bytes:
    """The bytes a tree head's signature covers."""
    return _dumps({
        "log": LOG_NAME, "algo": algo, "size": size, "root": root.hex(),
        "timestamp": int(timestamp.timestamp() * 1000),
    })


def sign_tree_head(log: PublicationLog) -> TreeHead:
    """Sign the log's current root; call with the log row locked (inside the publication)."""
    root = merkle_log(log).root()
    now = timezone.now().replace(microsecond=(timezone.now().microsecond // 1000) * 1000)
    key = signing_key()
    message = tree_head_message(algo=log.algo, size=log.size, root=root, timestamp=now)
    return TreeHead.objects.create(
        log=log, size=log.size, root_hash=root, timestamp=now,
        key_id=key_id(public_key_bytes()), signature=key.sign(message),
    )


def verify_tree_head(head: TreeHead, algo: str, public: bytes | None = None) -> bool:
    public = public or public_key_bytes()
    message = tree_head_message(algo=algo, size=head.size, root=bytes(head.root_hash),
                                timestamp=head.timestamp)
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(bytes(head.signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def tree_head_json(head: TreeHead, algo: str) -> dict[str, Any]:
    return {
        "log": LOG_NAME,
        "algo": algo,
        "tree_size": head.size,
        "root_hash": bytes(head.root_hash).hex(),
        "timestamp": int(head.timestamp.timestamp() * 1000),
        "issued_at": head.timestamp.isoformat(),
        "key_id": head.key_id,
        "public_key": base64.b64encode(public_key_bytes()).decode(),
        "signature": base64.b64encode(bytes(head.signature)).decode(),
    }


def latest_tree_head() -> TreeHead | None:
    return TreeHead.objects.filter(log__name=LOG_NAME).order_by("-size", "-id").first()


# ----------------------------------------------------------------------------- proofs


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]
    root: bytes
    algo: str
    ok: bool


def inclusion_for(version: DisclosureVersion) -> InclusionProof | None:
    """The proof of a version's leaf against the latest signed tree head."""
    head = latest_tree_head()
    if head is None or version.leaf_index >= head.size:
        return None
    log = get_log()
    path = merkle_log(log).inclusion_proof(int(version.leaf_index), head.size)
    leaf = bytes(version.leaf_hash)
    root = bytes(head.root_hash)
    ok = merkle.verify_inclusion(leaf, int(version.leaf_index), head.size, path, root, log.algo)
    return InclusionProof(int(version.leaf_index), head.size, leaf, path, root, log.algo, ok)


# --------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Problem:
    leaf_index: int | None
    kind: str  # "content", "leaf", "missing", "root", "signature", "attachment"
    detail: str
    version_id: int | None = None


def _records() -> Iterator[tuple[int, bytes, str, int | None]]:
    """Every leaf's recomputed content in leaf order: (leaf_index, bytes, label, version id)."""
    files: dict[int, list[VersionAttachment]] = {}
    for f in VersionAttachment.objects.order_by("id").iterator(chunk_size=2000):
        files.setdefault(f.version_id, []).append(f)

    def versions() -> Iterator[tuple[int, bytes, str, int | None]]:
        for v in DisclosureVersion.objects.order_by("leaf_index").iterator(chunk_size=2000):
            label = f"version {v.pk} (disclosure {v.disclosure_id} v{v.number} «{v.title[:30]}»)"
            yield int(v.leaf_index), version_bytes(v, files.get(v.pk, [])), label, v.pk

    def withdrawals() -> Iterator[tuple[int, bytes, str, int | None]]:
        for w in Withdrawal.objects.order_by("leaf_index").iterator(chunk_size=2000):
            yield int(w.leaf_index), withdrawal_bytes(w), f"withdrawal {w.pk} (disclosure {w.disclosure_id})", None

    return heapq.merge(versions(), withdrawals(), key=lambda r: r[0])


class StreamingRoot:
    """MTH of leaf hashes fed in order, in O(log n) memory (perfect subtrees on a stack)."""

    def __init__(self, hasher: merkle.Hasher) -> None:
        self.hasher = hasher
        self.stack: list[tuple[int, bytes]] = []

    def add(self, digest: bytes) -> None:
        level = 0
        while self.stack and self.stack[-1][0] == level:
            digest = self.hasher.node(self.stack.pop()[1], digest)
            level += 1
        self.stack.append((level, digest))

    def root(self) -> bytes:
        if not self.stack:
            return self.hasher.empty_root()
        acc = self.stack[-1][1]
        for _level, digest in reversed(self.stack[:-1]):
            acc = self.hasher.node(digest, acc)
        return acc


def streaming_root(leaf_hashes: Iterable[bytes], hasher: merkle.Hasher) -> bytes:
    acc = StreamingRoot(hasher)
    for digest in leaf_hashes:
        acc.add(digest)
    return acc.root()


def verify_publications(*, attachments: bool = True, against: TreeHead | None = None) -> tuple[list[Problem], int]:
    """Check every published record against its leaf, every leaf against the signed root, and
    (optionally) every published attachment's stored bytes against its digest. One pass in leaf
    order over three sorted streams, so memory stays small on a log of millions."""
    from gongjian.kernel.attachments import read_bytes

    log = get_log()
    if log.pk is None:
        # No log row: fine before the first publication, tampering after it.
        if DisclosureVersion.objects.exists():
            return [Problem(None, "missing", "the publication log row is missing")], 0
        return [], 0
    hasher = merkle.get_hasher(log.algo)
    head = against or latest_tree_head()
    head_size = head.size if head is not None and head.size <= log.size else 0
    problems: list[Problem] = []
    records = _records()
    nodes = (MerkleNode.objects.filter(log=log, level=0).order_by("index")
             .values_list("index", "hash").iterator(chunk_size=5000))
    record = next(records, None)
    node = next(nodes, None)
    root = StreamingRoot(hasher)
    for index in range(log.size):
        while record is not None and record[0] < index:
            record = next(records, None)
        while node is not None and node[0] < index:
            node = next(nodes, None)
        stored = bytes(node[1]) if node is not None and node[0] == index else None
        mine = record if record is not None and record[0] == index else None
        digest = hasher.leaf(mine[1]) if mine is not None else None
        if stored is None:
            problems.append(Problem(index, "missing", f"leaf {index} is missing from the node store"))
        elif mine is None:
            problems.append(Problem(index, "missing", f"leaf {index} has no published record"))
        elif digest != stored:
            problems.append(Problem(index, "content", f"{mine[2]}: stored content does not match its leaf", mine[3]))
        if index < head_size:
            # The root from the recomputed content where there is some, so an edited record and
            # an edited node both also show up as a root mismatch.
            root.add(digest or stored or b"")
    if head is not None:
        if not verify_tree_head(head, log.algo):
            problems.append(Problem(None, "signature", f"tree head {head.size}: bad signature"))
        if head.size > log.size:
            problems.append(Problem(None, "root", f"tree head {head.size} is beyond the log ({log.size})"))
        elif root.root() != bytes(head.root_hash):
            problems.append(Problem(None, "root", f"tree head {head.size}: root does not match the content"))
    if attachments:
        for f in VersionAttachment.objects.select_related("stored", "version").iterator(chunk_size=2000):
            try:
                digest_hex = hashlib.sha256(read_bytes(f.stored)).hexdigest()
            except Exception:  # noqa: BLE001  (missing or unreadable, whatever the storage: reported below)
                digest_hex = ""
            if digest_hex != f.sha256:
                problems.append(Problem(int(f.version.leaf_index), "attachment",
                                        f"attachment «{f.name}» of version {f.version_id} "
                                        f"({f.stored.storage_name}) does not match its digest",
                                        f.version_id))
    return problems, log.size
