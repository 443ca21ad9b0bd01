"""Weak signal (ADR 0048): a form kept on the phone while offline may arrive twice; the key its page
carried makes it one activity, one sign-in — and a refused send does not use the key up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from gongjian.kernel import idempotency
from gongjian.kernel.models import AuditEvent, SubmissionKey
from gongjian.womenshome.models import Activity, SignIn, WomensHome

from .factories import make_activity
from .test_signin import signin_url

pytestmark = pytest.mark.django_db


def page_key(html: str) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


def training_data(org, **extra):
    site = WomensHome.objects.get(organization=org("小留村妇联"))
    return {"organization": org("小留村妇联").pk, "kind": "agri_training", "title": "断网时登记的培训",
            "date": "2026-11-18", "site": site.pk, "place": "村委会", "hours": "2",
            "attendance_mode": "person", **extra}


def test_the_activity_form_carries_a_fresh_key_each_time(login):
    client = login("xiaoliu_women")
    first = page_key(client.get("/work/womenshome/activities/new/").content.decode())
    second = page_key(client.get("/work/womenshome/activities/new/").content.decode())
    assert first != second and len(first) >= 16


def test_an_activity_sent_twice_with_its_key_is_recorded_once(login, org):
    client = login("xiaoliu_women")
    key = page_key(client.get("/work/womenshome/activities/new/").content.decode())
    first = client.post("/work/womenshome/activities/new/", training_data(org, submission_key=key))
    again = client.post("/work/womenshome/activities/new/", training_data(org, submission_key=key), follow=True)
    activity = Activity.objects.get(title="断网时登记的培训")
    assert first.status_code == 302 and first["Location"] == activity.get_absolute_url()
    assert again.redirect_chain[0][0] == activity.get_absolute_url()
    assert "已经登记过，没有重复登记" in again.content.decode()
    assert AuditEvent.objects.filter(event="womenshome.activity.created", object_id=str(activity.pk)).count() == 1


def test_a_refused_activity_keeps_its_key_for_the_corrected_send(login, org):
    client = login("xiaoliu_women")
    key = page_key(client.get("/work/womenshome/activities/new/").content.decode())
    refused = client.post("/work/womenshome/activities/new/", training_data(org, title="", submission_key=key))
    assert refused.status_code == 400 and page_key(refused.content.decode()) == key
    assert not SubmissionKey.objects.filter(key=key).exists()
    corrected = client.post("/work/womenshome/activities/new/", training_data(org, submission_key=key))
    assert corrected.status_code == 302 and Activity.objects.filter(title="断网时登记的培训").count() == 1


def test_another_users_key_is_not_her_answer(login, org):
    key = idempotency.new_key()
    login("xiaoliu_women").post("/work/womenshome/activities/new/", training_data(org, submission_key=key))
    other = login("taihua_fed").post("/work/womenshome/activities/new/",
                                     training_data(org, title="街道登记的培训", submission_key=key))
    # Her own send, not an answer about someone else's record: the key is per user.
    assert other.status_code == 302 and Activity.objects.filter(title="街道登记的培训").count() == 1


def test_a_key_that_is_not_ours_is_ignored(login, org):
    client = login("xiaoliu_women")
    for bad in ("short", "x" * 65, "<script>alert(1)</script>aaaaaaaaaa"):
        client.post("/work/womenshome/activities/new/", training_data(org, title=f"坏钥匙{len(bad)}",
                                                                      submission_key=bad))
    assert Activity.objects.filter(title__startswith="坏钥匙").count() == 3
    assert not SubmissionKey.objects.exists()


@pytest.fixture
def training(acting, org):
    return make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="断网签到测试培训")


def test_a_sign_in_sent_again_by_her_phone_is_one_sign_in_and_a_calm_answer(login, training):
    url = signin_url(login("xiaoliu_women"), training)
    phone = Client()
    key = page_key(phone.get(url).content.decode())
    facts = {"name": "断网的人", "mobile": "13912340001", "gender": "F", "submission_key": key}
    first = phone.post(url, facts)
    # The phone lost its signal before the answer came: it sends the same form again, later.
    again = Client().post(url, facts)
    assert first.status_code == 200 and again.status_code == 200
    assert "签到成功" in again.content.decode()
    assert SignIn.objects.filter(activity=training, name="断网的人").count() == 1


def test_old_keys_are_purged_after_a_month(login, org):
    from django.utils import timezone

    key = idempotency.new_key()
    login("xiaoliu_women").post("/work/womenshome/activities/new/", training_data(org, submission_key=key))
    SubmissionKey.objects.filter(key=key).update(created_at=timezone.now() - timedelta(days=31))
    assert idempotency.purge() == 1 and not SubmissionKey.objects.filter(key=key).exists()


def page_token(html: str) -> str:
    return re.search(r'name="signin_page" value="([^"]+)"', html).group(1)


def test_a_sign_in_kept_offline_arrives_after_the_code_expired_and_still_counts(login, training):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        url = signin_url(login("xiaoliu_women"), training)
        page = Client().get(url).content.decode()
    facts = {"name": "晚到的表单", "mobile": "13912340002", "gender": "F", "submission_key": page_key(page)}
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        # Without the page's token the code is simply expired...
        assert Client().post(url, facts).status_code == 400
        # ...with it (she opened the page in time; her phone kept the form) it counts, once.
        late = Client().post(url, {**facts, "signin_page": page_token(page)})
        again = Client().post(url, {**facts, "signin_page": page_token(page)})
    assert late.status_code == 200 and again.status_code == 200 and "签到成功" in late.content.decode()
    assert SignIn.objects.filter(activity=training, name="晚到的表单").count() == 1


def test_a_page_token_of_another_code_or_too_old_does_not_stretch_the_code(login, training):
    import time_machine
    from django.utils import timezone

    from gongjian.womenshome import services

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = services.signin_code(training)
        token = services.signin_page_token(code)
        other = services.signin_page_token(code + "x")
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert services.signin_max_age(code, token) == services.SIGNIN_LATE_SECONDS
        assert services.signin_max_age(code, other) == services.SIGNIN_CODE_SECONDS
        assert services.signin_max_age(code, "forged") == services.SIGNIN_CODE_SECONDS
    with time_machine.travel(start + timedelta(hours=13), tick=False):
        assert services.signin_max_age(code, token) == services.SIGNIN_CODE_SECONDS
