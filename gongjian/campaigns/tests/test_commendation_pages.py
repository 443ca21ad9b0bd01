"""Commendation's staff pages: a nomination drafted on a phone, sent up, reviewed, put on 公示 and
awarded through the pages; attachments; another organisation's nomination is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjian.campaigns.models import Nomination, NominationState, TitleKind
from gongjian.campaigns.services import commendation as services
from gongjian.kernel import notices

from .factories import DEEDS, nominate, women_of

pytestmark = pytest.mark.django_db
BASE = "/work/campaigns/commendations"


def pdf(name: str = "推荐表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test\n", content_type="application/pdf")


def test_a_street_drafts_a_civilized_post_on_the_form_and_sends_it_up(login, org):
    client = login("taihua_fed")
    form = client.get(f"{BASE}/new/")
    assert form.status_code == 200 and "华阴市妇联" in form.content.decode()
    response = client.post(f"{BASE}/new/", {
        "kind": TitleKind.CIVILIZED_POST, "year": timezone.localdate().year,
        "deciding_organization": org("华阴市妇联").pk, "public_name": "太华路街道计生服务站", "deeds": DEEDS})
    nomination = Nomination.objects.get(public_name="太华路街道计生服务站")
    assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
    assert nomination.organization == org("太华路街道妇联") and nomination.state == NominationState.DRAFT
    detail = client.get(nomination.get_absolute_url()).content.decode()
    assert "报送华阴市妇联审核" in detail
    assert client.post(f"{BASE}/{nomination.pk}/submit/").status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED


def test_a_form_with_bad_input_says_why_in_chinese_and_saves_nothing(login, org):
    before = Nomination.objects.count()
    response = login("taihua_fed").post(f"{BASE}/new/", {
        "kind": TitleKind.RED_BANNER, "year": timezone.localdate().year,
        "deciding_organization": org("华阴市妇联").pk, "deeds": "好"})
    text = response.content.decode()
    assert response.status_code == 400 and "请选择被推荐人" in text and "至少" in text
    assert Nomination.objects.count() == before


def test_the_deciding_choices_are_only_the_federations_above(login, org):
    response = login("xiaoliu_women").post(f"{BASE}/new/", {
        "kind": TitleKind.CIVILIZED_POST, "year": timezone.localdate().year,
        "deciding_organization": org("灵沙乡妇联").pk, "public_name": "小留村卫生室", "deeds": DEEDS})
    assert response.status_code == 400 and "请选择上级妇联" in response.content.decode()


def test_the_nominee_is_found_by_name_and_her_mobile_is_masked(login):
    woman = women_of("小留村妇联")[3]
    page = login("xiaoliu_women").get(f"{BASE}/new/", {"q": woman.name}).content.decode()
    assert f'value="{woman.pk}"' in page
    assert woman.mobile not in page and woman.mobile_masked in page


def test_the_county_reviews_opens_the_notice_answers_and_awards_through_the_pages(login, acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道妇女维权站")
    county = login("huayin_fed")
    page = county.get(nomination.get_absolute_url()).content.decode()
    assert 'id="review-form"' in page
    reviewed = county.post(f"{BASE}/{nomination.pk}/review/", {"decision": "approve"}, follow=True)
    assert [str(m) for m in reviewed.context["messages"]] == ["已审核通过，列为拟表彰对象，下一步发布公示。"]
    nomination.refresh_from_db()
    assert nomination.state == NominationState.APPROVED
    assert 'id="notice-form"' in county.get(nomination.get_absolute_url()).content.decode()
    county.post(f"{BASE}/{nomination.pk}/notice/", {"days": 5})
    nomination.refresh_from_db()
    notice = notices.notice_for(nomination)
    assert nomination.state == NominationState.ON_NOTICE and notice.days == 5
    objection, _password = notices.objection_submit(notice=notice, content="维权站去年还没有建好吧？")
    county.post(f"{BASE}/{nomination.pk}/objections/{objection.pk}/answer/",
                {"reply": "维权站于前年建成，已核实。", "upheld": "0"})
    objection.refresh_from_db()
    assert objection.reply == "维权站于前年建成，已核实。" and objection.upheld is False
    with time_machine.travel(timezone.now() + timedelta(days=6)):  # a new day, a new session
        login("huayin_fed").post(f"{BASE}/{nomination.pk}/decide/", {"decision": "award"})
    nomination.refresh_from_db()
    assert nomination.state == NominationState.AWARDED


def test_a_refused_step_shows_its_reason_and_changes_nothing(login, acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道心理咨询室")
    county = login("huayin_fed")
    response = county.post(f"{BASE}/{nomination.pk}/review/", {"decision": "return", "reason": ""}, follow=True)
    assert "请填写退回或不予推荐的理由" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED


def test_an_objection_of_another_nomination_is_a_404_on_the_answer_page(login, acting):
    first = nominate(acting("taihua_fed"), public_name="太华路街道巾帼驿站")
    county = acting("huayin_fed")
    services.nomination_review(actor=county, nomination=first, decision="approve")
    services.nomination_notice_open(actor=county, nomination=first)
    demo = Nomination.objects.get(public_name="太华路街道便民服务中心")
    objection, _password = notices.objection_submit(notice=notices.notice_for(demo), content="请核实服务数据。")
    response = login("huayin_fed").post(f"{BASE}/{first.pk}/objections/{objection.pk}/answer/",
                                        {"reply": "已核实。", "upheld": "0"})
    assert response.status_code == 404


def test_materials_are_uploaded_and_read_only_within_reach(login, acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道妇女之家")
    street = login("taihua_fed")
    street.post(f"{BASE}/{nomination.pk}/files/", {"file": pdf(), "caption": "推荐审批表"})
    row = nomination.files.get()
    assert row.caption == "推荐审批表"
    assert street.get(f"{BASE}/{nomination.pk}/files/{row.pk}/").status_code == 200
    assert login("huayin_fed").get(f"{BASE}/{nomination.pk}/files/{row.pk}/").status_code == 200
    assert login("lingsha_fed").get(f"{BASE}/{nomination.pk}/files/{row.pk}/").status_code == 404
    assert login("xiaoliu_women").get(f"{BASE}/{nomination.pk}/files/{row.pk}/").status_code == 404


def test_a_file_that_is_not_a_document_is_refused(login, acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道女子调解室")
    fake = SimpleUploadedFile("事迹.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = login("taihua_fed").post(f"{BASE}/{nomination.pk}/files/", {"file": fake}, follow=True)
    assert nomination.files.count() == 0
    assert "alert" in response.content.decode()


def test_another_countys_or_a_neighbours_nomination_is_a_404(login, acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道家长学校")
    assert login("lingsha_fed").get(nomination.get_absolute_url()).status_code == 404
    assert login("xiaoliu_women").get(nomination.get_absolute_url()).status_code == 404
    assert login("huayin_fed").get(nomination.get_absolute_url()).status_code == 200
    assert login("lingsha_fed").get(f"{BASE}/roll/", {"org": nomination.organization.pk}).status_code == 404
    assert login("taihua_fed").get(f"{BASE}/987654321/").status_code == 404


def test_the_list_filters_by_year_kind_state_and_campaign(login, acting):
    nominate(acting("taihua_fed"), public_name="太华路街道巾帼志愿服务站")
    client = login("huayin_fed")
    on_notice = client.get(f"{BASE}/", {"state": "on_notice"}).content.decode()
    assert "太华路街道便民服务中心" in on_notice and "太华路街道巾帼志愿服务站" not in on_notice
    red = client.get(f"{BASE}/", {"kind": "red_banner"}).content.decode()
    assert "三八红旗手" in red and "太华路街道便民服务中心" not in red
    campaign = Nomination.objects.get(public_name="太华路街道便民服务中心").campaign
    tagged = client.get(f"{BASE}/", {"campaign": campaign.pk}).content.decode()
    assert "太华路街道便民服务中心" in tagged and "太华路街道巾帼志愿服务站" not in tagged


def test_the_campaign_page_shows_its_commendations(login):
    campaign = Nomination.objects.get(public_name="太华路街道便民服务中心").campaign
    page = login("taihua_fed").get(campaign.get_absolute_url()).content.decode()
    assert 'id="campaign-commendations"' in page
    assert "太华路街道便民服务中心" in page and "公示中" in page and "已表彰" in page


def test_a_village_sees_only_its_own_nominations(login, acting):
    street = nominate(acting("taihua_fed"), public_name="太华路街道巾帼创业基地")
    village = login("xiaoliu_women").get(f"{BASE}/").content.decode()
    assert street.public_name not in village
    assert women_of("小留村妇联")[1].name in village  # the demo's 巾帼创业之星, its own


def test_a_returned_nomination_is_changed_on_its_page(login, acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道巾帼书屋")
    services.nomination_review(actor=acting("huayin_fed"), nomination=nomination, decision="return",
                               reason="请补充借阅数据。")
    client = login("taihua_fed")
    assert "请补充借阅数据。" in client.get(nomination.get_absolute_url()).content.decode()
    form = client.get(f"{BASE}/{nomination.pk}/edit/")
    assert form.status_code == 200 and "表彰单位" not in form.content.decode()  # the decider stays
    client.post(f"{BASE}/{nomination.pk}/edit/", {
        "kind": TitleKind.CIVILIZED_POST, "year": nomination.year, "public_name": nomination.public_name,
        "deeds": DEEDS + "全年借阅图书三千余册次。"})
    nomination.refresh_from_db()
    assert nomination.deeds.endswith("三千余册次。") and nomination.state == NominationState.RETURNED
    # Only the nominating organisation changes what it put forward; not the county that decides.
    assert login("huayin_fed").post(f"{BASE}/{nomination.pk}/edit/", {
        "kind": TitleKind.CIVILIZED_POST, "year": nomination.year, "public_name": "改名",
        "deeds": DEEDS}).status_code == 403
    nomination.refresh_from_db()
    assert nomination.public_name == "太华路街道巾帼书屋"
