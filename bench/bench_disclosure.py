"""党务公开 benchmarks.

disclosure_board      One organisation's public board, anonymous, with 1,000,000 disclosures in
                      the table across the county's 200 village branches (quick: 20,000). Goal:
                      at least 0.5x the bare view. The board is a fragment cached per board
                      revision (ADR 0008), so the query count must not depend on the table size.
                      The measured board is the county party committee's (its id is the one the
                      harness knows before setup runs); it holds 48 current items with versions.
disclosure_proof      Informational: the inclusion proof of a version in a log of 1,000,000
                      leaves (quick: 20,000), O(log n) node reads.

Publishing into the log is timed in the prepare step (not over HTTP): the median time of one
publication (lock the log row, append a leaf, sign a tree head) into a log of 1,000 leaves and
into the big log; the ratio is printed (goal: the same order of time, ratio < 10).
"""

from __future__ import annotations

import base64
import os
import statistics
import time
from datetime import timedelta
from typing import Any

from bench import register_benchmark

# The server and the prepare subprocess inherit the environment: a throw-away signing key.
os.environ.setdefault("GONGJIAN_LOG_SIGNING_KEY", base64.b64encode(b"bench-log-signing-key-throwaway!").decode())

BIG_DISCLOSURES, QUICK_DISCLOSURES = 1_000_000, 20_000
BIG_LOG, QUICK_LOG, SMALL_LOG = 1_000_000, 20_000, 1_000
BOARD_ITEMS = 48
CATEGORIES = ["policy", "central_work", "self_building", "livelihood", "cadres", "other"]
TIMINGS = ["fixed", "regular", "stage", "temporary", "hot"]


def log(message: str) -> None:
    from bench.prepare import log as prepare_log

    prepare_log(message)


def _leaf(i: int, tag: bytes = b"bench") -> bytes:
    from gongjian.disclosure import merkle

    return merkle.leaf_hash(tag + i.to_bytes(8, "big"))


def build_log(name: str, size: int, *, batch: int = 20_000) -> Any:
    """A log of `size` synthetic leaves, node rows written level by level (every perfect
    subtree, as MerkleLog would have), far faster than `size` single appends."""
    from gongjian.disclosure import merkle
    from gongjian.disclosure.models import MerkleNode, PublicationLog

    hasher = merkle.get_hasher("sha256")
    log_row, _ = PublicationLog.objects.get_or_create(name=name, defaults={"algo": "sha256"})
    level_hashes = [_leaf(i) for i in range(size)]
    level = 0
    while level_hashes:
        for start in range(0, len(level_hashes), batch):
            MerkleNode.objects.bulk_create([
                MerkleNode(log=log_row, level=level, index=start + j, hash=h)
                for j, h in enumerate(level_hashes[start : start + batch])])
        level_hashes = [hasher.node(level_hashes[i], level_hashes[i + 1])
                        for i in range(0, len(level_hashes) - 1, 2)]
        level += 1
    PublicationLog.objects.filter(pk=log_row.pk).update(size=size)
    log_row.refresh_from_db()
    return log_row


def time_publications(name: str, runs: int = 25) -> float:
    """Median seconds of one publication step into the named log (lock, append, sign)."""
    from django.db import transaction

    from gongjian.disclosure import publication
    from gongjian.disclosure.models import PublicationLog

    times = []
    for i in range(runs):
        started = time.perf_counter()
        with transaction.atomic():
            log_row = PublicationLog.objects.select_for_update().get(name=name)
            publication.merkle_log(log_row).append_leaf_hashes([_leaf(i, b"publish")])
            publication.sign_tree_head(log_row)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def setup_board(ctx: Any) -> dict[str, Any]:
    from django.utils import timezone

    from gongjian.disclosure.models import Board, Disclosure, DisclosureVersion
    from gongjian.kernel.models import User

    county = ctx.county
    total = QUICK_DISCLOSURES if ctx.quick else BIG_DISCLOSURES
    branches = [v.branch_id for v in county.villages]
    author = User.objects.order_by("pk").first()
    now = timezone.now()
    today = timezone.localdate()
    started = time.monotonic()
    batch: list[Disclosure] = []
    for i in range(total):
        published = now - timedelta(minutes=i)
        batch.append(Disclosure(
            organization_id=branches[i % len(branches)], title=f"第{i}号公开事项", body="<p>批量生成</p>",
            category=CATEGORIES[i % 6], channels=["board", "web"], timing=TIMINGS[i % 5], scope="public",
            state="published", created_by=author, is_live=True, visible_from=today - timedelta(days=1),
            published_at=published))
        if len(batch) == 10_000:
            Disclosure.objects.bulk_create(batch)
            batch = []
            if i % 200_000 == 199_999:
                log(f"disclosure_board: {i + 1:,} disclosures ({time.monotonic() - started:.0f} s)")
    Disclosure.objects.bulk_create(batch)
    # The measured board: the county party committee's, with real versions on the big log.
    log_size = QUICK_LOG if ctx.quick else BIG_LOG
    main_log = build_log("disclosures", log_size)
    log(f"disclosure log: {log_size:,} leaves built ({time.monotonic() - started:.0f} s)")
    versions = []
    for i in range(BOARD_ITEMS):
        item = Disclosure.objects.create(
            organization_id=county.committee_id, title=f"县委公开事项{i}", body="<p>内容</p>",
            category=CATEGORIES[i % 6], channels=["board"], timing=TIMINGS[i % 5], scope="public",
            state="published", created_by=author, is_live=True, visible_from=today - timedelta(days=1),
            published_at=now - timedelta(hours=i))
        version = DisclosureVersion.objects.create(
            disclosure=item, number=1, organization_id=county.committee_id, title=item.title, body=item.body,
            category=item.category, channels=item.channels, timing=item.timing, scope="public",
            stage="final", published_at=item.published_at, published_by=author, leaf_index=i,
            leaf_hash=_leaf(i))
        Disclosure.objects.filter(pk=item.pk).update(current_version=version)
        versions.append(version.pk)
    Board.objects.update_or_create(organization_id=county.committee_id, defaults={"revision": 1})

    from django.db import transaction

    from gongjian.disclosure import publication

    with transaction.atomic():
        publication.sign_tree_head(PublicationLog_locked("disclosures"))
    small = build_log("bench-small", SMALL_LOG)
    small_t = time_publications(small.name)
    big_t = time_publications(main_log.name)
    log(f"publishing into a log of {SMALL_LOG:,} leaves: {small_t * 1000:.2f} ms; "
        f"of {log_size:,}: {big_t * 1000:.2f} ms; ratio {big_t / small_t:.2f} "
        f"({'ok' if big_t / small_t < 10 else 'MISSED'}: same order of time)")
    return {"org": county.committee_id, "version": versions[0], "publish_ms_small": small_t * 1000,
            "publish_ms_big": big_t * 1000, "publish_ratio": big_t / small_t, "log_size": log_size,
            "disclosures": total + BOARD_ITEMS}


def PublicationLog_locked(name: str) -> Any:  # noqa: N802  (reads like the model it returns)
    from gongjian.disclosure.models import PublicationLog

    return PublicationLog.objects.select_for_update().get(name=name)


register_benchmark(
    "disclosure_board", setup_board, lambda state: f"/disclosure/org/{state['county']['committee_id']}/",
    goal=0.5, login=None, count_queries=True, expect="党务公开栏",
)


def _proof_url(state: dict[str, Any]) -> str:
    version = state.get("disclosure_board", {}).get("version")
    return f"/api/v1/public/publication-log/proof/{version}" if version else "/api/v1/public/publication-log/tree-head"


register_benchmark("disclosure_proof", None, _proof_url, login=None, expect="root_hash")
