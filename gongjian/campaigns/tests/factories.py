"""Builders of campaign records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- campaigns (core) ---
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
PLEDGE_TITLE = "每月走访留守妇女"  # (a statement first: the imports below start their own block)

from datetime import date as _date  # noqa: E402
from typing import Any as _Any  # noqa: E402

from gongjian.campaigns.models import Pledge, PledgeCategory, PledgeComment  # noqa: E402
from gongjian.campaigns.services import pledge as _pledge_services  # noqa: E402
from gongjian.kernel.models import User  # noqa: E402


def make_pledge(actor: User, *, publish: bool = True, **fields: _Any) -> Pledge:
    """A pledge of the actor's organisation through the service (published unless told)."""
    data = {"category": PledgeCategory.WOMEN, "title": PLEDGE_TITLE,
            "content": "每月走访留守妇女家庭不少于10户，帮助解决实际困难。", "measures": "分片包户",
            "due_on": _date(2026, 12, 31), "is_public": True, **fields}
    return _pledge_services.pledge_create(actor=actor, data=data, publish=publish)


def make_comment(pledge: Pledge, content: str = "这项承诺很实在，希望坚持下去。") -> PledgeComment:
    return _pledge_services.comment_submit(pledge=pledge, content=content, nickname="村民")
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
