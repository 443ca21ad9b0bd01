"""Backups, restore and the restore drill (B-02, B-03, issue 12; ADR 0035).

An archive is one file, `gongjian-YYYYMMDD-HHMMSS.gjbk`: a gzip'd tar of
  - `database.sqlite3` (SQLite, a consistent copy through the online backup API) or
    `database.pgdump` (PostgreSQL, `pg_dump -Fc` of an exported snapshot),
  - `files/…` (every file in the default storage: the uploads the kernel's attachments store, from a
    folder or object storage),
  - `manifest.json`: the SHA-256 of every member, the row count of every table and the audit head,
    all taken from the same snapshot as the database copy,
encrypted in 1 MiB chunks with SM4-GCM under a key derived (HKDF-SM3, a random salt per archive)
from `GONGJIAN_BACKUP_KEY`, which is kept apart from the archives and is never inside one. Each
chunk's nonce and associated data carry its number and a last-chunk flag, so a chunk moved, dropped
or cut off fails to decrypt. Beside the archive, `….gjbk.json` repeats the counts and the archive's
own SHA-256 (no personal data), so a copy off the machine can be checked without the key.

`restore` decrypts everything into a private folder first, checks every member against the
manifest, and only then loads the database and the files; it then walks the audit chain, checks the
publication log and compares the row counts with the manifest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.db import connection, connections

MAGIC = b"GJBACKUP1\n"
CHUNK = 1024 * 1024
TAG_BYTES = 16
KDF_INFO = b"gongjian backup archive v1"
ARCHIVE_RE = re.compile(r"^gongjian-(\d{8})-(\d{6})\.gjbk$")
OUR_APPS = {"auth", "kernel", "disclosure", "womenshome", "campaigns", "development", "support", "portal"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is a Chinese sentence for the operator."""


# --- the key and the encrypted stream ---------------------------------------------------------------


def master_key() -> bytes:
    raw = settings.GONGJIAN_BACKUP_KEY
    if not raw:
        raise ImproperlyConfigured("GONGJIAN_BACKUP_KEY is not set (run `gongjian init-secrets` in development)")
    key = base64.b64decode(raw)
    if len(key) < 32:
        raise ImproperlyConfigured("GONGJIAN_BACKUP_KEY must be 32 random bytes, base64")
    return key


def key_id(key: bytes) -> str:
    """Names the key without revealing it, so an operator knows which key an archive needs."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"gongjian backup key id" + key)
    return digest.finalize().hex()[:12]


def _subkey(key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=16, salt=salt, info=KDF_INFO).derive(key)


def _aad(header_hash: bytes, index: int, last: bool) -> bytes:
    return header_hash + struct.pack(">QB", index, 1 if last else 0)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


class EncryptingWriter:
    """A write-only file object: what is written is sealed chunk by chunk into `out`."""

    def __init__(self, out: IO[bytes], key: bytes) -> None:
        self.out = out
        salt, self.prefix = os.urandom(16), os.urandom(8)
        self.key = _subkey(key, salt)
        header = json.dumps({"v": 1, "cipher": "sm4-gcm", "kdf": "hkdf-sm3", "chunk": CHUNK,
                             "salt": base64.b64encode(salt).decode(), "key_id": key_id(key)}).encode() + b"\n"
        self.header_hash = hashlib.sha256(MAGIC + header).digest()
        out.write(MAGIC + header)
        self.buffer = bytearray()
        self.index = 0

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep at least one byte back: the last chunk is sealed on close
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        if self.index >= 2**32 - 1:
            raise BackupError("备份过大：超过单个归档的分块上限。")
        encryptor = Cipher(algorithms.SM4(self.key), modes.GCM(_nonce(self.prefix, self.index))).encryptor()
        encryptor.authenticate_additional_data(_aad(self.header_hash, self.index, last))
        sealed = encryptor.update(plain) + encryptor.finalize() + encryptor.tag
        self.out.write(self.prefix if self.index == 0 else b"")
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def close(self) -> None:
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()


def decrypted_chunks(source: IO[bytes], key: bytes) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; raise BackupError on a wrong key, a change or a cut."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("不是共建备份归档（文件头不符）。")
    header = source.readline(4096)
    try:
        meta = json.loads(header)
        salt = base64.b64decode(meta["salt"])
    except (ValueError, KeyError) as exc:
        raise BackupError("备份归档的文件头已损坏。") from exc
    if meta.get("key_id") != key_id(key):
        raise BackupError(f"密钥不符：此归档需要编号为 {meta.get('key_id')} 的备份密钥。")
    subkey = _subkey(key, salt)
    header_hash = hashlib.sha256(MAGIC + header).digest()
    prefix = source.read(8)
    index = 0
    while True:
        size_raw = source.read(4)
        if len(size_raw) < 4:
            raise BackupError("备份归档不完整（被截断）。")
        (size,) = struct.unpack(">I", size_raw)
        sealed = source.read(size)
        if len(sealed) < size or size < TAG_BYTES:
            raise BackupError("备份归档不完整（被截断）。")
        body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        for last in (False, True):
            decryptor = Cipher(algorithms.SM4(subkey), modes.GCM(_nonce(prefix, index), tag)).decryptor()
            decryptor.authenticate_additional_data(_aad(header_hash, index, last))
            try:
                plain = decryptor.update(body) + decryptor.finalize()
            except InvalidTag:
                continue
            break
        else:
            raise BackupError(f"备份归档第 {index + 1} 块解密失败：文件被改动或损坏。")
        yield plain
        index += 1
        if last:
            if source.read(1):
                raise BackupError("备份归档末尾有多余的数据。")
            return


class DecryptingReader:
    """A read-only file object over `decrypted_chunks`, for tarfile's stream mode."""

    def __init__(self, source: IO[bytes], key: bytes) -> None:
        self.chunks = decrypted_chunks(source, key)
        self.buffer = bytearray()
        self.done = False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            try:
                self.buffer += next(self.chunks)
            except StopIteration:
                self.done = True
        if size < 0:
            size = len(self.buffer)
        out = bytes(self.buffer[:size])
        del self.buffer[:size]
        return out


# --- taking the snapshot -------------------------------------------------------------------------------


def counted_tables() -> list[str]:
    """Every table of the platform's own models (auth included), sorted."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in OUR_APPS and meta.managed and not meta.proxy:
            names.add(meta.db_table)
    return sorted(names)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_params() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore and the password in the environment."""
    conf = connection.settings_dict
    args = ["--dbname", str(conf["NAME"])]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _pg_connect(*, autocommit: bool = False) -> Any:
    """A connection of our own, outside whatever transaction Django's connection is in."""
    import psycopg

    conf = connection.settings_dict
    return psycopg.connect(dbname=conf["NAME"], host=conf.get("HOST") or None, port=conf.get("PORT") or None,
                           user=conf.get("USER") or None, password=conf.get("PASSWORD") or None,
                           autocommit=autocommit)


def _snapshot_sqlite(folder: Path) -> tuple[Path, dict[str, int], dict[str, Any]]:
    source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
    target_path = folder / "database.sqlite3"
    target = sqlite3.connect(str(target_path))
    try:
        # One step (pages=-1) under one read transaction: a consistent copy while others write.
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        present = {row[0] for row in target.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {t: target.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                  for t in counted_tables() if t in present}
        row = target.execute("SELECT count, last_hash FROM kernel_audithead WHERE id = 1").fetchone()
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("数据库副本完整性检查未通过。")
    finally:
        target.close()
        source.close()
    head = {"count": row[0], "last_hash": row[1]} if row else {"count": 0, "last_hash": ""}
    return target_path, counts, head


def _snapshot_postgres(folder: Path) -> tuple[Path, dict[str, int], dict[str, Any]]:
    target_path = folder / "database.pgdump"
    with _pg_connect() as conn:
        # The counts and pg_dump read one exported snapshot, so they agree however busy the platform is.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot_row is not None
        present = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        counts = {}
        for table in counted_tables():
            if table in present:
                found = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
                counts[table] = int(found[0]) if found else 0
        row = conn.execute("SELECT count, last_hash FROM kernel_audithead WHERE id = 1").fetchone()
        args, env = _pg_params()
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603,S607
                                 f"--snapshot={snapshot_row[0]}", "--file", str(target_path), *args],
                                env=env, capture_output=True, text=True, check=False)
        conn.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()[-400:]}")
    head = {"count": row[0], "last_hash": row[1]} if row else {"count": 0, "last_hash": ""}
    return target_path, counts, head


def media_files() -> Iterator[tuple[str, str]]:
    """Every uploaded file in the default storage (a folder or object storage), as (its name in the
    storage, its name in the archive)."""
    storage = default_storage
    local = isinstance(storage, FileSystemStorage)

    def walk(folder: str) -> Iterator[str]:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:  # nothing uploaded yet
            return
        for name in sorted(files):
            path = f"{folder}/{name}" if folder else name
            if local and os.path.islink(storage.path(path)):
                continue  # a link in the folder is not an upload
            yield path
        for name in sorted(folders):
            yield from walk(f"{folder}/{name}" if folder else name)

    for name in walk(""):
        yield name, "files/" + name


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    deleted: list[Path] = field(default_factory=list)


def backup_create(*, folder: Path | None = None, now: datetime | None = None) -> BackupResult:
    """Write one encrypted archive of the database and the uploaded files into `folder`."""
    key = master_key()
    folder = Path(folder or settings.GONGJIAN_BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    now = now or datetime.now(UTC)
    name = f"gongjian-{now:%Y%m%d-%H%M%S}.gjbk"
    final = folder / name
    if final.exists():
        raise BackupError(f"{name} 已存在，请稍后再试。")
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix=".work-", dir=folder) as work:
        snapshot = _snapshot_sqlite if vendor == "sqlite" else _snapshot_postgres
        db_path, counts, head = snapshot(Path(work))
        members: dict[str, dict[str, Any]] = {
            db_path.name: {"sha256": _sha256_file(db_path), "size": db_path.stat().st_size}}
        files = list(media_files())
        manifest = {"format": 1, "created": now.isoformat(timespec="seconds"), "vendor": vendor,
                    "database": db_path.name, "tables": counts, "audit_head": head,
                    "key_id": key_id(key), "members": members}
        partial = folder / (name + ".part")
        try:
            with partial.open("wb") as raw:
                writer = EncryptingWriter(raw, key)
                with tarfile.open(fileobj=writer, mode="w|gz") as tar:  # type: ignore[call-overload]
                    tar.add(db_path, arcname=db_path.name)
                    for stored, arcname in files:
                        members[arcname] = _add_file(tar, stored, arcname)
                    blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                    info = tarfile.TarInfo("manifest.json")
                    info.size = len(blob)
                    tar.addfile(info, _BytesReader(blob))
                writer.close()
                raw.flush()
                os.fsync(raw.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)  # never leave a half archive beside the good ones
            raise
        partial.rename(final)
    side = {"archive": name, "sha256": _sha256_file(final), "size": final.stat().st_size,
            **{k: manifest[k] for k in ("created", "vendor", "tables", "audit_head", "key_id")}}
    Path(str(final) + ".json").write_text(json.dumps(side, ensure_ascii=False, indent=1, sort_keys=True))
    return BackupResult(final, manifest)


def _add_file(tar: tarfile.TarFile, name: str, arcname: str) -> dict[str, Any]:
    """Add an uploaded file, hashing the very bytes archived (the manifest is written last)."""
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    try:
        info.mtime = int(default_storage.get_modified_time(name).timestamp())
    except NotImplementedError:
        info.mtime = int(time.time())
    tar.addfile(info, _BytesReader(data))
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        out = self.data[self.pos:end]
        self.pos += len(out)
        return out


# --- retention ---------------------------------------------------------------------------------------


def archive_date(path: Path) -> datetime | None:
    match = ARCHIVE_RE.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def retention_keep(dates: list[datetime], *, daily: int = 7, weekly: int = 4, monthly: int = 12) -> set[datetime]:
    """Which archives to keep: the newest of each of the last `daily` days, `weekly` ISO weeks and
    `monthly` months that have one (as `borg prune --keep-daily/weekly/monthly`), and the newest."""
    ordered = sorted(dates, reverse=True)
    keep: set[datetime] = set(ordered[:1])
    rules: list[tuple[int, Any]] = [
        (daily, lambda d: d.date()),
        (weekly, lambda d: tuple(d.isocalendar()[:2])),
        (monthly, lambda d: (d.year, d.month)),
    ]
    for count, period in rules:
        seen: list[Any] = []
        for moment in ordered:
            if len(seen) >= count:
                break
            if period(moment) not in seen:
                seen.append(period(moment))
                keep.add(moment)
    return keep


def retention_apply(folder: Path | None = None, **limits: int) -> list[Path]:
    """Delete the archives (and their .json) the retention rule does not keep; returns what went."""
    folder = Path(folder or settings.GONGJIAN_BACKUP_DIR)
    archives = {d: p for p in folder.glob("gongjian-*.gjbk") if (d := archive_date(p)) is not None}
    keep = retention_keep(list(archives), **limits)
    deleted = []
    for moment, path in sorted(archives.items()):
        if moment not in keep:
            path.unlink()
            Path(str(path) + ".json").unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def latest_archive(folder: Path | None = None) -> Path | None:
    folder = Path(folder or settings.GONGJIAN_BACKUP_DIR)
    found = sorted((d, p) for p in folder.glob("gongjian-*.gjbk") if (d := archive_date(p)) is not None)
    return found[-1][1] if found else None


# --- the copy off the machine (B-02) -------------------------------------------------------------------


def offsite_storage() -> Storage | None:
    """The configured second place (`STORAGES["offsite"]`: a mounted folder or a bucket), or None."""
    if "offsite" not in settings.STORAGES:
        return None
    return storages["offsite"]


def offsite_describe(storage: Storage) -> str:
    if isinstance(storage, FileSystemStorage):
        return str(storage.location)
    return f"{type(storage).__name__}:{getattr(storage, 'bucket_name', '')}/{getattr(storage, 'location', '')}"


def _stored_sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _put(storage: Storage, source: Path, name: str) -> None:
    """Write `source` to `name`, replacing what is there (a half copy of an earlier failed night)."""
    if storage.exists(name):
        storage.delete(name)
    with source.open("rb") as handle:
        saved = storage.save(name, File(handle))
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"异地副本未能按原名保存：{name}")


@dataclass
class OffsiteResult:
    destination: str
    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def offsite_copy(storage: Storage, *, folder: Path | None = None, prune: bool = True, **limits: int) -> OffsiteResult:
    """Copy every local archive the second place lacks (with its `.json`), check each copy's SHA-256
    as read back from there against the local `.json`, then apply the retention rule there too.
    A copy that does not match is deleted and the whole run fails; an archive counts as present
    there only when its `.json` is, which is written after the archive checked out."""
    folder = Path(folder or settings.GONGJIAN_BACKUP_DIR)
    result = OffsiteResult(offsite_describe(storage))
    if isinstance(storage, FileSystemStorage):
        target = Path(storage.location).resolve()
        if target == folder.resolve() or folder.resolve() in target.parents:
            raise BackupError(f"异地副本的位置 {target} 在备份目录之内：请指定另一块磁盘或另一台主机。")
        target.mkdir(parents=True, exist_ok=True)
        if target.stat().st_dev == folder.stat().st_dev:
            result.warnings.append(f"{target} 与备份目录在同一块磁盘上：磁盘损坏时两份会一起丢失。")
    for archive in sorted(p for p in folder.glob("gongjian-*.gjbk") if archive_date(p) is not None):
        side_path = Path(str(archive) + ".json")
        if not side_path.exists():
            continue  # an archive still being written has no .json yet
        expected = json.loads(side_path.read_text(encoding="utf-8"))["sha256"]
        side_name = archive.name + ".json"
        if storage.exists(side_name) and storage.exists(archive.name):
            result.present.append(archive.name)
            continue
        _put(storage, archive, archive.name)
        copied = _stored_sha256(storage, archive.name)
        if copied != expected:
            storage.delete(archive.name)
            raise BackupError(f"异地副本校验和不符（{archive.name}）：已删除该副本，请检查目标位置后重试。")
        _put(storage, side_path, side_name)
        result.copied.append(archive.name)
    if prune:
        result.deleted = offsite_prune(storage, **limits)
    return result


def offsite_prune(storage: Storage, **limits: int) -> list[str]:
    """The retention rule at the second place, by the archives' names (their dates)."""
    _folders, files = storage.listdir("")
    archives = {d: name for name in files if (d := archive_date(Path(name))) is not None}
    keep = retention_keep(list(archives), **limits)
    deleted = []
    for moment, name in sorted(archives.items()):
        if moment not in keep:
            for member in (name + ".json", name):  # the .json first: without it the copy is not "present"
                if storage.exists(member):
                    storage.delete(member)
            deleted.append(name)
    return deleted


def offsite_check(storage: Storage, name: str) -> bool:
    """Whether the copy of `name` at the second place has the SHA-256 its `.json` there records."""
    with storage.open(name + ".json", "rb") as side:
        expected = json.loads(side.read())["sha256"]
    return bool(_stored_sha256(storage, name) == expected)


# --- restore -------------------------------------------------------------------------------------------


def database_is_empty() -> bool:
    if connection.vendor == "sqlite":
        path = Path(str(connection.settings_dict["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(str(path)) as probe:
            found = probe.execute("SELECT count(*) FROM sqlite_master WHERE type='table' "
                                  "AND name NOT LIKE 'sqlite_%'").fetchone()[0]
        return found == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        row = cursor.fetchone()
    return not row or row[0] == 0


_SAFE_MEMBER = re.compile(r"^(manifest\.json|database\.sqlite3|database\.pgdump|files/[A-Za-z0-9._/-]+)$")


@contextmanager
def unpacked(archive: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Decrypt and unpack into a private folder; check every member against the manifest."""
    with tempfile.TemporaryDirectory(prefix="gongjian-restore-") as work:
        root = Path(work)
        os.chmod(root, 0o700)
        with archive.open("rb") as raw:
            reader = DecryptingReader(raw, master_key())
            try:
                with tarfile.open(fileobj=reader, mode="r|gz") as tar:  # type: ignore[call-overload]
                    for member in tar:
                        if (not member.isfile() or not _SAFE_MEMBER.match(member.name)
                                or ".." in member.name.split("/")):
                            raise BackupError(f"备份归档中有不应出现的条目：{member.name}")
                        target = root / "m" / member.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        stream = tar.extractfile(member)
                        assert stream is not None
                        with target.open("wb") as out:
                            shutil.copyfileobj(stream, out, CHUNK)
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise BackupError(f"备份归档无法解开：{exc}") from exc
        manifest_path = root / "m" / "manifest.json"
        if not manifest_path.exists():
            raise BackupError("备份归档中没有清单（manifest.json）。")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        found = {p.relative_to(root / "m").as_posix() for p in (root / "m").rglob("*") if p.is_file()}
        found.discard("manifest.json")
        listed = set(manifest["members"])
        if found != listed:
            raise BackupError(f"备份归档的内容与清单不符：多出 {sorted(found - listed)[:5]}，缺少 {sorted(listed - found)[:5]}。")
        for name, entry in manifest["members"].items():
            if _sha256_file(root / "m" / name) != entry["sha256"]:
                raise BackupError(f"校验和不符：{name}")
        yield root / "m", manifest


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    problems: list[str]
    notes: list[str]
    counts: dict[str, int]


def restore(archive: Path, *, force: bool = False) -> RestoreReport:
    """Restore an archive onto this database (empty unless `force`), then verify it."""
    vendor = connection.vendor
    if not force and not database_is_empty():
        raise BackupError("目标数据库不是空的：恢复只能写入空数据库（确需覆盖请加 --force）。")
    with unpacked(archive) as (members, manifest):
        if manifest["vendor"] != vendor:
            raise BackupError(f"此归档来自 {manifest['vendor']} 数据库，不能恢复到 {vendor}。")
        connections.close_all()
        if vendor == "sqlite":
            _load_sqlite(members / "database.sqlite3")
        else:
            _load_postgres(members / "database.pgdump", clean=force)
        for name in manifest["members"]:
            if name.startswith("files/"):
                _restore_file(members / name, name.removeprefix("files/"))
    return verify_restored(manifest)


def _restore_file(source: Path, name: str) -> None:
    """Put an archived upload back into the default storage under its own name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with source.open("rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:
        raise BackupError(f"文件未能按原名恢复：{name}")


def _load_sqlite(snapshot: Path) -> None:
    path = Path(str(connection.settings_dict["NAME"]))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(str(snapshot)), sqlite3.connect(str(path))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        target.close()


def _load_postgres(dump: Path, *, clean: bool) -> None:
    args, env = _pg_params()
    extra = ["--clean", "--if-exists"] if clean else []
    result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",  # noqa: S603,S607
                             "--single-transaction", *extra, *args, str(dump)],
                            env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败（数据库未改动）：{result.stderr.strip()[-400:]}")


def verify_restored(manifest: dict[str, Any]) -> RestoreReport:
    """The audit chain, the checkpoints, the publication log and the row counts of a restored copy."""
    from gongjian.disclosure import publication

    from . import audit
    from .models import AuditHead

    problems: list[str] = []
    notes: list[str] = []
    for p in audit.verify_chain():
        problems.append(f"审计链 #{p.chain_index} {p.kind}：{p.detail}")
    backed_up = int(manifest.get("audit_head", {}).get("count") or 0)
    for p in audit.verify_checkpoints():
        # A checkpoint written after the backup sees more events than the backup holds: expected.
        if p.kind == "truncated" and p.chain_index == backed_up + 1:
            notes.append(f"检查点文件含有备份之后的审计记录（{p.detail}）：这些记录不在此备份中。")
        else:
            problems.append(f"审计检查点 #{p.chain_index} {p.kind}：{p.detail}")
    head = AuditHead.objects.filter(id=1).values_list("count", "last_hash").first()
    expected_head = manifest.get("audit_head") or {}
    if expected_head.get("count") and head != (expected_head["count"], expected_head["last_hash"]):
        problems.append(f"审计链头与清单不符：{head} ≠ {expected_head}")
    pub_problems, _size = publication.verify_publications(attachments=True)
    problems += [f"发布记录 [{p.kind}]：{p.detail}" for p in pub_problems]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest["tables"].items()):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            row = cursor.fetchone()
            counts[table] = int(row[0]) if row else 0
            if counts[table] != expected:
                problems.append(f"表 {table} 行数 {counts[table]}，清单记载 {expected}")
    return RestoreReport(manifest, problems, notes, counts)


# --- the drill ---------------------------------------------------------------------------------------


def drill_log_path() -> Path:
    return Path(settings.GONGJIAN_BACKUP_DIR) / "drills.jsonl"


def drill_record(entry: dict[str, Any]) -> None:
    entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
    path = drill_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())


def drill_records(limit: int = 10) -> list[dict[str, Any]]:
    """The latest drill records, newest first, for the console."""
    path = drill_log_path()
    if not path.exists():
        return []
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines()[-limit:]:
        try:
            rows.append(json.loads(raw))
        except ValueError:
            continue
    return rows[::-1]


def _scratch_database_url(name: str) -> str:
    from urllib.parse import quote

    conf = connection.settings_dict
    auth = quote(str(conf.get("USER") or ""), safe="")
    if conf.get("PASSWORD"):
        auth += ":" + quote(str(conf["PASSWORD"]), safe="")
    host = str(conf.get("HOST") or "localhost")
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{name}"


def drill_run(archive: Path, *, timeout: int = 1800) -> dict[str, Any]:
    """Restore `archive` into a scratch database and folder in another process, verify, record."""
    started = time.monotonic()
    vendor = connection.vendor
    entry: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "archive": archive.name,
                             "vendor": vendor}
    with tempfile.TemporaryDirectory(prefix="gongjian-drill-") as work:
        scratch_db = ""
        if vendor == "sqlite":
            url = f"sqlite:///{Path(work) / 'drill.sqlite3'}"
        else:
            scratch_db = f"gongjian_drill_{os.getpid()}_{int(time.time())}"
            with _pg_connect(autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{scratch_db}"')
            url = _scratch_database_url(scratch_db)
        # The scratch restore writes its files into a scratch folder, never into the platform's
        # upload folder or bucket (on several servers both are shared: ADR 0040).
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("GONGJIAN_S3_")}
        env = {**inherited, "DATABASE_URL": url, "GONGJIAN_VAR_DIR": str(Path(work) / "var"),
               "GONGJIAN_MEDIA_ROOT": str(Path(work) / "var" / "protected"),
               "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.prod"),
               "GONGJIAN_BACKUP_KEY": settings.GONGJIAN_BACKUP_KEY,
               "GONGJIAN_AUDIT_KEY": settings.GONGJIAN_AUDIT_KEY,
               "GONGJIAN_AUDIT_CHECKPOINTS": str(settings.GONGJIAN_AUDIT_CHECKPOINTS),
               "GONGJIAN_FIELD_KEYS": settings.GONGJIAN_FIELD_KEYS,
               "GONGJIAN_LOG_SIGNING_KEY": settings.GONGJIAN_LOG_SIGNING_KEY,
               "DJANGO_SECRET_KEY": settings.SECRET_KEY,
               "GONGJIAN_BACKUP_DIR": str(Path(work) / "backups")}
        try:
            result = subprocess.run([sys.executable, "-m", "gongjian.cli",  # noqa: S603
                                     "restore", str(archive)], env=env, cwd=settings.BASE_DIR,
                                    capture_output=True, text=True, timeout=timeout, check=False)
            output = (result.stdout + result.stderr).strip()
            passed = result.returncode == 0
        except subprocess.TimeoutExpired:
            output, passed = f"超过 {timeout} 秒未完成", False
        finally:
            if scratch_db:
                with _pg_connect(autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)')
    entry.update(result="passed" if passed else "failed", seconds=round(time.monotonic() - started, 1),
                 output=output[-1500:])
    drill_record(entry)
    return entry

