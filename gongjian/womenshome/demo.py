"""Demo records for 妇女之家 work, loaded after the kernel's county (`gongjian demo`).

第一篇 in numbers: all 22 villages and 4 communities of 太华路街道 have a 妇女之家 (26 of 26); the
"华之声" 文艺宣传队, 秧歌队, 锣鼓队 and 自乐班 give twenty-odd public performances; 小留, 郭家 and
南营 hold a dozen practical trainings with some 530 women trained. Other townships are partly
built. Everything is found by a natural key first, so loading twice changes nothing; the roll-ups
are rebuilt from the records at the end.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from gongjian.kernel import audit
from gongjian.kernel.fields import blind_index
from gongjian.kernel.figures import Line
from gongjian.kernel.identity import generate_id_number
from gongjian.kernel.models import Organization, Person, PoliticalStatus, PublicNotice, User

from . import rollups
from .models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMode,
    Honour,
    HonourKind,
    Partner,
    SiteStatus,
    Team,
    TeamKind,
    TeamMember,
    WomensHome,
    month_of,
)
from .workflow import HonourState

YEAR = 2026
TRAINING_VILLAGES = ("小留村", "郭家村", "南营村")
TRAINEES_PER_VILLAGE = 185
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
GIVEN = ["秀英", "桂英", "秀兰", "玉兰", "桂兰", "丽娟", "春梅", "海燕", "凤英", "小红", "晓燕", "雪梅", "彩霞",
         "美玲", "慧琴", "巧云", "金凤", "月娥", "淑珍", "翠花", "红霞", "丽华", "建华", "秀芳"]

# (village, status, established) for 太华路街道; every other village of the street is "built".
TAIHUA_STATUS = {"小留村": SiteStatus.MODEL, "郭家村": SiteStatus.STANDARD, "南营村": SiteStatus.STANDARD,
                 "太华社区": SiteStatus.STANDARD}
OTHER_SITES = {"罗敷村": SiteStatus.BUILT, "连村": SiteStatus.BUILT, "南洞村": SiteStatus.PLANNING,
               "灵沙村": SiteStatus.STANDARD, "胜利村": SiteStatus.BUILT, "东灵村": SiteStatus.PLANNING}

TRAININGS = [
    # (village, month, day, kind, title, partners)
    ("小留村", 1, 12, ActivityKind.AGRI_TRAINING, "冬季果树修剪技术培训", [Partner.AGRICULTURE]),
    ("郭家村", 2, 26, ActivityKind.AGRI_TRAINING, "设施蔬菜种植技术培训", [Partner.AGRICULTURE]),
    ("南营村", 3, 10, ActivityKind.VOCATIONAL_TRAINING, "家政服务技能培训", [Partner.LABOUR]),
    ("小留村", 3, 24, ActivityKind.AGRI_TRAINING, "春季果园病虫害防治培训", [Partner.AGRICULTURE, Partner.SCIENCE]),
    ("郭家村", 4, 16, ActivityKind.VOCATIONAL_TRAINING, "电商直播与农产品网销培训", [Partner.LABOUR, Partner.PARTY_SCHOOL]),
    ("南营村", 5, 8, ActivityKind.AGRI_TRAINING, "小麦高产栽培技术培训", [Partner.AGRICULTURE]),
    ("小留村", 6, 3, ActivityKind.VOCATIONAL_TRAINING, "月嫂育婴员技能培训", [Partner.LABOUR, Partner.HEALTH]),
    ("郭家村", 7, 14, ActivityKind.AGRI_TRAINING, "华山药材种植技术培训", [Partner.AGRICULTURE]),
    ("南营村", 8, 20, ActivityKind.AGRI_TRAINING, "秋季果园管理技术培训", [Partner.AGRICULTURE]),
    ("小留村", 9, 9, ActivityKind.AGRI_TRAINING, "食用菌栽培技术培训", [Partner.AGRICULTURE, Partner.SCIENCE]),
    ("郭家村", 10, 15, ActivityKind.VOCATIONAL_TRAINING, "手工编织技能培训", [Partner.LABOUR]),
    ("南营村", 11, 5, ActivityKind.AGRI_TRAINING, "冬季大棚管理技术培训", [Partner.AGRICULTURE]),
]
PERFORMANCE_PLACES = ["小留村", "郭家村", "南营村", "北营村", "东联村", "西联村", "王家村", "李家村", "张家村",
                      "太华社区", "华岳社区", "岳庙社区", "迎宾社区", "新庄村", "高家村", "刘家村", "杨家村",
                      "吴家村", "太平村", "兴乐村", "红岭村", "周家村"]
LECTURES = [
    # (organiser, kind, month, day, title, partners, head count, 创先争优 activity line)
    ("太华路街道妇联", ActivityKind.LEGAL, 3, 8, "“三八”妇女维权周法律宣传", [Partner.JUSTICE], 260, Line.LIVELIHOOD),
    ("小留村妇联", ActivityKind.HEALTH, 4, 20, "妇女“两癌”防治健康讲座", [Partner.HEALTH], 85, Line.LIVELIHOOD),
    ("郭家村妇联", ActivityKind.ETIQUETTE, 5, 18, "家风家教与文明礼仪讲座", [Partner.CULTURE], 70, Line.STUDY),
    ("南营村妇联", ActivityKind.LEGAL, 6, 26, "《妇女权益保障法》进村宣讲", [Partner.JUSTICE], 90, Line.LIVELIHOOD),
    ("太华路街道妇联", ActivityKind.CIVILITY, 5, 15, "“五好文明家庭”创建推进会", [], 120, Line.STUDY),
    ("小留村妇联", ActivityKind.CIVILITY, 9, 28, "“净化家园”文明行动", [], 60, Line.CONTRIBUTION),
    ("太华路街道妇联", ActivityKind.MEETING, 1, 20, "党建带妇建工作推进会", [Partner.PARTY_SCHOOL], 40, Line.STUDY),
    ("太华社区妇联", ActivityKind.HEALTH, 10, 10, "老年妇女健康义诊讲座", [Partner.HEALTH], 75, Line.LIVELIHOOD),
    ("罗敷镇妇联", ActivityKind.AGRI_TRAINING, 4, 2, "核桃嫁接技术培训", [Partner.AGRICULTURE], 48, Line.QUALITY),
    ("灵沙乡妇联", ActivityKind.VOCATIONAL_TRAINING, 6, 12, "新型女农民技能培训", [Partner.LABOUR], 55, Line.QUALITY),
    ("灵沙乡妇联", ActivityKind.LEGAL, 3, 5, "《农村法律常识》宣传", [Partner.JUSTICE], 140, Line.LIVELIHOOD),
]


class DemoWomensHome:
    def __init__(self, result: Any) -> None:
        self.result = result
        self.rng = random.Random(20100308)
        self.orgs = {o.name: o for o in Organization.objects.select_related("region")}
        self.actor = User.objects.filter(username="taihua_fed").first()

    def count(self, what: str) -> None:
        if hasattr(self.result, "count"):
            self.result.count(what)

    def org(self, name: str) -> Organization | None:
        return self.orgs.get(name)

    # --- sites ---------------------------------------------------------------------------------
    def sites(self) -> dict[str, WomensHome]:
        out: dict[str, WomensHome] = {}
        taihua = self.org("太华路街道妇联")
        units = Organization.objects.filter(kind=Organization.Kind.VILLAGE_FEDERATION).select_related("region")
        for unit in units:
            place = unit.region.name
            if taihua is not None and unit.path.startswith(taihua.path):
                status = TAIHUA_STATUS.get(place, SiteStatus.BUILT)
            elif place in OTHER_SITES:
                status = OTHER_SITES[place]
            else:
                continue
            existing = WomensHome.objects.filter(organization=unit).first()
            if existing is not None:
                out[place] = existing
                continue
            built = status != SiteStatus.PLANNING
            out[place] = WomensHome.objects.create(
                organization=unit, name=f"{place}妇女之家", status=status,
                established_on=date(2010, 3 + self.rng.randrange(9), 1 + self.rng.randrange(27)) if built else None,
                address=f"{unit.region.parent.name if unit.region.parent else ''}{place}村委会院内" if "村" in place
                else f"{place}居委会二楼",
                rooms="活动室1间、图书阅览室1间" if built else "", area_m2=60 + self.rng.randrange(80) if built else None,
                facilities="桌椅40套、书柜2个、音响1套、电视1台、宣传栏" if built else "",
                opening_hours="每周二、四、六 9:00-17:00" if built else "",
            )
            self.count("womenshome.sites")
        return out

    # --- people ----------------------------------------------------------------------------------
    def trainees(self, village: str) -> list[Person]:
        fed = self.org(f"{village}妇联")
        if fed is None:
            return []
        region = fed.region
        rng = random.Random(f"womenshome-{region.code}")  # the same women every time
        candidates: list[Person] = []
        for i in range(TRAINEES_PER_VILLAGE):
            birth = date(1962 + rng.randrange(36), 1 + rng.randrange(12), 1 + rng.randrange(28))
            seq = 300 + (i * 7 + len(village)) % 200
            id_number = generate_id_number(region.code[:6], birth, "F", seq)
            mobile = "15" + "".join(rng.choice(string.digits) for _ in range(9))
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            candidates.append(Person(name=name, gender="F", birth_date=birth, id_number=id_number, mobile=mobile,
                                     ethnicity="汉族", political_status=PoliticalStatus.MASSES, organization=fed,
                                     home_region=region))
        indexes = {blind_index(p.id_number, "person.id_number"): p for p in candidates}
        existing = set(Person.objects.filter(id_number_index__in=indexes).values_list("id_number_index", flat=True))
        new = [p for idx, p in indexes.items() if idx not in existing]
        if new:
            Person.objects.bulk_create(new)
            for _ in new:
                self.count("womenshome.people")
        return list(Person.objects.filter(id_number_index__in=indexes).order_by("id"))

    # --- teams -----------------------------------------------------------------------------------
    def team(self, org_name: str, name: str, kind: str, members: list[Person], founded: date) -> Team | None:
        org = self.org(org_name)
        if org is None:
            return None
        team, made = Team.objects.get_or_create(organization=org, name=name, defaults={
            "kind": kind, "founded_on": founded, "description": f"{org_name}组织成立的{name}，常年活跃在各村（社区）。"})
        if made:
            self.count("womenshome.teams")
            for i, person in enumerate(members):
                TeamMember.objects.get_or_create(team=team, person=person, defaults={
                    "role": TeamMember.Role.LEADER if i == 0 else TeamMember.Role.MEMBER, "joined_on": founded})
        return team

    # --- activities ------------------------------------------------------------------------------
    def activity(self, *, org: Organization, kind: str, title: str, day: date, line: str = "",
                 **extra: Any) -> Activity:
        """The demo activity (made once); one loaded before activity lines existed gets its line."""
        found = Activity.objects.filter(organization=org, date=day, title=title).first()
        if found is not None:
            if line and not found.line:
                Activity.objects.filter(pk=found.pk, line="").update(line=line)
                found.line = line
            return found
        self.count("womenshome.activities")
        return Activity.objects.create(organization=org, kind=kind, title=title, date=day, month=month_of(day),
                                       line=line, created_by=self.actor, **extra)

    def load(self) -> None:
        sites = self.sites()
        pools = {v: self.trainees(v) for v in TRAINING_VILLAGES}
        pool = [p for v in TRAINING_VILLAGES for p in pools[v]]
        residents = {v: list(Person.objects.filter(organization__name=f"{v}妇联").order_by("id")[:12])
                     for v in ("小留村", "郭家村", "南营村")}
        hua = self.team("太华路街道妇联", "“华之声”文艺宣传队", TeamKind.PROPAGANDA, pool[0:18:2], date(2010, 5, 4))
        teams = [
            hua,
            self.team("小留村妇联", "小留村妇女秧歌队", TeamKind.YANGGE, pools.get("小留村", [])[20:36], date(2010, 9, 1)),
            self.team("郭家村妇联", "郭家村锣鼓队", TeamKind.DRUM, pools.get("郭家村", [])[20:32], date(2011, 1, 15)),
            self.team("南营村妇联", "南营村自乐班", TeamKind.OPERA, pools.get("南营村", [])[20:30], date(2011, 3, 2)),
        ]
        self.team("太华社区妇联", "太华社区巾帼志愿服务队", TeamKind.VOLUNTEER, residents.get("小留村", [])[:0],
                  date(2012, 3, 5))

        # A dozen practical trainings, by person; consecutive sessions share a few women.
        step = 44
        for i, (village, month, day, kind, title, partners) in enumerate(TRAININGS):
            org = self.org(f"{village}妇联")
            if org is None or not pool:
                continue
            activity = self.activity(
                org=org, kind=kind, title=title, day=date(YEAR, month, day), line=Line.QUALITY, site=sites.get(village),
                place=f"{village}妇女之家", partners=partners, hours=Decimal("3"), is_public=i % 2 == 0,
                summary=f"{village}妇联依托妇女之家，联合有关部门举办{title}，手把手讲解，现场答疑，参训妇女反映实用、好学。",
                attendance_mode=AttendanceMode.BY_PERSON)
            chosen = [pool[(i * step + k) % len(pool)] for k in range(46)]
            self.attend(activity, chosen)

        # Twenty-two public performances by the teams, audiences by head count.
        for i, place in enumerate(PERFORMANCE_PLACES):
            team = teams[i % len(teams)]
            if team is None:
                continue
            shown_on = date(YEAR, 1 + (i * 5) // 10, 3 + (i * 7) % 25)
            self.activity(org=team.organization, kind=ActivityKind.PERFORMANCE, title=f"{team.name}走进{place}公益演出",
                          day=shown_on, line=Line.CONTRIBUTION, site=self.site_below(sites.get(place), team.organization),
                          place=f"{place}文化广场", team=team, partners=[Partner.CULTURE], hours=Decimal("2"),
                          is_public_performance=True, is_public=True, attendance_mode=AttendanceMode.HEAD_COUNT,
                          head_count=80 + (i * 37) % 220,
                          summary=f"{team.name}在{place}演出秧歌、锣鼓、秦腔选段和自编节目，宣传党的政策和文明新风。")

        for org_name, kind, month, day_of_month, title, partners, heads, line in LECTURES:
            org = self.org(org_name)
            if org is None:
                continue
            self.activity(org=org, kind=kind, title=title, day=date(YEAR, month, day_of_month), line=line,
                          site=getattr(org, "womens_home", None) if org.kind == Organization.Kind.VILLAGE_FEDERATION else None,
                          place=f"{org.region.name}", partners=partners, hours=Decimal("2"), is_public=True,
                          attendance_mode=AttendanceMode.HEAD_COUNT, head_count=heads,
                          summary=f"{org_name}组织{title}。")
        self.honours(pools)
        rollups.rebuild()

    @staticmethod
    def site_below(site: WomensHome | None, org: Organization) -> WomensHome | None:
        """The site if it lies in the organiser's subtree (an activity's site always does)."""
        return site if site is not None and site.organization.path.startswith(org.path) else None

    def attend(self, activity: Activity, people: list[Person]) -> None:
        taken = set(activity.attendances.values_list("person_id", flat=True))
        rows = [Attendance(activity=activity, person=p, method=Attendance.Method.MANUAL)
                for p in dict.fromkeys(people) if p.pk not in taken]
        Attendance.objects.bulk_create(rows)

    # --- honours ---------------------------------------------------------------------------------
    def honours(self, pools: dict[str, list[Person]]) -> None:
        xiaoliu, guojia, taihua = self.org("小留村妇联"), self.org("郭家村妇联"), self.org("太华路街道妇联")
        if not (xiaoliu and guojia and taihua and pools.get("小留村") and pools.get("郭家村")):
            return
        today = timezone.localdate()
        nominator = User.objects.filter(username="xiaoliu_women").first()
        plan = [
            (xiaoliu, pools["小留村"][40], HonourKind.FIVE_GOOD_FAMILY, HonourState.AWARDED,
             "夫妻和睦、孝敬老人，带头发展果园，帮助邻里脱贫致富，家庭被群众称为“五好”之家。"),
            (xiaoliu, pools["小留村"][41], HonourKind.MORAL_MODEL, HonourState.AWARDED,
             "二十年如一日照顾瘫痪的婆婆和残疾的小叔子，从无怨言，事迹在全村传为佳话。"),
            (xiaoliu, pools["小留村"][42], HonourKind.SAFE_FAMILY, HonourState.ON_NOTICE,
             "家庭成员遵纪守法，热心调解邻里纠纷，积极参加平安巡逻，多年无矛盾纠纷。"),
            (guojia, pools["郭家村"][40], HonourKind.GOOD_IN_LAWS, HonourState.NOMINATED,
             "婆媳相处二十余年亲如母女，共同操持家务、照料孙辈，是村里公认的好婆媳。"),
        ]
        ct = ContentType.objects.get_for_model(Honour)
        for org, person, kind, state, deeds in plan:
            public_name = person.name + ("家庭" if "family" in kind else "")
            honour = Honour.objects.filter(person=person, kind=kind, year=YEAR).first()
            if honour is not None:
                continue
            self.count("womenshome.honours")
            honour = Honour.objects.create(
                organization=org, quota_organization=taihua, kind=kind, year=YEAR, person=person,
                public_name=public_name, deeds=deeds, state=state, nominated_by=nominator,
                awarded_on=date(YEAR, 6, 20) if state == HonourState.AWARDED else None,
                decided_at=timezone.now() if state != HonourState.NOMINATED else None)
            if state == HonourState.AWARDED:
                PublicNotice.objects.create(
                    content_type=ct, object_id=str(honour.pk), organization=taihua, days=7,
                    title=f"{YEAR}年度{honour.get_kind_display()}推荐人选公示", body=f"拟将{public_name}评为{YEAR}年度{honour.get_kind_display()}。主要事迹：{deeds}",
                    starts_on=date(YEAR, 6, 10), ends_on=date(YEAR, 6, 16), state=PublicNotice.State.CLOSED,
                    outcome=PublicNotice.Outcome.PASSED, opened_by=self.actor, closed_by=self.actor,
                    closed_at=timezone.now())
            elif state == HonourState.ON_NOTICE:
                PublicNotice.objects.create(
                    content_type=ct, object_id=str(honour.pk), organization=taihua, days=7,
                    title=f"{YEAR}年度{honour.get_kind_display()}推荐人选公示", body=f"拟将{public_name}评为{YEAR}年度{honour.get_kind_display()}。主要事迹：{deeds}",
                    starts_on=today, ends_on=today + timedelta(days=6), opened_by=self.actor)


@transaction.atomic
def load(result: Any) -> None:
    """Add the womenshome demo records (idempotent); called by kernel.demo.load_demo."""
    before = dict(getattr(result, "created", {}) or {})
    DemoWomensHome(result).load()
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("womenshome.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "womenshome.demo.loaded", actor=None, username="demo", changes={"created": made})
