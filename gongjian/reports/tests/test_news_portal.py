"""The portal's 工作信息: adopted pieces only (newest first, paged), with photos, "来源：<organisation>"
and the byline, no login; a waiting, returned or withdrawn piece — and its photos — never appear."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.kernel.tests.matrix import persona
from gongjian.reports.models import NewsSubmission
from gongjian.reports.services import news as services

from .news_factories import adopt, jpeg, send_back, submit

pytestmark = pytest.mark.django_db


def _piece(title: str, caption: str) -> NewsSubmission:
    return submit("xiaoliu_women", title=title, photos=[services.PhotoIn(jpeg(), caption)])


def test_an_adopted_piece_is_on_the_portal_with_its_source_byline_and_photos():
    piece = adopt("taihua_fed", _piece("小留村妇女之家举办插花培训", "插花培训现场"),
                  title="小留村妇女之家举办插花技艺培训")
    client = Client()
    listing = client.get("/news/").content.decode()
    assert "小留村妇女之家举办插花技艺培训" in listing and "来源：小留村妇联" in listing
    page = client.get(f"/news/{piece.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "小留村妇女之家举办插花技艺培训" in text and "插花培训现场" in text and "小留村妇联刘桂兰供稿" in text
    assert "来源：小留村妇联" in text
    assert "小留村妇女之家举办插花培训<" not in text  # the editor's title, not the submitted one
    token = piece.photos.get().file.token
    photo = client.get(f"/news/photos/{token}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff" and "sandbox" in photo["Content-Security-Policy"]
    assert "attachment" not in photo.get("Content-Disposition", "")


@pytest.mark.parametrize("fate", ["waiting", "returned", "withdrawn", "resubmitted"])
def test_a_piece_not_adopted_never_appears_nor_its_photos(fate):
    piece = _piece(f"不应公开的稿件{fate}", f"不应公开的照片{fate}")
    if fate in ("returned", "resubmitted"):
        send_back("taihua_fed", piece)
    if fate == "withdrawn":
        services.news_withdraw(actor=persona("xiaoliu_women"), submission=piece)
    if fate == "resubmitted":
        services.news_revise(actor=persona("xiaoliu_women"), submission=piece, title=piece.title, body=piece.body,
                             byline=piece.byline)
    client = Client()
    for page in range(1, 4):
        assert f"不应公开的稿件{fate}" not in client.get(f"/news/?page={page}").content.decode()
    assert f"不应公开的稿件{fate}" not in client.get("/").content.decode()
    assert client.get(f"/news/{piece.pk}/").status_code == 404
    assert client.get(f"/news/photos/{piece.photos.get().file.token}/").status_code == 404


def test_the_news_list_is_newest_first_and_paged():
    made = [adopt("taihua_fed", submit("xiaoliu_women", title=f"分页测试稿件第{n:02d}篇")) for n in range(12)]
    client = Client()
    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()
    assert first.index("分页测试稿件第11篇") < first.index("分页测试稿件第02篇")
    assert "分页测试稿件第01篇" not in first and "分页测试稿件第01篇" in second
    assert "下一页" in first and len(made) == 12
    assert client.get("/news/?page=abc").status_code == 200


def test_the_portal_front_page_shows_the_latest_adopted_pieces():
    adopt("taihua_fed", submit("xiaoliu_women", title="首页应显示的最新稿件"))
    assert "首页应显示的最新稿件" in Client().get("/").content.decode()


def test_angle_brackets_in_a_piece_are_shown_as_text():
    piece = adopt("taihua_fed", submit("xiaoliu_women", title="妇女之家\"<培训>\" & 活动",
                                       byline="<小留村>供稿", body="正文里有 <演示> 两个字，还有 & 符号，足够二十个字了。"))
    text = Client().get(f"/news/{piece.pk}/").content.decode()
    assert "&lt;培训&gt;" in text and "&lt;小留村&gt;供稿" in text and "&lt;演示&gt;" in text
    assert "<培训>" not in text and "<演示>" not in text


def test_markup_is_refused_in_the_title_and_the_byline():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        submit("xiaoliu_women", title="妇女之家<script>alert(1)</script>", byline="<b>供稿</b>")
    assert set(caught.value.message_dict) == {"title", "byline"}
