"""Tests for the RFC 9162 Merkle log in gongjian.disclosure.merkle (no Django needed).

Known answers come from the published transparency-dev/merkle test data (Apache-2.0):
leaves, roots and perfect-subtree hashes from testonly/constants.go, hash-valued inclusion
and consistency vectors from proof/verify_test.go, and proof shapes (which nodes make up
each proof) from proof/proof_test.go. Only the data was taken, no code.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjian.disclosure.merkle import (
    MemoryStore,
    MerkleLog,
    MissingNodeError,
    Node,
    NodeKey,
    NodeStore,
    consistency_proof,
    empty_root,
    get_hasher,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    subtree_keys,
    verify_consistency,
    verify_inclusion,
)


def h(hexstr: str) -> bytes:
    return bytes.fromhex(hexstr)


# ------------------------------------------------------------------ published vectors

LEAF_INPUTS = [
    h(x)
    for x in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAF_HASHES = [leaf_hash(d) for d in LEAF_INPUTS]

# Root hash by tree size, 0..8.
ROOTS = [
    h(x)
    for x in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]

# Every perfect subtree of the 8-leaf tree: NODES[level][index].
NODES = [
    [
        h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        h("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]

# (leaf index, tree size, proof); verify_test.go states the index 1-based, converted here.
INCLUSION_VECTORS: list[tuple[int, int, list[bytes]]] = [
    (0, 1, []),
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]

# (old size, new size, proof).
CONSISTENCY_VECTORS: list[tuple[int, int, list[bytes]]] = [
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]

# Proof shapes from proof_test.go, in its letters for the 7-leaf picture: leaves a..f, j
# (and "7" for leaf 7), level-1 nodes g h i, level-2 k l, where l = H(i, j) in a tree of
# size 7 (the "rehash" entries). Hash values come from NODES.
_NAMED = {
    **{c: NODES[0][i] for i, c in enumerate("abcdef")},
    "j": NODES[0][6],
    "7": NODES[0][7],
    "g": NODES[1][0],
    "h": NODES[1][1],
    "i": NODES[1][2],
    "k": NODES[2][0],
    "L": NODES[2][1],  # the perfect level-2 node of the 8-leaf tree
    "l": node_hash(NODES[1][2], NODES[0][6]),
}
INCLUSION_SHAPES = [  # (size, index, nodes)
    (1, 0, ""),
    (2, 0, "b"),
    (2, 1, "a"),
    (3, 1, "ac"),
    (7, 0, "bhl"),
    (7, 1, "ahl"),
    (7, 2, "dgl"),
    (7, 3, "cgl"),
    (7, 4, "fjk"),
    (7, 5, "ejk"),
    (7, 6, "ik"),
    (4, 2, "dg"),
    (5, 3, "cge"),
    (6, 3, "cgi"),
    (6, 4, "fk"),
]
CONSISTENCY_SHAPES = [  # (size1, size2, nodes)
    (1, 2, "b"),
    (1, 4, "bh"),
    (1, 6, "bhi"),
    (2, 3, "c"),
    (2, 8, "hL"),
    (3, 7, "cdgl"),
    (4, 7, "l"),
    (5, 7, "efjk"),
    (6, 7, "ijk"),
    (7, 8, "j7ik"),
    (2, 4, "h"),
    (3, 5, "cdge"),
    (3, 6, "cdgi"),
    (4, 6, "i"),
    (1, 7, "bhl"),
    *[(s, s, "") for s in (1, 2, 3, 4, 5, 7, 8)],
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def golden_log(size: int = 8, store: MemoryStore | None = None) -> MerkleLog:
    log = MerkleLog(store if store is not None else MemoryStore())
    for data in LEAF_INPUTS[:size]:
        log.append(data)
    return log


# -------------------------------------------------------------------------- hashing


def test_sm3_known_answers() -> None:
    sm3 = get_hasher("sm3")
    # GB/T 32905-2016 examples 1 and 2.
    assert sm3.digest(b"abc") == h(
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert sm3.digest(b"abcd" * 16) == h(
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )
    assert empty_root("sm3") == h(
        "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
    )


def test_domain_separation_and_algorithm_choice() -> None:
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"L", b"R") == hashlib.sha256(b"\x01LR").digest()
    if "sm3" in hashlib.algorithms_available:  # an independent SM3 from the system OpenSSL
        assert leaf_hash(b"x", "sm3") == hashlib.new("sm3", b"\x00x").digest()
        assert node_hash(b"L", b"R", "SM3") == hashlib.new("sm3", b"\x01LR").digest()
    assert leaf_hash(b"x", "sm3") != leaf_hash(b"x", "sha256")
    with pytest.raises(ValueError, match="unknown"):
        get_hasher("md5")


# -------------------------------------------------------------- known-answer tests


def test_empty_tree() -> None:
    log = MerkleLog(MemoryStore())
    assert log.size() == 0
    assert log.root() == ROOTS[0] == root_from_leaf_hashes([]) == empty_root()
    assert log.consistency_proof(0, 0) == []


@pytest.mark.parametrize("size", range(9))
def test_roots(size: int) -> None:
    assert root_from_leaf_hashes(LEAF_HASHES[:size]) == ROOTS[size]
    assert golden_log(size).root() == ROOTS[size]
    assert golden_log(8).root(size) == ROOTS[size]


def test_store_holds_exactly_the_published_perfect_subtrees() -> None:
    store = MemoryStore()
    golden_log(8, store)
    expected = {(lvl, i): v for lvl, row in enumerate(NODES) for i, v in enumerate(row)}
    assert store.nodes == expected
    assert store.size() == 8


def test_extend_matches_append() -> None:
    store = MemoryStore()
    log = MerkleLog(store)
    assert log.extend(LEAF_INPUTS[:3]) == 0
    assert log.extend([]) == 3
    assert log.extend(LEAF_INPUTS[3:]) == 3
    reference = MemoryStore()
    golden_log(8, reference)
    assert store.nodes == reference.nodes


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_VECTORS)
def test_inclusion_vectors(index: int, size: int, proof: list[bytes]) -> None:
    log = golden_log(8)
    assert log.inclusion_proof(index, size) == proof
    assert inclusion_proof(index, LEAF_HASHES, size) == proof
    assert verify_inclusion(LEAF_HASHES[index], index, size, proof, ROOTS[size])
    for desc, args in _corrupt_inclusion(LEAF_HASHES[index], index, size, proof, ROOTS[size]):
        assert not verify_inclusion(*args), desc


@pytest.mark.parametrize(("m", "n", "proof"), CONSISTENCY_VECTORS)
def test_consistency_vectors(m: int, n: int, proof: list[bytes]) -> None:
    log = golden_log(8)
    assert log.consistency_proof(m, n) == proof
    assert consistency_proof(m, n, LEAF_HASHES) == proof
    assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof)
    assert verify_consistency(m, n, ROOTS[m], memoryview(ROOTS[n]), [memoryview(p) for p in proof])
    if proof:
        for desc, args in _corrupt_consistency(m, n, ROOTS[m], ROOTS[n], proof):
            assert not verify_consistency(*args), desc


@pytest.mark.parametrize(("size", "index", "names"), INCLUSION_SHAPES)
def test_inclusion_shapes(size: int, index: int, names: str) -> None:
    expected = [_NAMED[c] for c in names]
    assert golden_log(8).inclusion_proof(index, size) == expected
    assert inclusion_proof(index, LEAF_HASHES, size) == expected


@pytest.mark.parametrize(("m", "n", "names"), CONSISTENCY_SHAPES)
def test_consistency_shapes(m: int, n: int, names: str) -> None:
    expected = [_NAMED[c] for c in names]
    assert golden_log(8).consistency_proof(m, n) == expected
    assert consistency_proof(m, n, LEAF_HASHES) == expected


def test_all_small_proofs_match_reference_and_verify() -> None:
    log = golden_log(8)
    for n in range(9):
        for i in range(n):
            proof = log.inclusion_proof(i, n)
            assert proof == inclusion_proof(i, LEAF_HASHES, n)
            assert verify_inclusion(LEAF_HASHES[i], i, n, proof, ROOTS[n])
        for m in range(n + 1):
            proof = log.consistency_proof(m, n)
            assert proof == consistency_proof(m, n, LEAF_HASHES)
            assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof)


# ------------------------------------------------------------ verifier edge cases


def test_verify_inclusion_rejects_malformed_input() -> None:
    one = leaf_hash(b"data")
    assert verify_inclusion(one, 0, 1, [], one)
    assert verify_inclusion(memoryview(one), 0, 1, [], memoryview(one))
    assert not verify_inclusion(one, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], one)
    for index, size in ((0, 0), (1, 0), (1, 1), (2, 1), (-1, 1)):
        assert not verify_inclusion(SOME_HASH, index, size, [], ROOTS[0])
        assert not verify_inclusion(SOME_HASH, index, size, [], SOME_HASH)


def test_verify_consistency_edge_cases() -> None:
    r1, r2 = ROOTS[3], ROOTS[5]
    assert verify_consistency(0, 0, r1, r1, [])
    assert verify_consistency(3, 3, r1, r1, [])
    assert not verify_consistency(3, 3, r1, r2, [])
    assert not verify_consistency(3, 3, r1, r1, [ROOTS[0]])
    # An empty log is a prefix of everything, but its root is fixed.
    assert verify_consistency(0, 5, ROOTS[0], r2, [])
    assert not verify_consistency(0, 5, r1, r2, [])
    assert not verify_consistency(0, 5, ROOTS[0], r2, [ROOTS[0]])
    # Time travel and missing proofs.
    assert not verify_consistency(5, 3, r2, r1, [])
    assert not verify_consistency(1, 2, ROOTS[1], ROOTS[2], [])
    assert not verify_consistency(-1, 2, ROOTS[0], ROOTS[2], [])


def test_inclusion_binds_size_only_through_the_root() -> None:
    # Documented RFC behaviour, not a bug: a proof for size 5 also checks out as size 6, so
    # callers must take (size, root) together from one signed tree head.
    log = golden_log(8)
    proof = log.inclusion_proof(0, 5)
    assert verify_inclusion(LEAF_HASHES[0], 0, 6, proof, ROOTS[5])
    assert not verify_inclusion(LEAF_HASHES[0], 0, 6, proof, ROOTS[6])


def test_proof_generation_rejects_bad_arguments() -> None:
    log = golden_log(5)
    for bad in ((5, None), (0, 6), (-1, None), (3, 3)):
        with pytest.raises(ValueError):
            log.inclusion_proof(*bad)
    with pytest.raises(ValueError):
        log.consistency_proof(4, 3)
    with pytest.raises(ValueError):
        log.consistency_proof(2, 6)
    with pytest.raises(ValueError):
        log.root(6)
    with pytest.raises(ValueError):
        log.leaf_hash_at(5)
    assert log.leaf_hash_at(4) == LEAF_HASHES[4]
    with pytest.raises(ValueError):
        inclusion_proof(5, LEAF_HASHES, 5)
    with pytest.raises(ValueError):
        consistency_proof(3, 9, LEAF_HASHES)
    with pytest.raises(ValueError):
        log.append_leaf_hashes([b"short"])


def test_store_is_append_only_and_gaps_are_reported() -> None:
    store = MemoryStore()
    log = golden_log(3, store)
    with pytest.raises(ValueError, match="append-only"):
        store.put_nodes([(0, 1, SOME_HASH)])
    assert store.size() == 3  # the refused batch left nothing behind
    del store.nodes[(0, 2)]
    with pytest.raises(MissingNodeError) as err:
        log.root()
    assert err.value.keys == [(0, 2)]


def test_subtree_keys() -> None:
    assert subtree_keys(0, 7) == [(2, 0), (1, 2), (0, 6)]
    assert subtree_keys(4, 7) == [(1, 2), (0, 6)]
    assert subtree_keys(8, 16) == [(3, 1)]
    with pytest.raises(ValueError, match="aligned"):
        subtree_keys(1, 3)


def test_memory_store_satisfies_protocol() -> None:
    assert isinstance(MemoryStore(), NodeStore)


# ---------------------------------------------------------------- corruption probes


def _flip(b: bytes, bit: int = 3) -> bytes:
    return bytes([b[0] ^ (1 << bit)]) + b[1:]


def _corrupt_inclusion(
    leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes
) -> list[tuple[str, tuple[bytes, int, int, list[bytes], bytes]]]:
    probes = [
        ("index-1", (leaf, index - 1, size, proof, root)),
        ("index+1", (leaf, index + 1, size, proof, root)),
        ("index^2", (leaf, index ^ 2, size, proof, root)),
        ("size*2", (leaf, index, size * 2, proof, root)),
        ("size//2", (leaf, index, size // 2, proof, root)),
        ("wrong leaf", (leaf_hash(b"WrongLeaf"), index, size, proof, root)),
        ("empty root", (leaf, index, size, proof, ROOTS[0])),
        ("other root", (leaf, index, size, proof, SOME_HASH)),
        ("trailing root", (leaf, index, size, [*proof, root], root)),
        ("leading root", (leaf, index, size, [root, *proof], root)),
        ("trailing short", (leaf, index, size, [*proof, b""], root)),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = _flip(bad[i])
        probes.append((f"flip proof[{i}]", (leaf, index, size, bad, root)))
    if proof:
        probes.append(("truncated", (leaf, index, size, proof[:-1], root)))
    if len(proof) > 1:
        probes.append(("inserted", (leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root)))
    return probes


def _corrupt_consistency(
    m: int, n: int, root_m: bytes, root_n: bytes, proof: list[bytes]
) -> list[tuple[str, tuple[int, int, bytes, bytes, list[bytes]]]]:
    probes = [
        ("m-1", (m - 1, n, root_m, root_n, proof)),
        ("m+1", (m + 1, n, root_m, root_n, proof)),
        ("m^2", (m ^ 2, n, root_m, root_n, proof)),
        ("n*2", (m, n * 2, root_m, root_n, proof)),
        ("n//2", (m, n // 2, root_m, root_n, proof)),
        ("wrong root_m", (m, n, SOME_HASH, root_n, proof)),
        ("wrong root_n", (m, n, root_m, SOME_HASH, proof)),
        ("swapped roots", (m, n, root_n, root_m, proof)),
        ("empty proof", (m, n, root_m, root_n, [])),
        ("trailing root_m", (m, n, root_m, root_n, [*proof, root_m])),
        ("trailing root_n", (m, n, root_m, root_n, [*proof, root_n])),
        ("leading root_m", (m, n, root_m, root_n, [root_m, *proof])),
        ("leading root_n", (m, n, root_m, root_n, [root_n, *proof])),
        ("leading proof[0]", (m, n, root_m, root_n, [proof[0], *proof])),
        ("truncated", (m, n, root_m, root_n, proof[:-1])),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = _flip(bad[i], 4)
        probes.append((f"flip proof[{i}]", (m, n, root_m, root_n, bad)))
    return probes


# ------------------------------------------------------------------ property tests

ALGOS = st.sampled_from(["sha256", "sm3"])
# Proof shapes depend only on the size, so draw the size uniformly (plain st.lists stays
# short) and make entries unique, which the tamper tests rely on.
ENTRIES = st.builds(
    lambda n, salt: [b"%s|%d" % (salt, i) for i in range(n)],
    st.integers(1, 300),
    st.binary(max_size=16),
)
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(entries: Sequence[bytes], algo: str, chunks: Sequence[int] = ()) -> MerkleLog:
    """Build a log, mixing single appends and batches of the given sizes."""
    log = MerkleLog(MemoryStore(), algo)
    pos = 0
    for c in chunks:
        if pos >= len(entries):
            break
        if c == 1:
            log.append(entries[pos])
        else:
            log.extend(entries[pos : pos + c])
        pos = min(len(entries), pos + c)
    log.extend(entries[pos:])
    return log


@PROPS
@given(entries=ENTRIES, algo=ALGOS, chunks=st.lists(st.integers(1, 40), max_size=20))
def test_prop_roots_match_reference(entries: list[bytes], algo: str, chunks: list[int]) -> None:
    log = build(entries, algo, chunks)
    hashes = [leaf_hash(e, algo) for e in entries]
    assert log.size() == len(entries)
    for s in {0, 1, len(entries), *range(0, len(entries), 7)}:
        assert log.root(s) == root_from_leaf_hashes(hashes[:s], algo)


@PROPS
@given(entries=ENTRIES, algo=ALGOS, data=st.data())
def test_prop_every_inclusion_proof_verifies(
    entries: list[bytes], algo: str, data: st.DataObject
) -> None:
    log = build(entries, algo)
    hashes = [leaf_hash(e, algo) for e in entries]
    n = len(entries)
    size = data.draw(st.integers(1, n), label="size")
    for s in {n, size}:
        root = log.root(s)
        for i in range(s):
            assert verify_inclusion(hashes[i], i, s, log.inclusion_proof(i, s), root, algo)
    i = data.draw(st.integers(0, size - 1), label="index")
    assert log.inclusion_proof(i, size) == inclusion_proof(i, hashes, size, algo)


@PROPS
@given(entries=ENTRIES, algo=ALGOS, data=st.data())
def test_prop_every_consistency_proof_verifies(
    entries: list[bytes], algo: str, data: st.DataObject
) -> None:
    log = build(entries, algo)
    n = len(entries)
    roots = [log.root(s) for s in range(n + 1)]
    for m in range(n + 1):
        assert verify_consistency(m, n, roots[m], roots[n], log.consistency_proof(m, n), algo)
    n2 = data.draw(st.integers(0, n), label="n")
    m2 = data.draw(st.integers(0, n2), label="m")
    proof = log.consistency_proof(m2, n2)
    assert verify_consistency(m2, n2, roots[m2], roots[n2], proof, algo)
    hashes = [leaf_hash(e, algo) for e in entries]
    assert proof == consistency_proof(m2, n2, hashes, algo)


@PROPS
@given(entries=ENTRIES, algo=ALGOS, data=st.data())
def test_prop_changing_a_leaf_is_detected(
    entries: list[bytes], algo: str, data: st.DataObject
) -> None:
    n = len(entries)
    j = data.draw(st.integers(0, n - 1), label="tampered leaf")
    forged = data.draw(st.binary(max_size=12).filter(lambda b: b != entries[j]), label="forged")
    honest = build(entries, algo)
    tampered = build([*entries[:j], forged, *entries[j + 1 :]], algo)
    root, proof = honest.root(), honest.inclusion_proof(j, n)
    # The forged entry does not verify against the honest root with the honest proof...
    assert not verify_inclusion(leaf_hash(forged, algo), j, n, proof, root, algo)
    # ...nor against the tampered log's root with the tampered log's proof under an old head.
    assert tampered.root() != root
    assert not verify_inclusion(
        leaf_hash(forged, algo), j, n, tampered.inclusion_proof(j, n), root, algo
    )
    # Rewriting history cannot be made to look like an extension of any head covering it.
    tampered_root = tampered.root()
    for m in range(j + 1, n + 1):
        fake = tampered.consistency_proof(m, n)
        assert not verify_consistency(m, n, honest.root(m), tampered_root, fake, algo)


@PROPS
@given(entries=ENTRIES, algo=ALGOS, data=st.data())
def test_prop_wrong_proofs_fail(entries: list[bytes], algo: str, data: st.DataObject) -> None:
    log = build(entries, algo)
    n = len(entries)
    i = data.draw(st.integers(0, n - 1), label="index")
    leaf, root = leaf_hash(entries[i], algo), log.root()
    proof = log.inclusion_proof(i, n)
    # size*2 and size//2 change the proof shape for every size here (checked exhaustively
    # for n <= 300), unlike size+-1; see test_inclusion_binds_size_only_through_the_root.
    for desc, (lf, idx, size, prf, rt) in _corrupt_inclusion(leaf, i, n, proof, root):
        assert not verify_inclusion(lf, idx, size, prf, rt, algo), desc
    if n >= 2:
        m = data.draw(st.integers(1, n - 1), label="m")
        cproof = log.consistency_proof(m, n)
        for desc, args in _corrupt_consistency(m, n, log.root(m), root, cproof):
            assert not verify_consistency(*args, algo=algo), desc


# --------------------------------------------------------------- scalability tests


class CountingStore:
    """Wraps a store and counts round trips and node traffic."""

    def __init__(self, inner: NodeStore) -> None:
        self.inner = inner
        self.calls = {"size": 0, "get_nodes": 0, "put_nodes": 0}
        self.read = 0
        self.written = 0

    def reset(self) -> None:
        self.calls = dict.fromkeys(self.calls, 0)
        self.read = self.written = 0

    def size(self) -> int:
        self.calls["size"] += 1
        return self.inner.size()

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.calls["get_nodes"] += 1
        self.read += len(keys)
        return self.inner.get_nodes(keys)

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        self.calls["put_nodes"] += 1
        self.written += len(nodes)
        self.inner.put_nodes(nodes)


def test_append_touches_log_n_nodes() -> None:
    n0 = 2**16 - 1  # all ones: the next append merges all the way up (worst case)
    store = CountingStore(MemoryStore())
    log = MerkleLog(store)
    log.extend(i.to_bytes(4, "big") for i in range(n0))
    bound = 2 * math.log2(n0 + 1)
    for k in range(40):
        store.reset()
        assert log.append(b"new %d" % k) == n0 + k
        assert store.calls["get_nodes"] <= 1 and store.calls["put_nodes"] == 1
        assert store.read <= bound and store.written <= bound
        if k == 0:
            assert (store.read, store.written) == (16, 17)
        if k == 1:  # 2**16 leaves: a lone perfect tree, so nothing to merge with
            assert (store.calls["get_nodes"], store.read, store.written) == (0, 0, 1)
    n = log.size()
    for call in (
        lambda: log.root(),
        lambda: log.root(n - 3),
        lambda: log.inclusion_proof(12345),
        lambda: log.inclusion_proof(n - 2, n - 1),
        lambda: log.consistency_proof(12345, n),
        lambda: log.consistency_proof(n0, n),
    ):
        store.reset()
        call()
        assert store.calls["get_nodes"] == 1 and store.calls["put_nodes"] == 0
        assert store.read <= bound


class UniformStore:
    """A genuine log of ``base`` identical leaves, synthesised per level, plus real appends.

    Every perfect subtree of identical leaves at a level has the same hash, so a 1,000,000
    leaf log costs 20 hashes to set up instead of two million.
    """

    def __init__(self, base: int, entry: bytes) -> None:
        self.base = base
        self.level_hash = [leaf_hash(entry)]
        while len(self.level_hash) <= base.bit_length():
            self.level_hash.append(node_hash(self.level_hash[-1], self.level_hash[-1]))
        self.extra = MemoryStore()
        self.read = 0
        self.written = 0

    def size(self) -> int:
        return self.base + self.extra.size()

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.read += len(keys)
        out = dict(self.extra.get_nodes(keys))
        for level, index in keys:
            if (index + 1) << level <= self.base:
                out[(level, index)] = self.level_hash[level]
        return out

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        self.written += len(nodes)
        self.extra.put_nodes(nodes)


def _uniform_root(n: int, cache: dict[int, bytes]) -> bytes:
    """RFC MTH of n identical leaves, memoised on n (only O(log n) distinct sizes occur)."""
    if n not in cache:
        k = 1 << ((n - 1).bit_length() - 1)
        cache[n] = node_hash(_uniform_root(k, cache), _uniform_root(n - k, cache))
    return cache[n]


def test_million_leaf_log() -> None:
    base = 1_000_000
    store = UniformStore(base, b"entry")
    log = MerkleLog(store)
    old_root = log.root()
    assert old_root == _uniform_root(base, {1: leaf_hash(b"entry")})

    store.read = store.written = 0
    new = [b"disclosure 1000000", b"disclosure 1000001"]
    assert log.append(new[0]) == base
    assert store.read <= 2 * math.log2(base) and store.written <= 2 * math.log2(base)
    assert log.append(new[1]) == base + 1  # 1000001 is odd: this append merges
    size, root = log.size(), log.root()

    for i in (0, 1, 524_287, 524_288, 999_999):
        store.read = 0
        proof = log.inclusion_proof(i)
        assert store.read <= 2 * math.log2(size)
        assert verify_inclusion(leaf_hash(b"entry"), i, size, proof, root)
    for i, entry in enumerate(new, start=base):
        proof = log.inclusion_proof(i)
        assert verify_inclusion(leaf_hash(entry), i, size, proof, root)
        assert not verify_inclusion(leaf_hash(b"entry"), i, size, proof, root)
    for m in (1, 3, 999_999, base, base + 1):
        store.read = 0
        proof = log.consistency_proof(m)
        assert store.read <= 2 * math.log2(size)
        assert verify_consistency(m, size, log.root(m), root, proof)
    assert verify_consistency(base, size, old_root, root, log.consistency_proof(base))
