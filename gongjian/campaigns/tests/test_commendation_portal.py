"""Commendation on the portal (no account): the awarded exemplars with their deeds, filterable by
organisation; the nominations on 公示 with the kernel's objection form and tracking; nothing of a
person beyond her name and deeds; nothing that is not awarded or on notice."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.campaigns.models import Nomination, NominationState, TitleKind
from gongjian.campaigns.services import commendation as services
from gongjian.kernel import notices
from gongjian.kernel.models import Objection, PublicNotice

from .factories import nominate, women_of

pytestmark = pytest.mark.django_db


def demo_post() -> Nomination:
    return Nomination.objects.get(public_name="太华路街道便民服务中心")


def test_the_portal_lists_the_running_notice_and_the_awarded_exemplars():
    page = Client().get("/campaigns/commendations/")
    text = page.content.decode()
    assert page.status_code == 200
    running = text.split('id="running-notices"')[1].split('id="exemplars"')[0]
    assert "太华路街道便民服务中心" in running and "巾帼文明岗" in running
    exemplars = text.split('id="exemplars"')[1]
    assert "三八红旗手" in exemplars and "小留村妇联" in exemplars
    assert "太华路街道便民服务中心" not in exemplars


def test_the_portal_index_points_to_the_exemplars():
    text = Client().get("/").content.decode()
    assert 'id="campaigns-commendation-section"' in text and "/campaigns/commendations/" in text


def test_an_exemplar_shows_her_name_and_deeds_and_nothing_more():
    red = Nomination.objects.get(kind=TitleKind.RED_BANNER, state=NominationState.AWARDED,
                                 public_name=women_of("小留村妇联")[0].name)
    text = Client().get(f"/campaigns/commendations/{red.pk}/").content.decode()
    assert red.public_name in text and "花椒种植合作社" in text and "三八红旗手" in text
    person = red.person
    assert person.mobile not in text and person.id_number not in text and person.mobile_masked not in text


def test_exemplars_are_filtered_by_organisation(org):
    inside = Client().get("/campaigns/commendations/", {"org": org("太华路街道妇联").pk}).content.decode()
    assert "三八红旗手" in inside.split('id="exemplars"')[1]
    outside = Client().get("/campaigns/commendations/", {"org": org("灵沙乡妇联").pk}).content.decode()
    assert "三八红旗手" not in outside.split('id="exemplars"')[1]
    assert "太华路街道便民服务中心" not in outside
    assert Client().get("/campaigns/commendations/", {"org": "x"}).status_code == 404


def test_what_is_not_awarded_is_not_on_the_portal(acting):
    submitted = nominate(acting("taihua_fed"), public_name="太华路街道未审推荐")
    assert Client().get(f"/campaigns/commendations/{submitted.pk}/").status_code == 404
    assert Client().get(f"/campaigns/commendations/{demo_post().pk}/").status_code == 404  # on notice only
    assert "太华路街道未审推荐" not in Client().get("/campaigns/commendations/").content.decode()


def test_a_notice_of_another_kind_of_record_is_a_404_here():
    other = PublicNotice.objects.exclude(pk=notices.notice_for(demo_post()).pk).filter(
        content_type__model="honour").first()
    assert other is not None
    assert Client().get(f"/campaigns/commendations/notices/{other.pk}/").status_code == 404
    assert Client().get(f"/campaigns/commendations/notices/{other.pk}/object/").status_code == 404


def test_an_anonymous_visitor_objects_and_follows_the_answer_with_her_code(acting):
    notice = notices.notice_for(demo_post())
    public = Client()
    detail = public.get(f"/campaigns/commendations/notices/{notice.pk}/").content.decode()
    assert "我有异议" in detail and "一窗受理" in detail
    form = public.get(f"/campaigns/commendations/notices/{notice.pk}/object/").content.decode()
    key = form.split('name="key" value="')[1].split('"')[0]
    done = public.post(f"/campaigns/commendations/notices/{notice.pk}/object/",
                       {"content": "中心窗口中午经常没人，请核实。", "contact": "", "key": key})
    text = done.content.decode()
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    code = text.split('id="tracking-code">')[1].split("<")[0]
    password = text.split('id="query-password">')[1].split("<")[0]
    # The same form posted twice makes no second objection.
    again = public.post(f"/campaigns/commendations/notices/{notice.pk}/object/",
                        {"content": "中心窗口中午经常没人，请核实。", "contact": "", "key": key})
    assert again.status_code == 400 and Objection.objects.filter(notice=notice).count() == 1
    objection = Objection.objects.get(tracking_code=code)
    services.nomination_answer_objection(actor=acting("huayin_fed"), nomination=demo_post(), objection=objection,
                                         reply="已核实，中午实行轮班值守。", upheld=False)
    tracked = public.post("/campaigns/commendations/objections/track/", {"code": code, "password": password})
    assert "已核实，中午实行轮班值守。" in tracked.content.decode()
    wrong = public.post("/campaigns/commendations/objections/track/", {"code": code, "password": "000000"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()


def test_an_empty_objection_is_refused_in_chinese():
    notice = notices.notice_for(demo_post())
    response = Client().post(f"/campaigns/commendations/notices/{notice.pk}/object/", {"content": "", "key": "k1"})
    assert response.status_code == 400 and "请写明异议的事实和理由" in response.content.decode()


def test_a_closed_notice_takes_no_objection():
    awarded = Nomination.objects.filter(kind=TitleKind.RED_BANNER, state=NominationState.AWARDED).first()
    notice = notices.notice_for(awarded)
    before = Objection.objects.count()
    page = Client().get(f"/campaigns/commendations/notices/{notice.pk}/").content.decode()
    assert "我有异议" not in page and "公示期已结束" in page
    response = Client().post(f"/campaigns/commendations/notices/{notice.pk}/object/",
                             {"content": "迟到的异议内容。", "key": "late"})
    assert "不再受理异议" in response.content.decode() and Objection.objects.count() == before


def test_a_person_on_notice_shows_no_personal_data(acting):
    woman = women_of("小留村妇联")[3]
    nomination = nominate(acting("taihua_fed"), kind=TitleKind.DOUBLE_LEARNING, public_name="", person=woman)
    county = acting("huayin_fed")
    services.nomination_review(actor=county, nomination=nomination, decision="approve")
    notice = services.nomination_notice_open(actor=county, nomination=nomination)
    for url in ("/campaigns/commendations/", f"/campaigns/commendations/notices/{notice.pk}/",
                f"/campaigns/commendations/notices/{notice.pk}/object/"):
        text = Client().get(url).content.decode()
        assert woman.name in text
        assert woman.mobile not in text and woman.id_number not in text and woman.mobile_masked not in text
