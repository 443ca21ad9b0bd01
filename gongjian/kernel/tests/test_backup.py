"""Backups, restore and the restore drill (B-02, B-03, issue 12 §1; ADR 0035).

The drill runs on both databases: a copy of the test database is the "platform", a second process
writes audit events and an upload into it while `gongjian backup` runs in a third; the archive is
restored by `gongjian restore` into a fresh empty database (a new file on SQLite, a new database on
PostgreSQL) in a fourth, which verifies the audit chain, the publication log and the row counts."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

from gongjian.kernel import backup, schedule

KEY = b"k" * 32
BASE_DIR = Path(settings.BASE_DIR)

WRITER = r"""
import sys, time
from pathlib import Path
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from gongjian.kernel import attachments, audit
from gongjian.kernel.models import AuditHead, Organization
stored = attachments.store_upload(SimpleUploadedFile("drill.pdf", b"%PDF-1.4 drill file\n"), actor=None,
                                  organization=Organization.objects.order_by("pk").first())
print("file", stored.storage_name, AuditHead.objects.get(id=1).count, flush=True)
stop, n = Path(sys.argv[1]), 0
while not stop.exists() and n < 20000:
    n += 1
    audit.record(None, "kernel.drill.write", actor=None, object_type="drill", object_id=str(n), username="drill")
    if n == 25:
        print("ready", flush=True)
print("wrote", n, flush=True)
"""


# --- the encrypted stream ---------------------------------------------------------------------------


def seal(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    writer = backup.EncryptingWriter(out, key)
    writer.write(data)
    writer.close()
    return out.getvalue()


def unseal(blob: bytes, key: bytes = KEY) -> bytes:
    return b"".join(backup.decrypted_chunks(io.BytesIO(blob), key))


def test_an_archive_stream_decrypts_to_what_was_written_and_hides_it():
    data = os.urandom(100) + "张三 430102199001011234".encode() * 100_000  # several chunks
    blob = seal(data)
    assert unseal(blob) == data
    assert b"430102199001011234" not in blob
    assert KEY not in blob


@pytest.mark.parametrize("damage", ["flip", "cut_chunk", "cut_tail", "wrong_key", "swap"])
def test_a_changed_cut_or_foreign_archive_does_not_decrypt(damage):
    data = os.urandom(backup.CHUNK * 2 + 10)
    blob = bytearray(seal(data))
    key = KEY
    if damage == "flip":
        blob[len(blob) // 2] ^= 1
    elif damage == "cut_chunk":  # drop the last chunk whole: the previous one is not marked last
        blob = blob[: len(blob) - (4 + 10 + backup.TAG_BYTES)]
    elif damage == "cut_tail":
        blob = blob[:-3]
    elif damage == "wrong_key":
        key = b"x" * 32
    elif damage == "swap":  # exchange the first two full chunks
        start = blob.index(b"\n", len(backup.MAGIC)) + 1 + 8
        size = 4 + backup.CHUNK + backup.TAG_BYTES
        first, second = blob[start:start + size], blob[start + size:start + 2 * size]
        blob[start:start + 2 * size] = second + first
    with pytest.raises(backup.BackupError):
        unseal(bytes(blob), key)


# --- retention ----------------------------------------------------------------------------------------


def test_retention_keeps_seven_daily_four_weekly_and_twelve_monthly(tmp_path):
    newest = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    moments = [newest - timedelta(days=d) for d in range(400)]  # one archive a day for 400 days
    moments.append(newest - timedelta(hours=1))  # a second one on the newest day
    for moment in moments:
        path = tmp_path / f"gongjian-{moment:%Y%m%d-%H%M%S}.gjbk"
        path.write_bytes(b"x")
        Path(str(path) + ".json").write_text("{}")
        os.utime(path, (moment.timestamp(), moment.timestamp()))
    (tmp_path / "notes.txt").write_text("not ours")
    deleted = backup.retention_apply(tmp_path)
    kept = sorted(backup.archive_date(p) for p in tmp_path.glob("*.gjbk"))
    days = {d.date() for d in kept}
    # The last 7 days, the newest of the last 4 ISO weeks and of the last 12 months.
    assert {newest.date() - timedelta(days=d) for d in range(7)} <= days
    assert len({d.isocalendar()[:2] for d in kept}) >= 4
    assert len({(d.year, d.month) for d in kept}) == 12
    assert len(kept) <= 7 + 4 + 12
    assert min(kept) > newest - timedelta(days=366)
    assert newest in kept and (newest - timedelta(hours=1)) not in kept
    assert len(deleted) == len(moments) - len(kept)
    assert (tmp_path / "notes.txt").exists()
    assert sorted(p.name for p in tmp_path.glob("*.json")) == sorted(p.name + ".json" for p in tmp_path.glob("*.gjbk"))


def test_retention_keeps_the_newest_of_each_month_not_the_oldest():
    moments = [datetime(2026, m, d, tzinfo=UTC) for m in (10, 11) for d in (1, 15, 28)]
    keep = backup.retention_keep(moments, daily=0, weekly=0, monthly=12)
    assert keep == {datetime(2026, 11, 28, tzinfo=UTC), datetime(2026, 10, 28, tzinfo=UTC)}


# --- the schedule ---------------------------------------------------------------------------------------


def test_the_backup_runs_daily_and_the_drill_weekly_from_the_scheduler():
    cst = ZoneInfo("Asia/Shanghai")
    names = {j.name: j for j in schedule.jobs()}
    assert names["kernel-backup"].command == "backup" and names["kernel-backup"].at is not None
    drill = names["kernel-restore-drill"]
    assert drill.command == "restore_drill"
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=cst)  # a Tuesday
    assert drill.due_slot(tuesday) == datetime(2026, 11, 29, 4, 0, tzinfo=cst)  # the Sunday before
    assert drill.next_slot(tuesday) == datetime(2026, 12, 6, 4, 0, tzinfo=cst)
    weekly = schedule.Job("t-weekly", "每周", "housekeeping", at=clock(4, 0), weekday=1)
    assert weekly.due_slot(datetime(2026, 12, 1, 3, 59, tzinfo=cst)) == datetime(2026, 11, 24, 4, 0, tzinfo=cst)
    assert weekly.due_slot(datetime(2026, 12, 1, 4, 0, tzinfo=cst)) == datetime(2026, 12, 1, 4, 0, tzinfo=cst)
    with pytest.raises(ValueError, match="weekday"):
        schedule.Job("t-bad", "坏", "housekeeping", every=timedelta(hours=1), weekday=1)


# --- the drill on the real database ---------------------------------------------------------------------


def _url(name: str) -> str:
    return backup._scratch_database_url(name)


@pytest.fixture
def databases(db, tmp_path) -> Iterator[dict[str, str]]:
    """A source database (a copy of the test database with the demo county) and an empty target.

    The test's own connection stays in its transaction; the copy reads what is committed."""
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(tmp_path / "source.sqlite3"))
        source.backup(copy)
        copy.close()
        source.close()
        yield {"source": f"sqlite:///{tmp_path / 'source.sqlite3'}", "target": f"sqlite:///{tmp_path / 'target.sqlite3'}"}
        return
    stamp = f"{os.getpid()}_{int(time.time() * 1000)}"
    made = [f"drill_src_{stamp}", f"drill_dst_{stamp}"]
    with backup._pg_connect(autocommit=True) as admin:
        for name in made:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        args, env = backup._pg_params()
        dump = tmp_path / "source.pgdump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), *args], env=env, check=True)  # noqa: S603,S607
        target_args = [a if a != connection.settings_dict["NAME"] else made[0] for a in args]
        subprocess.run(["pg_restore", "--no-owner", "-d", *target_args[1:], str(dump)],  # noqa: S603,S607
                       env=env, check=True)
        yield {"source": _url(made[0]), "target": _url(made[1])}
    finally:
        with backup._pg_connect(autocommit=True) as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def gongjian(url: str, var: Path, *args: str, stdin: Any = None, **popen: Any) -> Any:
    env = {**os.environ, "DATABASE_URL": url, "GONGJIAN_VAR_DIR": str(var),
           "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(BASE_DIR)}
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "gongjian.cli", *args]
    if popen.pop("background", False):
        return subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # noqa: S603
                                text=True, **popen)
    return subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603


def test_a_backup_taken_under_writes_restores_into_an_empty_database_and_verifies(
        databases, tmp_path, settings):
    settings.GONGJIAN_BACKUP_DIR = tmp_path / "drills"
    source_var, target_var, folder = tmp_path / "source-var", tmp_path / "target-var", tmp_path / "backups"
    stop = tmp_path / "stop"
    writer = gongjian(databases["source"], source_var, "-c", WRITER, str(stop), background=True)
    try:
        assert writer.stdout is not None
        _, stored_name, initial = writer.stdout.readline().split()
        assert writer.stdout.readline().strip() == "ready"
        made = gongjian(databases["source"], source_var, "backup", "--dir", str(folder))
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert made.returncode == 0, made.stderr
    wrote = int(out.split()[-1])
    archive = backup.latest_archive(folder)
    assert archive is not None and "备份完成" in made.stdout
    side = json.loads(Path(str(archive) + ".json").read_text())
    backed_up = side["audit_head"]["count"]
    assert side["tables"]["kernel_auditevent"] == backed_up
    assert side["tables"]["kernel_person"] > 0
    # The archive is sealed: no table name, no file content in it; and the key is not inside, sealed or not.
    blob = archive.read_bytes()
    assert b"kernel_auditevent" not in blob and b"drill file" not in blob
    secrets = (backup.master_key(), settings.GONGJIAN_BACKUP_KEY.encode())
    with backup.unpacked(archive) as (members, manifest):
        assert set(manifest["members"]) >= {"database.sqlite3" if "sqlite" in databases["source"] else "database.pgdump",
                                            f"files/{stored_name[:2]}/{stored_name}"}
        for inside in [archive, *members.rglob("*")]:
            if inside.is_file():
                assert not any(secret in inside.read_bytes() for secret in secrets), inside

    restored = gongjian(databases["target"], target_var, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成并核验通过" in restored.stdout
    assert (target_var / "protected" / stored_name[:2] / stored_name).read_bytes() == b"%PDF-1.4 drill file\n"
    check = gongjian(databases["target"], target_var, "verify_audit")
    assert check.returncode == 0 and f"{backed_up} 条" in check.stdout
    # The writer was still going when the snapshot was taken: the copy holds some of its events.
    assert int(initial) + 25 <= backed_up < int(initial) + wrote

    # Restoring again onto the now non-empty database is refused, in Chinese, with a failing status.
    again = gongjian(databases["target"], target_var, "restore", str(archive))
    assert again.returncode != 0 and "目标数据库不是空的" in again.stderr

    # The drill: a scratch database, restore, verify, a record the administrator sees.
    entry = backup.drill_run(archive)
    assert entry["result"] == "passed", entry["output"]
    assert backup.drill_records()[0]["archive"] == archive.name


def repack(archive: Path, out: Path, change: Any) -> Path:
    """The same archive re-sealed with the right key after `change(manifest)`: a lying manifest."""
    with backup.unpacked(archive) as (folder, manifest):
        change(manifest)
        with out.open("wb") as raw:
            writer = backup.EncryptingWriter(raw, backup.master_key())
            with tarfile.open(fileobj=writer, mode="w|gz") as tar:  # type: ignore[call-overload]
                for name in manifest["members"]:
                    tar.add(folder / name, arcname=name)
                blob = json.dumps(manifest).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(blob)
                tar.addfile(info, io.BytesIO(blob))
            writer.close()
    return out


def target_tables(databases: dict[str, str], var: Path) -> int:
    listed = gongjian(databases["target"], var, "-c", "import django; django.setup(); "
                      "from django.db import connection; print(len(connection.introspection.table_names()))")
    assert listed.returncode == 0, listed.stderr
    return int(listed.stdout.strip())


def test_a_tampered_archive_or_a_lying_manifest_fails_the_restore(databases, tmp_path):
    source_var, target_var, folder = tmp_path / "source-var", tmp_path / "target-var", tmp_path / "backups"
    made = gongjian(databases["source"], source_var, "backup", "--dir", str(folder))
    assert made.returncode == 0, made.stderr
    archive = backup.latest_archive(folder)
    assert archive is not None

    flipped = tmp_path / "flipped.gjbk"
    blob = bytearray(archive.read_bytes())
    blob[len(blob) // 3] ^= 0x40
    flipped.write_bytes(bytes(blob))
    restored = gongjian(databases["target"], target_var, "restore", str(flipped))
    assert restored.returncode != 0 and "解密失败" in restored.stderr

    def wrong_checksum(manifest: dict[str, Any]) -> None:
        manifest["members"][manifest["database"]]["sha256"] = "0" * 64

    restored = gongjian(databases["target"], target_var, "restore",
                        str(repack(archive, tmp_path / "sum.gjbk", wrong_checksum)))
    assert restored.returncode != 0 and "校验和不符" in restored.stderr
    assert target_tables(databases, target_var) == 0  # nothing was loaded

    def one_person_more(manifest: dict[str, Any]) -> None:
        manifest["tables"]["kernel_person"] += 1

    restored = gongjian(databases["target"], target_var, "restore",
                        str(repack(archive, tmp_path / "count.gjbk", one_person_more)))
    assert restored.returncode != 0
    assert "表 kernel_person 行数" in restored.stderr and "核验未通过" in restored.stderr


@pytest.mark.django_db
def test_the_system_administrator_sees_the_drill_records_on_the_schedule_page(login, settings, tmp_path):
    settings.GONGJIAN_BACKUP_DIR = tmp_path
    backup.drill_record({"archive": "gongjian-20261129-020000.gjbk", "result": "passed", "seconds": 4.2,
                         "output": "恢复完成并核验通过"})
    backup.drill_record({"archive": "gongjian-20261130-020000.gjbk", "result": "failed", "output": "校验和不符"})
    page = login("sysadmin").get("/work/console/schedule/").content.decode()
    assert "恢复演练记录" in page
    assert page.index("gongjian-20261130-020000.gjbk") < page.index("gongjian-20261129-020000.gjbk")
    assert "未通过" in page and "校验和不符" in page
