"""Demo records of 创先争优 (idempotent); called by kernel.demo.load_demo after the county.

Each topic adds its records in its own function, called from `load` in this order (plans need the
campaign, assessments and commendations read what came before)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
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
# 小留村妇联's pledges on the portal (第五篇 承诺机制): one with progress, one with a public comment
# shown (and one waiting), one rated by 太华路街道妇联 (评诺), and its director's own pledge.
PLEDGE_VILLAGE = "小留村妇联"
PLEDGE_SUPERIOR = "太华路街道妇联"


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _pledge(result: Any, org: Organization, title: str, **fields: Any) -> Any:
    from .models import Pledge

    found = Pledge.objects.filter(organization=org, title=title).first()
    if found is not None:
        return None
    pledge = Pledge.objects.create(organization=org, title=title, **fields)
    if hasattr(result, "count"):
        result.count("campaigns.pledge")
    return pledge


def load_pledges(result: Any) -> None:
    from gongjian.kernel.models import Position, User

    from .models import PledgeCategory, PledgeComment, PledgeRating, PledgeState, PledgeUpdate

    orgs = {o.name: o for o in Organization.objects.filter(name__in=[PLEDGE_VILLAGE, PLEDGE_SUPERIOR])}
    village, superior = orgs.get(PLEDGE_VILLAGE), orgs.get(PLEDGE_SUPERIOR)
    if village is None or superior is None:
        return
    author = User.objects.filter(username="xiaoliu_women").first()
    rater = User.objects.filter(username="taihua_fed").first()
    campaign = demo_campaign(HUAYIN_TITLE)
    published = PledgeState.PUBLISHED
    visits = _pledge(
        result, village, "每月走访留守妇女和困难妇女家庭", category=PledgeCategory.WOMEN, campaign=campaign,
        content="村妇联班子成员每月走访留守妇女、困难妇女家庭不少于10户，帮助解决生产生活中的实际困难，"
                "走访情况每月在妇女之家公开。",
        measures="班子成员分片包户，建立走访台账；能解决的当场解决，解决不了的及时向村“两委”和街道妇联反映。",
        due_on=date(YEAR, 12, 31), state=published, published_at=_aware(date(YEAR, 3, 10)), created_by=author)
    if visits is not None:
        for day, text, percent in [
            (date(YEAR, 4, 30), "3至4月走访留守妇女家庭23户，帮助5户联系了果树修剪技术员。", 30),
            (date(YEAR, 7, 31), "5至7月走访36户，为2户困难妇女家庭申请了临时救助。", 60),
            (date(YEAR, 10, 31), "8至10月走访31户，组织留守妇女参加秋季苹果销售对接会。", 85),
        ]:
            PledgeUpdate.objects.create(pledge=visits, date=day, text=text, percent=percent, created_by=author)
    home = _pledge(
        result, village, "建好用好妇女之家，每月开展一次活动", category=PledgeCategory.SERVICE, campaign=campaign,
        content="妇女之家每周二、周五下午开放，每月至少组织一次学习、培训或文体活动，活动情况在门户公开。",
        measures="排出全年活动计划，邀请农技站、卫生院进村授课。", due_on=date(YEAR, 12, 31), state=published,
        published_at=_aware(date(YEAR, 3, 12)), created_by=author)
    if home is not None:
        PledgeUpdate.objects.create(pledge=home, date=date(YEAR, 9, 30), percent=75, created_by=author,
                                    text="1至9月妇女之家开展活动11次，其中农用技术培训4次，参加妇女320人次。")
        PledgeComment.objects.create(pledge=home, nickname="小留村村民", state=PledgeComment.State.SHOWN,
                                     content="妇女之家的果树修剪培训很实用，希望冬天再办一次。",
                                     moderated_by=author, moderated_at=_aware(date(YEAR, 10, 8)))
        PledgeComment.objects.create(pledge=home, content="活动时间能不能改到晚上？白天要下地干活。")
    study = _pledge(
        result, village, "带头学习，每季度组织一次妇女学习讨论", category=PledgeCategory.STUDY, campaign=campaign,
        content="村妇联每季度组织一次妇女学习讨论会，学习党的惠农政策和妇女权益保障知识。",
        due_on=date(YEAR, 9, 30), state=PledgeState.EVALUATED, published_at=_aware(date(YEAR, 3, 8)),
        rating=PledgeRating.SATISFIED, evaluation="学习讨论按季度开展，参加人数多，群众反映好。",
        evaluated_by=rater, evaluated_by_organization=superior, evaluated_at=_aware(date(YEAR, 10, 15)),
        created_by=author)
    if study is not None:
        PledgeUpdate.objects.create(pledge=study, date=date(YEAR, 9, 28), percent=100, created_by=author,
                                    text="三个季度共组织学习讨论3次，参加妇女156人次，学习心得12篇。")
    director = Position.objects.filter(organization=village, role=Position.Role.LEAD).select_related("person").first()
    if director is not None:
        _pledge(result, village, "清正廉洁，办事公开", category=PledgeCategory.INTEGRITY, campaign=campaign,
                cadre=director.person, cadre_title=director.title,
                content="不收受群众财物，妇女小额贴息贷款推荐、“两癌”救助名单一律在村务公开栏公示。",
                due_on=date(YEAR, 12, 31), state=published, published_at=_aware(date(YEAR, 3, 15)),
                created_by=author)
# --- end pledges ---

# --- commendations ---
#: The demo's 巾帼文明岗 on 公示 (running now) and this year's 三八 commendation by 华阴市妇联.
CIVILIZED_POST_NAME = "太华路街道便民服务中心"
COMMENDATION_DEEDS = {
    "civilized_post": "窗口岗位全部由女职工组成，推行“一窗受理、全程代办”，全年办理群众事项一万二千余件，"
                      "零投诉；组织“巾帼志愿服务队”上门为留守老人、残疾人办理证照。",
    "red_banner": "扎根村里二十年，带领姐妹们发展花椒种植合作社，带动八十多户妇女增收；"
                  "照顾孤寡老人、调解邻里纠纷，是村民信得过的“贴心大姐”。",
    "advanced_org": "村妇联组织健全，妇女之家每月开展活动，建成妇女议事会和巾帼志愿服务队，"
                    "“五好”基层妇联组织创建成效明显。",
    "double_learning": "学技术、比贡献，自学大棚蔬菜种植技术，办起十二座大棚，年年免费为姐妹们讲课，"
                       "带动三十多名妇女掌握种植技术。",
    "entrepreneur": "返乡创办农家乐和农产品网店，吸纳十多名留守妇女就业，"
                    "带动本村土特产线上销售三十余万元。",
}


def _commend(result: Any, *, kind: str, name: str, organization: Organization, decider: Organization,
             state: str, campaign: Campaign | None, person: Any = None, unit: Organization | None = None,
             notice: tuple[date, date] | None = None, outcome_passed: bool = False,
             awarded_on: date | None = None) -> None:
    from django.contrib.contenttypes.models import ContentType

    from gongjian.kernel.models import PublicNotice

    from .models import Nomination, TitleKind

    if Nomination.objects.filter(kind=kind, year=YEAR, public_name=name, organization=organization).exists():
        return
    submitted = timezone.make_aware(datetime.combine(date(YEAR, 2, 20), time(10)))
    nomination = Nomination.objects.create(
        organization=organization, deciding_organization=decider, kind=kind, year=YEAR, person=person,
        nominee_organization=unit, public_name=name, deeds=COMMENDATION_DEEDS[kind], campaign=campaign,
        state=state, submitted_at=submitted, awarded_on=awarded_on,
        decided_at=submitted if state != "submitted" else None)
    if hasattr(result, "count"):
        result.count("campaigns.nomination")
    if notice is None:
        return
    label = TitleKind(kind).label
    PublicNotice.objects.create(
        content_type=ContentType.objects.get_for_model(Nomination), object_id=str(nomination.pk),
        organization=decider, days=(notice[1] - notice[0]).days + 1, starts_on=notice[0], ends_on=notice[1],
        title=f"{YEAR}年度“{label}”拟表彰对象公示",
        body=f"经{organization.name}推荐、{decider.name}审核，拟授予{name}{YEAR}年度“{label}”称号。\n"
             f"主要事迹：{COMMENDATION_DEEDS[kind]}",
        state=PublicNotice.State.CLOSED if outcome_passed else PublicNotice.State.OPEN,
        outcome=PublicNotice.Outcome.PASSED if outcome_passed else "",
        closed_at=timezone.now() if outcome_passed else None)


def load_commendations(result: Any) -> None:
    """A 巾帼文明岗 of 太华路街道 on 公示 now (decided by 华阴市妇联); this year's 三八 commendation
    of 华阴市妇联 (a 三八红旗手, a 先进妇联组织, a 双学双比女能手); a 巾帼创业之星 of 小留村 waiting
    for 太华路街道妇联's review."""
    from gongjian.kernel.models import Person

    from .models import NominationState, TitleKind

    orgs = {o.name: o for o in Organization.objects.filter(
        name__in=["华阴市妇联", "太华路街道妇联", "小留村妇联", "郭家村妇联"])}
    if len(orgs) < 4:
        return
    county, street, xiaoliu = orgs["华阴市妇联"], orgs["太华路街道妇联"], orgs["小留村妇联"]
    campaign = demo_campaign(HUAYIN_TITLE)
    today = timezone.localdate()
    # Grown women only: other bodies of work add children to these villages (care's 留守儿童).
    # Born 18 years ago today or earlier (on 29 February, 18 years ago had no 29th: the 28th).
    leap_day = (today.month, today.day) == (2, 29)
    grown = date(today.year - 18, 2, 28) if leap_day else today.replace(year=today.year - 18)
    women = list(Person.objects.filter(organization__in=[xiaoliu, orgs["郭家村妇联"]], gender="F",
                                       positions__isnull=True, birth_date__lte=grown)
                 .order_by("organization_id", "id"))
    _commend(result, kind=TitleKind.CIVILIZED_POST, name=CIVILIZED_POST_NAME, organization=street, decider=county,
             state=NominationState.ON_NOTICE, campaign=campaign,
             notice=(today - timedelta(days=2), today + timedelta(days=4)))
    march8, notice = date(YEAR, 3, 8), (date(YEAR, 2, 26), date(YEAR, 3, 4))
    _commend(result, kind=TitleKind.ADVANCED_ORGANIZATION, name=xiaoliu.name, organization=street, decider=county,
             unit=xiaoliu, state=NominationState.AWARDED, campaign=campaign, notice=notice, outcome_passed=True,
             awarded_on=march8)
    if len(women) >= 3:
        _commend(result, kind=TitleKind.RED_BANNER, name=women[0].name, organization=street, decider=county,
                 person=women[0], state=NominationState.AWARDED, campaign=campaign, notice=notice,
                 outcome_passed=True, awarded_on=march8)
        # The first woman of 郭家村: other demos add people there later, so never "the last one".
        guojia_woman = next((w for w in women if w.organization_id == orgs["郭家村妇联"].pk), women[-1])
        _commend(result, kind=TitleKind.DOUBLE_LEARNING, name=guojia_woman.name, organization=street,
                 decider=county, person=guojia_woman, state=NominationState.AWARDED, campaign=campaign,
                 notice=notice, outcome_passed=True, awarded_on=march8)
        _commend(result, kind=TitleKind.ENTREPRENEUR, name=women[1].name, organization=xiaoliu, decider=street,
                 person=women[1], state=NominationState.SUBMITTED, campaign=campaign)
# --- end commendations ---

# --- study & supervision ---

from gongjian.kernel.models import Person, PoliticalStatus  # noqa: E402

from .models import (  # noqa: E402
    FollowUp,
    Meeting,
    MeetingKind,
    ResearchReport,
    StudyDocument,
    StudyNote,
    SupervisionVisit,
)


def _count(result: Any, what: str) -> None:
    if hasattr(result, "count"):
        result.count(f"campaigns.{what}")


def _on_or_before(day: date) -> date:
    return min(day, timezone.localdate())


STUDY_TITLE = "关于深入学习贯彻妇女十大精神、扎实开展创先争优活动的学习提纲"
NOTES = [
    # (organisation, author name or None for the organisation's woman party member, title, text, month, day)
    ("太华路街道妇联", "姚慧敏", "把创先争优落到服务妇女的每一件实事上",
     "学习了市妇联印发的学习提纲，深感“强组织、创先进，提素质、争模范”不是一句口号。街道妇联要带头学习，"
     "把妇女之家建好用好，把培训办到田间地头，让姐妹们真正得到实惠。", 4, 18),
    ("小留村妇联", "刘桂兰", "当好村里姐妹的贴心人",
     "通过学习，我认识到村妇联主任就是妇女群众的娘家人。下一步要把果树修剪、电商培训办扎实，"
     "每月走访留守妇女和困难家庭，把党的关怀送到每一户。", 5, 6),
    ("小留村妇联", None, "学先进、比奉献，争当巾帼标兵",
     "作为一名女党员，我要在岗位奉献中带好头，积极参加村里的志愿服务和文艺宣传队，"
     "用身边事教育身边人，带动更多姐妹参与创先争优。", 5, 20),
    ("中共太华路街道委员会", "薛玉兰", "党建带妇建，联动抓落实",
     "街道党委和妇联联合部署创先争优，要把妇联工作纳入党建工作总体格局，定期听取汇报，"
     "帮助解决阵地、经费和队伍方面的实际困难。", 6, 3),
]


def load_study(result: Any) -> None:
    """华阴市妇联's study document for its campaign, and 学习心得 of 太华路街道 and 小留村 cadres."""
    campaign = demo_campaign(HUAYIN_TITLE)
    orgs = {o.name: o for o in Organization.objects.filter(
        name__in=["华阴市妇联", *[row[0] for row in NOTES]])}
    if campaign is None or "华阴市妇联" not in orgs:
        return
    document = StudyDocument.objects.filter(title=STUDY_TITLE, organization=orgs["华阴市妇联"]).first()
    if document is None:
        document = StudyDocument.objects.create(
            organization=orgs["华阴市妇联"], campaign=campaign, title=STUDY_TITLE,
            published_on=_on_or_before(date(YEAR, 3, 25)),
            summary="围绕“五比五创”，组织各级妇联干部和女党员学习讨论，每人至少撰写一篇学习心得。",
            body="一、学习内容：党的十七届五中全会精神、全国妇女十大精神、创先争优活动有关文件。\n"
                 "二、学习方式：集中学习与个人自学相结合，开展学习讨论座谈。\n"
                 "三、学习要求：各乡镇（街道）妇联、村（社区）妇联干部和女党员撰写学习心得，"
                 "由乡镇（街道）妇联汇总。")
        _count(result, "study_document")
    for org_name, author_name, title, text, month, day in NOTES:
        org = orgs.get(org_name)
        if org is None or StudyNote.objects.filter(organization=org, title=title).exists():
            continue
        people = Person.objects.filter(name=author_name) if author_name else Person.objects.filter(
            organization=org, gender="F", political_status=PoliticalStatus.PARTY_MEMBER, positions__isnull=True)
        author = people.order_by("pk").first()
        if author is None:
            continue
        StudyNote.objects.create(organization=org, author=author, document=document, campaign=campaign,
                                 title=title, text=text, written_on=_on_or_before(date(YEAR, month, day)))
        _count(result, "study_note")


VISIT_FINDINGS = ("太华路街道妇联按时制定了活动方案，成立了领导小组，各村妇女之家阵地建设达标。"
                  "存在的问题：部分村学习心得撰写不及时；活动记录不够规范，台账不完整。")


def load_supervision(result: Any) -> None:
    """The county's 督查指导 of 太华路街道妇联 with two follow-ups (one overdue), a 推进会 and a 调研报告."""
    campaign = demo_campaign(HUAYIN_TITLE)
    orgs = {o.name: o for o in Organization.objects.filter(name__in=["华阴市妇联", "太华路街道妇联"])}
    if campaign is None or len(orgs) < 2:
        return
    county, street = orgs["华阴市妇联"], orgs["太华路街道妇联"]
    today = timezone.localdate()
    if not SupervisionVisit.objects.filter(organization=county, visited=street, campaign=campaign).exists():
        visited_on = _on_or_before(date(YEAR, 6, 12))
        visit = SupervisionVisit.objects.create(
            organization=county, visited=street, campaign=campaign, visited_on=visited_on,
            participants="市妇联：韩淑华（主席）及组织部、宣传部干部；街道妇联：姚慧敏（主席）及各村妇联主任代表",
            findings=VISIT_FINDINGS)
        _count(result, "supervision_visit")
        FollowUp.objects.create(visit=visit, item="督促各村妇联在规定时间内完成学习心得撰写，并汇总报市妇联。",
                                due_on=visited_on + timedelta(days=30))
        FollowUp.objects.create(visit=visit, item="规范妇女之家活动记录和工作台账，做到一活动一记录。",
                                due_on=max(today + timedelta(days=20), visited_on + timedelta(days=30)))
        _count(result, "followup")
        _count(result, "followup")
    if not Meeting.objects.filter(organization=county, campaign=campaign, kind=MeetingKind.PROGRESS).exists():
        Meeting.objects.create(
            organization=county, campaign=campaign, kind=MeetingKind.PROGRESS,
            title="华阴市基层妇联组织创先争优活动现场推进会", held_on=_on_or_before(date(YEAR, 7, 8)),
            place="太华路街道小留村妇女之家", head_count=46,
            minutes="观摩了小留村妇女之家阵地建设和果树修剪培训现场；太华路街道、罗敷镇妇联作交流发言；"
                    "市妇联主席韩淑华对下一阶段“树立典型、巩固提高”工作作了部署。")
        _count(result, "meeting")
    title = "关于太华路街道村级妇联组织建设情况的调研报告"
    if not ResearchReport.objects.filter(organization=street, title=title).exists():
        ResearchReport.objects.create(
            organization=street, campaign=campaign, title=title, written_on=_on_or_before(date(YEAR, 8, 20)),
            body="一、基本情况：街道共有22个村、4个社区妇联，妇女之家覆盖率100%。\n"
                 "二、主要做法：以妇女之家为阵地，开展实用技术培训和文艺宣传。\n"
                 "三、存在问题：村妇联干部年龄偏大，工作经费不足。\n"
                 "四、对策建议：推动村妇联主任进村“两委”，落实工作经费。")
        _count(result, "research_report")
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
    load_pledges(result)
    # --- load: end pledges ---
    # --- load: commendations ---
    load_commendations(result)
    # --- load: end commendations ---
    # --- load: study & supervision ---
    load_study(result)
    load_supervision(result)
    # --- load: end study & supervision ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("campaigns.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "campaigns.demo.loaded", actor=None, username="demo", changes={"created": made})
