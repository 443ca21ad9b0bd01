"""待办 clear themselves (issue 13): the reviewing committee's 待审核 ends when it approves or
returns the item, the branch's 已退回 when it sends the item again, its 可以公开 when it publishes,
and a suggestion's reminders when it is answered — nobody has to tap 已处理."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongjian.disclosure import services
from gongjian.disclosure.models import Suggestion
from gongjian.kernel.models import Notification
from gongjian.kernel.notifications import subject_key

from .factories import draft

pytestmark = pytest.mark.django_db


def open_todo(subject, code):
    return Notification.objects.filter(subject=subject_key(subject), code=code, read_at__isnull=True)


def test_the_committees_review_todo_clears_when_it_approves(acting, django_capture_on_commit_callbacks):
    item = draft(acting)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    todo = open_todo(item, "disclosure.review").get()
    assert todo.organization_id == services.parent_of(item.organization).pk
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_approve(actor=acting("taihua_party"), disclosure=item)
    todo.refresh_from_db()
    assert todo.read_at is not None
    assert open_todo(item, "disclosure.approved").count() == 1  # the branch's turn: publish it


def test_a_returned_item_clears_the_review_and_the_branch_todo_clears_when_sent_again(
        acting, django_capture_on_commit_callbacks):
    item = draft(acting)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_return(actor=acting("taihua_party"), disclosure=item, comment="请补充收缴明细")
    assert not open_todo(item, "disclosure.review").exists()
    assert open_todo(item, "disclosure.returned").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    assert not open_todo(item, "disclosure.returned").exists()
    assert open_todo(item, "disclosure.review").count() == 1  # the new round waits for the committee


def test_publishing_clears_the_branchs_may_publish_todo(acting, django_capture_on_commit_callbacks):
    item = draft(acting)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
        services.disclosure_approve(actor=acting("taihua_party"), disclosure=item)
    assert open_todo(item, "disclosure.approved").count() == 1
    services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    assert not open_todo(item, "disclosure.approved").exists()


def test_answering_a_suggestion_clears_its_received_and_due_todos(acting, org, django_capture_on_commit_callbacks):
    branch = org("中共小留村支部委员会")
    with django_capture_on_commit_callbacks(execute=True):
        suggestion, _password = services.suggestion_submit(organization=branch, content="公开栏的字太小，老人看不清。")
    today = timezone.localdate()
    Suggestion.objects.filter(pk=suggestion.pk).update(due_on=today)
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    services.reminders_send(today=today)
    assert open_todo(suggestion, "disclosure.suggestion").count() == 1
    assert open_todo(suggestion, "disclosure.suggestion.due").count() == 1
    other = Notification.objects.create(organization=branch, code="disclosure.suggestion", message="另一条",
                                        subject="disclosure.suggestion:999999")
    services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=suggestion, reply="已调大字号。",
                               public=True)
    assert not Notification.objects.filter(subject=subject_key(suggestion), read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None  # only this suggestion's reminders


def test_an_inspections_rectification_todo_clears_when_the_inspector_closes_it(
        org, django_capture_on_commit_callbacks):
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import User

    inspector = User.objects.get(username="taihua_party")
    inspector.positions = list(inspector.current_positions())
    inspector.acting = Acting(next(p for p in inspector.positions if p.organization.kind == "leading_group"))
    scores = {"content": 9, "procedure": 8, "form": 9, "rules": 7, "execution": 8, "effect": 9}
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_create(actor=inspector, organization=org("中共郭家村支部委员会"), data={
            **scores, "inspected_on": "2026-11-21", "findings": "意见箱未按时开箱",
            "rectification_deadline": "2026-12-20"})
    assert open_todo(inspection, "disclosure.inspection").count() == 1
    services.inspection_follow_up(actor=inspector, inspection=inspection, note="已整改，开箱记录齐全。", closes=False)
    assert open_todo(inspection, "disclosure.inspection").count() == 1  # still open
    services.inspection_follow_up(actor=inspector, inspection=inspection, note="销号。", closes=True)
    assert not open_todo(inspection, "disclosure.inspection").exists()
