"""Demo records of 维权与关爱 (idempotent, invented people only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

# --- case ---
# --- end case ---

# --- care ---
#: Invented children of 郭家村 (留守儿童: both parents work away), their age on the demo day, and
#: the grandparent who keeps them.
CARE_CHILDREN = [
    ("郭小雨", "F", 9, "郭老太", "学习辅导，想念在外打工的父母，周末缺少陪伴。"),
    ("郭晨阳", "M", 11, "郭大爷", "爷爷年迈，作业无人辅导；冬季需要棉衣。"),
    ("郭欣怡", "F", 7, "王秀英", "刚上小学一年级，性格内向，需要亲情陪伴。"),
    ("郭浩然", "M", 12, "郭老汉", "奶奶患病住院期间无人照料，需要临时照看。"),
]
CARE_VISITS = ["上门辅导数学作业，一起读课外书。", "陪孩子给在外打工的妈妈视频通话。", "送去冬季棉衣和学习用品。",
               "和奶奶交流孩子在校情况，提醒按时作息。", "带孩子参加村里留守儿童活动室的手工课。",
               "检查寒假作业，讲安全常识。", "陪孩子过生日，送了一本字典。", "了解期中考试成绩，鼓励孩子。",
               "和班主任电话沟通孩子的学习情况。", "一起打扫房间，教孩子整理书包。",
               "带孩子到镇上买文具，聊学校里的事。", "暑假安全教育，叮嘱不要下河游泳。"]


def load_care(result: Any) -> None:
    """留守儿童 of 郭家村 (invented, under 14, guardian consent recorded) paired with 爱心妈妈 of the
    village: a year of monthly visits for one pairing, one pairing overdue, one just begun; and a
    留守老人."""
    from datetime import date, datetime, time, timedelta

    from django.utils import timezone

    from gongjian.kernel.identity import generate_id_number
    from gongjian.kernel.models import Organization, Pairing, PairingMeeting, PairingPurpose, Person

    from .models.care import CareRecipient, RecipientCategory
    from .models.case import LegalBasis

    def count(what: str) -> None:
        if hasattr(result, "count"):
            result.count(what)

    village = Organization.objects.filter(name="郭家村妇联").select_related("region").first()
    if village is None:
        return
    region = village.region
    today = timezone.localdate()
    consent = timezone.make_aware(datetime.combine(today - timedelta(days=400), time(10, 0)))
    children = []
    for i, (name, gender, age, guardian, needs) in enumerate(CARE_CHILDREN):
        person = Person.objects.filter(organization=village, name=name).first()
        if person is None:
            birth = date(today.year - age, 3 + i, 10 + i)
            person = Person.objects.create(
                name=name, gender=gender, birth_date=birth, ethnicity="汉族", organization=village,
                home_region=region, id_number=generate_id_number(region.code[:6], birth, gender, 470 + i),
                mobile=f"1379135{2000 + i:04d}")  # the guardian's phone: the child's contact number
            count("people")
        recipient = CareRecipient.objects.filter(person=person, ended_on__isnull=True).first()
        if recipient is None:
            recipient = CareRecipient.objects.create(
                organization=village, person=person, category=RecipientCategory.LEFT_BEHIND_CHILD, needs=needs,
                guardian_name=guardian, guardian_mobile=f"1379135{2000 + i:04d}", legal_basis=LegalBasis.GUARDIAN,
                consent_at=consent, registered_on=today - timedelta(days=400))
            count("support.care_recipient")
        children.append(recipient)
    elder = Person.objects.filter(organization=village, name="郭桂芳").first()
    if elder is None:
        birth = date(1946, 5, 20)
        elder = Person.objects.create(name="郭桂芳", gender="F", birth_date=birth, ethnicity="汉族",
                                      organization=village, home_region=region, mobile="13891356001",
                                      id_number=generate_id_number(region.code[:6], birth, "F", 480))
        count("people")
    if not CareRecipient.objects.filter(person=elder, ended_on__isnull=True).exists():
        CareRecipient.objects.create(organization=village, person=elder, category=RecipientCategory.LEFT_BEHIND_ELDER,
                                     needs="独居，子女在外地，需要定期探望和代购生活用品。", legal_basis=LegalBasis.CONSENT,
                                     consent_at=consent, registered_on=today - timedelta(days=300))
        count("support.care_recipient")
    # 爱心妈妈: the village women's head (a party member) and the other women of the village.
    mothers = list(Person.objects.filter(organization=village, gender="F", birth_date__year__lt=2000)
                   .exclude(pk__in=[c.person_id for c in children]).exclude(pk=elder.pk)
                   .order_by("-political_status", "pk")[:3])
    head = Person.objects.filter(organization=village, name="郭彩霞").first()
    if head is not None:
        mothers = [head, *[m for m in mothers if m.pk != head.pk]][:3]
    if len(mothers) < 3:
        return
    plans = [
        # (child, mother, started days ago, visit days ago…): a year of monthly visits, one overdue, one new.
        (children[0], mothers[0], 370, [365 - 30 * k for k in range(12)] + [8]),
        (children[1], mothers[1], 120, [100, 68]),
        (children[2], mothers[2], 10, []),
    ]
    for recipient, mother, started_ago, visits in plans:
        if Pairing.objects.filter(kind=PairingPurpose.CARE, mentor=mother, mentee=recipient.person).exists():
            continue
        started = today - timedelta(days=started_ago)
        days = sorted({today - timedelta(days=d) for d in visits if 0 <= d <= started_ago})
        last = days[-1] if days else None
        pairing = Pairing.objects.create(
            organization=village, kind=PairingPurpose.CARE, mentor=mother, mentee=recipient.person, started_on=started,
            interval_days=30, note="每月上门看望一次：学习辅导、亲情陪伴，和在外打工的父母保持联系。",
            last_met_on=last, due_on=(last or started) + timedelta(days=30))
        for k, day in enumerate(days):
            PairingMeeting.objects.create(pairing=pairing, date=day, content=CARE_VISITS[k % len(CARE_VISITS)])
        count("kernel.pairing")
# --- end care ---

# --- service ---
# --- end service ---


def load(result: Any) -> None:
    # --- case: load ---
    # --- end case: load ---
    # --- care: load ---
    load_care(result)
    # --- end care: load ---
    # --- service: load ---
    # --- end service: load ---
    pass
