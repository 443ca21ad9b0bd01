"""Clean the photos stored before photos were cleaned on upload (P-04): each is rewritten upright,
within 1600 px and without EXIF/XMP, gets its thumbnail, and one audit row names its old and new
digests. Run it once after upgrading; running it again changes nothing. A file pinned by a
published record (a disclosure attachment whose digest is in the Merkle log, T-03) is listed,
never rewritten: correct that record with a new version instead."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from gongjian.kernel import attachments, audit, images
from gongjian.kernel.models import StoredFile


class Command(BaseCommand):
    help = "去除已存照片中的位置等元数据、按拍摄方向摆正并缩小，生成缩略图（可重复运行，留审计记录）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只报告，不修改")

    def handle(self, *args: Any, **options: Any) -> None:
        dry = bool(options["dry_run"])
        pinned = attachments.pinned_ids()
        todo = StoredFile.objects.filter(extension__in=attachments.IMAGES).order_by("id")
        cleaned = thumbnails = already = 0
        kept: list[StoredFile] = []
        missing: list[StoredFile] = []
        for stored in todo.iterator(chunk_size=200):
            if not default_storage.exists(attachments.storage_path(stored.storage_name)):
                missing.append(stored)
                continue
            if stored.pk in pinned and not stored.image_cleaned:
                if images.metadata_of(attachments.read_bytes(stored)):
                    kept.append(stored)
                continue
            if stored.image_cleaned:
                if not default_storage.exists(attachments.thumbnail_name(stored)):
                    thumbnails += 1
                    if not dry:
                        attachments.photo_clean_stored(stored)
                else:
                    already += 1
                continue
            cleaned += 1
            if not dry:
                attachments.photo_clean_stored(stored, username="clean_photos")
        if cleaned and not dry:
            audit.record(None, "kernel.file.photos_cleaned", actor=None, username="clean_photos",
                         changes={"cleaned": cleaned, "thumbnails": thumbnails, "pinned": len(kept)})
        verb = "将处理" if dry else "已处理"
        self.stdout.write(f"{verb}照片 {cleaned} 张，补缩略图 {thumbnails} 张；已处理过 {already} 张。")
        for stored in kept:
            self.stdout.write(f"未改动（已公开发布，摘要已记入公开日志）：{stored.original_name} ({stored.storage_name})"
                              " —— 请以更正版本替换为去除位置信息的照片")
        for stored in missing:
            self.stderr.write(f"找不到文件：{stored.original_name} ({stored.storage_name})")
