"""T-01..T-04 and B-05: versions never change, every publication is a leaf of the RFC 9162 log,
tree heads are signed, and a tampered row is found by verify-publications."""

from __future__ import annotations

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from gongjian.disclosure import merkle, publication, services
from gongjian.disclosure.models import (
    DisclosureVersion,
    MerkleNode,
    PublicationLog,
    TreeHead,
    VersionAttachment,
)
from gongjian.kernel import attachments
from gongjian.kernel.models import AuditEvent

from .factories import approved, published, republish

pytestmark = pytest.mark.django_db


def test_the_database_store_gives_the_same_roots_and_proofs_as_the_reference(acting):
    from gongjian.disclosure.models import PublicationLog as Log

    log = Log.objects.create(name="scratch", algo="sha256")
    tree = publication.merkle_log(log)
    data = [f"leaf {i}".encode() for i in range(13)]
    with transaction.atomic():
        for d in data:
            tree.append(d)
    hashes = [merkle.leaf_hash(d) for d in data]
    for n in range(1, 14):
        assert tree.root(n) == merkle.root_from_leaf_hashes(hashes[:n])
    for i in range(13):
        assert tree.inclusion_proof(i, 13) == merkle.inclusion_proof(i, hashes, 13)
    assert tree.consistency_proof(5, 13) == merkle.consistency_proof(5, 13, hashes)
    log.refresh_from_db()
    assert log.size == 13


def test_the_store_refuses_to_overwrite_a_node(acting):
    log = PublicationLog.objects.create(name="scratch2", algo="sha256")
    store = publication.DatabaseNodeStore(log)
    store.put_nodes([(0, 0, b"\x00" * 32)])
    with pytest.raises(ValueError):
        store.put_nodes([(0, 0, b"\x01" * 32)])


def test_a_published_version_cannot_be_changed_through_the_model(acting):
    _, version = published(acting)
    version.title = "x"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        DisclosureVersion.objects.filter(pk=version.pk).update(title="x")
    with pytest.raises(PermissionError):
        version.delete()


def test_a_raw_sql_update_of_a_published_version_is_refused_by_the_database(acting):
    _, version = published(acting)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE disclosure_disclosureversion SET title = %s WHERE id = %s", ["x", version.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE disclosure_merklenode SET hash = %s WHERE level = 0", [b"\x00" * 32])


def test_each_publication_signs_a_tree_head_that_verifies(acting):
    published(acting)
    head = publication.latest_tree_head()
    log = publication.get_log()
    assert head.size == log.size
    assert publication.verify_tree_head(head, log.algo)
    assert bytes(head.root_hash) == publication.merkle_log(log).root()
    forged = TreeHead(size=head.size, root_hash=b"\x11" * 32, timestamp=head.timestamp, key_id=head.key_id,
                      signature=head.signature)
    assert not publication.verify_tree_head(forged, log.algo)


def test_the_inclusion_proof_of_a_version_verifies_against_the_tree_head(acting):
    _, v1 = published(acting, title="一")
    published(acting, title="二")
    published(acting, title="三")
    proof = publication.inclusion_for(v1)
    assert proof is not None and proof.ok
    assert merkle.verify_inclusion(proof.leaf_hash, proof.leaf_index, proof.tree_size, proof.path, proof.root)


def test_the_leaf_commits_to_the_attachment_digests(acting):
    item = approved(acting)
    item.attachments.add(attachments.store_upload(SimpleUploadedFile("明细.pdf", b"%PDF-1.4 detail"),
                                                  actor=None, organization=item.organization))
    version = services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    files = list(VersionAttachment.objects.filter(version=version))
    assert len(files) == 1
    assert bytes(version.leaf_hash) == merkle.leaf_hash(publication.version_bytes(version, files))
    assert files[0].sha256 in publication.version_bytes(version, files).decode()


def test_verify_publications_passes_on_an_intact_log(acting, capsys):
    item, _ = published(acting)
    republish(acting, item, body="更正后的内容")
    call_command("verify_publications")
    assert "发布记录完整" in capsys.readouterr().out


def _tamper(version_id: int, title: str) -> None:
    """What an attacker with database access does: drop the guard, edit, put it back."""
    from gongjian.disclosure.migrations import _sql

    _sql.set_guards(connection, on=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE disclosure_disclosureversion SET title = %s WHERE id = %s", [title, version_id])
    finally:
        _sql.set_guards(connection, on=True)


def test_a_tampered_published_row_is_found_and_named_by_verify_publications(acting, capsys):
    _, version = published(acting, title="原标题")
    published(acting, title="另一条")
    _tamper(version.pk, "悄悄改过的标题")
    with pytest.raises(CommandError):
        call_command("verify_publications")
    err = capsys.readouterr().err
    assert f"version {version.pk}" in err and "does not match" in err
    problems, _ = publication.verify_publications()
    assert [p.version_id for p in problems if p.kind == "content"] == [version.pk]


def test_an_edited_leaf_node_is_found_too(acting):
    from gongjian.disclosure.migrations import _sql

    _, version = published(acting)
    _sql.set_guards(connection, on=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute('UPDATE disclosure_merklenode SET hash = %s WHERE level = 0 AND "index" = %s',
                           [b"\x07" * 32, version.leaf_index])
    finally:
        _sql.set_guards(connection, on=True)
    problems, _ = publication.verify_publications(attachments=False)
    assert [p.version_id for p in problems if p.kind == "content"] == [version.pk]


def test_a_flipped_byte_in_a_stored_attachment_is_reported_with_its_file(acting):
    item = approved(acting)
    stored = attachments.store_upload(SimpleUploadedFile("收缴明细.pdf", b"%PDF-1.4 abc"), actor=None,
                                      organization=item.organization)
    item.attachments.add(stored)
    services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    path = attachments.file_path(stored)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    problems, _ = publication.verify_publications()
    assert [p.kind for p in problems] == ["attachment"]
    assert "收缴明细.pdf" in problems[0].detail and stored.storage_name in problems[0].detail


def test_a_saved_tree_head_stays_consistent_as_the_log_grows(acting, tmp_path):
    published(acting, title="一")
    head = publication.latest_tree_head()
    saved = tmp_path / "sth.json"
    saved.write_text(json.dumps(publication.tree_head_json(head, "sha256")))
    for title in ("二", "三", "四"):
        published(acting, title=title)
    call_command("verify_publications", sth=str(saved))


def test_a_saved_tree_head_from_a_rewritten_history_is_reported(acting, tmp_path):
    published(acting, title="一")
    head = publication.latest_tree_head()
    fake = publication.tree_head_json(head, "sha256")
    fake["root_hash"] = "ab" * 32
    saved = tmp_path / "sth.json"
    saved.write_text(json.dumps(fake))
    published(acting, title="二")
    with pytest.raises(CommandError):
        call_command("verify_publications", sth=str(saved))


def test_a_failure_after_the_leaf_insert_leaves_no_version_no_leaf_and_no_audit_row(acting, monkeypatch):
    item = approved(acting)
    nodes, versions, audits = MerkleNode.objects.count(), DisclosureVersion.objects.count(), AuditEvent.objects.count()
    size = publication.get_log().size

    def boom(log):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publication, "sign_tree_head", boom)
    with pytest.raises(RuntimeError):
        services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    assert MerkleNode.objects.count() == nodes and DisclosureVersion.objects.count() == versions
    assert AuditEvent.objects.count() == audits and publication.get_log().size == size
    item.refresh_from_db()
    assert item.state == "approved"


def test_notifications_wait_for_the_commit(acting, django_capture_on_commit_callbacks):
    from gongjian.kernel.models import Notification

    item = approved(acting)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=services.disclosure_create(
            actor=acting("xiaoliu_branch"), organization=item.organization, data={
                "title": "另一条", "category": "other", "channels": ["web"], "timing": "temporary",
                "scope": "public"}))
        assert Notification.objects.count() == before
    assert callbacks


def test_sm3_is_used_when_configured(acting, settings):
    settings.GONGJIAN_MERKLE_HASH = "sm3"
    log = PublicationLog.objects.create(name="sm3-log", algo=publication.hash_algorithm())
    tree = publication.merkle_log(log)
    with transaction.atomic():
        tree.append(b"a")
        tree.append(b"b")
    assert log.algo == "sm3"
    assert tree.root() == merkle.root_from_leaf_hashes([merkle.leaf_hash(b"a", "sm3"), merkle.leaf_hash(b"b", "sm3")], "sm3")


@pytest.mark.postgres_only
def test_ten_threads_publishing_at_once_make_exactly_one_version_and_one_leaf(committed_db, acting):
    from django.db import connections

    item = approved(acting)
    size = publication.get_log().size
    results: list[str] = []

    def worker():
        try:
            services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
            results.append("ok")
        except Exception as exc:  # noqa: BLE001
            results.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert DisclosureVersion.objects.filter(disclosure=item).count() == 1
    assert publication.get_log().size == size + 1


def test_the_daily_sweep_signs_a_tree_head_even_without_publications(acting, capsys):
    published(acting)
    before = TreeHead.objects.count()
    call_command("disclosure_sweep")
    assert TreeHead.objects.count() == before + 1
    assert "树头" in capsys.readouterr().out
