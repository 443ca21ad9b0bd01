"""Append-only Merkle tree log as defined in RFC 9162 §2.1 (identical to RFC 6962 §2.1).

Pure Python and Django-independent. Storage goes through the ``NodeStore`` protocol, which
holds only the hashes of complete (perfect) subtrees, so appending and proving are
O(log n) in both hashing and storage access, even for a log of millions of leaves.

Node layout: node ``(level, index)`` is the Merkle Tree Hash of leaves
``[index * 2**level, (index + 1) * 2**level)``; level 0 holds the leaf hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from cryptography.hazmat.primitives import hashes

__all__ = [
    "HASH_ALGORITHMS",
    "Hasher",
    "MemoryStore",
    "MerkleLog",
    "MissingNodeError",
    "BytesLike",
    "Node",
    "NodeKey",
    "NodeStore",
    "consistency_proof",
    "empty_root",
    "get_hasher",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_leaf_hashes",
    "subtree_keys",
    "verify_consistency",
    "verify_inclusion",
]

NodeKey = tuple[int, int]
"""``(level, index)`` of a perfect subtree; see the module docstring."""

Node = tuple[int, int, bytes]
"""``(level, index, hash)`` as written by ``NodeStore.put_nodes``."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


# --------------------------------------------------------------------------- hashing


@dataclass(frozen=True)
class Hasher:
    """RFC 9162 §2.1.1 hashing with a pluggable hash function H."""

    name: str
    digest_size: int
    digest: Callable[[bytes], bytes]

    def leaf(self, data: bytes) -> bytes:
        """Return the leaf hash H(0x00 || data)."""
        return self.digest(_LEAF_PREFIX + data)

    def node(self, left: bytes, right: bytes) -> bytes:
        """Return the interior node hash H(0x01 || left || right)."""
        return self.digest(_NODE_PREFIX + left + right)

    def empty_root(self) -> bytes:
        """Return the hash of the empty tree, H("")."""
        return self.digest(b"")


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sm3(data: bytes) -> bytes:
    # Through `cryptography` rather than hashlib: hashlib only offers SM3 when the system
    # OpenSSL happens to ship it, while the cryptography wheel always does.
    ctx = hashes.Hash(hashes.SM3())
    ctx.update(data)
    return ctx.finalize()


HASH_ALGORITHMS: Mapping[str, Hasher] = {
    "sha256": Hasher("sha256", 32, _sha256),
    "sm3": Hasher("sm3", 32, _sm3),
}


def get_hasher(algo: str | Hasher = "sha256") -> Hasher:
    """Return the ``Hasher`` for ``"sha256"`` or ``"sm3"`` (a ``Hasher`` passes through)."""
    if isinstance(algo, Hasher):
        return algo
    try:
        return HASH_ALGORITHMS[algo.lower()]
    except KeyError:
        raise ValueError(f"unknown Merkle hash algorithm {algo!r}") from None


def leaf_hash(data: bytes, algo: str = "sha256") -> bytes:
    """Return the RFC 9162 leaf hash of ``data``."""
    return get_hasher(algo).leaf(data)


def node_hash(left: bytes, right: bytes, algo: str = "sha256") -> bytes:
    """Return the RFC 9162 interior node hash of two child hashes."""
    return get_hasher(algo).node(left, right)


def empty_root(algo: str = "sha256") -> bytes:
    """Return the root hash of the empty tree."""
    return get_hasher(algo).empty_root()


def _split(n: int) -> int:
    """Return k, the largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# ------------------------------------------------ reference functions on leaf hash lists


def _mth(leaves: Sequence[bytes], start: int, end: int, h: Hasher) -> bytes:
    n = end - start
    if n == 1:
        return leaves[start]
    k = _split(n)
    return h.node(_mth(leaves, start, start + k, h), _mth(leaves, start + k, end, h))


def _path(m: int, leaves: Sequence[bytes], start: int, end: int, h: Hasher) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, leaves, start, start + k, h), _mth(leaves, start + k, end, h)]
    return [*_path(m - k, leaves, start + k, end, h), _mth(leaves, start, start + k, h)]


def _subproof(
    m: int, leaves: Sequence[bytes], start: int, end: int, complete: bool, h: Hasher
) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [_mth(leaves, start, end, h)]
    k = _split(n)
    if m <= k:
        return [
            *_subproof(m, leaves, start, start + k, complete, h),
            _mth(leaves, start + k, end, h),
        ]
    return [
        *_subproof(m - k, leaves, start + k, end, False, h),
        _mth(leaves, start, start + k, h),
    ]


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes], algo: str = "sha256") -> bytes:
    """Return MTH(D[n]) of all given leaf hashes (O(n); use ``MerkleLog`` for big logs)."""
    h = get_hasher(algo)
    if not leaf_hashes:
        return h.empty_root()
    return _mth(leaf_hashes, 0, len(leaf_hashes), h)


def inclusion_proof(
    index: int, leaf_hashes: Sequence[bytes], size: int | None = None, algo: str = "sha256"
) -> list[bytes]:
    """Return PATH(index, D[size]) over ``leaf_hashes[:size]`` per RFC 9162 §2.1.3.1 (O(n)).

    ``leaf_hashes`` may be any lazy sequence; only ``__getitem__`` with ints is used.
    """
    if size is None:
        size = len(leaf_hashes)
    if not 0 <= index < size <= len(leaf_hashes):
        raise ValueError(f"need 0 <= index < size <= {len(leaf_hashes)}, got {index}, {size}")
    return _path(index, leaf_hashes, 0, size, get_hasher(algo))


def consistency_proof(
    m: int, n: int, leaf_hashes: Sequence[bytes], algo: str = "sha256"
) -> list[bytes]:
    """Return PROOF(m, D[n]) over ``leaf_hashes[:n]`` per RFC 9162 §2.1.4.1 (O(n)).

    The proof is empty when ``m == 0`` or ``m == n``.
    """
    if not 0 <= m <= n <= len(leaf_hashes):
        raise ValueError(f"need 0 <= m <= n <= {len(leaf_hashes)}, got {m}, {n}")
    if m == 0:
        return []
    return _subproof(m, leaf_hashes, 0, n, True, get_hasher(algo))


# -------------------------------------------------------------------------- verifiers


BytesLike = bytes | bytearray | memoryview
"""Verifiers accept these because database drivers may return binary columns as memoryview."""


def _digests(h: Hasher, values: Sequence[BytesLike]) -> list[bytes] | None:
    """Return ``values`` as bytes, or None unless each is one digest long."""
    if not all(isinstance(v, BytesLike) and len(v) == h.digest_size for v in values):
        return None
    return [bytes(v) for v in values]


def verify_inclusion(
    leaf_hash: BytesLike,
    index: int,
    size: int,
    proof: Sequence[BytesLike],
    root: BytesLike,
    algo: str = "sha256",
) -> bool:
    """Check an inclusion proof with the RFC 9162 §2.1.3.2 algorithm; never raises on bad input."""
    h = get_hasher(algo)
    if not 0 <= index < size:
        return False
    values = _digests(h, [leaf_hash, root, *proof])
    if values is None:
        return False
    r, expected, path = values[0], values[1], values[2:]
    fn, sn = index, size - 1
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = h.node(p, r)
            # Climb past levels where this node has no right sibling (the ragged right edge).
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = h.node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, expected)


def verify_consistency(
    m: int,
    n: int,
    root_m: BytesLike,
    root_n: BytesLike,
    proof: Sequence[BytesLike],
    algo: str = "sha256",
) -> bool:
    """Check that tree (m, root_m) is a prefix of tree (n, root_n) per RFC 9162 §2.1.4.2.

    Outside the RFC's 0 < m < n: m == n needs an empty proof and equal roots; m == 0 needs an
    empty proof and ``root_m`` equal to the empty-tree hash. Never raises on bad input.
    """
    h = get_hasher(algo)
    if not 0 <= m <= n:
        return False
    values = _digests(h, [root_m, root_n, *proof])
    if values is None:
        return False
    first, second, path = values[0], values[1], values[2:]
    if m == n:
        return not path and hmac.compare_digest(first, second)
    if m == 0:
        return not path and hmac.compare_digest(first, h.empty_root())
    if not path:
        return False
    if m & (m - 1) == 0:
        # The old tree is a perfect subtree of the new one, so its root is a path node that
        # the prover omits.
        path.insert(0, first)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = h.node(c, fr)
            sr = h.node(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = h.node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(fr, first) and hmac.compare_digest(sr, second)


# ----------------------------------------------------------------------------- storage


class MissingNodeError(LookupError):
    """The store lacks a node that a tree of the requested size must contain."""

    def __init__(self, keys: Sequence[NodeKey]) -> None:
        super().__init__(f"Merkle node store is missing nodes {list(keys)[:8]}")
        self.keys = list(keys)


@runtime_checkable
class NodeStore(Protocol):
    """Persistence for one log's perfect-subtree hashes, keyed by ``(level, index)``.

    Node ``(level, index)`` is the hash of leaves ``[index << level, (index + 1) << level)``;
    level 0 holds leaf hashes. A node is written once, when its subtree becomes complete, and
    never changes. A log of n leaves holds fewer than 2n nodes.

    Contract for implementations (e.g. a Django model with a unique (log, level, index)):

    * ``size()`` is the number of leaves, i.e. of level-0 nodes. Keep it cheap on a big log:
      a counter on the log row, or the max level-0 index via the index, not ``COUNT(*)``.
    * ``get_nodes(keys)`` fetches a batch in one round trip (``MerkleLog`` asks for at most
      ~2*log2(n) keys per call) and returns ``{key: hash}``; missing keys are simply absent.
    * ``put_nodes(nodes)`` inserts the batch atomically (one transaction) and must refuse to
      overwrite an existing key, so that a lost race between two appenders raises instead of
      forking history. Appenders must also be serialised (e.g. ``select_for_update`` on the
      log row around ``MerkleLog.append``) so that ``size()`` and the insert agree.
    """

    def size(self) -> int:
        """Return the number of leaves (level-0 nodes) stored."""
        ...

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        """Return the stored hashes for ``keys`` (distinct); absent keys are left out."""
        ...

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        """Insert new ``(level, index, hash)`` nodes atomically; existing keys are an error."""
        ...


class MemoryStore:
    """In-memory ``NodeStore`` for tests and small tools."""

    def __init__(self) -> None:
        """Create an empty store."""
        self.nodes: dict[NodeKey, bytes] = {}
        self._size = 0

    def size(self) -> int:
        """Return the number of leaves stored."""
        return self._size

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        """Return the stored hashes among ``keys``."""
        return {k: self.nodes[k] for k in keys if k in self.nodes}

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        """Insert nodes all-or-nothing, refusing to overwrite any existing node."""
        batch: dict[NodeKey, bytes] = {}
        for level, index, digest in nodes:
            key = (level, index)
            if key in self.nodes or key in batch:
                raise ValueError(f"Merkle node {key} already exists; the log is append-only")
            batch[key] = digest
        self.nodes.update(batch)
        self._size += sum(1 for level, _ in batch if level == 0)


# ------------------------------------------------------------------------- MerkleLog


def subtree_keys(start: int, end: int) -> list[NodeKey]:
    """Return the perfect subtrees, left to right, whose MTH fold is MTH(D[start:end]).

    ``start`` must be a multiple of the largest power of two <= ``end - start``, which holds for
    every range the RFC 9162 recursion visits; MTH is then ``H(s0, H(s1, ... H(sk-1, sk)))``.
    """
    keys: list[NodeKey] = []
    pos, size = start, end - start
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            if pos & ((1 << level) - 1):
                raise ValueError(f"range [{start}, {end}) is not aligned to perfect subtrees")
            keys.append((level, pos >> level))
            pos += 1 << level
    return keys


class MerkleLog:
    """RFC 9162 append-only log over a ``NodeStore``, with O(log n) appends and proofs.

    Each public call costs one ``size()`` plus at most one ``get_nodes`` and one ``put_nodes``.
    """

    def __init__(self, store: NodeStore, algo: str = "sha256") -> None:
        """Wrap ``store``; ``algo`` must match the one the stored hashes were made with."""
        self.store = store
        self.hasher = get_hasher(algo)

    @property
    def algo(self) -> str:
        """Return the hash algorithm name."""
        return self.hasher.name

    def size(self) -> int:
        """Return the number of leaves in the log."""
        return self.store.size()

    # -- appending

    def append(self, data: bytes) -> int:
        """Append one entry and return its leaf index."""
        return self.append_leaf_hashes([self.hasher.leaf(data)])

    def extend(self, entries: Iterable[bytes]) -> int:
        """Append entries in one batch and return the index of the first (the old size)."""
        return self.append_leaf_hashes([self.hasher.leaf(d) for d in entries])

    def append_leaf_hashes(self, leaf_hashes: Sequence[bytes]) -> int:
        """Append precomputed leaf hashes in one batch; return the index of the first."""
        ds = self.hasher.digest_size
        if any(not isinstance(lh, bytes) or len(lh) != ds for lh in leaf_hashes):
            raise ValueError(f"leaf hashes must be {ds}-byte {self.algo} digests")
        n = self.store.size()
        if not leaf_hashes:
            return n
        end = n + len(leaf_hashes)
        # The existing frontier (the perfect subtrees of [0, n)) is one node per set bit of n.
        # Fetch only those the new leaves will merge with: the one at `level` merges iff its
        # parent becomes complete, i.e. its parent's index is below end >> (level + 1).
        wanted = [
            (level, (n >> level) - 1)
            for level in range(n.bit_length())
            if n >> level & 1 and end >> (level + 1) > n >> (level + 1)
        ]
        fetched = self._fetch(wanted)
        frontier = {level: fetched[(level, index)] for level, index in wanted}
        new_nodes: list[Node] = []
        for i, digest in enumerate(leaf_hashes, start=n):
            new_nodes.append((0, i, digest))
            level = 0
            # Like a binary increment: each trailing 1 bit of i completes a parent.
            while i >> level & 1:
                digest = self.hasher.node(frontier.pop(level), digest)
                level += 1
                new_nodes.append((level, i >> level, digest))
            frontier[level] = digest
        self.store.put_nodes(new_nodes)
        return n

    # -- reading

    def leaf_hash_at(self, index: int) -> bytes:
        """Return the stored leaf hash at ``index``."""
        if not 0 <= index < self.store.size():
            raise ValueError(f"leaf index {index} is outside the log")
        return self._fetch([(0, index)])[(0, index)]

    def root(self, size: int | None = None) -> bytes:
        """Return the Merkle Tree Hash of the first ``size`` leaves (default: all)."""
        size = self._check_size(size)
        if size == 0:
            return self.hasher.empty_root()
        return self._hash_ranges([(0, size)])[0]

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Return the RFC 9162 §2.1.3.1 inclusion proof of leaf ``index`` in tree ``size``."""
        size = self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf index {index} is outside a tree of size {size}")
        # Walk PATH() top-down, recording each sibling range; the proof lists them bottom-up.
        siblings: list[tuple[int, int]] = []
        start, end = 0, size
        while end - start > 1:
            mid = start + _split(end - start)
            if index < mid:
                siblings.append((mid, end))
                end = mid
            else:
                siblings.append((start, mid))
                start = mid
        siblings.reverse()
        return self._hash_ranges(siblings)

    def consistency_proof(self, m: int, n: int | None = None) -> list[bytes]:
        """Return the RFC 9162 §2.1.4.1 proof that tree ``m`` is a prefix of tree ``n``."""
        n = self._check_size(n)
        if not 0 <= m <= n:
            raise ValueError(f"need 0 <= m <= n, got m={m}, n={n}")
        if m in (0, n):
            return []
        # Iterative SUBPROOF(m, D[n], true); `complete` is the RFC's flag b.
        ranges: list[tuple[int, int]] = []
        start, end, complete = 0, n, True
        while m != end:
            mid = start + _split(end - start)
            if m <= mid:
                ranges.append((mid, end))
                end = mid
            else:
                ranges.append((start, mid))
                start, complete = mid, False
        if not complete:
            ranges.append((start, end))
        # SUBPROOF appends each level's sibling after the deeper result, so reverse.
        ranges.reverse()
        return self._hash_ranges(ranges)

    # -- internals

    def _check_size(self, size: int | None) -> int:
        current = self.store.size()
        if size is None:
            return current
        if not 0 <= size <= current:
            raise ValueError(f"tree size {size} is outside the log's 0..{current}")
        return size

    def _fetch(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        if not keys:
            return {}
        unique = list(dict.fromkeys(keys))
        got = self.store.get_nodes(unique)
        missing = [k for k in unique if k not in got]
        if missing:
            raise MissingNodeError(missing)
        # Database drivers may hand back memoryview for binary columns.
        return {k: bytes(got[k]) for k in unique}

    def _hash_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """Return MTH of each aligned leaf range, fetching every needed node in one batch."""
        per_range = [subtree_keys(start, end) for start, end in ranges]
        nodes = self._fetch([k for keys in per_range for k in keys])
        out: list[bytes] = []
        for keys in per_range:
            acc = nodes[keys[-1]]
            for key in reversed(keys[:-1]):
                acc = self.hasher.node(nodes[key], acc)
            out.append(acc)
        return out
