"""B-02: `gongjian backup` copies its encrypted archives to a second place, checks each copy as read
back from there, and applies the retention rule there too; the key never goes with them."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from config.settings.base import offsite_storage_from_env
from gongjian.kernel import backup
from gongjian.kernel.tests.test_backup import databases, gongjian  # noqa: F401 - the fixture is used by name


def fake_archive(folder: Path, moment: datetime, body: bytes = b"sealed bytes") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gongjian-{moment:%Y%m%d-%H%M%S}.gjbk"
    path.write_bytes(body)
    Path(str(path) + ".json").write_text(json.dumps({"archive": path.name, "sha256": hashlib.sha256(body).hexdigest()}))
    return path


class BitRotStorage(FileSystemStorage):
    """A second place that stores a different byte than it was given (a flaky mount)."""

    def _save(self, name: str, content: Any) -> str:
        saved = super()._save(name, content)
        if name.endswith(".gjbk"):
            with open(self.path(saved), "r+b") as stored:
                first = stored.read(1)
                stored.seek(0)
                stored.write(bytes([first[0] ^ 1]))
        return saved


def test_a_backup_is_copied_off_site_checked_and_readable_there_and_the_key_stays_behind(databases, tmp_path):  # noqa: F811
    var, folder, offsite = tmp_path / "var", tmp_path / "backups", tmp_path / "second-disk"
    first = gongjian(databases["source"], var, "backup", "--dir", str(folder), "--copy-to", str(offsite))
    assert first.returncode == 0, first.stderr
    assert "新复制并校验 1 个，已有 0 个" in first.stdout
    assert "同一块磁盘" in first.stderr  # the suite's two folders share a disk: said, not hidden
    archive = backup.latest_archive(folder)
    assert archive is not None
    copy = offsite / archive.name
    side = json.loads((offsite / (archive.name + ".json")).read_text())
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == side["sha256"] == backup._sha256_file(archive)
    assert backup.offsite_check(FileSystemStorage(location=str(offsite)), archive.name)
    # The copy is the whole backup: it opens and every member matches the manifest.
    with backup.unpacked(copy) as (_members, manifest):
        assert manifest["tables"]["kernel_person"] > 0
    # Nothing at the second place holds the key, raw or as configured.
    from django.conf import settings

    secrets = (backup.master_key(), settings.GONGJIAN_BACKUP_KEY.encode())
    for stored in offsite.iterdir():
        assert not any(secret in stored.read_bytes() for secret in secrets), stored
    assert sorted(p.name for p in offsite.iterdir()) == [archive.name, archive.name + ".json"]

    time.sleep(1.1)  # archives are named by the second
    # Without pruning (the retention rule keeps one archive a day, here and there).
    second = gongjian(databases["source"], var, "backup", "--dir", str(folder), "--copy-to", str(offsite), "--no-prune")
    assert second.returncode == 0, second.stderr
    assert "新复制并校验 1 个，已有 1 个" in second.stdout
    assert len(list(offsite.glob("*.gjbk"))) == 2


def test_a_copy_that_reads_back_different_is_removed_and_the_run_fails(tmp_path):
    folder, offsite = tmp_path / "backups", tmp_path / "flaky"
    archive = fake_archive(folder, datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    with pytest.raises(backup.BackupError, match="异地副本校验和不符"):
        backup.offsite_copy(BitRotStorage(location=str(offsite)), folder=folder)
    assert not (offsite / archive.name).exists() and not (offsite / (archive.name + ".json")).exists()
    # The next night, on a sound mount, the archive the failed night missed is copied.
    result = backup.offsite_copy(FileSystemStorage(location=str(offsite)), folder=folder)
    assert result.copied == [archive.name]
    assert (offsite / archive.name).read_bytes() == archive.read_bytes()


def test_a_half_copy_without_its_json_is_copied_again(tmp_path):
    folder, offsite = tmp_path / "backups", tmp_path / "offsite"
    archive = fake_archive(folder, datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    offsite.mkdir()
    (offsite / archive.name).write_bytes(b"sealed")  # cut off by a lost connection; no .json written
    result = backup.offsite_copy(FileSystemStorage(location=str(offsite)), folder=folder)
    assert result.copied == [archive.name] and result.present == []
    assert (offsite / archive.name).read_bytes() == archive.read_bytes()
    again = backup.offsite_copy(FileSystemStorage(location=str(offsite)), folder=folder)
    assert again.copied == [] and again.present == [archive.name]


def test_the_retention_rule_is_applied_at_the_second_place_too(tmp_path):
    folder, offsite = tmp_path / "backups", tmp_path / "offsite"
    newest = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    for days in range(120):
        fake_archive(offsite, newest - timedelta(days=days))
    (offsite / "README.txt").write_text("kept by the operator")
    fake_archive(folder, newest + timedelta(days=1))
    result = backup.offsite_copy(FileSystemStorage(location=str(offsite)), folder=folder)
    kept = sorted(backup.archive_date(p) for p in offsite.glob("*.gjbk"))
    assert len(kept) == 121 - len(result.deleted)
    assert len(kept) <= 7 + 4 + 12 and max(kept) == newest + timedelta(days=1)
    assert len({(d.year, d.month) for d in kept}) == 5  # August to December: every month that has one
    assert sorted(p.name for p in offsite.glob("*.json")) == sorted(p.name + ".json" for p in offsite.glob("*.gjbk"))
    assert (offsite / "README.txt").exists()


def test_a_second_place_inside_the_backup_folder_is_refused(tmp_path):
    folder = tmp_path / "backups"
    fake_archive(folder, datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    for place in (folder, folder / "copies"):
        with pytest.raises(backup.BackupError, match="在备份目录之内"):
            backup.offsite_copy(FileSystemStorage(location=str(place)), folder=folder)


def test_the_second_place_is_configured_from_the_environment(monkeypatch, settings, tmp_path):
    for name in ("GONGJIAN_OFFSITE_DIR", "GONGJIAN_OFFSITE_S3_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    assert offsite_storage_from_env() is None
    monkeypatch.setenv("GONGJIAN_OFFSITE_S3_BUCKET", "county-backups")
    s3 = offsite_storage_from_env()
    assert s3 is not None and s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "county-backups" and s3["OPTIONS"]["default_acl"] == "private"
    monkeypatch.setenv("GONGJIAN_OFFSITE_DIR", str(tmp_path / "nfs"))
    folder = offsite_storage_from_env()
    assert folder is not None and folder["OPTIONS"]["location"] == str(tmp_path / "nfs")

    assert backup.offsite_storage() is None  # the suite's settings have none
    settings.STORAGES = {**settings.STORAGES, "offsite": folder}
    storage = backup.offsite_storage()
    assert isinstance(storage, FileSystemStorage) and storage.location == str(tmp_path / "nfs")
    settings.GONGJIAN_BACKUP_DIR = tmp_path / "backups"
    archive = fake_archive(tmp_path / "backups", datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    backup.offsite_copy(storage)
    assert (tmp_path / "nfs" / archive.name).exists()
    assert oct((tmp_path / "nfs" / archive.name).stat().st_mode & 0o777) == oct(0o600)
