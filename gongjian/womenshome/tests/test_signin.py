"""QR sign-in: a short-lived signed code, matched to the roster or held for the organiser, one
sign-in per person, expired or closed codes refused with a clear message, rate-limited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from gongjian.kernel.models import AuditEvent, Person
from gongjian.womenshome import services
from gongjian.womenshome.models import Attendance, SignIn

from .factories import make_activity, residents

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(acting, org):
    return make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="扫码签到测试培训")


def signin_url(client: Client, activity) -> str:
    page = client.get(f"/work/womenshome/activities/{activity.pk}/signin/").content.decode()
    assert "<svg" in page  # the QR code, drawn on the server
    return re.search(r'id="signin-link"[^>]*>(http://testserver)?([^<]+)<', page).group(2)


def test_a_roster_member_signs_in_from_her_phone_and_is_matched(login, training):
    url = signin_url(login("xiaoliu_women"), training)
    person = residents("小留村妇联")[1]
    phone = Client()
    form = phone.get(url)
    assert form.status_code == 200 and "扫码签到测试培训" in form.content.decode()
    done = phone.post(url, {"name": person.name, "mobile": person.mobile, "gender": "F"})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    assert done["Cache-Control"] == "no-store"
    row = Attendance.objects.get(activity=training, person=person)
    assert row.method == Attendance.Method.QR
    assert SignIn.objects.get(activity=training).state == SignIn.State.MATCHED
    assert AuditEvent.objects.filter(event="womenshome.signin.submitted", actor_username="public").exists()


def test_one_person_signs_in_once(login, training):
    url = signin_url(login("xiaoliu_women"), training)
    person = residents("小留村妇联")[1]
    Client().post(url, {"name": person.name, "mobile": person.mobile, "gender": "F"})
    again = Client().post(url, {"name": person.name, "mobile": person.mobile, "gender": "F"})
    page = again.content.decode()
    # A calm answer, not an error: she has done nothing wrong.
    assert again.status_code == 200 and "您已签到" in page
    assert "alert-danger" not in page and "is-invalid" not in page
    assert again["Cache-Control"] == "no-store"
    assert Attendance.objects.filter(activity=training).count() == 1
    assert SignIn.objects.filter(activity=training).count() == 1


def test_a_newcomer_signing_twice_is_told_calmly_and_held_once(login, training):
    url = signin_url(login("xiaoliu_women"), training)
    first = Client().post(url, {"name": "韩新梅", "mobile": "13992345601", "gender": "F"})
    again = Client().post(url, {"name": "韩新梅", "mobile": "13992345601", "gender": "F"})
    assert "签到成功" in first.content.decode()
    assert again.status_code == 200 and "您已签到" in again.content.decode()
    assert SignIn.objects.filter(activity=training, state=SignIn.State.PENDING).count() == 1


def test_a_newcomer_is_held_and_the_organiser_registers_her(login, training):
    organiser = login("xiaoliu_women")
    url = signin_url(organiser, training)
    done = Client().post(url, {"name": "赵新芳", "mobile": "139 1234 5670", "gender": "F"})
    assert "签到成功" in done.content.decode()  # the same answer: the page reveals no roster
    held = SignIn.objects.get(activity=training)
    assert held.state == SignIn.State.PENDING and not Attendance.objects.filter(activity=training).exists()
    detail = organiser.get(f"/work/womenshome/activities/{training.pk}/").content.decode()
    assert "赵新芳" in detail and "139****5670" in detail and "13912345670" not in detail
    organiser.post(f"/work/womenshome/activities/{training.pk}/signins/{held.pk}/confirm/", {"action": "register"})
    held.refresh_from_db()
    newcomer = Person.objects.get(name="赵新芳")
    assert held.state == SignIn.State.CONFIRMED and held.person == newcomer
    assert newcomer.organization.name == "小留村妇联" and newcomer.mobile == "13912345670"
    assert Attendance.objects.filter(activity=training, person=newcomer).exists()


def test_a_held_sign_in_is_matched_to_a_roster_person_the_organiser_chooses(login, training):
    organiser = login("xiaoliu_women")
    url = signin_url(organiser, training)
    person = residents("小留村妇联")[2]
    Client().post(url, {"name": person.name + "子", "mobile": person.mobile, "gender": "F"})  # a typo in the name
    held = SignIn.objects.get(activity=training)
    review = organiser.get(f"/work/womenshome/activities/{training.pk}/signins/{held.pk}/").content.decode()
    assert person.name in review  # found by the same mobile
    organiser.post(f"/work/womenshome/activities/{training.pk}/signins/{held.pk}/confirm/", {"person": person.pk})
    assert Attendance.objects.filter(activity=training, person=person).exists()


def test_a_held_sign_in_may_be_refused(login, acting, training):
    url = signin_url(login("xiaoliu_women"), training)
    Client().post(url, {"name": "路过的人", "mobile": "13700000001", "gender": "M"})
    held = SignIn.objects.get(activity=training)
    services.signin_reject(actor=acting("xiaoliu_women"), signin=held)
    held.refresh_from_db()
    assert held.state == SignIn.State.REJECTED
    assert not Attendance.objects.filter(activity=training).exists()


def test_an_expired_code_is_refused_with_a_clear_message(login, training):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        url = signin_url(login("xiaoliu_women"), training)
        traveller.shift(timedelta(minutes=services.SIGNIN_CODE_SECONDS // 60 + 1))
        person = residents("小留村妇联")[1]
        response = Client().post(url, {"name": person.name, "mobile": person.mobile, "gender": "F"})
    assert response.status_code == 400
    assert "签到码已过期，请向活动组织者索取新的签到二维码后重新扫码。" in response.content.decode()
    assert not Attendance.objects.filter(activity=training).exists()


def test_closing_sign_in_voids_every_code_already_shown(login, training):
    organiser = login("xiaoliu_women")
    url = signin_url(organiser, training)
    organiser.post(f"/work/womenshome/activities/{training.pk}/signin/close/")
    response = Client().get(url)
    assert response.status_code == 400 and "本次签到已结束" in response.content.decode()


def test_a_forged_code_is_refused(training):
    response = Client().get(f"/womenshome/signin/{training.pk}-forged/")
    assert response.status_code == 400 and "签到码无效" in response.content.decode()


def test_a_bad_mobile_reads_in_chinese_and_records_nothing(login, training):
    url = signin_url(login("xiaoliu_women"), training)
    response = Client().post(url, {"name": "王秀英", "mobile": "12345", "gender": "F"})
    assert response.status_code == 400 and "请填写正确的11位手机号码" in response.content.decode()
    assert not SignIn.objects.filter(activity=training).exists()


def test_the_roster_of_another_village_is_never_matched(login, training):
    """Matching stays inside the organiser's subtree (Z-01): a 郭家村 woman is held for review."""
    url = signin_url(login("xiaoliu_women"), training)
    outsider = residents("郭家村妇联")[1]
    Client().post(url, {"name": outsider.name, "mobile": outsider.mobile, "gender": "F"})
    assert SignIn.objects.get(activity=training).state == SignIn.State.PENDING


def test_sign_in_is_rate_limited_per_address(login, training, monkeypatch):
    from gongjian.womenshome import public_views

    monkeypatch.setattr(public_views, "SIGNIN_LIMIT", 3)
    url = signin_url(login("xiaoliu_women"), training)
    phone = Client()
    statuses = [phone.post(url, {"name": f"测{i}", "mobile": f"1370000000{i}", "gender": "F"}).status_code
                for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_head_count_activity_takes_sign_ins_and_adds_them_to_the_typed_number(login, acting, org):
    organiser = login("xiaoliu_women")
    lecture = make_activity(acting("xiaoliu_women"), org("小留村妇联"), kind="health", is_public=True,
                            attendance_mode="headcount", head_count=40)
    url = signin_url(organiser, lecture)
    person = residents("小留村妇联")[1]
    done = Client().post(url, {"name": person.name, "mobile": person.mobile, "gender": "F"})
    assert "签到成功" in done.content.decode()
    lecture.refresh_from_db()
    assert lecture.head_count == 40  # never thrown away
    public = Client().get(f"/womenshome/activities/{lecture.pk}/").content.decode()
    assert "参加人数：41 人" in public
    staff = organiser.get(f"/work/womenshome/activities/{lecture.pk}/").content.decode()
    assert "合计 <strong>41</strong> 人" in staff

def test_the_qr_page_counts_pending_signers_in_a_fragment_it_polls(login, training):
    organiser = login("xiaoliu_women")
    url = signin_url(organiser, training)
    page = organiser.get(f"/work/womenshome/activities/{training.pk}/signin/").content.decode()
    assert f'hx-get="/work/womenshome/activities/{training.pk}/signin/status/"' in page
    assert re.search(r'id="signin-status"[^>]*hx-trigger="every 3s"', page)
    for i, name in enumerate(["韩新梅", "吴春燕"]):
        Client().post(url, {"name": name, "mobile": f"1399234560{i}", "gender": "F"})
    status = organiser.get(f"/work/womenshome/activities/{training.pk}/signin/status/")
    body = status.content.decode()
    assert status.status_code == 200 and "<html" not in body  # a small fragment, not a page
    assert re.search(r'id="signin-pending">2<', body) and re.search(r'id="signin-count">0<', body)
    assert "全部确认（2 人）" in body


def test_confirm_all_registers_every_newcomer_in_one_tap_and_is_audited(login, training):
    organiser = login("xiaoliu_women")
    url = signin_url(organiser, training)
    for i in range(3):
        Client().post(url, {"name": f"新来{i}号", "mobile": f"1399234561{i}", "gender": "F"})
    response = organiser.post(f"/work/womenshome/activities/{training.pk}/signin/confirm-all/", follow=True)
    assert "已确认 3 人。" in response.content.decode()
    assert not SignIn.objects.filter(activity=training, state=SignIn.State.PENDING).exists()
    assert Attendance.objects.filter(activity=training).count() == 3
    assert Person.objects.filter(name__startswith="新来", organization__name="小留村妇联").count() == 3
    summary = AuditEvent.objects.get(event="womenshome.signin.confirmed_all")
    assert summary.changes == {"confirmed": 3, "left": 0}
    assert AuditEvent.objects.filter(event="womenshome.signin.confirmed").count() == 3


def test_confirm_all_leaves_a_signer_who_may_be_a_roster_person_for_the_organiser(login, training):
    organiser = login("xiaoliu_women")
    url = signin_url(organiser, training)
    person = residents("小留村妇联")[2]
    Client().post(url, {"name": person.name + "子", "mobile": person.mobile, "gender": "F"})  # same mobile
    Client().post(url, {"name": "新来的人", "mobile": "13992345620", "gender": "F"})
    page = organiser.post(f"/work/womenshome/activities/{training.pk}/signin/confirm-all/", follow=True)
    text = page.content.decode()
    assert "已确认 1 人。" in text and "请逐个点开核对：" + person.name + "子" in text
    held = SignIn.objects.get(activity=training, state=SignIn.State.PENDING)
    assert held.name == person.name + "子"
    assert not Person.objects.filter(name=person.name + "子").exists()


def test_confirm_all_of_another_village_is_a_404(login, training):
    other = login("guojia_women")
    response = other.post(f"/work/womenshome/activities/{training.pk}/signin/confirm-all/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event="womenshome.signin.confirmed_all").exists()
