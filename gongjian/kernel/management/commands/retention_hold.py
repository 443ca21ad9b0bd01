from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gongjian.kernel import audit
from gongjian.kernel.models import RetentionHold


class Command(BaseCommand):
    help = "设置或取消个人信息的保留（法律或档案要求暂停清理），例如：retention_hold set disclosure.Suggestion 12 --reason 诉讼保全"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["set", "lift", "list"])
        parser.add_argument("model", nargs="?", help="app_label.Model，例如 disclosure.Suggestion")
        parser.add_argument("object_id", nargs="?", type=int)
        parser.add_argument("--reason", default="")
        parser.add_argument("--by", default="operator", help="设置人（记入审计）")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for hold in RetentionHold.objects.select_related("content_type").order_by("set_at"):
                self.stdout.write(f"{hold.content_type.app_label}.{hold.content_type.model} {hold.object_id}："
                                  f"{hold.reason}（{hold.set_by}，{hold.set_at:%Y-%m-%d}）")
            return
        if not options["model"] or options["object_id"] is None:
            raise CommandError("请给出记录类型和编号，例如 disclosure.Suggestion 12。")
        try:
            model = apps.get_model(options["model"])
        except (LookupError, ValueError) as exc:
            raise CommandError(f"没有这种记录类型：{options['model']}。") from exc
        if not model._default_manager.filter(pk=options["object_id"]).exists():
            raise CommandError(f"{options['model']} 没有编号为 {options['object_id']} 的记录。")
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        key = {"content_type": content_type, "object_id": options["object_id"]}
        if options["action"] == "set":
            if not options["reason"].strip():
                raise CommandError("请用 --reason 写明保留原因。")
            hold, created = RetentionHold.objects.get_or_create(
                **key, defaults={"reason": options["reason"].strip(), "set_by": options["by"]})
            if not created:
                raise CommandError("这条记录已经设置了保留。")
            event = "kernel.retention.hold_set"
        else:
            deleted, _rows = RetentionHold.objects.filter(**key).delete()
            if not deleted:
                raise CommandError("这条记录没有设置保留。")
            event = "kernel.retention.hold_lifted"
        audit.record(None, event, actor=None, username=options["by"], object_type=options["model"],
                     object_id=str(options["object_id"]),
                     changes={"model": options["model"], "object_id": options["object_id"],
                              "reason": options["reason"].strip()})
        self.stdout.write("已设置保留" if options["action"] == "set" else "已取消保留")
