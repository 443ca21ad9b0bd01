"""待办 clear themselves (issue 13): a request for help from the portal is a 待办 for the
organisation until it is accepted or not; a risk case's 请指派 ends when the lead names the
handlers; a referral ends the source's 待办; the 待办 never carries the case's content (Z-07)."""

from __future__ import annotations

import pytest

from gongjian.kernel.models import Notification
from gongjian.kernel.notifications import subject_key
from gongjian.kernel.tests.matrix import persona
from gongjian.support.services import case as services

from .factories import NARRATIVE, help_requested, staff_of

pytestmark = pytest.mark.django_db


def open_todo(subject, code):
    return Notification.objects.filter(subject=subject_key(subject), code=code, read_at__isnull=True)


def test_a_request_for_help_is_a_todo_without_its_content_until_accepted(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _password = help_requested(org("小留村妇联"), category="domestic_violence", narrative=NARRATIVE,
                                         contact_name="王女士", contact_mobile="13912345678")
    todo = open_todo(case, "support.case.received").get()
    assert todo.organization == org("小留村妇联")
    assert "王" not in todo.message and "139" not in todo.message and "丈夫" not in todo.message
    services.case_accept(actor=persona("xiaoliu_women"), case=case)
    assert not open_todo(case, "support.case.received").exists()


def test_a_risk_cases_todo_clears_when_the_lead_names_handlers(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _password = help_requested(org("小留村妇联"), category="domestic_violence", risk=True)
    assert open_todo(case, "support.case.risk").count() == 1
    lead = persona("xiaoliu_women")
    services.case_accept(actor=lead, case=case)
    assert open_todo(case, "support.case.risk").count() == 1  # accepted, but nobody named yet
    services.case_assign(actor=lead, case=case, handlers=[lead, staff_of("小留村妇联")])
    assert not open_todo(case, "support.case.risk").exists()


def test_a_request_not_accepted_clears_all_its_todos(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _password = help_requested(org("小留村妇联"), risk=True)
    assert Notification.objects.filter(subject=subject_key(case), read_at__isnull=True).count() == 2
    services.case_not_accept(actor=persona("xiaoliu_women"), case=case, reason="不属于妇联受理范围，请向法院起诉。")
    assert not Notification.objects.filter(subject=subject_key(case), read_at__isnull=True).exists()


def test_referring_a_risk_case_up_ends_the_villages_todo_and_alerts_the_township(
        org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _password = help_requested(org("小留村妇联"), category="domestic_violence", risk=True)
    lead = persona("xiaoliu_women")
    services.case_accept(actor=lead, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_refer(actor=lead, case=case, to_organization=org("太华路街道妇联"), note="需上级协调")
    assert not open_todo(case, "support.case.risk").filter(organization=org("小留村妇联")).exists()
    assert open_todo(case, "support.case.risk").filter(organization=org("太华路街道妇联")).count() == 1


def test_a_care_pairings_visit_todo_clears_when_the_visit_is_logged(acting):
    from datetime import date, timedelta

    from gongjian.support.services import care

    from .factories import pair_mother, register_recipient

    guojia = acting("guojia_women")
    pairing = pair_mother(guojia, register_recipient(guojia), started_on=date(2026, 4, 1))
    care.care_sweep(today=pairing.due_on + timedelta(days=1))
    assert open_todo(pairing, "support.care.visit_overdue").count() == 1
    care.visit_add(actor=guojia, pairing=pairing, day=pairing.due_on, content="上门辅导作业，谈心。")
    assert not open_todo(pairing, "support.care.visit_overdue").exists()
