"""What every way into a case shares (the hotline form, the staff API, the portal's online request):
the time limit of a step, the sensitivity flags, the alert for a risk case, and the words the
woman reads about her case. Written once here so the intake paths cannot drift."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.kernel.deadlines import add_days
from gongjian.kernel.notifications import notify, resolve

from ..models.case import SENSITIVE_CATEGORIES, Case, CaseState
from ..workflow import CASE_TIME_LIMITS, RISK_ACCEPT_DAYS


def time_limit(state: str, *, risk: bool = False, start: date | None = None) -> date | None:
    """The due date of a step entered on `start` (today): working days; None for a closed case.
    A risk case is to be accepted the same working day."""
    days = CASE_TIME_LIMITS.get(state)
    if days is None:
        return None
    if risk and state == CaseState.RECEIVED:
        days = RISK_ACCEPT_DAYS
    return add_days(start or timezone.localdate(), days, working=True)


def mark_sensitivity(case: Case) -> None:
    """P-05: a case about violence at home, a child or health — or involving a child under 14 — holds
    sensitive personal information. The flag only ever turns on."""
    if case.category in SENSITIVE_CATEGORIES or case.involves_minor:
        case.sensitive = True


def alert_risk(case: Case) -> None:
    """Tell the handling organisation at once that a risk case waits (no content in the message:
    the link opens only for its lead and handlers)."""
    if not case.risk or not case.is_open:
        return
    notify(organization=case.organization, code="support.case.risk",
           message=_("有一件高风险维权案件需要立即处理，请负责人尽快指派承办人。"),
           link=reverse("support:case-detail", args=[case.pk]),
           dedupe_key=f"support.case.risk:{case.pk}:{case.organization_id}", subject=case)


def alert_received(case: Case) -> None:
    """A request for help came in from the portal: a 待办 for the handling organisation to accept
    it or not (a count only, never its content: Z-07)."""
    notify(organization=case.organization, code="support.case.received",
           message=_("收到一件网上维权求助，请及时受理。"), link=reverse("support:case-detail", args=[case.pk]),
           dedupe_key=f"support.case.received:{case.pk}", subject=case)


def clear_reminders(case: Case, *codes: str) -> None:
    """The case moved on: its 待办 of these kinds are done (all of them when none are named)."""
    resolve(subject=case, codes=codes or CASE_REMINDERS)


CASE_REMINDERS = ("support.case.received", "support.case.risk")


#: What the woman is told comes next, by state (the portal's tracking page and the public API).
NEXT_STEPS: dict[str, Any] = {
    CaseState.RECEIVED: gettext_lazy("已收到您的求助，工作人员将尽快联系您并决定是否受理。"),
    CaseState.ACCEPTED: gettext_lazy("已受理，承办人正在了解情况。"),
    CaseState.HANDLING: gettext_lazy("正在办理。"),
    CaseState.REFERRED: gettext_lazy("已转请有关部门或上级妇联办理，我们会继续跟进。"),
    CaseState.RESOLVED: gettext_lazy("已办结，工作人员会回访了解您的情况。"),
    CaseState.FOLLOWED_UP: gettext_lazy("已回访，即将结案。"),
    CaseState.NOT_ACCEPTED: gettext_lazy("未予受理，理由见答复。"),
    CaseState.CLOSED: gettext_lazy("已结案。如有新的情况，可以再次求助。"),
}


def next_step(case: Case) -> str:
    return str(NEXT_STEPS.get(case.state, ""))
