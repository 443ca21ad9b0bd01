"""Weak signal (ADR 0106): a form kept on the phone while offline may arrive twice; the key its page
carried makes it one activity, one sign-in — and a refused send does not use the key up."""

from __future__ import annotations

import re

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
    from datetime import timedelta

    from django.utils import timezone

    key = idempotency.new_key()
    login("xiaoliu_women").post("/work/womenshome/activities/new/", training_data(org, submission_key=key))
    SubmissionKey.objects.filter(key=key).update(created_at=timezone.now() - timedelta(days=31))
    assert idempotency.purge() == 1 and not SubmissionKey.objects.filter(key=key).exists()
