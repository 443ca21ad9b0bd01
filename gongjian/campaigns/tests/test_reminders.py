"""待办 clear themselves (issue 13): the federation's 待审核 of an honour ends when it reviews the
nomination, the nominating side's 退回修改 when it sends it again, the superior's 承诺 reminder when
it rates the pledge, and a pledge's 留言待审核 when its last held comment is moderated."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from gongjian.campaigns.models import PledgeRating
from gongjian.campaigns.services import commendation
from gongjian.campaigns.services import pledge as pledges
from gongjian.kernel.models import Notification
from gongjian.kernel.notifications import subject_key

from .factories import make_comment, make_pledge, nominate

pytestmark = pytest.mark.django_db


def open_todo(subject, code):
    return Notification.objects.filter(subject=subject_key(subject), code=code, read_at__isnull=True)


def test_the_federation_gets_a_todo_for_an_honour_and_it_clears_when_reviewed(
        acting, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(acting("taihua_fed"), public_name="太华路街道妇女儿童活动中心")
    todo = open_todo(nomination, "campaigns.nomination.submitted").get()
    assert todo.organization == org("华阴市妇联")
    with django_capture_on_commit_callbacks(execute=True):
        commendation.nomination_review(actor=acting("huayin_fed"), nomination=nomination, decision="approve")
    todo.refresh_from_db()
    assert todo.read_at is not None


def test_a_returned_nomination_todo_clears_when_it_is_sent_up_again(acting, django_capture_on_commit_callbacks):
    street = acting("taihua_fed")
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(street, public_name="太华路街道妇女儿童活动中心")
    with django_capture_on_commit_callbacks(execute=True):
        commendation.nomination_review(actor=acting("huayin_fed"), nomination=nomination, decision="return",
                                       reason="请补充事迹材料")
    assert not open_todo(nomination, "campaigns.nomination.submitted").exists()
    assert open_todo(nomination, "campaigns.nomination.returned").count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        commendation.nomination_submit(actor=street, nomination=nomination)
    assert not open_todo(nomination, "campaigns.nomination.returned").exists()
    assert open_todo(nomination, "campaigns.nomination.submitted").count() == 1


def test_rating_a_pledge_clears_the_superiors_todo(acting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pledge = make_pledge(acting("xiaoliu_women"))
    assert open_todo(pledge, "campaigns.pledge.published").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        pledges.pledge_evaluate(actor=acting("taihua_fed"), pledge=pledge, rating=PledgeRating.SATISFIED,
                                comment="走访到位，群众满意。")
    assert not open_todo(pledge, "campaigns.pledge.published").exists()


def test_the_comment_todo_clears_only_when_no_comment_waits(acting, django_capture_on_commit_callbacks):
    pledge = make_pledge(acting("xiaoliu_women"))
    with django_capture_on_commit_callbacks(execute=True):
        first = make_comment(pledge)
        second = make_comment(pledge, "希望多组织技能培训，谢谢。")
    assert open_todo(pledge, "campaigns.pledge.comment").count() == 1
    pledges.comment_moderate(actor=acting("xiaoliu_women"), comment=first, show=True)
    assert open_todo(pledge, "campaigns.pledge.comment").count() == 1  # one still waits
    pledges.comment_moderate(actor=acting("xiaoliu_women"), comment=second, show=False, reason="与承诺无关")
    assert not open_todo(pledge, "campaigns.pledge.comment").exists()
