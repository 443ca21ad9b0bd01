"""Builders for the disclosure tests: the procedure of 第四篇 through the services (pytest-free;
fixtures in conftest.py or the test module wrap them)."""

from __future__ import annotations

from typing import Any

from gongjian.disclosure import services
from gongjian.disclosure.models import Disclosure, DisclosureVersion

BASE = {
    "title": "2026年第三季度党费收缴情况",
    "body": "本季度应缴党费党员32名，实缴32名。\n\n收缴金额合计1,860元，已按规定上缴。",
    "category": "self_building",
    "channels": ["board", "web"],
    "timing": "regular",
    "period": "quarterly",
    "scope": "public",
}


def draft(acting: Any, *, user: str = "xiaoliu_branch", **overrides: Any) -> Disclosure:
    actor = acting(user)
    return services.disclosure_create(actor=actor, organization=actor.acting.organization,
                                      data={**BASE, **overrides})


def approved(acting: Any, **overrides: Any) -> Disclosure:
    item = draft(acting, **overrides)
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    services.disclosure_approve(actor=acting("taihua_party"), disclosure=item)
    return item


def published(acting: Any, **overrides: Any) -> tuple[Disclosure, DisclosureVersion]:
    item = approved(acting, **overrides)
    version = services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    item.refresh_from_db()
    return item, version


def republish(acting: Any, item: Disclosure, *, body: str, note: str = "更正收缴金额") -> DisclosureVersion:
    branch = acting("xiaoliu_branch")
    data = {f: getattr(item, f) for f in services.FIELDS}
    data.update(body=body, correction_note=note)
    services.disclosure_update(actor=branch, disclosure=item, data=data)
    services.disclosure_submit(actor=branch, disclosure=item)
    services.disclosure_approve(actor=acting("taihua_party"), disclosure=item)
    version = services.disclosure_publish(actor=branch, disclosure=item)
    item.refresh_from_db()
    return version
