"""Demo records of 创先争优 (idempotent); called by kernel.demo.load_demo after the county.

Each topic adds its records in its own function, called from `load` in this order (plans need the
campaign, assessments and commendations read what came before)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from gongjian.kernel import audit
from gongjian.kernel.figures import Line
from gongjian.kernel.models import Organization

from .models import Campaign, CampaignState, Phase, Theme

Kind = Organization.Kind
YEAR = 2026
#: The two demo campaigns, found by title (other topics look them up with `demo_campaign`).
HUAYIN_TITLE = "强组织创先进、提素质争模范——华阴市基层妇联组织创先争优活动"
PINGLUO_TITLE = "平罗县基层妇联组织开展创先争优活动"

# 第三篇's four phases, with the seed's own dates for 平罗县, and this year's for 华阴市.
SEED_PHASES = [
    ("广泛发动，安排部署", date(2010, 10, 1), date(2010, 10, 31),
     "成立领导小组，制定活动方案，召开动员会，营造活动氛围。"),
    ("全面争创，扎实推进", date(2010, 10, 1), date(2011, 6, 30),
     "围绕“五好”“五个模范”目标，开展学习讨论、岗位奉献、服务民生等活动。"),
    ("树立典型，巩固提高", date(2011, 7, 1), date(2012, 6, 30),
     "发现、培养、树立先进典型，开展考核评议，巩固活动成果。"),
    ("系统总结，完善机制", date(2012, 7, 1), date(2012, 10, 31),
     "全面总结活动经验，建立健全创先争优长效机制。"),
]
HUAYIN_PHASES = [
    ("广泛发动，安排部署", date(YEAR, 3, 1), date(YEAR, 3, 31), SEED_PHASES[0][3]),
    ("全面争创，扎实推进", date(YEAR, 4, 1), date(YEAR, 9, 30), SEED_PHASES[1][3]),
    ("树立典型，巩固提高", date(YEAR, 10, 1), date(YEAR, 11, 30), SEED_PHASES[2][3]),
    ("系统总结，完善机制", date(YEAR, 12, 1), date(YEAR, 12, 31), SEED_PHASES[3][3]),
]
GOALS = ("争创“五好”基层妇联组织（组织机构好、工作制度好、工作业绩好、干部队伍好、保障机制好），"
         "争当“五个模范”妇联干部（自觉学习、服务大局、服务妇女、爱岗敬业、遵纪守法）。")
ALL_LINES = [line.value for line in Line]


def demo_campaign(title: str) -> Campaign | None:
    """A demo campaign by its title (None before the core section has loaded it)."""
    return Campaign.objects.filter(title=title).first()


def _campaign(result: Any, *, title: str, issuer: str, co_issuers: list[str], starts_on: date, ends_on: date,
              plan_due: date, phases: list[tuple[str, date, date, str]], issued_on: date) -> Campaign | None:
    orgs = {o.name: o for o in Organization.objects.filter(name__in=[issuer, *co_issuers])}
    if issuer not in orgs:
        return None
    found = Campaign.objects.filter(title=title, organization=orgs[issuer]).first()
    if found is not None:
        return found
    campaign = Campaign.objects.create(
        title=title, theme=Theme.STRONG_ORGANIZATION, goals=GOALS, organization=orgs[issuer],
        body="以“强组织、创先进，提素质、争模范”为主题，在各级妇联组织和广大妇女干部中深入开展创先争优活动。",
        lines=ALL_LINES, target_kinds=[Kind.TOWNSHIP_FEDERATION], starts_on=starts_on, ends_on=ends_on,
        plan_due=plan_due, state=CampaignState.ISSUED,
        issued_at=timezone.make_aware(datetime.combine(issued_on, time(9))))
    campaign.co_organizations.set([orgs[name] for name in co_issuers if name in orgs])
    for order, (name, start, end, tasks) in enumerate(phases, start=1):
        Phase.objects.create(campaign=campaign, name=name, starts_on=start, ends_on=end, tasks=tasks,
                             sort_order=order)
    if hasattr(result, "count"):
        result.count("campaigns.campaign")
    return campaign


def load_campaigns(result: Any) -> None:
    """华阴市妇联's campaign this year (co-issued by the 市委), 平罗县妇联's with the seed's dates."""
    _campaign(result, title=HUAYIN_TITLE, issuer="华阴市妇联", co_issuers=["中共华阴市委员会"],
              starts_on=date(YEAR, 3, 1), ends_on=date(YEAR, 12, 31), plan_due=date(YEAR, 3, 20),
              phases=HUAYIN_PHASES, issued_on=date(YEAR, 3, 2))
    _campaign(result, title=PINGLUO_TITLE, issuer="平罗县妇联", co_issuers=["中共平罗县委员会"],
              starts_on=date(2010, 10, 1), ends_on=date(2012, 10, 31), plan_due=date(2010, 11, 1),
              phases=SEED_PHASES, issued_on=date(2010, 10, 8))
# --- end campaigns ---

# --- assessments ---
FIVE_GOOD_TITLE = f"{YEAR}年度“五好”基层妇联组织考评"
# (township federation, [(self-score, county's score, note, comment) per 五好 criterion]): 太华路 leads.
FIVE_GOOD_SCORES = [
    ("太华路街道妇联", [(19, 18, "班子健全，26个村（社区）妇联和妇女之家全覆盖。", "阵地覆盖到位。"),
                    (18, 18, "例会、学习、联系群众制度上墙并落实。", ""),
                    (19, 18, "按时报送活动方案，岗位建功活动有特色。", "方案报送及时。"),
                    (18, 17, "组织妇联干部培训两期。", ""),
                    (17, 16, "街道工委保障工作经费。", "经费保障可再加强。")]),
    ("罗敷镇妇联", [(18, 17, "镇村妇联组织健全。", ""),
                (17, 16, "制度基本健全。", "学习制度落实不够经常。"),
                (18, 17, "开展巾帼建功、服务民生活动。", ""),
                (17, 17, "干部队伍稳定。", ""),
                (17, 16, "镇党委支持，经费纳入预算。", "")]),
]


def load_assessments(result: Any) -> None:
    """华阴市妇联's 五好 assessment of its township federations under this year's campaign: each
    township's self-assessment, the county's scores, published — so the ranking shows."""
    from decimal import Decimal

    from gongjian.kernel.models import User

    from .models import (
        Assessment,
        AssessmentState,
        CriteriaSet,
        Criterion,
        Score,
        SetKind,
        SubjectKind,
    )
    from .services.assessment import TEMPLATES

    campaign = demo_campaign(HUAYIN_TITLE)
    if campaign is None or CriteriaSet.objects.filter(title=FIVE_GOOD_TITLE, campaign=campaign).exists():
        return
    names = [name for name, _rows in FIVE_GOOD_SCORES]
    orgs = {o.name: o for o in Organization.objects.filter(name__in=names, path__startswith=campaign.organization.path)}
    if len(orgs) != len(names):
        return
    county_user = User.objects.filter(username="huayin_fed").first()
    criteria_set = CriteriaSet.objects.create(
        title=FIVE_GOOD_TITLE, kind=SetKind.FIVE_GOOD, subject_kind=SubjectKind.ORGANIZATION,
        organization=campaign.organization, campaign=campaign, year=YEAR, self_due=date(YEAR, 11, 30),
        created_by=county_user)
    criteria = [Criterion.objects.create(criteria_set=criteria_set, name=name, description=description,
                                         max_score=Decimal(points), sort_order=order)
                for order, (name, description, points) in enumerate(TEMPLATES[SetKind.FIVE_GOOD], start=1)]
    at = timezone.make_aware(datetime.combine(date(YEAR, 11, 25), time(10)))
    for name, rows in FIVE_GOOD_SCORES:
        assessment = Assessment.objects.create(
            criteria_set=criteria_set, organization=orgs[name], state=AssessmentState.PUBLISHED,
            summary="按照“五好”标准逐项自查，材料附后。", self_assessed_at=at, scored_at=at, scored_by=county_user,
            published_at=at)
        Score.objects.bulk_create([
            Score(assessment=assessment, criterion=criterion, self_score=Decimal(own), self_note=note,
                  score=Decimal(given), comment=comment)
            for criterion, (own, given, note, comment) in zip(criteria, rows, strict=True)])
    audit.record(criteria_set, "campaigns.criteria_set.created", actor=None, username="demo",
                 changes={"title": FIVE_GOOD_TITLE, "subjects": names})
    if hasattr(result, "count"):
        result.count("campaigns.criteria_set")
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---


def load(result: Any) -> None:
    """Add the campaigns demo records (idempotent)."""
    before = dict(getattr(result, "created", {}) or {})
    # --- load: campaigns (core) ---
    load_campaigns(result)
    # --- load: end campaigns ---
    # --- load: assessments ---
    load_assessments(result)
    # --- load: end assessments ---
    # --- load: pledges ---
    # --- load: end pledges ---
    # --- load: commendations ---
    # --- load: end commendations ---
    # --- load: study & supervision ---
    # --- load: end study & supervision ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("campaigns.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "campaigns.demo.loaded", actor=None, username="demo", changes={"created": made})
