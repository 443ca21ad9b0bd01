"""The life cycle of a disclosure (第四篇 四、党务公开的程序) on one screen.

draft → submitted → approved (审核备案) → published → rectifying → revised → submitted → …
submitted → returned → submitted; published/rectifying/revised → withdrawn.
Publishing always creates a new immutable version; the working copy is what moves here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核备案")
    PUBLISHED = "published", _("已公开")
    RECTIFYING = "rectifying", _("待整改")
    REVISED = "revised", _("已修改")
    WITHDRAWN = "withdrawn", _("已撤回")


TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SUBMITTED}),
    State.SUBMITTED: frozenset({State.APPROVED, State.RETURNED}),
    State.RETURNED: frozenset({State.SUBMITTED}),
    State.APPROVED: frozenset({State.PUBLISHED}),
    # A published item is revised for a correction or after a preliminary (staged) version.
    State.PUBLISHED: frozenset({State.RECTIFYING, State.REVISED, State.WITHDRAWN}),
    State.RECTIFYING: frozenset({State.REVISED, State.WITHDRAWN}),
    State.REVISED: frozenset({State.SUBMITTED, State.WITHDRAWN}),
    State.WITHDRAWN: frozenset(),
}

# States in which the owner may edit the working copy.
EDITABLE = frozenset({State.DRAFT, State.RETURNED, State.PUBLISHED, State.RECTIFYING, State.REVISED})
