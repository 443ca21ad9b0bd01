"""The life cycle of an honour on one screen: nomination → review → 公示 → award or rejection."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HonourState(models.TextChoices):
    NOMINATED = "nominated", _("已推荐，待审核")
    ON_NOTICE = "on_notice", _("公示中")
    AWARDED = "awarded", _("已授予")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


TRANSITIONS: dict[str, set[str]] = {
    # The reviewer approves (the notice opens) or rejects; the nominator may withdraw.
    HonourState.NOMINATED: {HonourState.ON_NOTICE, HonourState.REJECTED, HonourState.WITHDRAWN},
    # After the notice: awarded if it passed, rejected (with a reason) otherwise.
    HonourState.ON_NOTICE: {HonourState.AWARDED, HonourState.REJECTED},
    HonourState.AWARDED: set(),
    HonourState.REJECTED: set(),
    HonourState.WITHDRAWN: set(),
}

#: States that take up a place in the quota.
QUOTA_STATES = (HonourState.ON_NOTICE, HonourState.AWARDED)
#: A nomination counts towards the yearly 道德模范 target while it is alive: waiting, on notice or awarded.
NOMINATED_STATES = (HonourState.NOMINATED, HonourState.ON_NOTICE, HonourState.AWARDED)
