"""The demo county from the seed (第一篇–第五篇), with invented people. Loading it twice changes
nothing: every row is found by a natural key before it is created, and the random generator is
seeded so the same residents come out each time."""

from __future__ import annotations

import random
import secrets
import string
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from . import audit
from .duties import check_position_holder
from .fields import blind_index
from .identity import generate_id_number
from .models import Organization, Person, PoliticalStatus, Position, Region, User

Kind = Organization.Kind
Role = Position.Role

TAIHUA_VILLAGES = [
    "小留村", "郭家村", "南营村", "北营村", "东联村", "西联村", "王家村", "李家村", "张家村",
    "赵家村", "新庄村", "高家村", "刘家村", "杨家村", "吴家村", "周家村", "孙家村", "马家村",
    "黄家村", "太平村", "兴乐村", "红岭村",
]
TAIHUA_COMMUNITIES = ["太华社区", "华岳社区", "岳庙社区", "迎宾社区"]
LUOFU_VILLAGES = ["罗敷村", "连村", "南洞村", "黄甫村"]
LINGSHA_VILLAGES = ["灵沙村", "胜利村", "东灵村", "富贵村", "光明村"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_F = "秀英桂英秀兰玉兰桂兰丽娟芳霞敏静红梅丽华淑珍翠花春梅海燕凤英小红晓燕雪梅彩霞美玲慧琴巧云金凤月娥"
GIVEN_M = "建军建国志强伟明海涛永刚国庆卫东军辉宏伟新民文斌振华立新俊杰"


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)  # username -> password (new ones only)
    password: str | None = None  # the one password every demo account gets, when one was given

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1


class DemoCounty:
    def __init__(self, *, password: str | None) -> None:
        self.rng = random.Random(20110420)  # 灵沙乡's plan is dated 2011-04-20
        self.password = password
        self.result = DemoResult()
        self.seq: dict[str, int] = {}

    # --- building blocks -------------------------------------------------------------------
    def region(self, code: str, name: str, level: str, parent: Region | None) -> Region:
        obj, made = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        if made:
            self.result.count("regions")
        return obj

    def org(self, name: str, kind: str, region: Region, parent: Organization | None) -> Organization:
        existing = Organization.objects.filter(region=region, kind=kind, name=name).first()
        if existing is not None:
            return existing
        self.result.count("organizations")
        if parent is None:
            return Organization.objects.add_root({"name": name, "kind": kind, "region": region})
        parent.refresh_from_db()
        return Organization.objects.add_child(parent, {"name": name, "kind": kind, "region": region})

    def invent_name(self, gender: str) -> str:
        given = GIVEN_F if gender == "F" else GIVEN_M
        g = given[self.rng.randrange(0, len(given) // 2) * 2:][:2]
        return self.rng.choice(SURNAMES) + (g if self.rng.random() < 0.8 else g[0])

    def person(self, *, org: Organization, region: Region, gender: str = "F", name: str | None = None,
               status: str = PoliticalStatus.MASSES, party_org: Organization | None = None,
               birth_year: int | None = None) -> Person:
        county_code = region.code[:6]
        self.seq[county_code] = self.seq.get(county_code, 0) + 1
        birth = date(birth_year or self.rng.randint(1955, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        id_number = generate_id_number(county_code, birth, gender, self.seq[county_code] % 500)
        name = name or self.invent_name(gender)
        mobile = "1" + self.rng.choice("35789") + "".join(self.rng.choice(string.digits) for _ in range(9))
        existing = Person.objects.filter(id_number_index=blind_index(id_number, "person.id_number")).first()
        if existing is not None:
            return existing
        self.result.count("people")
        return Person.objects.create(
            name=name, gender=gender, birth_date=birth, id_number=id_number, mobile=mobile,
            ethnicity="汉族", political_status=status, organization=org, home_region=region,
            party_organization=party_org,
        )

    def position(self, person: Person, org: Organization, title: str, role: str, *, note: str = "",
                 order: int = 100) -> Position:
        check_position_holder(person.pk)
        pos, made = Position.objects.get_or_create(
            person=person, organization=org, title=title,
            defaults={"role": role, "note": note, "sort_order": order, "start_date": date(2021, 1, 1)},
        )
        if made:
            self.result.count("positions")
        return pos

    def account(self, username: str, person: Person | None, *, admin_role: str = "") -> User:
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        password = self.password or make_password()
        user = User(username=username, person=person, admin_role=admin_role)
        from django.utils import timezone

        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        self.result.count("accounts")
        self.result.accounts[username] = password
        return user

    # --- the county ------------------------------------------------------------------------
    def load(self) -> DemoResult:
        shaanxi = self.region("610000000000", "陕西省", Region.Level.PROVINCE, None)
        weinan = self.region("610500000000", "渭南市", Region.Level.CITY, shaanxi)
        huayin = self.region("610582000000", "华阴市", Region.Level.COUNTY, weinan)
        taihua = self.region("610582001000", "太华路街道", Region.Level.TOWNSHIP, huayin)
        luofu = self.region("610582100000", "罗敷镇", Region.Level.TOWNSHIP, huayin)
        ningxia = self.region("640000000000", "宁夏回族自治区", Region.Level.PROVINCE, None)
        shizuishan = self.region("640200000000", "石嘴山市", Region.Level.CITY, ningxia)
        pingluo = self.region("640221000000", "平罗县", Region.Level.COUNTY, shizuishan)
        lingsha = self.region("640221203000", "灵沙乡", Region.Level.TOWNSHIP, pingluo)

        # Federation line: 华阴市妇联 > 太华路街道妇联 > 村（社区）妇联
        huayin_fed = self.org("华阴市妇联", Kind.COUNTY_FEDERATION, huayin, None)
        taihua_fed = self.org("太华路街道妇联", Kind.TOWNSHIP_FEDERATION, taihua, huayin_fed)
        luofu_fed = self.org("罗敷镇妇联", Kind.TOWNSHIP_FEDERATION, luofu, huayin_fed)
        # Party line: 中共华阴市委 > 太华路街道党委 > 村（社区）党支部, 领导小组 > 办公室
        huayin_party = self.org("中共华阴市委员会", Kind.PARTY_COMMITTEE, huayin, None)
        taihua_party = self.org("中共太华路街道委员会", Kind.PARTY_COMMITTEE, taihua, huayin_party)
        luofu_party = self.org("中共罗敷镇委员会", Kind.PARTY_COMMITTEE, luofu, huayin_party)
        group = self.org("太华路街道党务公开工作领导小组", Kind.LEADING_GROUP, taihua, taihua_party)
        office = self.org("党务公开工作领导小组办公室", Kind.OFFICE, taihua, group)

        villages = self.places(taihua, taihua_fed, taihua_party, TAIHUA_VILLAGES, TAIHUA_COMMUNITIES)
        self.places(luofu, luofu_fed, luofu_party, LUOFU_VILLAGES, [])

        pingluo_fed = self.org("平罗县妇联", Kind.COUNTY_FEDERATION, pingluo, None)
        lingsha_fed = self.org("灵沙乡妇联", Kind.TOWNSHIP_FEDERATION, lingsha, pingluo_fed)
        pingluo_party = self.org("中共平罗县委员会", Kind.PARTY_COMMITTEE, pingluo, None)
        lingsha_party = self.org("中共灵沙乡委员会", Kind.PARTY_COMMITTEE, lingsha, pingluo_party)
        self.places(lingsha, lingsha_fed, lingsha_party, LINGSHA_VILLAGES, [])

        # Cadres with accounts.
        member = PoliticalStatus.PARTY_MEMBER
        p = self.person(org=huayin_fed, region=huayin, name="韩淑华", status=member, party_org=huayin_party, birth_year=1972)
        self.position(p, huayin_fed, "主席", Role.LEAD, order=1)
        self.account("huayin_fed", p)
        p = self.person(org=taihua_fed, region=taihua, name="姚慧敏", status=member, party_org=taihua_party, birth_year=1978)
        self.position(p, taihua_fed, "主席", Role.LEAD, order=1)
        self.account("taihua_fed", p)
        p = self.person(org=lingsha_fed, region=lingsha, name="马秀琴", status=member, party_org=lingsha_party, birth_year=1976)
        self.position(p, lingsha_fed, "主席", Role.LEAD, order=1)
        self.account("lingsha_fed", p)

        xiaoliu_fed, xiaoliu_branch, xiaoliu_region = villages["小留村"]
        guojia_fed, guojia_branch, guojia_region = villages["郭家村"]
        p = self.person(org=xiaoliu_fed, region=xiaoliu_region, name="刘桂兰", status=member, party_org=xiaoliu_branch, birth_year=1975)
        self.position(p, xiaoliu_fed, "妇女主任", Role.LEAD, note="村妇联主席", order=1)
        self.account("xiaoliu_women", p)
        p = self.person(org=guojia_fed, region=guojia_region, name="郭彩霞", status=member, party_org=guojia_branch, birth_year=1980)
        self.position(p, guojia_fed, "妇女主任", Role.LEAD, note="村妇联主席", order=1)
        self.account("guojia_women", p)
        p = self.person(org=xiaoliu_fed, region=xiaoliu_region, gender="M", name="刘振华", status=member, party_org=xiaoliu_branch, birth_year=1968)
        self.position(p, xiaoliu_branch, "党支部书记", Role.LEAD, order=1)
        self.account("xiaoliu_branch", p)

        # 第四篇: the street party committee and its 党务公开工作领导小组 (names invented).
        def cadre(name: str, gender: str = "M", year: int = 1970) -> Person:
            return self.person(org=taihua_party, region=taihua, gender=gender, name=name, status=member,
                               party_org=taihua_party, birth_year=year)

        secretary = cadre("谢国强", year=1969)
        deputy = cadre("郑宏伟", year=1972)
        deputy2 = cadre("袁志强", year=1974)
        discipline = cadre("薛玉兰", "F", 1976)
        self.position(secretary, taihua_party, "党委书记", Role.LEAD, order=1)
        self.position(deputy, taihua_party, "党委副书记", Role.DEPUTY, note="办事处主任", order=2)
        self.position(deputy2, taihua_party, "党委副书记", Role.DEPUTY, order=3)
        self.position(discipline, taihua_party, "纪委书记", Role.DEPUTY, order=4)
        self.account("taihua_party", secretary)

        self.position(secretary, group, "组长", Role.LEAD, note="党委书记", order=1)
        self.position(deputy, group, "常务副组长", Role.DEPUTY, note="党委副书记、办事处主任", order=2)
        self.position(deputy2, group, "副组长", Role.DEPUTY, note="党委副书记", order=3)
        self.position(discipline, group, "副组长", Role.DEPUTY, note="纪委书记", order=4)
        members = [("马建军", "人大主任"), ("王文斌", "综治办主任"), ("张立新", "副主任"),
                   ("茹俊杰", "副主任"), ("潘海涛", "副主任"), ("赵永刚", "人武部长"), ("王国庆", "工会主席")]
        for i, (name, note) in enumerate(members):
            self.position(cadre(name), group, "成员", Role.MEMBER, note=note, order=10 + i)
        head = cadre("孙卫东", year=1982)
        self.position(head, office, "办公室主任", Role.LEAD, note="兼任街道党务联络员", order=1)
        for i, (name, gender, note) in enumerate([("张丽娟", "F", "纪委委员"), ("张文斌", "M", "纪委委员"),
                                                  ("姚海燕", "F", "党政办工作人员")]):
            self.position(cadre(name, gender, 1985 + i), office, "成员", Role.STAFF, note=note, order=10 + i)

        self.account("auditor", None, admin_role=User.AdminRole.AUDITOR)
        self.account("secadmin", None, admin_role=User.AdminRole.SECURITY)
        # A second security admin: admin-role changes need one to ask and another to confirm (Z-06).
        self.account("secadmin2", None, admin_role=User.AdminRole.SECURITY)
        self.account("sysadmin", None, admin_role=User.AdminRole.SYSTEM)
        return self.result

    def places(self, township: Region, township_fed: Organization, township_party: Organization,
               villages: list[str], communities: list[str]) -> dict[str, tuple[Organization, Organization, Region]]:
        out = {}
        for i, name in enumerate(communities, start=1):
            out[name] = self.place(township, township_fed, township_party, name, f"{township.code[:9]}{i:03d}",
                                   Region.Level.COMMUNITY)
        for i, name in enumerate(villages, start=1):
            out[name] = self.place(township, township_fed, township_party, name, f"{township.code[:9]}{200 + i:03d}",
                                   Region.Level.VILLAGE)
        return out

    def place(self, township: Region, township_fed: Organization, township_party: Organization,
              name: str, code: str, level: str) -> tuple[Organization, Organization, Region]:
        region = self.region(code, name, level, township)
        fed = self.org(f"{name}妇联", Kind.VILLAGE_FEDERATION, region, township_fed)
        branch = self.org(f"中共{name}支部委员会", Kind.PARTY_BRANCH, region, township_party)
        for i in range(5):
            is_member = i == 0
            self.person(org=fed, region=region, gender="F" if i < 4 else "M",
                        status=PoliticalStatus.PARTY_MEMBER if is_member else PoliticalStatus.MASSES,
                        party_org=branch if is_member else None)
        return fed, branch, region


def make_password() -> str:
    """A random demo password that meets A-01 (length, three classes)."""
    core = secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")
    return f"Gj{core}-{secrets.randbelow(90) + 10}"


@transaction.atomic
def load_demo(*, password: str | None = None) -> DemoResult:
    result = DemoCounty(password=password).load()
    result.password = password
    if result.created:
        audit.record(None, "kernel.demo.loaded", actor=None, username="demo",
                     changes={"created": result.created})
    extra: dict[str, Any] = {}
    from django.apps import apps
    from django.utils.module_loading import import_string

    # Each body of work adds its own demo records (a `demo.load(result)` in its package).
    for app in apps.get_app_configs():
        if app.name.startswith("gongjian.") and app.name != "gongjian.kernel":
            try:
                loader = import_string(f"{app.name}.demo.load")
            except ImportError:
                continue
            extra[app.label] = loader(result)
    return result
