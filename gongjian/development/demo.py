"""Demo records of 巾帼致富 (idempotent, invented people only); called by kernel.demo.load_demo
after the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

from gongjian.kernel import audit

# --- talent ---
#: The demo 女能手 of 小留村 (an invented woman of its federation, picked by position in the list).
TALENT_TRADE = "苹果种植"


def load_talent(result: Any) -> None:
    """小留村's 女能手 (an apple orchard, 8 jobs) reported to 太华路街道 and accepted by 华阴市."""
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from gongjian.kernel.models import Organization, Person

    from .models import Talent, TalentKind, TalentState

    orgs = {o.name: o for o in Organization.objects.filter(name__in=["华阴市妇联", "太华路街道妇联", "小留村妇联"])}
    if len(orgs) < 3:
        return
    xiaoliu, county = orgs["小留村妇联"], orgs["华阴市妇联"]
    women = list(Person.objects.filter(organization=xiaoliu, gender="F", positions__isnull=True).order_by("id"))
    if not women:
        return
    woman = women[1] if len(women) > 1 else women[0]
    if Talent.objects.filter(person=woman, kind=TalentKind.RICH_LEADER_WOMAN).exists():
        return
    year = timezone.localdate().year
    reported = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=60), time(10)))
    talent = Talent.objects.create(
        person=woman, organization=xiaoliu, holder=county, kind=TalentKind.RICH_LEADER_WOMAN, trade=TALENT_TRADE,
        skills="果树修剪、病虫害防治、电商销售", enterprise="华阴市小留村巾帼苹果种植专业合作社",
        income=Decimal("12.50"), jobs=8, state=TalentState.ACCEPTED, reported_at=reported,
        accepted_at=reported + timedelta(days=20),
        deeds=f"种植苹果 60 亩，{year - 3} 年牵头成立合作社，带动本村 8 名妇女常年务工，"
              "组织姐妹学习修剪和网上销售。")
    audit.record(talent, "development.talent.created", actor=None, username="demo",
                 changes={"state": talent.state, "kind": talent.kind})
    if hasattr(result, "count"):
        result.count("development.talent")
    load_training(result, county=county, talent=talent)


def load_training(result: Any, *, county: Any, talent: Any) -> None:
    """A 新型女农民 training 华阴市妇联 ran last month with places for its townships; 太华路街道
    sent the demo 女能手 and she attended."""
    from datetime import timedelta

    from django.utils import timezone

    from gongjian.kernel.models import Organization

    from .models import TrainingNomination, TrainingOffer, TrainingQuota

    title = "华阴市新型女农民果业技术培训班"
    if TrainingOffer.objects.filter(title=title).exists():
        return
    starts = timezone.localdate() - timedelta(days=30)
    offer = TrainingOffer.objects.create(
        organization=county, title=title, kind="", starts_on=starts, ends_on=starts + timedelta(days=2),
        place="华阴市妇女儿童活动中心", note="苹果矮化密植、病虫害绿色防控、农产品网上销售。")
    townships = Organization.objects.filter(path__startswith=county.path, kind=Organization.Kind.TOWNSHIP_FEDERATION)
    TrainingQuota.objects.bulk_create([TrainingQuota(offer=offer, township=t, places=3) for t in townships])
    street = townships.filter(name="太华路街道妇联").first()
    if street is not None:
        TrainingNomination.objects.create(offer=offer, talent=talent, township=street, attended=True,
                                          recorded_at=timezone.now())
    audit.record(offer, "development.training.offered", actor=None, username="demo", changes={"title": title})
    if hasattr(result, "count"):
        result.count("development.training")
# --- end talent ---

# --- cultivation ---
CULTIVATION_FEDERATION = "小留村妇联"
CULTIVATION_DEEDS = [
    "带头发展苹果种植，组织本村妇女学技术，热心调解邻里纠纷，群众基础好。",
    "返乡创办电商服务点，帮助村民销售农产品，积极参加村里志愿服务。",
]


def _demo_actor(username: str) -> Any:
    """A demo account acting in its first current position (as the middleware would set it)."""
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    positions = list(user.current_positions())
    user.positions = positions
    user.acting = Acting(positions[0]) if positions else None
    return user if positions else None


def load_cultivation(result: Any) -> None:
    """Two women of 小留村 recommended by 小留村妇联 to 中共小留村支部委员会; one now 发展对象."""
    from datetime import timedelta

    from django.utils import timezone

    from gongjian.kernel.models import Organization, Person, PoliticalStatus

    from .models import Recommendation, StepKind
    from .services import cultivation as services

    federation = Organization.objects.filter(name=CULTIVATION_FEDERATION).first()
    recommender, branch = _demo_actor("xiaoliu_women"), _demo_actor("xiaoliu_branch")
    if federation is None or recommender is None or branch is None:
        return
    if Recommendation.objects.filter(organization=federation).exists():
        return
    women = list(Person.objects.filter(organization=federation, gender="F", party_organization=None,
                                       political_status=PoliticalStatus.MASSES).order_by("pk")[:2])
    today = timezone.localdate()
    for i, woman in enumerate(women):
        made = services.recommendation_create(actor=recommender, person=woman, recommended_on=today - timedelta(days=500),
                                              reason=CULTIVATION_DEEDS[i])
        if hasattr(result, "count"):
            result.count("development.recommendation")
        if i == 0:
            services.cultivation_decide(actor=branch, recommendation=made, step=StepKind.ACTIVIST,
                                        decided_on=today - timedelta(days=470), note="支部委员会研究，确定为入党积极分子")
            services.cultivation_decide(actor=branch, recommendation=made, step=StepKind.DEVELOPMENT,
                                        decided_on=today - timedelta(days=40),
                                        note="培养考察一年以上，支部委员会研究，报街道党工委备案，列为发展对象")
# --- end cultivation ---

# --- loan ---
# Three loans at 灵沙乡 (its villages' invented women): one awaiting the township's review, one
# repaying on time, one overdue (dates follow today, so the overdue one stays overdue).
# isort: split
from datetime import timedelta as _loan_timedelta  # noqa: E402
from decimal import Decimal as _LoanDecimal  # noqa: E402

from django.utils import timezone as _loan_timezone  # noqa: E402

DEMO_LOANS = [
    # village, purpose, amount, months, jobs, state, months since disbursement, instalments paid
    ("灵沙村", "扩大枸杞种植", "50000", 24, 3, "checked", None, 0),
    ("胜利村", "开办农家乐", "80000", 24, 5, "repaying", 3, 3),
    ("东灵村", "购买滩羊扩大养殖", "30000", 12, 2, "repaying", 4, 1),
]


def _loans(result: Any) -> None:
    from gongjian.kernel.models import Organization, Person, Position

    from .models import Instalment, Loan, LoanState
    from .services.loan import _refresh_due, add_months, schedule

    today = _loan_timezone.localdate()
    township = Organization.objects.filter(name="灵沙乡妇联").first()
    if township is None:
        return
    cadre_position = (Position.objects.filter(organization=township).select_related("person")
                      .order_by("sort_order", "id").first())
    for village, purpose, amount, months, jobs, state, since, paid in DEMO_LOANS:
        fed = Organization.objects.filter(name=f"{village}妇联").first()
        woman = Person.objects.filter(organization=fed, gender="F").order_by("id").last() if fed else None
        if fed is None or woman is None or Loan.objects.filter(applicant=woman, purpose=purpose).exists():
            continue
        applied = today - _loan_timedelta(days=30 * (since or 0) + 40)
        loan = Loan(applicant=woman, organization=fed, purpose=purpose, amount=_LoanDecimal(amount),
                    term_months=months, jobs_created=jobs, guarantee="反担保人一名（同村公职人员）",
                    business_plan=f"{purpose}：投入资金{amount}元，预计带动本村妇女{jobs}人就业，两年内收回成本。",
                    partner_kind="hrss", partner_name="平罗县人力资源和社会保障局", scheme="interest_free",
                    state=LoanState.CHECKED, applied_on=applied, check_note="经核实，情况属实。",
                    checked_at=_loan_timezone.now(),
                    cadre=cadre_position.person if cadre_position else None,
                    cadre_organization=township if cadre_position else None)
        if since is not None:
            disbursed = add_months(today, -since) - _loan_timedelta(days=3)
            loan.review_note = "同意，报人社部门。"
            loan.reviewed_at = _loan_timezone.now()
            loan.decision_on = disbursed - _loan_timedelta(days=7)
            loan.decision_note = "符合贷免扶补条件，同意发放。"
            loan.disbursed_on = disbursed
            loan.state = state
        loan.save()
        if since is not None:
            assert loan.disbursed_on is not None
            rows = schedule(amount=loan.amount, term_months=months, start=loan.disbursed_on,
                            annual_rate=_LoanDecimal(0))
            for row in rows[:paid]:
                row.paid_amount, row.paid_on = row.principal, row.due_on
            for row in rows:
                row.loan = loan
            Instalment.objects.bulk_create(rows)
            _refresh_due(loan)
            loan.save(update_fields=["next_due_on", "outstanding"])
        result.count("development.loan")
# --- end loan ---

# --- demonstration ---
def load_demonstrations(result: Any) -> None:
    """南营村's 巾帼科技致富示范基地 (proposed by 太华路街道妇联, designated by 华阴市妇联 and reviewed
    last year), a 示范户 of 小留村, three placements after a training, and a 牵手结对 with meetings."""
    from datetime import date, timedelta

    from django.utils import timezone

    from gongjian.kernel.models import Organization, Pairing, PairingMeeting, PairingPurpose, Person

    from .models import (
        Demonstration,
        DemonstrationKind,
        DemonstrationReview,
        DemonstrationState,
        Placement,
        PlacementScope,
        ReviewResult,
    )

    def count(what: str) -> None:
        if hasattr(result, "count"):
            result.count(what)

    orgs = {o.name: o for o in Organization.objects.filter(name__in=["华阴市妇联", "太华路街道妇联", "南营村妇联",
                                                                      "小留村妇联"])}
    if len(orgs) < 4:
        return
    today = timezone.localdate()
    year = today.year

    def women(org: str, n: int) -> list[Person]:
        return list(Person.objects.filter(organization=orgs[org], gender="F", positions__isnull=True)
                    .order_by("pk")[:n])

    nanying, xiaoliu = women("南营村妇联", 6), women("小留村妇联", 2)
    if len(nanying) < 6 or len(xiaoliu) < 2:
        return
    designated_on = date(year - 1, 6, 18)
    if not Demonstration.objects.filter(name="南营村巾帼科技致富示范基地").exists():
        base = Demonstration.objects.create(
            organization=orgs["南营村妇联"], kind=DemonstrationKind.BASE, name="南营村巾帼科技致富示范基地",
            trade="设施蔬菜种植", women_count=26, state=DemonstrationState.DESIGNATED,
            description="村妇联牵头建设日光温室40座，统一育苗、统一技术培训、统一销售，带动本村和邻村妇女在家门口就业增收。",
            proposed_by_organization=orgs["太华路街道妇联"], proposed_on=designated_on - timedelta(days=30),
            criteria="有稳定产业和规模；带动妇女20人以上；开展技术培训每年不少于4次。",
            evaluation="产业特色鲜明，培训经常，带动作用明显，同意认定。",
            designated_by_organization=orgs["华阴市妇联"], designated_on=designated_on)
        count("development.demonstration")
        DemonstrationReview.objects.create(demonstration=base, year=year - 1, result=ReviewResult.EXCELLENT,
                                           note="新增温室10座，带动人数增加。",
                                           reviewed_by_organization=orgs["华阴市妇联"])
    if not Demonstration.objects.filter(name="小留村苹果种植示范户").exists():
        Demonstration.objects.create(
            organization=orgs["小留村妇联"], kind=DemonstrationKind.HOUSEHOLD, name="小留村苹果种植示范户",
            person=xiaoliu[0], trade="苹果种植", women_count=8, state=DemonstrationState.DESIGNATED,
            description="矮化密植苹果园15亩，常年为周边妇女提供修剪、套袋、采摘岗位。",
            proposed_by_organization=orgs["太华路街道妇联"], proposed_on=designated_on - timedelta(days=20),
            criteria="示范户经营规模和带动人数达到县定标准。", evaluation="同意认定。",
            designated_by_organization=orgs["华阴市妇联"], designated_on=designated_on)
        count("development.demonstration")
    placements = [(nanying[2], "华阴市巾帼家政服务有限公司", "家政服务员", PlacementScope.LOCAL, "华阴市"),
                  (nanying[3], "西安某电子厂", "流水线操作工", PlacementScope.AWAY, "西安市高新区"),
                  (nanying[4], "南营村巾帼科技致富示范基地", "温室管理", PlacementScope.LOCAL, "南营村")]
    for i, (woman, employer, work, scope, place) in enumerate(placements):
        if not Placement.objects.filter(person=woman, employer=employer).exists():
            Placement.objects.create(organization=orgs["南营村妇联"], person=woman, training="太华路街道妇女就业技能培训",
                                     employer=employer, work=work, scope=scope, place=place,
                                     placed_on=today - timedelta(days=20 + 15 * i))
            count("development.placement")
    mentor, mentee = nanying[0], nanying[5]
    if not Pairing.objects.filter(kind=PairingPurpose.DEVELOPMENT, mentor=mentor, mentee=mentee).exists():
        started = today - timedelta(days=70)
        met = [today - timedelta(days=55), today - timedelta(days=20)]
        pairing = Pairing.objects.create(organization=orgs["南营村妇联"], kind=PairingPurpose.DEVELOPMENT,
                                         mentor=mentor, mentee=mentee, started_on=started, interval_days=30,
                                         note="帮助学习温室蔬菜种植技术，扶持建起第一座温室。",
                                         last_met_on=met[-1], due_on=met[-1] + timedelta(days=30))
        for day, text in zip(met, ["一起到示范基地学习育苗。", "上门指导温室定植和病虫害防治。"], strict=True):
            PairingMeeting.objects.create(pairing=pairing, date=day, content=text)
        count("kernel.pairing")
# --- end demonstration ---


def load(result: Any) -> None:
    """Add the development demo records (idempotent)."""
    before = dict(getattr(result, "created", {}) or {})
    # --- load: talent ---
    load_talent(result)
    # --- load: end talent ---
    # --- load: cultivation ---
    load_cultivation(result)
    # --- load: end cultivation ---
    # --- load: loan ---
    _loans(result)
    # --- load: end loan ---
    # --- load: demonstration ---
    load_demonstrations(result)
    # --- load: end demonstration ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("development.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "development.demo.loaded", actor=None, username="demo", changes={"created": made})
