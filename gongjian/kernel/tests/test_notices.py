"""公示 with objections, the kernel mechanism: any record on notice for a period, objections from
the public followed with a tracking code, answers, and the outcome once the period is over."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.kernel import notices
from gongjian.kernel.models import AuditEvent, Notification, Objection, Organization, PublicNotice
from gongjian.kernel.permissions import lead_in_scope, register

pytestmark = pytest.mark.django_db

TODAY = "2026-11-26 10:00 +0800"  # a Thursday


@pytest.fixture(autouse=True)
def organisations_may_go_on_notice():
    # A stand-in record type: an organisation put on notice, handled by leads above or at it.
    register({"kernel_test.manage_notice": lead_in_scope})
    notices.register_kind(Organization, manage_permission="kernel_test.manage_notice")


@pytest.fixture
def on_notice(acting, org):
    with time_machine.travel(TODAY, tick=False):
        return notices.notice_open(actor=acting("taihua_fed"), target=org("小留村妇联"),
                                   organization=org("太华路街道妇联"), title="先进基层妇联组织推荐公示",
                                   body="拟推荐小留村妇联为先进基层妇联组织。")


def test_a_seven_day_notice_runs_seven_days_including_the_first():
    assert notices.period_for(date(2026, 11, 26), 7) == date(2026, 12, 2)


def test_a_notice_in_working_days_skips_the_weekend():
    # Thu 26, Fri 27, Mon 30, Tue 1, Wed 2.
    assert notices.period_for(date(2026, 11, 26), 5, working=True) == date(2026, 12, 2)
    # Starting on a Saturday, the five working days are Mon–Fri.
    assert notices.period_for(date(2026, 11, 28), 5, working=True) == date(2026, 12, 4)


def test_opening_a_notice_is_audited_and_sets_the_period(on_notice):
    assert on_notice.state == PublicNotice.State.OPEN
    assert (on_notice.starts_on, on_notice.ends_on) == (date(2026, 11, 26), date(2026, 12, 2))
    assert AuditEvent.objects.filter(event="kernel.notice.opened", object_id=str(on_notice.pk)).exists()


def test_someone_outside_the_subtree_cannot_put_a_record_on_notice(acting, org):
    with pytest.raises(PermissionDenied):
        notices.notice_open(actor=acting("guojia_women"), target=org("小留村妇联"),
                            organization=org("郭家村妇联"), title="x", body="y")


def test_a_record_is_on_notice_only_once_at_a_time(on_notice, acting, org):
    with time_machine.travel(TODAY, tick=False), pytest.raises(ValidationError) as err:
        notices.notice_open(actor=acting("taihua_fed"), target=org("小留村妇联"),
                            organization=org("太华路街道妇联"), title="再次公示", body="内容")
    assert "已在公示中" in err.value.messages[0]


def test_an_empty_title_or_a_silly_period_is_refused_in_chinese(acting, org):
    before = PublicNotice.objects.count()
    with pytest.raises(ValidationError) as err:
        notices.notice_open(actor=acting("taihua_fed"), target=org("小留村妇联"),
                            organization=org("太华路街道妇联"), title=" ", body="内容", days=90)
    assert set(err.value.message_dict) == {"title", "days"}
    assert PublicNotice.objects.count() == before


def test_the_public_objects_during_the_period_and_follows_it_with_a_code(on_notice,
                                                                       django_capture_on_commit_callbacks):
    with time_machine.travel("2026-11-30 20:00 +0800", tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        objection, password = notices.objection_submit(notice=on_notice, content="该村妇联去年账目未公开，请核实。")
    assert objection.tracking_code.startswith("YY-")
    assert notices.objection_find(objection.tracking_code.lower(), password) == objection
    assert notices.objection_find(objection.tracking_code, "00000000") is None
    assert Notification.objects.filter(organization=on_notice.organization, code="kernel.objection.received").exists()


def test_an_objection_after_the_last_day_is_refused_with_a_clear_message(on_notice):
    with time_machine.travel("2026-12-03 08:00 +0800", tick=False), pytest.raises(ValidationError) as err:
        notices.objection_submit(notice=on_notice, content="公示期后才看到，有意见。")
    assert err.value.messages == ["公示期已结束，不再受理异议。"]
    assert not Objection.objects.filter(notice=on_notice).exists()


def test_a_too_short_objection_is_refused_and_nothing_is_saved(on_notice):
    with time_machine.travel(TODAY, tick=False), pytest.raises(ValidationError) as err:
        notices.objection_submit(notice=on_notice, content="不")
    assert "content" in err.value.message_dict
    assert not Objection.objects.filter(notice=on_notice).exists()


def test_the_same_submission_key_never_makes_two_objections(on_notice):
    with time_machine.travel(TODAY, tick=False):
        notices.objection_submit(notice=on_notice, content="重复提交测试内容。", submission_key="k-1")
        with pytest.raises(ValidationError) as err:
            notices.objection_submit(notice=on_notice, content="重复提交测试内容。", submission_key="k-1")
    assert err.value.code == "duplicate"
    assert Objection.objects.filter(notice=on_notice).count() == 1


def test_a_notice_passes_only_after_the_period_with_every_objection_answered(on_notice, acting):
    lead = acting("taihua_fed")
    with time_machine.travel(TODAY, tick=False):
        objection, _ = notices.objection_submit(notice=on_notice, content="请核实该组织的活动记录。")
        with pytest.raises(ValidationError) as err:
            notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.PASSED)
        assert err.value.code == "running"
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        with pytest.raises(ValidationError) as err:
            notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.PASSED)
        assert err.value.code == "unanswered"
        notices.objection_answer(actor=lead, objection=objection, reply="经核实，活动记录齐全。", upheld=False)
        closed = notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.PASSED)
    assert (closed.state, closed.outcome) == (PublicNotice.State.CLOSED, "passed")
    assert AuditEvent.objects.filter(event="kernel.notice.closed", object_id=str(closed.pk)).exists()
    objection.refresh_from_db()
    assert objection.reply == "经核实，活动记录齐全。"


def test_an_upheld_objection_blocks_passing_but_allows_rejection_with_a_reason(on_notice, acting):
    lead = acting("taihua_fed")
    with time_machine.travel(TODAY, tick=False):
        objection, _ = notices.objection_submit(notice=on_notice, content="该组织存在虚报活动的情况。")
        notices.objection_answer(actor=lead, objection=objection, reply="经核实，情况属实。", upheld=True)
    with time_machine.travel("2026-12-05 09:00 +0800", tick=False):
        with pytest.raises(ValidationError) as err:
            notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.PASSED)
        assert err.value.code == "upheld"
        with pytest.raises(ValidationError):
            notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.REJECTED)
        closed = notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.REJECTED,
                                      reason="异议属实，取消推荐。")
    assert closed.outcome == "rejected" and closed.outcome_reason == "异议属实，取消推荐。"


def test_an_objection_is_answered_once_and_only_by_someone_allowed(on_notice, acting):
    with time_machine.travel(TODAY, tick=False):
        objection, _ = notices.objection_submit(notice=on_notice, content="需要核实的情况说明。")
    with pytest.raises(PermissionDenied):
        notices.objection_answer(actor=acting("guojia_women"), objection=objection, reply="答复", upheld=False)
    notices.objection_answer(actor=acting("taihua_fed"), objection=objection, reply="已核实。", upheld=False)
    with pytest.raises(ValidationError) as err:
        notices.objection_answer(actor=acting("taihua_fed"), objection=objection, reply="再答", upheld=False)
    assert err.value.code == "answered"


def test_ended_notices_still_open_remind_their_organisation_once(on_notice):
    notices.remind_ended(today=date(2026, 12, 10))
    assert notices.remind_ended(today=date(2026, 12, 11)) == 0
    assert Notification.objects.filter(code="kernel.notice.ended", dedupe_key=f"notice-ended:{on_notice.pk}").count() == 1


def test_the_public_sees_started_notices_and_not_withdrawn_ones(on_notice, acting):
    with time_machine.travel(TODAY, tick=False):
        assert on_notice in notices.notices_running()
        assert notices.notice_get_public(notice_id=on_notice.pk) == on_notice
        notices.notice_close(actor=acting("taihua_fed"), notice=on_notice, outcome=notices.Outcome.WITHDRAWN,
                             reason="材料需补充")
        assert not notices.notices_public().filter(pk=on_notice.pk).exists()


def test_the_contact_an_objector_leaves_is_stored_encrypted(on_notice):
    from django.db import connection

    with time_machine.travel(TODAY, tick=False):
        objection, _ = notices.objection_submit(notice=on_notice, content="联系方式加密测试内容。",
                                                contact="13800138000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM kernel_objection WHERE id = %s", [objection.pk])
        stored = cursor.fetchone()[0]
    assert "13800138000" not in stored and stored.startswith("sm4gcm:")


def test_an_objection_is_reached_only_through_the_record_it_objects_to() -> None:
    from django.http import Http404

    from gongjian.kernel import notices
    from gongjian.kernel.models import Objection
    from gongjian.kernel.tests.matrix import Place, notice
    from gongjian.womenshome.tests.matrix import honour

    mine, other = honour(Place("小留村")), honour(Place("郭家村"))
    objection = Objection(notice=notice(Place("小留村"), mine), content="异议内容，请核实。")
    objection.issue_credentials()
    objection.save()
    assert notices.objection_of(mine, objection.pk) == objection
    for record, pk in ((other, objection.pk), (mine, "abc"), (mine, 2 ** 70)):
        with pytest.raises(Http404):
            notices.objection_of(record, pk)


def test_a_notice_that_passed_says_whether_there_were_objections(on_notice, acting):
    """Issue 13: a notice whose objections were answered and found groundless did not pass
    "without objection"."""
    lead = acting("taihua_fed")
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        closed = notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.PASSED)
    assert closed.outcome_text == "公示期满无异议，通过"
    PublicNotice.objects.filter(pk=closed.pk).update(state=PublicNotice.State.OPEN, outcome="")
    reopened = PublicNotice.objects.get(pk=closed.pk)
    with time_machine.travel(TODAY, tick=False):
        objection, _ = notices.objection_submit(notice=reopened, content="请核实该组织的活动记录。")
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        notices.objection_answer(actor=lead, objection=objection, reply="经核实，活动记录齐全。", upheld=False)
        closed = notices.notice_close(actor=lead, notice=reopened, outcome=notices.Outcome.PASSED)
    assert closed.outcome_text == "公示期满，异议不成立，通过"


def test_an_objections_todo_clears_when_answered_and_the_ended_notices_when_closed(
        on_notice, acting, django_capture_on_commit_callbacks):
    from gongjian.kernel.notifications import subject_key

    lead = acting("taihua_fed")
    with time_machine.travel(TODAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        objection, _password = notices.objection_submit(notice=on_notice, content="请核实该组织的活动记录。")
    todo = Notification.objects.get(code="kernel.objection.received", subject=subject_key(objection))
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        notices.remind_ended()
        ended = Notification.objects.get(code="kernel.notice.ended", subject=subject_key(on_notice))
        notices.objection_answer(actor=lead, objection=objection, reply="经核实，活动记录齐全。", upheld=False)
        todo.refresh_from_db()
        assert todo.read_at is not None and ended.read_at is None
        notices.notice_close(actor=lead, notice=on_notice, outcome=notices.Outcome.PASSED)
    ended.refresh_from_db()
    assert ended.read_at is not None
