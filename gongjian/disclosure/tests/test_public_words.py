"""The words on the disclosure pages, as a party member, a resident and a branch secretary read
them: when a 先党内后党外 item opens to everyone, what verification means, how to subscribe on a
phone, and a review comment that is not a warning unless the item was sent back."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongjian.disclosure import services
from gongjian.kernel import attachments

from .factories import approved, draft, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_party_member_is_told_the_day_a_party_first_item_becomes_public(acting, login):
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        item, _ = published(acting, title="村两委换届人选（先党内后党外）", scope="party_first",
                            public_from="2026-11-25", category="cadres", timing="stage", period="")
        member = login("xiaoliu_branch")
        page = member.get(f"/disclosure/item/{item.pk}/").content.decode()
        assert "党内公开：仅本组织范围内的党员可见。" in page
        assert "2026年11月25日起向社会公开。" in page
        board = member.get(f"/disclosure/org/{item.organization_id}/").content.decode()
        assert "11月25日起向社会公开" in board


def test_a_party_only_item_says_it_never_becomes_public(acting, login):
    item, _ = published(acting, title="支部内部事项", scope="party", category="self_building",
                        timing="temporary", period="")
    page = login("xiaoliu_branch").get(f"/disclosure/item/{item.pk}/").content.decode()
    assert "本事项不向社会公开。" in page and "起向社会公开。" not in page


def test_the_item_page_explains_verification_in_plain_words_before_any_digest(acting):
    item = approved(acting)
    item.attachments.add(attachments.store_upload(SimpleUploadedFile("收缴表.pdf", b"%PDF-1.4 fee"),
                                                  actor=None, organization=item.organization))
    version = services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    page = Client().get(f"/disclosure/item/{item.pk}/").content.decode()
    plain = page.index("核验这条公开内容是否被改动过")
    digest = page.index(version.files.first().sha256)
    assert plain < digest
    # The digest sits in a closed <details> for the specialist, not in the resident's way.
    assert re.search(r"<details[^>]*>\s*<summary>附件的数字指纹", page[plain:])
    assert "SHA-256 " + version.files.first().sha256[:8] not in page
    proof = Client().get(f"/disclosure/proof/{version.pk}/").content.decode()
    assert proof.index("这一页核验这条公开内容是否被改动过") < proof.index("<details")


def test_subscribe_on_the_board_opens_a_page_with_the_feed_address_to_copy(acting):
    item, _ = published(acting)
    board = Client().get(f"/disclosure/org/{item.organization_id}/").content.decode()
    link = re.search(r'href="([^"]+)">订阅<', board).group(1)
    assert link == f"/disclosure/org/{item.organization_id}/subscribe/"
    response = Client().get(link)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    feed = f"http://testserver/disclosure/org/{item.organization_id}/feed.atom"
    assert f'data-copy="{feed}"' in page and f'value="{feed}"' in page
    assert "复制订阅地址" in page
    assert Client().get(f"/disclosure/org/{item.organization_id}/feed.atom")["Content-Type"].startswith(
        "application/atom+xml")


def test_a_subscribe_page_of_an_unknown_board_is_a_404():
    assert Client().get("/disclosure/org/987654321/subscribe/").status_code == 404


def test_a_review_comment_is_a_warning_only_when_the_item_was_sent_back(acting, login):
    item = draft(acting)
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    services.disclosure_approve(actor=acting("taihua_party"), disclosure=item, comment="材料齐全，同意公开。")
    page = login("xiaoliu_branch").get(f"/work/disclosure/{item.pk}/").content.decode()
    comment = re.search(r'<div class="alert ([^"]+)"[^>]*data-review-comment>(.*?)</div>', page, re.S)
    assert "alert-warning" not in comment.group(1) and "审核意见" in comment.group(2)

    other = draft(acting, title="第四季度党费收缴情况")
    services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=other)
    services.disclosure_return(actor=acting("taihua_party"), disclosure=other, comment="金额与台账不一致。")
    page = login("xiaoliu_branch").get(f"/work/disclosure/{other.pk}/").content.decode()
    comment = re.search(r'<div class="alert ([^"]+)"[^>]*data-review-comment>(.*?)</div>', page, re.S)
    assert "alert-warning" in comment.group(1) and "退回原因" in comment.group(2)
