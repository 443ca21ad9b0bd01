"""The public side: each organisation's activity news, only what is marked public, never personal
data; honours on notice with objections."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gongjian.womenshome import services
from gongjian.womenshome.models import Activity

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_the_portal_front_page_shows_recent_public_activities(xiaoliu):
    page = Client().get("/").content.decode()
    assert "妇女之家" in page and "活动动态" in page
    public = Activity.objects.filter(is_public=True).order_by("-date").first()
    assert public.title in page


def test_only_public_activities_appear_in_the_news(xiaoliu):
    hidden = xiaoliu["activity"]
    assert not hidden.is_public
    assert hidden.title not in Client().get("/womenshome/activities/").content.decode()
    assert Client().get(f"/womenshome/activities/{hidden.pk}/").status_code == 404


def test_a_public_activity_shows_a_number_of_people_never_who(acting, xiaoliu):
    activity = services.activity_update(actor=acting("xiaoliu_women"), activity=xiaoliu["activity"], data={
        "is_public": True})
    page = Client().get(f"/womenshome/activities/{activity.pk}/").content.decode()
    assert activity.title in page and "参加人数：1 人" in page
    person = xiaoliu["people"][0]
    assert person.name not in page
    assert not FULL_ID.search(page) and not FULL_MOBILE.search(page)


def test_a_photo_is_public_only_when_both_it_and_the_activity_are(acting, xiaoliu):
    photo = xiaoliu["photo"]
    url = f"/womenshome/photos/{photo.file.token}/"
    assert Client().get(url).status_code == 404
    services.activity_update(actor=acting("xiaoliu_women"), activity=xiaoliu["activity"], data={"is_public": True})
    assert Client().get(url).status_code == 404
    services.activity_photo_set_public(actor=acting("xiaoliu_women"), photo=photo, is_public=True)
    response = Client().get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_no_portal_page_carries_personal_data(xiaoliu):
    client = Client()
    for url in ("/", "/womenshome/activities/", "/womenshome/notices/",
                f"/womenshome/notices/{xiaoliu['notice'].pk}/", f"/womenshome/notices/{xiaoliu['notice'].pk}/object/",
                "/womenshome/objections/track/"):
        page = client.get(url).content.decode()
        assert not FULL_ID.search(page) and not FULL_MOBILE.search(page), url


def test_objections_are_rate_limited_per_address(xiaoliu, monkeypatch):
    from gongjian.kernel import public_objections

    monkeypatch.setattr(public_objections, "OBJECTION_LIMIT", 2)
    client = Client()
    url = f"/womenshome/notices/{xiaoliu['notice'].pk}/object/"
    statuses = [client.post(url, {"content": f"第{i}条异议，请核实情况。", "key": f"k{i}"}).status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_an_objection_after_the_notice_ends_is_refused(xiaoliu):
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() + timezone.timedelta(days=10)):
        page = Client().get(f"/womenshome/notices/{xiaoliu['notice'].pk}/").content.decode()
        assert "公示期已结束" in page
        response = Client().post(f"/womenshome/notices/{xiaoliu['notice'].pk}/object/",
                                 {"content": "迟到的异议内容。", "key": "late"})
    assert "公示期已结束，不再受理异议。" in response.content.decode()
