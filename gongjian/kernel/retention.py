"""Retention (P-04, P-06, L-05; issue 12 §4): the data inventory and the purge that applies it.

`data_inventory.toml` beside this module lists every kind of personal data the platform holds —
its fields, purpose, legal basis, sensitivity and retention — and, where data expires, the rules
`purge()` applies: records of a model whose age field is older than N days (and that are in a final
state) are anonymised (fields emptied) or deleted, unless a `RetentionHold` is set on them (a legal
or archival hold). Each batch leaves one audit record with the category, the rule and the count —
never the data. `gongjian retention_purge` runs it daily from the scheduler; `--dry-run` counts.

Audit and security logs are not purged here: the audit chain is append-only (L-03) and kept at
least `AUDIT_RETENTION_DAYS` (≥ 183, L-05); docs/operations.md says how an operator archives it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from . import audit

INVENTORY = Path(__file__).with_name("data_inventory.toml")
BATCH = 500


@dataclass(frozen=True)
class Rule:
    model: str  # "app_label.Model"
    age_field: str
    days: int
    when: dict[str, Any] = field(default_factory=dict)
    clear: tuple[str, ...] = ()
    delete: bool = False

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def describe(self) -> str:
        action = "删除记录" if self.delete else "清除 " + "、".join(self.clear)
        return f"{self.model}：{self.age_field} 超过 {self.days} 天，{action}"


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    fields: tuple[str, ...]
    purpose: str
    legal_basis: str
    sensitivity: str
    retention: str
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Inventory:
    categories: tuple[Category, ...]
    not_personal: dict[str, str]

    def listed(self) -> set[str]:
        return {name for category in self.categories for name in category.fields} | set(self.not_personal)


@cache
def inventory(path: Path = INVENTORY) -> Inventory:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    categories = []
    for raw in data.get("category", []):
        rules = tuple(Rule(model=r["model"], age_field=r["age_field"], days=int(r["days"]), when=dict(r.get("when", {})),
                           clear=tuple(r.get("clear", ())), delete=bool(r.get("delete", False)))
                      for r in raw.get("rules", []))
        for rule in rules:
            if rule.delete == bool(rule.clear):
                raise ValueError(f"{raw['id']}: a rule either deletes or clears fields, not both or neither")
        categories.append(Category(id=raw["id"], label=raw["label"], fields=tuple(raw["fields"]),
                                   purpose=raw["purpose"], legal_basis=raw["legal_basis"],
                                   sensitivity=raw["sensitivity"], retention=raw["retention"], rules=rules))
    return Inventory(tuple(categories), dict(data.get("not_personal", {})))


def _blank(model: type[models.Model], name: str) -> Any:
    concrete = model._meta.get_field(name)
    return None if getattr(concrete, "null", False) else ""


def due(rule: Rule, now: datetime | None = None) -> models.QuerySet[Any]:
    """The records a rule applies to now: old enough, in its state, not held, not done already."""
    now = now or timezone.now()
    model = rule.model_class()
    age = model._meta.get_field(rule.age_field)
    limit: Any = now - timedelta(days=rule.days)
    if isinstance(age, models.DateField) and not isinstance(age, models.DateTimeField):
        limit = timezone.localtime(limit).date()
    qs = model._default_manager.filter(**{f"{rule.age_field}__lt": limit}, **rule.when)
    held = _held_ids(model)
    if held:
        qs = qs.exclude(pk__in=held)
    if rule.clear:
        done = models.Q()
        for name in rule.clear:
            blank = _blank(model, name)
            done &= models.Q(**{f"{name}__isnull": True}) if blank is None else models.Q(**{name: blank})
        qs = qs.exclude(done)
    return qs


def _held_ids(model: type[models.Model]) -> list[int]:
    """Primary keys of the model's records under a retention hold."""
    from .models import RetentionHold

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return [int(pk) for pk in RetentionHold.objects.filter(content_type=content_type)
            .values_list("object_id", flat=True)]


@dataclass
class Outcome:
    category: str
    rule: Rule
    count: int


def purge(*, now: datetime | None = None, dry_run: bool = False) -> list[Outcome]:
    """Apply every rule of the inventory; returns what each rule did (or would do)."""
    outcomes = []
    for category in inventory().categories:
        for rule in category.rules:
            qs = due(rule, now)
            if dry_run:
                outcomes.append(Outcome(category.id, rule, qs.count()))
                continue
            total = 0
            while True:
                ids = list(qs.order_by("pk").values_list("pk", flat=True)[:BATCH])
                if not ids:
                    break
                with transaction.atomic():
                    model = rule.model_class()
                    batch = model._default_manager.filter(pk__in=ids)
                    if rule.delete:
                        count = len(ids)
                        batch.delete()
                    else:
                        count = batch.update(**{name: _blank(model, name) for name in rule.clear}
                                             | _indexes_of(model, rule.clear))
                    audit.record(None, "kernel.retention.purged", actor=None, username="retention",
                                 changes={"category": category.id, "model": rule.model, "count": count,
                                          "action": "delete" if rule.delete else "clear",
                                          "fields": list(rule.clear), "days": rule.days})
                total += count
            outcomes.append(Outcome(category.id, rule, total))
    return outcomes


def _indexes_of(model: type[models.Model], cleared: tuple[str, ...]) -> dict[str, str]:
    """The blind indexes computed from a cleared field are cleared with it (an update skips save)."""
    from .fields import BlindIndexField

    return {f.attname: "" for f in model._meta.concrete_fields
            if isinstance(f, BlindIndexField) and f.source in cleared}


# --- the inventory as a page ------------------------------------------------------------------------


def markdown() -> str:
    """docs/data-inventory.md, generated from the inventory (a test keeps them equal)."""
    lines = ["# Data inventory (个人信息清单)", "",
             "Generated from `gongjian/kernel/data_inventory.toml` by `gongjian data_inventory --markdown`;",
             "do not edit by hand (a test fails when they differ). P-04, P-06: what personal data the",
             "platform holds, why, on what legal basis, how it is protected and how long it is kept. The",
             "rules below are applied daily by `gongjian retention_purge` (scheduler job",
             "`kernel-retention`), except on records under a retention hold (`gongjian retention_hold`).",
             ""]
    for category in inventory().categories:
        lines += [f"## {category.label}", "",
                  f"- 用途：{category.purpose}", f"- 依据：{category.legal_basis}",
                  f"- 保护：{category.sensitivity}", f"- 保存期限：{category.retention}"]
        for rule in category.rules:
            lines.append(f"- 自动处理：{rule.describe()}")
        lines += ["- 字段：" + "、".join(f"`{name}`" for name in category.fields), ""]
    lines += ["## 不是个人信息的字段", "", "Fields whose names look personal but hold none:", ""]
    lines += [f"- `{name}`：{reason}" for name, reason in inventory().not_personal.items()]
    return "\n".join(lines) + "\n"
