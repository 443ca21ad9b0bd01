"""待办 clear themselves (issue 13): the party branch's 请考察 ends when the party side decides a
step (today the branch collects them until someone taps 已处理), the township's 小额贷款待审核
when it reviews the loan, the village's 退回 when it checks the loan again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from gongjian.development.models import StepKind
from gongjian.development.services import loan as loans
from gongjian.development.tests.factories import decided, loan_applied, recommended
from gongjian.kernel.models import Notification
from gongjian.kernel.notifications import subject_key

pytestmark = pytest.mark.django_db


def open_todo(subject, code):
    return Notification.objects.filter(subject=subject_key(subject), code=code, read_at__isnull=True)


def test_the_party_branchs_todo_clears_when_it_decides_the_first_step(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = recommended()
    todo = open_todo(made, "development.recommendation.received").get()
    assert todo.organization == made.party_organization
    with django_capture_on_commit_callbacks(execute=True):
        decided(made, StepKind.ACTIVIST)
    todo.refresh_from_db()
    assert todo.read_at is not None
    # What the federation is told is news, not a task: it stays until read.
    assert open_todo(made, "development.recommendation.step").count() == 1


def test_the_townships_loan_todo_clears_on_review_and_the_villages_on_checking_again(
        acting, django_capture_on_commit_callbacks):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    with django_capture_on_commit_callbacks(execute=True):
        loan = loans.loan_check(actor=village, loan=loan_applied(village), note="属实")
    assert open_todo(loan, "development.loan.checked").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        loan = loans.loan_review(actor=township, loan=loan, passed=False, note="缺少担保人签字")
    assert not open_todo(loan, "development.loan.checked").exists()
    assert open_todo(loan, "development.loan.returned").count() == 1
    # A day later (each round of checking is its own 待办 for the township).
    with time_machine.travel(timezone.now() + timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        loans.loan_check(actor=village, loan=loan, note="已补签字")
    assert not open_todo(loan, "development.loan.returned").exists()
    assert open_todo(loan, "development.loan.checked").count() == 1


def test_each_review_step_of_a_talent_clears_its_own_todo(acting, django_capture_on_commit_callbacks):
    from gongjian.development.services import talent as talents
    from gongjian.development.tests.factories import talent_collected

    with django_capture_on_commit_callbacks(execute=True):
        talent = talents.talent_report(actor=acting("xiaoliu_women"), talent=talent_collected())
    assert open_todo(talent, "development.talent.reported").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        talents.talent_forward(actor=acting("taihua_fed"), talent=talent)
    assert not open_todo(talent, "development.talent.reported").exists()
    assert open_todo(talent, "development.talent.forwarded").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        talents.talent_accept(actor=acting("huayin_fed"), talent=talent)
    assert not open_todo(talent, "development.talent.forwarded").exists()
