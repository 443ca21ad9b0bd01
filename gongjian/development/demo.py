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
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---


def load(result: Any) -> None:
    """Add the development demo records (idempotent)."""
    before = dict(getattr(result, "created", {}) or {})
    # --- load: talent ---
    load_talent(result)
    # --- load: end talent ---
    # --- load: cultivation ---
    # --- load: end cultivation ---
    # --- load: loan ---
    # --- load: end loan ---
    # --- load: demonstration ---
    # --- load: end demonstration ---
    after = dict(getattr(result, "created", {}) or {})
    made = {k: v - before.get(k, 0) for k, v in after.items() if k.startswith("development.") and v != before.get(k, 0)}
    if made:
        audit.record(None, "development.demo.loaded", actor=None, username="demo", changes={"created": made})
