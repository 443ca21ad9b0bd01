"""Demo records of 维权与关爱 (idempotent, invented people only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any

# --- case ---
#: The 妇女悄悄话热线 volunteer of 灵沙乡妇联 (a STAFF position: she records calls, and reaches only
#: the cases she handles; the township's lead reaches them all).
WHISPER_LINE_USERNAME = "lingsha_line"


def _case_actor(username: str) -> Any:
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


def _whisper_line_account(result: Any) -> None:
    """lingsha_line: an invented volunteer of the township's 悄悄话 line. Her password is the one all
    demo accounts are given when one is given (`result.password`), else a new random one (in
    `result.accounts`, printed once like the others')."""
    from datetime import date

    from django.utils import timezone

    from gongjian.kernel.demo import make_password
    from gongjian.kernel.identity import generate_id_number
    from gongjian.kernel.models import Organization, Person, PoliticalStatus, Position, User

    if User.objects.filter(username=WHISPER_LINE_USERNAME).exists():
        return
    org = Organization.objects.filter(name="灵沙乡妇联").first()
    if org is None:
        return
    birth = date(1990, 6, 18)
    person = Person.objects.create(
        name="苏晓燕", gender="F", birth_date=birth, id_number=generate_id_number(org.region.code[:6], birth, "F", 488),
        mobile="13995120488", ethnicity="回族", political_status=PoliticalStatus.MASSES, organization=org,
        home_region=org.region)
    Position.objects.create(person=person, organization=org, title="悄悄话热线志愿者", role=Position.Role.STAFF,
                            note="妇女悄悄话热线接线员", sort_order=20, start_date=date(2021, 1, 1))
    accounts = getattr(result, "accounts", {})
    password = getattr(result, "password", None) or make_password()
    user = User(username=WHISPER_LINE_USERNAME, person=person)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    if hasattr(result, "count"):
        result.count("accounts")
    if isinstance(accounts, dict):
        accounts[WHISPER_LINE_USERNAME] = password


def load_cases(result: Any) -> None:
    """小留村妇联's cases (a 家庭暴力 case with risk referred up to 太华路街道妇联 and on to 司法所; a
    婚姻家庭 case resolved and followed up) and a call on 灵沙乡's 悄悄话 line. Invented people."""
    from gongjian.kernel.models import Organization

    from .models import Case
    from .services import case as services

    _whisper_line_account(result)
    xiaoliu = Organization.objects.filter(name="小留村妇联").first()
    street = Organization.objects.filter(name="太华路街道妇联").first()
    village, township = _case_actor("xiaoliu_women"), _case_actor("taihua_fed")
    if xiaoliu is None or street is None or village is None or township is None:
        return
    if not Case.objects.filter(intake_organization=xiaoliu).exists():
        violence = services.case_record(actor=village, data={
            "channel": "visit", "category": "domestic_violence", "risk": True,
            "summary": "丈夫酒后殴打，并威胁不许离开家", "contact_mobile": "13700001111",
            "contact_name": "杨女士", "narrative": "（演示）来访人称丈夫长期酒后打骂，近日用木棍打伤其手臂，"
                                                   "并扬言她若回娘家就砸了娘家的门。有就医记录。"}).case
        services.case_accept(actor=village, case=violence, note="当日受理")
        services.case_step_add(actor=village, case=violence, kind="visit", note="（演示）与村调委会一起上门，"
                               "对男方进行劝诫教育，当事人暂住娘家。")
        services.case_refer(actor=village, case=violence, to_organization=street,
                            note="（演示）男方拒不改正，需街道妇联协调申请人身安全保护令。")
        services.case_accept(actor=township, case=violence, note="街道妇联受理")
        services.case_refer(actor=township, case=violence, to_partner="justice", partner_name="太华路司法所",
                            note="（演示）协助申请法律援助和人身安全保护令。")

        family = services.case_record(actor=village, data={
            "channel": "hotline_12338", "category": "marriage_family", "summary": "婆媳矛盾，丈夫外出务工不管家",
            "contact_mobile": "13700002222", "contact_name": "周女士"}).case
        services.case_accept(actor=village, case=family)
        services.case_step_add(actor=village, case=family, kind="mediation",
                               note="（演示）村妇联主任和调解员上门调解，婆媳达成分灶协议。")
        services.case_resolve(actor=village, case=family, outcome="mediated",
                              public_reply="经调解，家庭矛盾已化解。如有新的情况，请随时联系村妇联。")
        services.case_follow_up(actor=village, case=family, satisfaction="satisfied",
                                note="（演示）一个月后电话回访，家庭关系和睦。")
        if hasattr(result, "count"):
            result.count("support.cases")
    line = _case_actor(WHISPER_LINE_USERNAME)
    if line is not None and not Case.objects.filter(created_by=line.pk).exists():
        services.case_record(actor=line, data={
            "channel": "whisper_line", "category": "health_advice", "summary": "咨询两癌免费检查的时间和地点",
            "anonymous": True})
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
    load_cases(result)
    # --- end case: load ---
    # --- care: load ---
    load_care(result)
    # --- end care: load ---
    # --- service: load ---
    load_service(result)
    # --- end service: load ---
    pass
