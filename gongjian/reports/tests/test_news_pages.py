"""The staff pages of 信息报送 used as a cadre would: write a piece with a photo on the form, see it
waiting, the editor's inbox (undecided first), the decide page with her changes shown, the
returned piece with the reason, revising it."""

from __future__ import annotations

import pytest

from gongjian.reports.models import NewsState, NewsSubmission

from .news_factories import BODY, adopt, jpeg, send_back, submit

pytestmark = pytest.mark.django_db


def test_the_submit_form_is_prefilled_with_the_byline_and_the_federation_above(login):
    page = login("xiaoliu_women").get("/work/reports/news/new/").content.decode()
    assert 'value="小留村妇联刘桂兰供稿"' in page
    assert "太华路街道妇联" in page and 'accept="image/jpeg,image/png"' in page
    assert 'enctype="multipart/form-data"' in page


def test_a_piece_is_submitted_with_a_photo_through_the_form(login):
    client = login("xiaoliu_women")
    response = client.post("/work/reports/news/new/", {
        "title": "小留村妇女之家开展剪纸培训", "body": BODY, "byline": "小留村妇联刘桂兰供稿",
        "photo_1": jpeg("IMG_2041.jpg"), "caption_1": "剪纸培训现场"})
    assert response.status_code == 302, response.content.decode()[:2000]
    piece = NewsSubmission.objects.get(title="小留村妇女之家开展剪纸培训")
    assert response["Location"] == f"/work/reports/news/{piece.pk}/"
    assert piece.photos.get().caption == "剪纸培训现场" and piece.receiver.name == "太华路街道妇联"
    detail = client.get(response["Location"]).content.decode()
    assert "待采用" in detail and "剪纸培训现场" in detail and "撤回稿件" in detail


def test_a_form_with_errors_keeps_the_text_and_says_the_photos_must_be_chosen_again(login):
    before = NewsSubmission.objects.count()
    response = login("xiaoliu_women").post("/work/reports/news/new/", {
        "title": "短", "body": BODY, "byline": "小留村妇联刘桂兰供稿", "photo_1": jpeg()})
    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写标题（至少4个字）" in text and "照片没有保存，改正后请重新选择照片" in text and "参训妇女40余人" in text
    assert NewsSubmission.objects.count() == before


def test_the_inbox_lists_undecided_pieces_first(login):
    adopted = adopt("taihua_fed", submit("guojia_women", title="郭家村已采用的稿件"))
    waiting = submit("xiaoliu_women", title="小留村等待采用的稿件")
    text = login("taihua_fed").get("/work/reports/news/inbox/").content.decode()
    assert text.index(waiting.title) < text.index(adopted.published_title)
    assert "等待采用" in text


def test_the_decide_page_shows_the_editor_s_changes_before_she_adopts(login):
    piece = submit("xiaoliu_women")
    client = login("taihua_fed")
    assert client.get(f"/work/reports/news/{piece.pk}/decide/").status_code == 200
    adopted = client.post(f"/work/reports/news/{piece.pk}/decide/", {
        "title": piece.title, "body": BODY.replace("40余人", "四十余人")})
    assert adopted.status_code == 302
    piece.refresh_from_db()
    assert piece.state == NewsState.ADOPTED and "四十余人" in piece.adopted_body
    detail = client.get(f"/work/reports/news/{piece.pk}/").content.decode()
    assert "<del" in detail and "40" in detail and "<ins" in detail and "四十" in detail
    village = login("xiaoliu_women").get(f"/work/reports/news/{piece.pk}/").content.decode()
    assert "编辑修改对比" in village


def test_an_adopt_with_a_bad_body_is_refused_and_nothing_changes(login):
    piece = submit("xiaoliu_women")
    response = login("taihua_fed").post(f"/work/reports/news/{piece.pk}/decide/", {"title": piece.title, "body": "太短"})
    assert response.status_code == 400 and "正文太短" in response.content.decode()
    piece.refresh_from_db()
    assert piece.state == NewsState.SUBMITTED


def test_the_returned_piece_shows_the_reason_to_the_village_which_revises_it(login):
    from gongjian.reports.services.news import PhotoIn

    piece = send_back("taihua_fed", submit("xiaoliu_women", photos=[PhotoIn(jpeg(), "")]), "请补充参训人数。")
    photo = piece.photos.get()
    client = login("xiaoliu_women")
    assert "请补充参训人数。" in client.get("/work/reports/news/").content.decode()
    detail = client.get(f"/work/reports/news/{piece.pk}/").content.decode()
    assert "退回原因" in detail and "修改后重新报送" in detail
    form = client.get(f"/work/reports/news/{piece.pk}/revise/").content.decode()
    assert "请补充参训人数。" in form
    assert f"/work/reports/news/photos/{photo.file.token}/" in form
    response = client.post(f"/work/reports/news/{piece.pk}/revise/", {
        "title": piece.title, "body": BODY + "\n参训妇女42人。", "byline": piece.byline,
        f"kept_caption_{photo.pk}": "培训现场", "photo_1": jpeg("new.jpg"), "caption_1": "补拍的照片"})
    assert response.status_code == 302
    piece.refresh_from_db()
    assert piece.state == NewsState.SUBMITTED and "参训妇女42人" in piece.body
    assert list(piece.photos.values_list("caption", flat=True)) == ["培训现场", "补拍的照片"]


def test_a_return_without_a_reason_says_so_and_changes_nothing(login):
    piece = submit("xiaoliu_women")
    client = login("taihua_fed")
    response = client.post(f"/work/reports/news/{piece.pk}/return/", {"reason": ""}, follow=True)
    assert "请写明退回原因" in response.content.decode()
    piece.refresh_from_db()
    assert piece.state == NewsState.SUBMITTED


def test_the_reports_home_has_the_news_tile_for_staff(login):
    assert "信息报送" in login("xiaoliu_women").get("/work/reports/").content.decode()
    assert "收到的稿件" in login("taihua_fed").get("/work/reports/news/").content.decode()


@pytest.mark.parametrize(("username", "url"), [
    ("taihua_fed", "/work/reports/news/inbox/"), ("xiaoliu_women", "/work/reports/news/"), (None, "/news/")])
def test_a_list_takes_as_many_queries_for_many_pieces_as_for_a_few(login, username, url):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gongjian.reports.services.news import PhotoIn

    client = login(username) if username else Client()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    adopt("taihua_fed", submit("xiaoliu_women", title="列表查询测试第一篇", photos=[PhotoIn(jpeg(), "一")]))
    queries()  # the first request of a signed-in account also loads her snapshot (kernel.principal)
    few = queries()
    for n in range(8):
        adopt("taihua_fed", submit("xiaoliu_women", title=f"列表查询测试{n}", photos=[PhotoIn(jpeg(), f"{n}")]))
    assert queries() == few
