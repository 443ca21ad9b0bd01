"""Honours: nomination → review → 公示 (objections with a tracking code) → award or rejection;
the yearly moral-model quota per township."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gongjian.kernel import notices
from gongjian.kernel.models import AuditEvent, Objection
from gongjian.womenshome import services
from gongjian.womenshome.models import Honour, HonourKind, HonourQuota
from gongjian.womenshome.workflow import HonourState

from .factories import residents

pytestmark = pytest.mark.django_db


def nominate(acting, org, kind=HonourKind.FIVE_GOOD_FAMILY, village="小留村", n=2, user="xiaoliu_women"):
    return services.honour_nominate(actor=acting(user), data={
        "organization": org(f"{village}妇联"), "kind": kind, "year": timezone.localdate().year,
        "person": residents(f"{village}妇联", 6)[n], "public_name": "", "deeds": "孝老爱亲，勤劳致富，热心公益，邻里和睦。"})


def test_a_village_nominates_and_the_street_reviews_then_the_public_sees_the_notice(login, acting, org):
    honour = nominate(acting, org)
    assert honour.state == HonourState.NOMINATED and honour.public_name.endswith("家庭")
    assert honour.quota_organization == org("太华路街道妇联")
    response = login("taihua_fed").post(f"/work/womenshome/honours/{honour.pk}/review/",
                                        {"decision": "approve", "days": 7, "reason": ""})
    assert response.status_code == 302
    honour.refresh_from_db()
    notice = notices.notice_for(honour)
    assert honour.state == HonourState.ON_NOTICE and notice.days == 7
    assert (notice.ends_on - notice.starts_on).days == 6
    public = Client().get("/womenshome/notices/").content.decode()
    assert honour.public_name in public
    detail = Client().get(f"/womenshome/notices/{notice.pk}/").content.decode()
    assert "我有异议" in detail
    assert honour.person.mobile not in detail and honour.person.id_number not in detail


def test_the_nominating_village_cannot_review_its_own_nomination(login, acting, org):
    honour = nominate(acting, org)
    assert login("xiaoliu_women").post(f"/work/womenshome/honours/{honour.pk}/review/",
                                       {"decision": "approve", "days": 7}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.honour_review(actor=acting("xiaoliu_women"), honour=honour, approve=True)


def test_a_rejection_needs_a_reason(acting, org):
    honour = nominate(acting, org)
    with pytest.raises(ValidationError) as err:
        services.honour_review(actor=acting("taihua_fed"), honour=honour, approve=False, reason="")
    assert "reason" in err.value.message_dict
    services.honour_review(actor=acting("taihua_fed"), honour=honour, approve=False, reason="事迹材料不实。")
    honour.refresh_from_db()
    assert honour.state == HonourState.REJECTED and honour.decision_reason == "事迹材料不实。"


def test_an_objection_from_the_public_is_followed_by_its_code_and_answered(login, acting, org):
    honour = nominate(acting, org)
    services.honour_review(actor=acting("taihua_fed"), honour=honour, approve=True)
    notice = notices.notice_for(honour)
    public = Client()
    form = public.get(f"/womenshome/notices/{notice.pk}/object/").content.decode()
    key = form.split('name="key" value="')[1].split('"')[0]
    done = public.post(f"/womenshome/notices/{notice.pk}/object/",
                       {"content": "这家人去年和邻居打过架，请核实。", "contact": "", "key": key})
    page = done.content.decode()
    assert done.status_code == 200 and "查询码" in page
    code = page.split('id="tracking-code">')[1].split("<")[0]
    password = page.split('id="query-password">')[1].split("<")[0]
    # Posting the same form twice does not make a second objection.
    public.post(f"/womenshome/notices/{notice.pk}/object/", {"content": "这家人去年和邻居打过架，请核实。", "key": key})
    assert Objection.objects.filter(notice=notice).count() == 1
    objection = Objection.objects.get(notice=notice)
    login("taihua_fed").post(f"/work/womenshome/honours/{honour.pk}/objections/{objection.pk}/answer/",
                             {"reply": "经村调解委员会核实，系误会，已和好。", "upheld": "0"})
    tracked = Client().post("/womenshome/objections/track/", {"code": code, "password": password})
    assert "经村调解委员会核实" in tracked.content.decode()
    wrong = Client().post("/womenshome/objections/track/", {"code": code, "password": "12345678"})
    assert wrong.status_code == 400 and "查询码或查询密码不正确" in wrong.content.decode()


def test_an_honour_is_awarded_only_after_the_notice_period(acting, org):
    honour = nominate(acting, org)
    lead = acting("taihua_fed")
    services.honour_review(actor=lead, honour=honour, approve=True)
    with pytest.raises(ValidationError) as err:
        services.honour_decide(actor=lead, honour=honour, award=True)
    assert "期满后才能确认通过" in err.value.messages[0]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        services.honour_decide(actor=lead, honour=honour, award=True)
    honour.refresh_from_db()
    assert honour.state == HonourState.AWARDED and honour.awarded_on is not None
    assert notices.notice_for(honour).outcome == "passed"
    assert AuditEvent.objects.filter(event="womenshome.honour.awarded", object_id=str(honour.pk)).exists()


def test_an_upheld_objection_leads_to_rejection_with_a_reason(acting, org):
    honour = nominate(acting, org)
    lead = acting("taihua_fed")
    services.honour_review(actor=lead, honour=honour, approve=True)
    objection, _ = notices.objection_submit(notice=notices.notice_for(honour), content="该家庭存在家暴行为，请核实。")
    services.honour_answer_objection(actor=lead, honour=honour, objection=objection, reply="经核实情况属实。", upheld=True)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        with pytest.raises(ValidationError):
            services.honour_decide(actor=lead, honour=honour, award=True)
        services.honour_decide(actor=lead, honour=honour, award=False, reason="异议属实，不予授予。")
    honour.refresh_from_db()
    assert honour.state == HonourState.REJECTED and notices.notice_for(honour).outcome == "rejected"


def test_the_moral_model_quota_of_a_township_is_enforced(acting, org):
    lead = acting("taihua_fed")
    year = timezone.localdate().year
    used = Honour.objects.filter(quota_organization=org("太华路街道妇联"), year=year, kind=HonourKind.MORAL_MODEL,
                                 state__in=[HonourState.ON_NOTICE, HonourState.AWARDED]).count()
    candidates = [nominate(acting, org, kind=HonourKind.MORAL_MODEL, village=village, n=n, user=user)
                  for village, n, user in (("小留村", 3, "xiaoliu_women"), ("小留村", 4, "xiaoliu_women"),
                                           ("郭家村", 3, "guojia_women"))]
    approved = []
    for honour in candidates:
        try:
            services.honour_review(actor=lead, honour=honour, approve=True)
            approved.append(honour)
        except ValidationError as exc:
            assert "名额为 2 名，已经用完" in exc.messages[0]
    assert used + len(approved) == 2
    # The county raises the quota; one more may go on notice.
    services.quota_set(actor=acting("huayin_fed"), organization=org("太华路街道妇联"), year=year, quota=3)
    refused = next(h for h in candidates if h not in approved)
    refused.refresh_from_db()
    services.honour_review(actor=lead, honour=refused, approve=True)
    with pytest.raises(ValidationError) as err:
        services.quota_set(actor=acting("huayin_fed"), organization=org("太华路街道妇联"), year=year, quota=1)
    assert "quota" in err.value.message_dict


def test_a_township_cannot_set_its_own_quota(login, org):
    response = login("taihua_fed").post("/work/womenshome/quotas/",
                                        {"organization": org("太华路街道妇联").pk, "year": 2026, "quota": 9})
    assert response.status_code == 403


def test_the_nominator_may_withdraw_before_review(login, acting, org):
    honour = nominate(acting, org)
    login("xiaoliu_women").post(f"/work/womenshome/honours/{honour.pk}/withdraw/", {"reason": "本人不愿参评"})
    honour.refresh_from_db()
    assert honour.state == HonourState.WITHDRAWN


def test_a_nominee_must_belong_to_the_nominating_organisation(acting, org):
    with pytest.raises(PermissionDenied):
        services.honour_nominate(actor=acting("xiaoliu_women"), data={
            "organization": org("小留村妇联"), "kind": HonourKind.GOOD_COUPLE, "year": timezone.localdate().year,
            "person": residents("郭家村妇联")[0], "deeds": "夫妻恩爱，互敬互让，共同致富。"})


def test_the_same_person_is_not_nominated_twice_for_the_same_honour(acting, org):
    nominate(acting, org)
    with pytest.raises(ValidationError) as err:
        nominate(acting, org)
    assert "已被推荐为" in err.value.messages[0]


def test_the_review_form_says_what_went_wrong_and_changes_nothing_until_it_is_right(login, acting, org):
    honour = nominate(acting, org)
    client = login("taihua_fed")
    url = f"/work/womenshome/honours/{honour.pk}/review/"
    unreadable = client.post(url, {"decision": "maybe", "days": 7}, follow=True)
    assert [str(m) for m in unreadable.context["messages"]] == ["选择一个有效的选项。 maybe 不在可用的选项中。"]
    no_reason = client.post(url, {"decision": "reject", "days": 7, "reason": ""}, follow=True)
    assert [str(m) for m in no_reason.context["messages"]] == ["请填写不通过的理由。"]
    honour.refresh_from_db()
    assert honour.state == HonourState.NOMINATED
    done = client.post(url, {"decision": "reject", "days": 7, "reason": "事迹材料不实。"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == ["已决定不予推荐，理由已记录。"]
    honour.refresh_from_db()
    assert honour.state == HonourState.REJECTED


def test_the_moral_model_quota_is_a_yearly_target_with_progress(login, acting, org):
    from django.utils import timezone

    from gongjian.womenshome import selectors as wh_selectors

    year = timezone.localdate().year
    taihua = org("太华路街道妇联")
    before = {r["organization"].pk: r for r in wh_selectors.quota_board(user=acting("huayin_fed"), year=year)}[taihua.pk]
    assert (before["target"], before["quota"]) == (1, 2)  # the seed: 每年至少1-2名
    page = login("huayin_fed").get("/work/womenshome/quotas/").content.decode()
    expected = f"今年已推荐{before['nominated']}名，目标1-2名"
    assert expected in page
    assert ("还差1名" in page) if before["nominated"] == 0 else ("已达目标" in page)


def test_the_county_sets_a_target_no_higher_than_the_quota_and_it_is_audited(login, acting, org):
    from django.utils import timezone

    year = timezone.localdate().year
    taihua = org("太华路街道妇联")
    client = login("huayin_fed")
    refused = client.post("/work/womenshome/quotas/", {"organization": taihua.pk, "year": year,
                                                         "target": 3, "quota": 2})
    assert refused.status_code == 400 and "每年至少推荐的人数应在 0 到名额之间" in refused.content.decode()
    assert not HonourQuota.objects.filter(organization=taihua, year=year).exists()
    client.post("/work/womenshome/quotas/", {"organization": taihua.pk, "year": year, "target": 2, "quota": 3})
    row = HonourQuota.objects.get(organization=taihua, year=year)
    assert (row.target, row.quota) == (2, 3)
    event = AuditEvent.objects.filter(event="womenshome.quota.set").latest("id")
    assert event.changes["target"] == [1, 2] and event.changes["quota"] == [2, 3]
    page = client.get("/work/womenshome/honours/").content.decode()
    assert "目标2-3名" in page


def test_the_message_after_approving_says_the_notice_is_out_and_for_how_long(login, acting, org):
    honour = nominate(acting, org)
    approved = login("taihua_fed").post(f"/work/womenshome/honours/{honour.pk}/review/",
                                        {"decision": "approve", "days": 5, "working_days": "on"}, follow=True)
    assert [(m.level_tag, str(m)) for m in approved.context["messages"]] == [
        ("success", "已审核通过，公示已发布（5个工作日），期满且异议处理完毕后再作决定。")]


def test_the_message_after_the_decision_names_the_honour_awarded(login, acting, org):
    honour = nominate(acting, org)
    services.honour_review(actor=acting("taihua_fed"), honour=honour, approve=True, days=5)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        awarded = login("taihua_fed").post(f"/work/womenshome/honours/{honour.pk}/decide/",
                                           {"decision": "award", "reason": ""}, follow=True)
    honour.refresh_from_db()
    assert honour.state == HonourState.AWARDED
    assert [str(m) for m in awarded.context["messages"]] == [f"已评定为{honour.get_kind_display()}，公示已结束。"]
