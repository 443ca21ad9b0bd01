"""The staff pages of 承诺机制 end to end with the test client: write and publish on a phone,
report progress with a photo, rate from the township, moderate the public's comments, and the
pledges part of a campaign's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongjian.campaigns.models import Campaign, Pledge, PledgeComment, PledgeState

from .factories import make_comment, make_pledge
from .test_pledge_services import png

pytestmark = pytest.mark.django_db

FORM = {"category": "women", "title": "每月为留守老人理发一次", "content": "组织巾帼志愿者每月为全村留守老人理发一次。",
        "measures": "志愿者轮流", "due_on": "2026-12-31", "is_public": "on"}


def test_a_director_writes_a_draft_changes_it_and_publishes(login):
    client = login("xiaoliu_women")
    assert client.get("/work/campaigns/pledges/new/").status_code == 200
    response = client.post("/work/campaigns/pledges/new/", {**FORM, "publish": "0"})
    pledge = Pledge.objects.get(title=FORM["title"])
    assert response.status_code == 302 and pledge.state == PledgeState.DRAFT
    client.post(f"/work/campaigns/pledges/{pledge.pk}/edit/", {**FORM, "title": "每月为留守老人理发两次"})
    pledge.refresh_from_db()
    assert pledge.title == "每月为留守老人理发两次"
    client.post(f"/work/campaigns/pledges/{pledge.pk}/publish/")
    pledge.refresh_from_db()
    assert pledge.state == PledgeState.PUBLISHED
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "填报践诺进展" in page and f"/campaigns/pledges/{pledge.pk}/" in page
    assert client.get(f"/work/campaigns/pledges/{pledge.pk}/edit/").status_code == 200
    refused = client.post(f"/work/campaigns/pledges/{pledge.pk}/edit/", {**FORM, "title": "改"})
    assert refused.status_code == 400 and "不能再修改" in refused.content.decode()


def test_a_bad_form_says_why_and_saves_nothing(login):
    before = Pledge.objects.count()
    response = login("xiaoliu_women").post("/work/campaigns/pledges/new/", {**FORM, "content": "太短", "due_on": "",
                                                                            "publish": "1"})
    text = response.content.decode()
    assert response.status_code == 400 and "至少10个字" in text and "请填写承诺完成时限" in text
    assert Pledge.objects.count() == before


def test_progress_with_a_photo_from_the_phone_page(login, acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    client = login("xiaoliu_women")
    response = client.post(f"/work/campaigns/pledges/{pledge.pk}/progress/", {
        "date": timezone.localdate().isoformat(), "text": "为12位老人理了发", "percent": "50", "photo": png(),
        "photo_is_public": "on"})
    assert response.status_code == 302
    update = pledge.updates.get()
    assert update.percent == 50 and update.photo_is_public
    assert client.get(f"/work/campaigns/pledges/updates/{update.pk}/photo/").status_code == 200
    assert login("guojia_women").get(f"/work/campaigns/pledges/updates/{update.pk}/photo/").status_code == 404
    bad = client.post(f"/work/campaigns/pledges/{pledge.pk}/progress/", {"date": "", "text": "好", "percent": "200"})
    assert bad.status_code == 400 and pledge.updates.count() == 1


def test_the_township_rates_from_its_page(login, acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    client = login("taihua_fed")
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert f"/work/campaigns/pledges/{pledge.pk}/evaluate/" in page and "/progress/" not in page
    missing = client.post(f"/work/campaigns/pledges/{pledge.pk}/evaluate/", {"rating": "satisfied"})
    assert missing.status_code == 400 and "请填写评诺意见" in missing.content.decode()
    client.post(f"/work/campaigns/pledges/{pledge.pk}/evaluate/", {"rating": "fairly", "comment": "基本做到，需坚持。"})
    pledge.refresh_from_db()
    assert pledge.state == PledgeState.EVALUATED and pledge.rating == "fairly"
    assert "基本满意" in client.get(pledge.get_absolute_url()).content.decode()


def test_the_moderation_queue_shows_and_hides_the_public_comments(login, acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    first = make_comment(pledge, "请把走访名单也公开一下。")
    second = make_comment(pledge, "广告广告广告广告")
    client = login("xiaoliu_women")
    queue = client.get("/work/campaigns/pledges/comments/").content.decode()
    assert "请把走访名单也公开一下" in queue and "广告广告" in queue
    client.post(f"/work/campaigns/pledges/comments/{first.pk}/moderate/", {"decision": "show", "next": "queue"})
    refused = client.post(f"/work/campaigns/pledges/comments/{second.pk}/moderate/", {"decision": "hide"},
                          follow=True)
    assert "请填写不显示的原因" in refused.content.decode()
    client.post(f"/work/campaigns/pledges/comments/{second.pk}/moderate/", {"decision": "hide", "reason": "广告"})
    states = dict(PledgeComment.objects.filter(pledge=pledge).values_list("pk", "state"))
    assert states == {first.pk: "shown", second.pk: "hidden"}
    assert "请把走访名单" not in client.get("/work/campaigns/pledges/comments/").content.decode()
    # The township reads the comments on the pledge page but does not moderate them.
    page = login("taihua_fed").get(pledge.get_absolute_url()).content.decode()
    assert "请把走访名单也公开一下" in page and "/moderate/" not in page


def test_a_campaign_page_counts_its_pledges(login):
    campaign = Campaign.objects.get(title__startswith="强组织创先进")
    page = login("taihua_fed").get(campaign.get_absolute_url()).content.decode()
    assert 'id="campaign-pledges"' in page
    assert "作出承诺 4 项" in page and "已评诺 1 项，践诺 1 项" in page
    # Another village reaches none of 小留村's pledges, so it counts none.
    other = login("guojia_women").get(campaign.get_absolute_url()).content.decode()
    assert "作出承诺 0 项" in other


def test_the_list_filters_by_state_and_campaign(login):
    campaign = Campaign.objects.get(title__startswith="强组织创先进")
    client = login("xiaoliu_women")
    rated = client.get("/work/campaigns/pledges/", {"state": "evaluated"}).content.decode()
    assert "带头学习，每季度组织一次妇女学习讨论" in rated and "每月走访留守妇女和困难妇女家庭" not in rated
    listed = client.get("/work/campaigns/pledges/", {"campaign": campaign.pk}).content.decode()
    assert "每月走访留守妇女和困难妇女家庭" in listed
    assert client.get("/work/campaigns/pledges/", {"campaign": 987654321}).status_code == 404


def test_unknown_pledges_and_comments_are_404(login):
    client = login("xiaoliu_women")
    for url in ("/work/campaigns/pledges/987654321/", "/work/campaigns/pledges/987654321/progress/",
                "/work/campaigns/pledges/updates/987654321/photo/"):
        assert client.get(url).status_code == 404
    assert client.post("/work/campaigns/pledges/comments/987654321/moderate/", {"decision": "show"}).status_code == 404


def test_the_party_co_issuer_sees_the_campaign_without_the_pledges_part(login):
    campaign = Campaign.objects.get(title__startswith="强组织创先进")
    response = login("taihua_party").get(campaign.get_absolute_url())
    assert response.status_code == 200 and campaign.title in response.content.decode()
    assert 'id="campaign-pledges"' not in response.content.decode()


def test_a_pledge_past_its_due_date_is_marked_for_rating(login, acting):
    past = timezone.localdate().replace(day=1) - timedelta(days=1)
    late = make_pledge(acting("xiaoliu_women"), title="上月底前完成的承诺", due_on=past)
    on_time = make_pledge(acting("xiaoliu_women"), title="年底完成的承诺", due_on=timezone.localdate())
    assert late.overdue and not on_time.overdue
    page = login("taihua_fed").get(late.get_absolute_url()).content.decode()
    assert "已过完成时限，待评诺" in page
    assert "已过完成时限" not in login("taihua_fed").get(on_time.get_absolute_url()).content.decode()
