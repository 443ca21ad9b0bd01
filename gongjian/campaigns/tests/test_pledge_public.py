"""The portal's side of 承诺机制: published public pledges for anyone (no login), comments of the
public held for moderation, rate limits, the honeypot, the public API and what never shows."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from gongjian.campaigns import public_views
from gongjian.campaigns.models import Pledge, PledgeComment
from gongjian.campaigns.services import pledge as services

from .factories import make_comment, make_pledge

pytestmark = pytest.mark.django_db


def demo(title: str) -> Pledge:
    return Pledge.objects.get(organization__name="小留村妇联", title=title)


def comment(client: Client, pledge: Pledge, content: str = "希望每月都能来我们组走访。", ip: str = "203.0.113.7",
            **extra: str) -> HttpResponse:
    data = {"content": content, "nickname": "三组村民", "website": "", **extra}
    return client.post(f"/campaigns/pledges/{pledge.pk}/comment/", data, REMOTE_ADDR=ip)


def test_the_portal_lists_xiaoliu_pledges_with_progress(org):
    page = Client().get("/campaigns/pledges/", {"org": org("小留村妇联").pk})
    text = page.content.decode()
    assert page.status_code == 200
    for title in ("每月走访留守妇女和困难妇女家庭", "建好用好妇女之家，每月开展一次活动", "清正廉洁，办事公开"):
        assert title in text
    assert "最新进展" in text and "85%" in text


def test_the_portal_home_shows_the_pledges_section():
    text = Client().get("/").content.decode()
    assert 'id="pledges-section"' in text and "每月走访留守妇女和困难妇女家庭" in text


def test_a_pledge_page_shows_progress_shown_comments_and_the_rating_but_no_names():
    home = demo("建好用好妇女之家，每月开展一次活动")
    text = Client().get(f"/campaigns/pledges/{home.pk}/").content.decode()
    assert "果树修剪培训很实用" in text  # shown
    assert "改到晚上" not in text  # waiting for moderation
    assert 'id="comment-form"' in text
    cadre = demo("清正廉洁，办事公开")
    text = Client().get(f"/campaigns/pledges/{cadre.pk}/").content.decode()
    assert "妇女主任" in text and "刘桂兰" not in text
    rated = Client().get(f"/campaigns/pledges/{demo('带头学习，每季度组织一次妇女学习讨论').pk}/").content.decode()
    assert "评诺结果" in rated and "满意" in rated


def test_drafts_private_and_unknown_pledges_are_404_on_the_portal(acting):
    director = acting("xiaoliu_women")
    draft = make_pledge(director, publish=False)
    private = make_pledge(director, is_public=False, title="内部承诺事项")
    for pk in (draft.pk, private.pk, 987654321):
        assert Client().get(f"/campaigns/pledges/{pk}/").status_code == 404
        assert comment(Client(), Pledge(pk=pk)).status_code == 404
    assert "内部承诺事项" not in Client().get("/campaigns/pledges/").content.decode()
    assert Client().get("/campaigns/pledges/", {"org": "987654321"}).status_code == 404
    assert Client().get("/campaigns/pledges/", {"org": "x"}).status_code == 404


def test_a_public_comment_waits_for_moderation_then_shows(acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    response = comment(Client(), pledge)
    assert response.status_code == 201 and "审核后" in response.content.decode()
    stored = PledgeComment.objects.get(pledge=pledge)
    assert stored.state == PledgeComment.State.PENDING and stored.nickname == "三组村民"
    page = f"/campaigns/pledges/{pledge.pk}/"
    assert "希望每月都能来我们组走访" not in Client().get(page).content.decode()
    services.comment_moderate(actor=acting("xiaoliu_women"), comment=stored, show=True)
    assert "希望每月都能来我们组走访" in Client().get(page).content.decode()
    services.comment_moderate(actor=acting("xiaoliu_women"), comment=stored, show=False, reason="重复留言")
    assert "希望每月都能来我们组走访" not in Client().get(page).content.decode()


def test_hiding_a_comment_needs_a_reason_and_only_the_pledging_organisation_moderates(acting):
    from django.core.exceptions import PermissionDenied, ValidationError

    found = make_comment(make_pledge(acting("xiaoliu_women")))
    with pytest.raises(ValidationError):
        services.comment_moderate(actor=acting("xiaoliu_women"), comment=found, show=False)
    for username in ("taihua_fed", "guojia_women"):
        with pytest.raises(PermissionDenied):
            services.comment_moderate(actor=acting(username), comment=found, show=True)
    assert PledgeComment.objects.get(pk=found.pk).state == PledgeComment.State.PENDING


@pytest.mark.parametrize(("content", "nickname", "message"), [
    ("好", "", "至少5个字"),
    ("很" * 501, "", "最多500个字"),
    ("看这里 http://a.example 和 http://b.example", "", "网址"),
    ("这项承诺很实在。", "名" * 21, "称呼最多20个字"),
])
def test_a_bad_comment_is_refused_with_a_reason_and_nothing_saved(acting, content, nickname, message):
    pledge = make_pledge(acting("xiaoliu_women"))
    response = comment(Client(), pledge, content=content, nickname=nickname)
    assert response.status_code == 400 and message in response.content.decode()
    assert not PledgeComment.objects.filter(pledge=pledge).exists()


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_saved(acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    response = comment(Client(), pledge, website="http://spam.example")
    assert response.status_code == 200 and "留言已提交" in response.content.decode()
    assert not PledgeComment.objects.filter(pledge=pledge).exists()


def test_one_address_is_limited_per_hour(acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    client = Client()
    codes = [comment(client, pledge, content=f"第{n}条留言，请审核。").status_code
             for n in range(public_views.COMMENTS_PER_ADDRESS + 1)]
    assert codes[:-1] == [201] * public_views.COMMENTS_PER_ADDRESS and codes[-1] == 429
    assert PledgeComment.objects.filter(pledge=pledge).count() == public_views.COMMENTS_PER_ADDRESS
    assert comment(client, pledge, ip="198.51.100.9").status_code == 201  # another network


def test_one_pledge_is_limited_per_hour_whoever_writes(acting, monkeypatch):
    monkeypatch.setattr(public_views, "COMMENTS_PER_PLEDGE", 2)
    pledge = make_pledge(acting("xiaoliu_women"))
    codes = [comment(Client(), pledge, ip=f"198.51.100.{n}").status_code for n in range(3)]
    assert codes == [201, 201, 429]


def test_a_comment_form_is_refused_without_post_and_when_too_large(acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    assert Client().get(f"/campaigns/pledges/{pledge.pk}/comment/").status_code == 405
    response = comment(Client(), pledge, content="很" * 20000)
    assert response.status_code == 413


def test_a_progress_photo_shows_on_the_portal_only_when_marked_public(acting):
    from .test_pledge_services import png

    director = acting("xiaoliu_women")
    pledge = make_pledge(director)
    shown = services.pledge_report_progress(actor=director, pledge=pledge, day=timezone.localdate(),
                                            text="本月走访12户", photo=png(), photo_is_public=True)
    kept = services.pledge_report_progress(actor=director, pledge=pledge, day=timezone.localdate(),
                                           text="本月走访13户", photo=png(), photo_is_public=False)
    assert shown.photo and kept.photo
    assert Client().get(f"/campaigns/pledges/photos/{shown.photo.token}/").status_code == 200
    assert Client().get(f"/campaigns/pledges/photos/{kept.photo.token}/").status_code == 404


def test_the_public_api_lists_published_public_pledges_without_personal_data(acting, org):
    make_pledge(acting("xiaoliu_women"), publish=False, title="草稿承诺")
    response = Client().get("/api/v1/public/pledges", {"org": org("小留村妇联").pk})
    assert response.status_code == 200
    rows = response.json()
    titles = {row["title"] for row in rows}
    assert "每月走访留守妇女和困难妇女家庭" in titles and "草稿承诺" not in titles
    assert all("cadre_id" not in row and "created_by" not in row for row in rows)
    cadre = next(row for row in rows if row["title"] == "清正廉洁，办事公开")
    assert cadre["cadre_title"] == "妇女主任" and "刘桂兰" not in response.content.decode()
    visits = next(row for row in rows if row["title"] == "每月走访留守妇女和困难妇女家庭")
    assert [p["percent"] for p in visits["progress"]] == [85, 60, 30]
    rated = next(row for row in rows if row["rating"])
    assert rated["rating"] == "satisfied" and rated["state"] == "evaluated"


def test_the_public_api_answers_404_for_an_unknown_organisation_and_none_for_another_village(org):
    assert Client().get("/api/v1/public/pledges", {"org": 987654321}).status_code == 404
    assert Client().get("/api/v1/public/pledges", {"org": org("郭家村妇联").pk}).json() == []
