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


def test_a_targets_campaign_todo_and_plan_reminders_clear_when_it_sends_its_plan(
        acting, django_capture_on_commit_callbacks):
    from datetime import date

    from gongjian.campaigns.services import campaign as campaigns

    from .factories import issued_campaign, plan_of

    with django_capture_on_commit_callbacks(execute=True):
        campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    plan = plan_of(campaign, "太华路街道妇联")
    assert open_todo(plan, "campaigns.campaign.issued").count() == 1
    campaigns.plans_remind(today=date(2026, 3, 18))
    assert open_todo(plan, "campaigns.plan.reminder").count() == 1
    campaigns.plan_submit(actor=acting("taihua_fed"), plan=plan, title="太华路街道创先争优活动方案")
    assert not Notification.objects.filter(subject=subject_key(plan), read_at__isnull=True).exists()
    # Another target that has not sent its plan keeps its 待办.
    assert open_todo(plan_of(campaign, "罗敷镇妇联"), "campaigns.campaign.issued").count() == 1


def test_self_assessment_todos_clear_on_submitting_and_the_scoring_todo_on_scoring(
        acting, django_capture_on_commit_callbacks):
    from datetime import date

    from gongjian.campaigns.services import assessment as assessments

    from .factories import criteria_set_made, scored, self_assessed

    made = criteria_set_made()
    taihua = made.assessments.get(organization__name="太华路街道妇联")
    made.self_due = date(2026, 3, 20)
    made.save(update_fields=["self_due"])
    assessments.self_assessments_remind(today=date(2026, 3, 19))
    assert open_todo(taihua, "campaigns.assessment.reminder").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        self_assessed(taihua, by="taihua_fed", scores=[19, 18, "18.5", 18, 17])
    assert not open_todo(taihua, "campaigns.assessment.reminder").exists()
    todo = open_todo(taihua, "campaigns.assessment.self_assessed").get()
    assert todo.organization.name == "华阴市妇联"
    scored(taihua, scores=[18, 17, 18, 17, "16.5"])
    todo.refresh_from_db()
    assert todo.read_at is not None


def test_a_followups_todos_clear_when_answered_and_the_visitors_when_confirmed(
        acting, org, django_capture_on_commit_callbacks):
    from gongjian.campaigns.services import supervision

    from . import factories

    county, street = acting("huayin_fed"), acting("taihua_fed")
    with django_capture_on_commit_callbacks(execute=True):
        followup = factories.followup(county, factories.visit(county, org("太华路街道妇联")), item="补齐学习心得台账")
    assert open_todo(followup, "campaigns.followup.added").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        answered = supervision.followup_answer(actor=street, followup=followup, answer="已补齐各村心得台账。")
    assert not open_todo(followup, "campaigns.followup.added").exists()
    assert open_todo(followup, "campaigns.followup.answered").count() == 1
    supervision.followup_confirm(actor=county, followup=answered)
    assert not Notification.objects.filter(subject=subject_key(followup), read_at__isnull=True).exists()
