"""Demo records of 维权与关爱 (idempotent, invented people only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

# --- case ---
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
#: The demo's service sites and lines (invented): (organisation, kind, name, address, hours, open
#: days, public phone, partner, description, contact's organisation for a cadre, contact public).
DEMO_SITES = [
    ("灵沙乡妇联", "whisper_line", "灵沙乡妇女悄悄话热线", "", "每天 8:00-22:00", "1234567", "0952-6012338", "",
     "妇科、避孕、婚姻家庭等不便开口的问题都可以打来问，女接线员，为来电人保密。", True),
    ("太华路街道妇联", "complaint_station", "太华路街道妇女维权投诉站", "太华路街道便民服务中心一楼东侧",
     "周一至周五 8:30-12:00，14:30-17:30", "12345", "0913-4661238", "",
     "受理家庭暴力、婚姻家庭、财产权益等投诉，登记后按时限办理并回访。", False),
    ("太华路街道妇联", "legal_aid", "太华路街道妇女法律援助站", "太华路街道司法所二楼",
     "周二、周四 9:00-17:00", "24", "0913-4661148", "太华路街道司法所",
     "与街道司法所合作，律师每周两次坐班，为困难妇女提供法律咨询和援助。", False),
    ("郭家村妇联", "children_room", "郭家村留守流动儿童活动室", "郭家村村委会院内西侧",
     "周六、周日 9:00-17:00；寒暑假每天开放", "67", "", "",
     "作业辅导、读书角和亲情电话，由村妇联和志愿者值守。", False),
]


def load_service(result: Any) -> None:
    """The service sites above, a 两癌检查 round with 华阴市卫健局, a 母亲健康快车 round and a 两癌检查
    announced on the portal at 灵沙乡; each made once (looked up by name, kind and place)."""
    from datetime import timedelta

    from django.utils import timezone

    from gongjian.kernel import audit
    from gongjian.kernel.models import Organization

    from .models import HealthKind, HealthPartnerKind, HealthRound, ServiceSite

    names = {o.name: o for o in Organization.objects.filter(
        name__in=["华阴市妇联", "太华路街道妇联", "灵沙乡妇联", "郭家村妇联"])}
    if len(names) < 4:
        return
    today = timezone.localdate()
    opened = today.replace(month=1, day=1) - timedelta(days=365)
    for org_name, kind, name, address, hours, days, phone, partner, description, contact_public in DEMO_SITES:
        org = names[org_name]
        if ServiceSite.objects.filter(organization=org, kind=kind, name=name).exists():
            continue
        contact = org.positions.filter(end_date__isnull=True).select_related("person").order_by("sort_order", "id").first()
        site = ServiceSite.objects.create(
            organization=org, kind=kind, name=name, address=address, hours=hours, open_days=days, phone=phone,
            partner=partner, description=description, contact=contact.person if contact else None,
            contact_is_public=contact_public and contact is not None, is_public=True, opened_on=opened)
        audit.record(site, "support.site.created", actor=None, username="demo", changes={"kind": kind, "name": name})
        if hasattr(result, "count"):
            result.count("support.site")
    rounds = [
        (names["太华路街道妇联"], HealthKind.CANCER_SCREENING, today - timedelta(days=75), today - timedelta(days=71),
         "太华路街道社区卫生服务中心", "华阴市卫健局", HealthPartnerKind.HEALTH_BUREAU, "35-64岁城乡适龄妇女",
         326, 318, 301, False, "分4天按村组织，街道妇联安排车辆接送偏远村组妇女。"),
        (names["华阴市妇联"], HealthKind.MOTHER_EXPRESS, today - timedelta(days=40), None,
         "罗敷镇卫生院", "华阴市妇幼保健院", HealthPartnerKind.MATERNAL_CHILD, "孕产妇和农村妇女",
         120, None, None, False, "义诊、健康讲座，发放孕产期保健资料。"),
        (names["灵沙乡妇联"], HealthKind.CANCER_SCREENING, today + timedelta(days=14), today + timedelta(days=15),
         "灵沙乡卫生院", "平罗县卫健局", HealthPartnerKind.HEALTH_BUREAU, "35-64岁农村妇女，请带身份证",
         0, None, None, True, ""),
    ]
    for org, kind, starts, ends, place, partner, partner_kind, audience, served, cervical, breast, public, note in rounds:
        if HealthRound.objects.filter(organization=org, kind=kind, place=place, partner=partner).exists():
            continue
        found = HealthRound.objects.create(
            organization=org, kind=kind, starts_on=starts, ends_on=ends, place=place, partner=partner,
            partner_kind=partner_kind, audience=audience, served=served, cervical_screened=cervical,
            breast_screened=breast, is_public=public, note=note)
        audit.record(found, "support.health_round.recorded", actor=None, username="demo",
                     changes={"kind": kind, "served": served})
        if hasattr(result, "count"):
            result.count("support.health_round")
# --- end service ---


def load(result: Any) -> None:
    # --- case: load ---
    # --- end case: load ---
    # --- care: load ---
    # --- end care: load ---
    # --- service: load ---
    load_service(result)
    # --- end service: load ---
    pass
