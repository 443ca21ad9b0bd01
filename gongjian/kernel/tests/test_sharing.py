"""Sharing public pages into a WeChat group: Open Graph tags (title, description, picture) and a
short link /s/<code>/ that leads to the public page — made only for public pages, random, stable."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gongjian.kernel import notices, shortlinks
from gongjian.kernel.models import ShortLink
from gongjian.womenshome import services as womenshome
from gongjian.womenshome.models import HonourKind
from gongjian.womenshome.tests.factories import make_activity, png, residents

pytestmark = pytest.mark.django_db


def og(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="og:{prop}" content="([^"]*)"', html)
    assert found, f"og:{prop} missing"
    return found.group(1)


def short_url(html: str) -> str:
    return re.search(r'id="share-url" href="http://testserver(/s/[^"]+)"', html).group(1)


@pytest.fixture
def public_activity(acting, org):
    director = acting("xiaoliu_women")
    activity = make_activity(director, org("小留村妇联"), title="秧歌汇演进村", is_public=True,
                             summary="全村妇女<b>一起</b>排练秧歌，迎接新年。")
    womenshome.activity_add_photos(actor=director, activity=activity, uploads=[png()], caption="合影",
                                   is_public=True)
    return activity


def test_a_public_activity_shows_its_title_text_and_photo_when_shared(public_activity):
    html = Client().get(f"/womenshome/activities/{public_activity.pk}/").content.decode()
    assert og(html, "title") == "秧歌汇演进村"
    assert og(html, "description") == "全村妇女一起排练秧歌，迎接新年。"
    photo = public_activity.photos.get()
    assert og(html, "image") == f"http://testserver/womenshome/photos/{photo.file.token}/?v=thumb"
    assert Client().get(og(html, "image").removeprefix("http://testserver")).status_code == 200


def test_the_short_link_leads_to_the_public_page_and_stays_the_same(public_activity):
    page = f"/womenshome/activities/{public_activity.pk}/"
    first = short_url(Client().get(page).content.decode())
    assert short_url(Client().get(page).content.decode()) == first
    answer = Client().get(first)
    assert answer.status_code == 302 and answer["Location"] == page
    assert re.fullmatch(r"/s/[23456789a-hjkmnp-z]{8}/", first)


def test_a_page_without_a_photo_shares_the_platform_picture(acting, org):
    honour = womenshome.honour_nominate(actor=acting("xiaoliu_women"), data={
        "organization": org("小留村妇联"), "kind": HonourKind.LEARNING_FAMILY, "year": 2026,
        "person": residents("小留村妇联")[1], "public_name": "",
        "deeds": "全家爱读书，带动邻里办起农家书屋，经常组织读书会。"})
    womenshome.honour_review(actor=acting("taihua_fed"), honour=honour, approve=True)
    notice = notices.notice_for(honour)
    html = Client().get(f"/womenshome/notices/{notice.pk}/").content.decode()
    assert og(html, "title") == notice.title and og(html, "description")
    assert og(html, "image") == "http://testserver/static/gongjian/share.png"
    assert Client().get(short_url(html)).status_code == 302


def test_a_private_activity_gets_no_short_link(acting, org):
    private = make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="不公开的会议", is_public=False)
    assert Client().get(f"/womenshome/activities/{private.pk}/").status_code == 404
    assert not ShortLink.objects.filter(path__contains=f"/{private.pk}/").exists()


def test_a_code_nobody_was_given_is_a_404():
    assert Client().get("/s/abcdefgh/").status_code == 404


def test_a_short_link_of_a_page_that_is_no_longer_public_ends_at_its_404(public_activity):
    code = shortlinks.shortlink_for(path=f"/womenshome/activities/{public_activity.pk}/").code
    public_activity.is_public = False
    public_activity.save(update_fields=["is_public"])
    assert Client().get(f"/s/{code}/", follow=True).status_code == 404


def test_a_public_disclosure_item_is_shared_with_its_title_and_text(acting):
    from gongjian.disclosure.tests.factories import published

    item, version = published(acting)
    html = Client().get(f"/disclosure/item/{item.pk}/").content.decode()
    assert og(html, "title") == version.title
    assert og(html, "description").startswith("本季度应缴党费党员32名")
    assert Client().get(short_url(html))["Location"] == f"/disclosure/item/{item.pk}/"


def test_a_party_internal_item_gets_no_share_tags_and_no_short_link(acting, login):
    from gongjian.disclosure.tests.factories import published

    item, _version = published(acting, title="党内事项", scope="party", category="self_building",
                               timing="temporary", period="")
    html = login("xiaoliu_branch").get(f"/disclosure/item/{item.pk}/").content.decode()
    assert "党内事项" in html and 'property="og:' not in html and "share-url" not in html
    assert not ShortLink.objects.exists()
