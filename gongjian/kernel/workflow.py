"""Life cycles as data: a transition table per record type, one guarded move for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

Transitions = Mapping[str, frozenset[str] | set[str]]


class InvalidTransition(ValidationError):
    pass


def allowed(transitions: Transitions, current: str) -> frozenset[str]:
    return frozenset(transitions.get(current, ()))


def move(
    obj: models.Model,
    *,
    to: str,
    transitions: Transitions,
    field: str = "state",
    labels: Any = None,
    extra_update_fields: tuple[str, ...] = (),
) -> str:
    """Move `obj` to state `to` if the table allows it; lock the row so two moves can't race.

    Returns the previous state. Must run inside a transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("workflow.move must run inside transaction.atomic")
    manager = type(obj)._default_manager
    current = manager.select_for_update().values_list(field, flat=True).get(pk=obj.pk)
    if current != getattr(obj, field):
        raise InvalidTransition(_("记录已被他人修改，请刷新后重试。"), code="stale")
    if to not in allowed(transitions, current):
        names = dict(labels.choices) if labels is not None else {}
        raise InvalidTransition(
            _("当前状态“%(current)s”不能变为“%(to)s”。")
            % {"current": names.get(current, current), "to": names.get(to, to)},
            code="transition",
        )
    setattr(obj, field, to)
    obj.save(update_fields=[field, *extra_update_fields])
    return str(current)
