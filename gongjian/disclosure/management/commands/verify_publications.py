from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.disclosure import merkle, publication
from gongjian.disclosure.models import TreeHead


class Command(BaseCommand):
    help = ("核验党务公开发布记录：每个已公开版本和撤回记录与默克尔树叶子一致、整棵树与签名树头一致、"
            "附件未被改动；--sth 文件核对与保存过的树头是否一致（T-04）。Exit 1 on any problem.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sth", help="a tree head saved earlier (the JSON of /api/v1/public/publication-log/tree-head)")
        parser.add_argument("--skip-attachments", action="store_true", help="do not re-hash attachment files")

    def handle(self, *args: Any, **options: Any) -> None:
        problems, size = publication.verify_publications(attachments=not options["skip_attachments"])
        lines = [f"[{p.kind}] {p.detail}" for p in problems]
        if options.get("sth"):
            lines += self.check_saved(options["sth"])
        if lines:
            for line in lines:
                self.stderr.write(line)
            raise CommandError(f"发布记录核验失败：{len(lines)} 处问题（共 {size} 条记录）")
        head = publication.latest_tree_head()
        root = bytes(head.root_hash).hex() if head else "-"
        self.stdout.write(f"发布记录完整：{size} 条记录，根哈希 {root}")

    def check_saved(self, path: str) -> list[str]:
        """The saved head must be signed by our key and be a prefix of today's log."""
        try:
            saved = json.loads(Path(path).read_text(encoding="utf-8"))
            size, root = int(saved["tree_size"]), bytes.fromhex(saved["root_hash"])
        except (OSError, ValueError, KeyError) as exc:
            return [f"[sth] cannot read {path}: {exc}"]
        log = publication.get_log()
        if size > log.size:
            return [f"[sth] saved tree head of size {size} is beyond the log ({log.size})"]
        head = TreeHead(size=size, root_hash=root, key_id=saved.get("key_id", ""),
                        signature=base64.b64decode(saved.get("signature", "")))
        head.timestamp = datetime.fromtimestamp(int(saved.get("timestamp", 0)) / 1000, tz=UTC)
        out = []
        if not publication.verify_tree_head(head, log.algo):
            out.append(f"[sth] the saved tree head of size {size} is not signed by this log's key")
        tree = publication.merkle_log(log)
        proof = tree.consistency_proof(size, log.size)
        if not merkle.verify_consistency(size, log.size, root, tree.root(), proof, log.algo):
            out.append(f"[sth] the log is not consistent with the saved tree head of size {size}: history was rewritten")
        return out
