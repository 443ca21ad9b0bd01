"""The woman asks for help online (the portal's 网上求助 and `POST /api/v1/public/cases`), and the daily
sweep of overdue cases (`gongjian support-cases-sweep`).

Online intake keeps only what the handler needs to call her back (P-04: no ID number, no address):
the category, what happened, an optional callback number, how she would like to be called and when
she may safely be called. The case starts like any other (`case_common`: time limit, sensitivity,
risk alert), is audited with no actor, and she is given a tracking code and a query password once.

The sweep tells the handling organisation and the federation above it how many cases are overdue —
a count, never content — once per case per day (`Case.escalated_on`, a `CaseStep` "escalated"), and
reminds the handling organisation of cases due within one working day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit
from gongjian.kernel.context import current
from gongjian.kernel.deadlines import add_days
from gongjian.kernel.identity import validate_mobile
from gongjian.kernel.models import Organization
from gongjian.kernel.notifications import notify

from ..models.case import (
    OPEN_CASE_STATES,
    Case,
    CaseCategory,
    CaseChannel,
    CaseState,
    CaseStep,
    LegalBasis,
    StepKind,
)
from .case_common import alert_received, alert_risk, mark_sensitivity, time_limit

#: The prefix of the codes the woman follows her case with (维权).
TRACKING_PREFIX = "WQ"
SUMMARY_MAX = 200
NARRATIVE_MAX = 3000
NAME_MAX = 20
CALL_NOTE_MAX = 100
#: Requests for help per address and hour (a family's or a village's shared network stays well inside).
HELP_PER_HOUR = 10
#: Lookups per address and hour (the password has 10^8 values: guessing stays hopeless).
LOOKUPS_PER_HOUR = 30


def client_key(prefix: str) -> str:
    """The rate-limit key of the request's source address (the portal and the public API share it)."""
    return f"support.case.{prefix}:{current().ip or 'unknown'}"


@dataclass(frozen=True)
class HelpRequest:
    """What she writes on the portal or sends through the public API (already parsed, not checked)."""

    organization: Organization
    category: str
    summary: str
    narrative: str = ""
    contact_name: str = ""
    contact_mobile: str = ""
    call_note: str = ""
    anonymous: bool = False
    risk: bool = False
    consent: bool = False


def _clean(request: HelpRequest) -> dict[str, str]:
    errors: dict[str, list[str]] = defaultdict(list)
    if not request.organization.is_active or request.organization.kind not in (
            Organization.Kind.TOWNSHIP_FEDERATION, Organization.Kind.VILLAGE_FEDERATION):
        errors["organization"].append(_("请选择您所在的乡镇（街道）或村（社区）妇联。"))
    if request.category not in CaseCategory.values:
        errors["category"].append(_("请选择求助的类别。"))
    summary = (request.summary or "").strip()
    if not summary:
        errors["summary"].append(_("请简单说一说发生了什么。"))
    elif len(summary) > SUMMARY_MAX:
        errors["summary"].append(_("简要情况请不超过200字，详细经过可以写在下面。"))
    narrative = (request.narrative or "").strip()
    if len(narrative) > NARRATIVE_MAX:
        errors["narrative"].append(_("详细经过请不超过3000字。"))
    name = (request.contact_name or "").strip()
    if len(name) > NAME_MAX:
        errors["contact_name"].append(_("称呼请不超过20个字。"))
    mobile = (request.contact_mobile or "").strip()
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except ValidationError:
            errors["contact_mobile"].append(_("回电号码应为11位手机号码；不方便留号码可以不填。"))
    call_note = (request.call_note or "").strip()
    if len(call_note) > CALL_NOTE_MAX:
        errors["call_note"].append(_("联系提示请不超过100字。"))
    if not request.consent:
        errors["consent"].append(_("请勾选同意，我们才能用这些信息帮助您。"))
    if errors:
        raise ValidationError(dict(errors))
    if call_note:
        # Kept with the narrative (encrypted): when and how a call is safe is for the handler only.
        narrative = f"{narrative}\n\n【{_('联系提示')}】{call_note}".strip()
    return {"summary": summary, "narrative": narrative, "contact_name": name, "contact_mobile": mobile}


@transaction.atomic
def case_submit_online(*, request: HelpRequest) -> tuple[Case, str]:
    """Record a request for help from the portal (no account: the actor is None) and return the case
    with its query password, shown to her once. Bad input → ValidationError, nothing saved."""
    cleaned = _clean(request)
    org = request.organization
    now = timezone.now()
    case = Case(organization=org, intake_organization=org, channel=CaseChannel.ONLINE, category=request.category,
                risk=request.risk, anonymous=request.anonymous, state=CaseState.RECEIVED, received_at=now,
                legal_basis=LegalBasis.CONSENT, consent_at=now, created_by=None, **cleaned)
    case.due_on = time_limit(CaseState.RECEIVED, risk=request.risk, start=timezone.localdate())
    mark_sensitivity(case)
    password = case.issue_credentials(prefix=TRACKING_PREFIX)
    case.save()
    CaseStep.objects.create(case=case, kind=StepKind.RECEIVED, at=now, actor=None, organization=org)
    audit.record(case, "support.case.received_online", actor=None, organization=org,
                 changes={"channel": case.channel, "category": case.category, "risk": case.risk,
                          "anonymous": case.anonymous, "sensitive": case.sensitive})
    case_pk = case.pk
    transaction.on_commit(lambda: alert_risk(Case.objects.select_related("organization").get(pk=case_pk)))
    transaction.on_commit(lambda: alert_received(Case.objects.select_related("organization").get(pk=case_pk)))
    return case, password


# ------------------------------------------------------------------------------ the daily sweep


def _federation_above(org: Organization, cache: dict[int, Organization | None]) -> Organization | None:
    """The nearest federation above the handling organisation (a village's township, a township's
    county); None at the top."""
    if org.pk not in cache:
        paths = access.ancestor_paths(org.path, org.steplen)[:-1]
        cache[org.pk] = (Organization.objects.filter(path__in=paths, kind__in=Organization.FEDERATION_KINDS)
                         .order_by("-depth").first())
    return cache[org.pk]


@transaction.atomic
def cases_sweep(*, today: date | None = None) -> dict[str, int]:
    """Escalate today's overdue open cases (each once a day) and remind of those due within one
    working day. Messages carry counts only. Idempotent: a second run the same day sends nothing."""
    today = today or timezone.localdate()
    board = reverse("support:case-board")
    overdue = list(Case.objects.select_for_update()
                   .filter(state__in=OPEN_CASE_STATES, due_on__isnull=False, due_on__lt=today)
                   .exclude(escalated_on=today).select_related("organization").order_by("organization_id", "id"))
    by_org: dict[int, list[Case]] = defaultdict(list)
    for case in overdue:
        by_org[case.organization_id].append(case)
    above_cache: dict[int, Organization | None] = {}
    above_counts: dict[int, int] = defaultdict(int)
    above_orgs: dict[int, Organization] = {}
    steps: list[CaseStep] = []
    sent = {"escalated": 0, "notified": 0, "reminded": 0}
    for cases in by_org.values():
        org = cases[0].organization
        above = _federation_above(org, above_cache)
        if notify(organization=org, code="support.case.overdue",
                  message=_("%(n)s件维权案件超期，请尽快办理。") % {"n": len(cases)}, link=board,
                  dedupe_key=f"support.case.overdue:{org.pk}:{today.isoformat()}"):
            sent["notified"] += 1
        if above is not None:
            above_counts[above.pk] += len(cases)
            above_orgs[above.pk] = above
        for case in cases:
            case.escalated_on = today
            steps.append(CaseStep(case=case, kind=StepKind.ESCALATED, actor=None, organization=org,
                                  to_organization=above))
            audit.record(case, "support.case.escalated", actor=None, organization=org,
                         changes={"due_on": case.due_on.isoformat() if case.due_on else None,
                                  "to_organization": above.pk if above else None})
        sent["escalated"] += len(cases)
    Case.objects.bulk_update(overdue, ["escalated_on"])
    CaseStep.objects.bulk_create(steps)
    for pk, count in above_counts.items():
        if notify(organization=above_orgs[pk], code="support.case.overdue_below",
                  message=_("下级组织有%(n)s件维权案件超期，请督促办理。") % {"n": count}, link=board,
                  dedupe_key=f"support.case.overdue_below:{pk}:{today.isoformat()}"):
            sent["notified"] += 1
    soon = add_days(today, 1, working=True)
    due_counts = dict(Case.objects.filter(state__in=OPEN_CASE_STATES, due_on__gte=today, due_on__lte=soon)
                      .order_by().values_list("organization_id").annotate(n=Count("id")))
    due_orgs = Organization.objects.in_bulk(list(due_counts))
    for pk, count in due_counts.items():
        if notify(organization=due_orgs[pk], code="support.case.due",
                  message=_("%(n)s件维权案件将在%(day)s前到期，请按时办理。") % {"n": count, "day": soon.isoformat()},
                  link=board, dedupe_key=f"support.case.due:{pk}:{today.isoformat()}"):
            sent["reminded"] += 1
    return sent
