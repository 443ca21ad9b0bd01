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
    huayin = demo_campaign(HUAYIN_TITLE)
    if huayin is not None:
        _plans(result, huayin)
        group = _leading_group(result, "太华路街道妇联")
        _submitted(result, huayin, "太华路街道妇联", on=date(YEAR, 3, 15), group=group,
                   title="太华路街道妇联开展创先争优活动实施方案")
    pingluo = demo_campaign(PINGLUO_TITLE)
    if pingluo is not None:
        _plans(result, pingluo)
        _submitted(result, pingluo, "灵沙乡妇联", on=date(2011, 4, 20), group=None,
                   title="灵沙乡妇联开展创先争优活动实施方案")


def _plans(result: Any, campaign: Campaign) -> None:
    """One plan row per target of an issued demo campaign (as `campaign_issue` makes them)."""
    from .models import PlanSubmission
    from .services.campaign import plans_recount, targets_of

    have = set(PlanSubmission.objects.filter(campaign=campaign).values_list("organization_id", flat=True))
    for org_id in targets_of(campaign).values_list("pk", flat=True):
        if org_id not in have:
            PlanSubmission.objects.create(campaign=campaign, organization_id=org_id)
            if hasattr(result, "count"):
                result.count("campaigns.plan")
    plans_recount(campaign)


LEADING_GROUP_MEMBERS = [("组长", "lead"), ("副组长", "deputy"), ("成员", "member"), ("成员", "member")]


def _leading_group(result: Any, parent_name: str) -> Organization | None:
    """The federation's 创先争优活动领导小组 (各级妇联组织要相应成立领导小组), with 组长, 副组长 and
    成员 taken from the people registered in its area who hold no account."""
    from gongjian.kernel import access
    from gongjian.kernel.models import Person, Position
    parent = Organization.objects.filter(name=parent_name).first()
    if parent is None:
        return None
    name = f"{parent_name}创先争优活动领导小组"
    group = access.children(parent).filter(name=name, kind=Kind.LEADING_GROUP).first()
    if group is None:
        parent.refresh_from_db()
        group = Organization.objects.add_child(parent, {"name": name, "kind": Kind.LEADING_GROUP, "region": parent.region})
        if hasattr(result, "count"):
            result.count("campaigns.leading_group")
    if not Position.objects.filter(organization=group).exists():
        people = Person.objects.filter(organization__path__startswith=parent.path, gender="F",
                                       user__isnull=True).order_by("id")[:len(LEADING_GROUP_MEMBERS)]
        for order, (person, (title, role)) in enumerate(zip(people, LEADING_GROUP_MEMBERS, strict=False), start=1):
            Position.objects.create(person=person, organization=group, title=title, role=role, sort_order=order,
                                    start_date=date(YEAR, 3, 5))
    return group


def _submitted(result: Any, campaign: Campaign, org_name: str, *, on: date, group: Organization | None,
               title: str) -> None:
    """A plan that came in on `on` (entered after the fact: the demo writes the day it came)."""
    from .models import PlanRevision, PlanStatus, PlanSubmission
    from .services.campaign import plans_recount

    plan = PlanSubmission.objects.filter(campaign=campaign, organization__name=org_name).first()
    if plan is None or plan.revision:
        return
    at = timezone.make_aware(datetime.combine(on, time(10)))
    body = ("一、指导思想\n以“强组织创先进、提素质争模范”为主题……\n二、组织领导\n成立创先争优活动领导小组……\n"
            "三、活动安排\n按照四个阶段扎实推进……")
    late = campaign.plan_due is not None and on > campaign.plan_due
    plan.status = PlanStatus.LATE if late else PlanStatus.ON_TIME
    plan.title, plan.body, plan.leading_group = title, body, group
    plan.first_submitted_on, plan.submitted_at, plan.revision = on, at, 1
    plan.save()
    PlanRevision.objects.create(plan=plan, number=1, title=title, body=body, leading_group=group, submitted_at=at)
    plans_recount(campaign)
    if hasattr(result, "count"):
        result.count("campaigns.plan_submitted")
# --- end campaigns ---

# --- assessments ---
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
