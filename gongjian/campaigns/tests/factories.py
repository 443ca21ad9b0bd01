"""Builders of campaign records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- campaigns (core) ---
from datetime import date as _date
from typing import Any as _Any

from gongjian.campaigns.models import Campaign as _Campaign
from gongjian.campaigns.models import PlanSubmission as _PlanSubmission
from gongjian.campaigns.services import campaign as _campaign_services

FOUR_PHASES = [
    {"name": "广泛发动，安排部署", "starts_on": _date(2026, 3, 1), "ends_on": _date(2026, 3, 31), "tasks": "成立领导小组"},
    {"name": "全面争创，扎实推进", "starts_on": _date(2026, 4, 1), "ends_on": _date(2026, 9, 30), "tasks": ""},
    {"name": "树立典型，巩固提高", "starts_on": _date(2026, 10, 1), "ends_on": _date(2026, 11, 30), "tasks": ""},
    {"name": "系统总结，完善机制", "starts_on": _date(2026, 12, 1), "ends_on": _date(2026, 12, 31), "tasks": ""},
]


def draft_campaign(actor: _Any, *, title: str = "测试创先争优活动", plan_due: _date | None = _date(2026, 3, 20),
                   target_kinds: list[str] | None = None, targets: list[_Any] | None = None,
                   co_issuers: list[_Any] | None = None, **data: _Any) -> _Campaign:
    """A draft campaign of the actor's organisation (targets: the townships below it by default)."""
    fields = {"title": title, "theme": "strong_org", "lines": ["study", "livelihood"], "starts_on": _date(2026, 3, 1),
              "ends_on": _date(2026, 12, 31), "plan_due": plan_due,
              "target_kinds": ["township_fed"] if target_kinds is None and not targets else (target_kinds or []),
              **data}
    return _campaign_services.campaign_create(actor=actor, data=fields, co_issuers=co_issuers or [],
                                              targets=targets or [], phases=FOUR_PHASES)


def issued_campaign(actor: _Any, **kwargs: _Any) -> _Campaign:
    """A campaign issued by the actor (a federation lead): its plans exist."""
    campaign = draft_campaign(actor, **kwargs)
    return _campaign_services.campaign_issue(actor=actor, campaign=campaign)


def plan_of(campaign: _Campaign, org_name: str) -> _PlanSubmission:
    return _PlanSubmission.objects.get(campaign=campaign, organization__name=org_name)
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
