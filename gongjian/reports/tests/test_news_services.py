"""信息报送's life cycle: submit with photos, adopt (edited: both texts kept), return with a reason,
revise and resubmit, withdraw; every write audited; bad input changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from gongjian.kernel import attachments
from gongjian.kernel.models import AuditEvent, Organization, StoredFile
from gongjian.kernel.tests.matrix import persona
from gongjian.reports.models import NewsEvent, NewsPhoto, NewsState, NewsSubmission
from gongjian.reports.services import news as services

from .news_factories import BODY, adopt, jpeg, send_back, submit

pytestmark = pytest.mark.django_db


def _events(piece: NewsSubmission) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="reports.newssubmission", object_id=str(piece.pk))
                .order_by("chain_index").values_list("event", flat=True))


def test_a_village_piece_goes_to_its_township_federation_by_default(org):
    piece = submit("xiaoliu_women")
    assert piece.organization == org("小留村妇联")
    assert piece.receiver == org("太华路街道妇联")
    assert piece.state == NewsState.SUBMITTED
    assert piece.byline == "小留村妇联刘桂兰供稿"
    assert _events(piece) == ["reports.news.submitted"]


def test_the_submitter_may_choose_the_county_above_but_not_a_sibling_or_another_county(org):
    piece = submit("xiaoliu_women", receiver=org("华阴市妇联").pk)
    assert piece.receiver == org("华阴市妇联")
    for elsewhere in ("郭家村妇联", "罗敷镇妇联", "平罗县妇联", "小留村妇联"):
        with pytest.raises(ValidationError) as caught:
            submit("xiaoliu_women", title="不该报送到这里", receiver=org(elsewhere).pk)
        assert "只能报送给本组织的上级妇联或党委" in str(caught.value)
    assert not NewsSubmission.objects.filter(title="不该报送到这里").exists()


def test_a_party_branch_sends_to_the_party_committee_above(org):
    piece = submit("xiaoliu_branch")
    assert piece.receiver == org("中共太华路街道委员会")


def test_a_county_federation_has_nobody_to_send_to():
    with pytest.raises(ValidationError) as caught:
        submit("huayin_fed")
    assert "没有可以报送的上级组织" in str(caught.value)


@pytest.mark.parametrize(("title", "body", "byline", "field", "message"), [
    ("", BODY, "供稿", "title", "请填写标题"),
    ("标题" * 60, BODY, "供稿", "title", "标题太长"),
    ("村里的培训", "太短了", "供稿", "body", "正文太短"),
    ("村里的培训", "<p>妇女之家举办实用技术培训，参训妇女四十余人。</p>", "供稿", "body", "不要粘贴网页代码"),
    ("村里的培训", BODY, "   ", "byline", "请填写供稿人"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(title, body, byline, field, message):
    before = (NewsSubmission.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.news_submit(actor=persona("xiaoliu_women"), title=title, body=body, byline=byline)
    assert message in " ".join(caught.value.message_dict[field])
    assert (NewsSubmission.objects.count(), AuditEvent.objects.count()) == before


def test_the_body_is_kept_as_plain_paragraphs():
    piece = submit("xiaoliu_women", body="  第一段，妇女之家组织活动。\r\n\r\n\u3000\u3000第二段，参训妇女四十余人。  \n")
    assert piece.body == "第一段，妇女之家组织活动。\n第二段，参训妇女四十余人。"
    assert piece.paragraphs() == ["第一段，妇女之家组织活动。", "第二段，参训妇女四十余人。"]


def test_photos_are_kept_with_captions_upright_and_without_their_location():
    photo = services.PhotoIn(jpeg("IMG_0001.JPG", size=(800, 600), exif=True), "培训现场")
    piece = submit("xiaoliu_women", photos=[photo, services.PhotoIn(jpeg("b.jpg"), "")])
    kept = list(piece.photos.select_related("file"))
    assert [p.caption for p in kept] == ["培训现场", ""]
    with Image.open(io.BytesIO(attachments.read_bytes(kept[0].file))) as image:
        assert image.size == (600, 800)  # turned upright as the phone meant it
        assert not image.getexif()  # no maker, no GPS
    assert kept[0].file.organization.name == "小留村妇联"


def test_a_file_that_is_no_image_is_refused_and_leaves_no_file_behind(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # A storage folder of this test's own: the suite's other process stores files meanwhile.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    assert Path(default_storage.location) == tmp_path

    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    files, pieces = StoredFile.objects.count(), NewsSubmission.objects.count()
    on_disk = sum(1 for f in Path(default_storage.location).rglob("*") if f.is_file())
    with pytest.raises(ValidationError) as caught:
        submit("xiaoliu_women", photos=[services.PhotoIn(jpeg("good.jpg"), "好的"), services.PhotoIn(fake, "")])
    assert "第2张照片" in str(caught.value) and "不支持的文件类型" in str(caught.value)
    assert (StoredFile.objects.count(), NewsSubmission.objects.count()) == (files, pieces)
    assert sum(1 for f in Path(default_storage.location).rglob("*") if f.is_file()) == on_disk


def test_too_many_photos_are_refused():
    photos = [services.PhotoIn(jpeg(f"p{n}.jpg"), "") for n in range(services.MAX_PHOTOS + 1)]
    with pytest.raises(ValidationError) as caught:
        submit("xiaoliu_women", photos=photos)
    assert "最多9张照片" in str(caught.value)


def test_the_editor_adopts_with_an_edit_and_both_texts_are_kept(account):
    piece = submit("xiaoliu_women")
    adopted = adopt("taihua_fed", piece, title="小留村妇女之家举办实用技术培训", body=BODY.replace("40余人", "四十余人"))
    adopted.refresh_from_db()
    assert adopted.state == NewsState.ADOPTED
    assert adopted.title == "村妇女之家举办实用技术培训" and "40余人" in adopted.body
    assert adopted.adopted_title == "小留村妇女之家举办实用技术培训" and "四十余人" in adopted.adopted_body
    assert adopted.edited and adopted.adopted_by == account("taihua_fed") and adopted.adopted_at is not None
    assert _events(adopted) == ["reports.news.submitted", "reports.news.adopted"]
    audit_row = AuditEvent.objects.filter(event="reports.news.adopted", object_id=str(piece.pk)).get()
    assert audit_row.changes["edited"] is True and "title" in audit_row.changes


def test_adopting_without_changes_keeps_the_submitted_text():
    piece = adopt("taihua_fed", submit("xiaoliu_women"))
    assert piece.adopted_title == piece.title and piece.adopted_body == piece.body and not piece.edited


def test_a_returned_piece_shows_the_reason_and_can_be_revised_and_resubmitted():
    piece = send_back("taihua_fed", submit("xiaoliu_women"), "请补充参训人数和时间。")
    assert piece.state == NewsState.RETURNED and piece.return_reason == "请补充参训人数和时间。"
    revised = services.news_revise(actor=persona("xiaoliu_women"), submission=piece, title=piece.title,
                                   body=BODY + "\n培训时间为3月8日，参训42人。", byline=piece.byline,
                                   photos=[services.PhotoIn(jpeg(), "补充的照片")])
    assert revised.state == NewsState.SUBMITTED and "参训42人" in revised.body
    assert revised.photos.count() == 1
    actions = list(revised.events.values_list("action", "reason"))
    assert actions == [("submitted", ""), ("returned", "请补充参训人数和时间。"), ("resubmitted", "")]
    assert _events(revised)[-1] == "reports.news.resubmitted"
    adopt("taihua_fed", revised)


def test_a_return_needs_a_reason():
    piece = submit("xiaoliu_women")
    with pytest.raises(ValidationError) as caught:
        send_back("taihua_fed", piece, " ")
    assert "请写明退回原因" in str(caught.value)
    piece.refresh_from_db()
    assert piece.state == NewsState.SUBMITTED


def test_a_decided_piece_cannot_be_decided_again_or_withdrawn():
    piece = adopt("taihua_fed", submit("xiaoliu_women"))
    with pytest.raises(ValidationError):
        send_back("taihua_fed", piece)
    with pytest.raises(ValidationError):
        adopt("taihua_fed", piece)
    with pytest.raises(ValidationError) as caught:
        services.news_withdraw(actor=persona("xiaoliu_women"), submission=piece)
    assert "不能再撤回" in str(caught.value)


def test_the_submitter_withdraws_a_piece_not_yet_decided():
    piece = services.news_withdraw(actor=persona("xiaoliu_women"), submission=submit("xiaoliu_women"))
    assert piece.state == NewsState.WITHDRAWN
    assert _events(piece) == ["reports.news.submitted", "reports.news.withdrawn"]
    with pytest.raises(ValidationError):
        adopt("taihua_fed", piece)


def test_only_the_receiving_organisation_decides_and_only_the_submitter_withdraws():
    piece = submit("xiaoliu_women")
    for username in ("xiaoliu_women", "guojia_women", "huayin_fed", "lingsha_fed", "taihua_party"):
        with pytest.raises(PermissionDenied):
            adopt(username, piece)
    for username in ("taihua_fed", "guojia_women", "huayin_fed"):
        with pytest.raises(PermissionDenied):
            services.news_withdraw(actor=persona(username), submission=piece)
    piece.refresh_from_db()
    assert piece.state == NewsState.SUBMITTED and not NewsEvent.objects.filter(
        submission=piece, action__in=["adopted", "withdrawn"]).exists()


def test_a_revision_removes_and_recaptions_only_that_piece_s_photos():
    piece = submit("xiaoliu_women", photos=[services.PhotoIn(jpeg("a.jpg"), "一"), services.PhotoIn(jpeg("b.jpg"), "二")])
    other = submit("guojia_women", photos=[services.PhotoIn(jpeg("c.jpg"), "别人的")])
    send_back("taihua_fed", piece)
    first = piece.photos.get(caption="一")
    second = piece.photos.get(caption="二")
    theirs = other.photos.get()
    services.news_revise(actor=persona("xiaoliu_women"), submission=piece, title=piece.title, body=piece.body,
                         byline=piece.byline, remove_photos=[first.pk, theirs.pk],
                         captions={second.pk: "第二张的说明", theirs.pk: "改别人的说明"})
    assert list(piece.photos.values_list("caption", flat=True)) == ["第二张的说明"]
    assert list(NewsPhoto.objects.filter(submission=other).values_list("caption", flat=True)) == ["别人的"]


def test_the_demo_has_an_adopted_a_returned_and_a_waiting_piece():
    states = dict(NewsSubmission.objects.filter(title__in=[
        "太华路街道妇联党群共建做好“妇女之家”创建", "小留村妇女之家举办果树修剪技术培训",
        "郭家村开展“五好文明家庭”评选活动"]).values_list("title", "state"))
    assert sorted(states.values()) == ["adopted", "returned", "submitted"]
    street = NewsSubmission.objects.get(title="太华路街道妇联党群共建做好“妇女之家”创建")
    assert street.byline == "太华办姚慧敏供稿" and street.receiver == Organization.objects.get(name="华阴市妇联")
    assert street.photos.count() == 2 and street.edited


def test_the_demo_loads_twice_without_adding_pieces():
    from gongjian.reports.demo import load_news

    before = NewsSubmission.objects.count()
    load_news(None)
    assert NewsSubmission.objects.count() == before
