"""`gongjian support-cases-sweep`: overdue open cases escalated once per case per day to the handling
organisation and the federation above (a count, no content), due ones reminded; idempotent."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from gongjian.kernel.models import AuditEvent, Notification
from gongjian.support.models import Case, CaseState, CaseStep, StepKind
from gongjian.support.services.case_public import cases_sweep

from .factories import help_requested

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 3, 10)
SECRET = "她说丈夫把门锁了"


@pytest.fixture
def due_cases(org):
    """At 小留村: two overdue cases, one due tomorrow, one closed long ago; at 太华路街道: one overdue."""
    xiaoliu, taihua = org("小留村妇联"), org("太华路街道妇联")
    made = {}
    for key, where, due in (("late1", xiaoliu, date(2026, 3, 5)), ("late2", xiaoliu, date(2026, 3, 9)),
                            ("tomorrow", xiaoliu, date(2026, 3, 11)), ("township", taihua, date(2026, 3, 2))):
        case, _p = help_requested(where, narrative=SECRET, summary="丈夫锁门不让出去")
        Case.objects.filter(pk=case.pk).update(due_on=due)
        made[key] = case
    closed, _p = help_requested(xiaoliu)
    Case.objects.filter(pk=closed.pk).update(state=CaseState.CLOSED, due_on=None)
    made["closed"] = closed
    return made


def _escalations(case: Case) -> list[tuple[str, int | None]]:
    return list(CaseStep.objects.filter(case=case, kind=StepKind.ESCALATED).values_list("organization__name",
                                                                                         "to_organization"))


def test_overdue_cases_are_escalated_to_the_federation_above_without_content(org, due_cases):
    sent = cases_sweep(today=TUESDAY)
    assert sent["escalated"] >= 3
    for key in ("late1", "late2", "township"):
        case = Case.objects.get(pk=due_cases[key].pk)
        assert case.escalated_on == TUESDAY
    assert _escalations(due_cases["late1"]) == [("小留村妇联", org("太华路街道妇联").pk)]
    assert _escalations(due_cases["township"]) == [("太华路街道妇联", org("华阴市妇联").pk)]
    assert _escalations(due_cases["tomorrow"]) == [] and _escalations(due_cases["closed"]) == []
    assert Case.objects.get(pk=due_cases["tomorrow"].pk).escalated_on is None
    own = Notification.objects.get(organization=org("小留村妇联"), code="support.case.overdue")
    assert own.message.startswith("2件维权案件超期")
    above = Notification.objects.get(organization=org("太华路街道妇联"), code="support.case.overdue_below")
    assert "2件维权案件超期" in above.message
    county = Notification.objects.get(organization=org("华阴市妇联"), code="support.case.overdue_below")
    assert "1件维权案件超期" in county.message
    for note in Notification.objects.filter(code__startswith="support.case."):
        assert SECRET not in note.message and "丈夫" not in note.message and "WQ-" not in note.message
    assert AuditEvent.objects.filter(event="support.case.escalated", object_id=str(due_cases["late1"].pk)).count() == 1


def test_a_case_due_within_one_working_day_is_reminded(org, due_cases):
    cases_sweep(today=TUESDAY)
    reminder = Notification.objects.get(organization=org("小留村妇联"), code="support.case.due")
    assert reminder.message.startswith("1件维权案件将在2026-03-11前到期")


def test_the_sweep_is_idempotent_within_a_day_and_escalates_again_the_next(org, due_cases):
    cases_sweep(today=TUESDAY)
    steps, notes = CaseStep.objects.count(), Notification.objects.count()
    again = cases_sweep(today=TUESDAY)
    assert again == {"escalated": 0, "notified": 0, "reminded": 0}
    assert (CaseStep.objects.count(), Notification.objects.count()) == (steps, notes)
    cases_sweep(today=date(2026, 3, 11))
    assert len(_escalations(due_cases["late1"])) == 2
    assert Case.objects.get(pk=due_cases["late1"].pk).escalated_on == date(2026, 3, 11)
    # Due on the 11th is not overdue on the 11th: reminded, not escalated.
    assert _escalations(due_cases["tomorrow"]) == []


def test_friday_reminds_of_what_is_due_on_monday(org):
    case, _p = help_requested(org("郭家村妇联"))
    Case.objects.filter(pk=case.pk).update(due_on=date(2026, 3, 16))  # a Monday
    cases_sweep(today=date(2026, 3, 13))
    assert Notification.objects.filter(organization=org("郭家村妇联"), code="support.case.due").exists()


def test_the_command_runs_for_a_given_day(org, due_cases):
    out = StringIO()
    call_command("support_cases_sweep", "--today", "2026-03-10", stdout=out)
    assert "超期案件" in out.getvalue()
    assert Case.objects.get(pk=due_cases["late2"].pk).escalated_on == TUESDAY
