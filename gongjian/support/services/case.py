"""维权案件 writes of the staff side: the hotline operator's quick intake (`case_record`), the details
completed later, acceptance (or not), the handlers, the handling steps, referral (up the 三级维权网络
or out to a partner), the partner's feedback, resolution, the follow-up (回访), closing and the reply
the woman reads. One use case each, one transaction: `ensure_can`, the state guarded by
`kernel.workflow.move` (CASE_TRANSITIONS), a CaseStep row, `due_on` reset, an audit record that
never carries the content (encrypted fields are audited as changed, without values). Nothing is
ever deleted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, workflow
from gongjian.kernel.access import acting_organization_required
from gongjian.kernel.identity import normalize_mobile
from gongjian.kernel.models import Organization, Person, Position, User
from gongjian.kernel.permissions import ensure_can

from ..models.case import (
    WORK_STEPS,
    Case,
    CaseCategory,
    CaseChannel,
    CaseOutcome,
    CaseState,
    CaseStep,
    LegalBasis,
    Partner,
    Satisfaction,
    StepKind,
)
from ..workflow import CASE_TRANSITIONS
from .case_common import alert_risk, clear_reminders, mark_sensitivity, time_limit

#: Encrypted fields: audited as "changed" ("***"), never by value.
SECRET_FIELDS = ("summary", "narrative", "contact_name", "contact_mobile", "address")
#: Plain fields of the case, audited by value.
PLAIN_FIELDS = ("channel", "category", "risk", "anonymous", "involves_minor", "sensitive", "legal_basis",
                "consent_at", "person", "organization", "state")
SUMMARY_MAX = 500
NARRATIVE_MAX = 10000
NOTE_MAX = 2000
REPLY_MAX = 1000
REASON_MAX = 300
CODE_PREFIX = "WQ"  # 维权
_PHONE = re.compile(r"^\+?[0-9][0-9\-]{4,19}$")


@dataclass(frozen=True)
class Recorded:
    """What the hotline operator reads to the caller once: the code and the password (never
    stored in the clear, never shown again)."""

    case: Case
    tracking_code: str
    password: str

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _phone(raw: Any) -> str:
    """A callback number: a mobile or a landline with its area code (digits and dashes)."""
    value = normalize_mobile(str(raw or ""))
    if value and not _PHONE.fullmatch(value):
        raise ValidationError({"contact_mobile": _("回电号码应为手机号码或带区号的固定电话。")})
    return value


def _secret_changes(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, "***")


def _plain(case: Case) -> dict[str, Any]:
    return audit.snapshot(case, PLAIN_FIELDS)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("organization").get(pk=case.pk)


def _step(case: Case, kind: str, actor: User | None, note: str = "", *, to_organization: Organization | None = None,
          to_partner: str = "", organization: Organization | None = None) -> CaseStep:
    return CaseStep.objects.create(case=case, kind=kind, note=note, actor=actor,
                                   organization=organization or case.organization,
                                   to_organization=to_organization, to_partner=to_partner)


def _move(case: Case, to: str, *extra: str) -> str:
    """Guarded move; the new state's time limit starts today."""
    case.due_on = time_limit(to, risk=case.risk)
    return workflow.move(case, to=to, transitions=CASE_TRANSITIONS, labels=CaseState,
                         extra_update_fields=("due_on", *extra))


def _check_basis(case: Case, errors: dict[str, str]) -> None:
    """P-05: sensitive personal information (a child under 14, violence at home, a child's or a
    health question) is held on a recorded legal basis; consent is dated; a child's is her guardian's."""
    mark_sensitivity(case)
    if case.legal_basis not in LegalBasis.values:
        errors["legal_basis"] = _("请选择处理敏感个人信息的依据。")
        return
    if case.involves_minor and case.legal_basis == LegalBasis.CONSENT:
        errors["legal_basis"] = _("涉及未满十四周岁的未成年人，应取得监护人同意或依法定职责处理。")
    if case.legal_basis in (LegalBasis.CONSENT, LegalBasis.GUARDIAN):
        if not isinstance(case.consent_at, datetime):
            errors["consent_at"] = _("以同意为依据时，请填写取得同意的时间。")
        elif case.consent_at > timezone.now() + timedelta(minutes=5):
            errors["consent_at"] = _("同意时间不能晚于现在。")
    elif case.legal_basis == LegalBasis.STATUTORY:
        case.consent_at = None


def _alert(case: Case) -> None:
    if case.risk:
        transaction.on_commit(lambda: alert_risk(case))


# ------------------------------------------------------------------------------ intake


@transaction.atomic
def case_record(*, actor: User, data: dict[str, Any]) -> Recorded:
    """来电登记: a call recorded in under a minute — channel, category, a short summary, the callback
    number, risk. Her organisation handles it and she is its first handler; the code and the
    password come back once, for her to read to the caller."""
    ensure_can(actor, "support.record_case")
    org = acting_organization_required(actor)
    errors: dict[str, str] = {}
    channel = data.get("channel") or CaseChannel.HOTLINE_12338
    if channel not in CaseChannel.values or channel == CaseChannel.ONLINE:
        errors["channel"] = _("请选择来源渠道。")
    category = data.get("category")
    if category not in CaseCategory.values:
        errors["category"] = _("请选择类别。")
    summary = _text(data.get("summary"), SUMMARY_MAX)
    if len(summary) < 2:
        errors["summary"] = _("请简要写明求助情况（至少2个字）。")
    mobile = ""
    try:
        mobile = _phone(data.get("contact_mobile"))
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    case = Case(
        organization=org, intake_organization=org, channel=channel, category=category or "",
        risk=bool(data.get("risk")), summary=summary, narrative=_text(data.get("narrative"), NARRATIVE_MAX),
        contact_name=_text(data.get("contact_name"), 50), contact_mobile=mobile,
        address=_text(data.get("address"), 200), anonymous=bool(data.get("anonymous")),
        involves_minor=bool(data.get("involves_minor")),
        legal_basis=data.get("legal_basis") or LegalBasis.STATUTORY, consent_at=data.get("consent_at"),
        state=CaseState.RECEIVED, created_by=actor)
    _check_basis(case, errors)
    if errors:
        raise ValidationError(errors)
    password = case.issue_credentials(CODE_PREFIX)
    case.due_on = time_limit(CaseState.RECEIVED, risk=case.risk)
    case.save()
    case.handlers.add(actor)
    _step(case, StepKind.RECEIVED, actor)
    audit.record(case, "support.case.recorded", actor=actor,
                 changes={**audit.diff({}, _plain(case)), "handlers": [actor.pk],
                          **_secret_changes(*(f for f in SECRET_FIELDS if getattr(case, f)))})
    _alert(case)
    return Recorded(case=case, tracking_code=case.tracking_code, password=password)


UPDATABLE = ("category", "risk", "summary", "narrative", "contact_name", "contact_mobile", "address", "person",
             "anonymous", "involves_minor", "legal_basis", "consent_at")


@transaction.atomic
def case_update(*, actor: User, case: Case, data: dict[str, Any]) -> Case:
    """Complete the details later: the narrative, how to address her, the address, the person of
    the registry, anonymity, a child involved, the legal basis. Only what `data` names changes."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    if not stored.is_open:
        raise ValidationError(_("案件已结束，不能再修改。"))
    before = _plain(stored)
    was_risk = stored.risk
    errors: dict[str, str] = {}
    changed_secret = []
    for name in UPDATABLE:
        if name not in data:
            continue
        value = data[name]
        if name in ("risk", "anonymous", "involves_minor"):
            value = bool(value)
            if name == "risk" and was_risk and not value:
                value = True  # a risk flag, once raised, stays: the alert has gone out
        elif name == "category":
            if value not in CaseCategory.values:
                errors["category"] = _("请选择类别。")
                continue
        elif name == "summary":
            value = _text(value, SUMMARY_MAX)
            if len(value) < 2:
                errors["summary"] = _("请简要写明求助情况（至少2个字）。")
                continue
        elif name == "narrative":
            value = _text(value, NARRATIVE_MAX)
        elif name == "contact_name":
            value = _text(value, 50)
        elif name == "address":
            value = _text(value, 200)
        elif name == "contact_mobile":
            try:
                value = _phone(value)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
                continue
        elif name == "person":
            if value is not None and not isinstance(value, Person):
                value = Person.objects.filter(pk=value).first()
                if value is None:
                    errors["person"] = _("请选择本辖区人员库中的人员。")
                    continue
            if value is not None and not access.may(actor, value):
                errors["person"] = _("请选择本辖区人员库中的人员。")
                continue
        elif name == "legal_basis":
            value = value or LegalBasis.STATUTORY
        if name in SECRET_FIELDS and getattr(stored, name) != value:
            changed_secret.append(name)
        setattr(stored, name, value)
    _check_basis(stored, errors)
    if errors:
        raise ValidationError(errors)
    stored.save()
    changes = {**audit.diff(before, _plain(stored)), **_secret_changes(*changed_secret)}
    audit.record(stored, "support.case.updated", actor=actor, changes=changes)
    if stored.risk and not was_risk:
        _alert(stored)
    return stored


# ------------------------------------------------------------------------------ moves


@transaction.atomic
def case_accept(*, actor: User, case: Case, note: str = "") -> Case:
    """受理: a new case, or one referred up to this organisation (its lead accepts it again)."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    if stored.state == CaseState.REFERRED and stored.referred_partner:
        raise ValidationError(_("案件已转介到其他单位，请登记转介单位的反馈。"))
    stored.accepted_at = timezone.now()
    _move(stored, CaseState.ACCEPTED, "accepted_at")
    if not stored.handlers.exists():
        stored.handlers.add(actor)
    note = _text(note, NOTE_MAX)
    _step(stored, StepKind.ACCEPTED, actor, note)
    audit.record(stored, "support.case.accepted", actor=actor,
                 changes={"state": CaseState.ACCEPTED, **_secret_changes(*(["note"] if note else []))})
    clear_reminders(stored, "support.case.received")
    return stored


@transaction.atomic
def case_not_accept(*, actor: User, case: Case, reason: str) -> Case:
    """不予受理, with the reason she is told on her tracking page."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    reason = _text(reason, REASON_MAX)
    if len(reason) < 2:
        raise ValidationError({"reason": _("请写明不予受理的理由（会告诉当事人）。")})
    stored.not_accepted_reason = reason
    stored.closed_at = timezone.now()
    _move(stored, CaseState.NOT_ACCEPTED, "not_accepted_reason", "closed_at")
    _step(stored, StepKind.NOT_ACCEPTED, actor, reason)
    audit.record(stored, "support.case.not_accepted", actor=actor, changes={"state": CaseState.NOT_ACCEPTED,
                                                                            "reason": "***"})
    clear_reminders(stored)
    return stored


def handler_candidates(organization: Organization) -> Any:
    """Users holding a current position in the organisation (not admin-role accounts)."""
    today = timezone.localdate()
    held = Position.objects.filter(organization=organization, start_date__lte=today,
                                   role__in=Position.STAFF_ROLES).exclude(end_date__lt=today)
    return (User.objects.filter(person_id__in=held.values("person_id"), admin_role="", is_active=True)
            .select_related("person").order_by("person__name", "id"))


@transaction.atomic
def case_assign(*, actor: User, case: Case, handlers: list[Any]) -> Case:
    """指派承办人: the lead names the handlers (users holding a position in the handling organisation)."""
    stored = _locked(case)
    ensure_can(actor, "support.assign_case", stored)
    if not stored.is_open:
        raise ValidationError(_("案件已结束，不能再指派承办人。"))
    raw = {str(getattr(h, "pk", h)) for h in handlers}
    ids = {int(i) for i in raw if i.isdigit()}
    chosen = list(handler_candidates(stored.organization).filter(pk__in=ids))
    if not raw or len(ids) != len(raw) or len(chosen) != len(ids):
        raise ValidationError({"handlers": _("请选择本组织在任的工作人员作为承办人。")})
    before = sorted(stored.handlers.values_list("pk", flat=True))
    stored.handlers.set(chosen)
    names = "、".join(u.person.name if u.person else u.username for u in chosen)
    _step(stored, StepKind.ASSIGNED, actor, names)
    audit.record(stored, "support.case.assigned", actor=actor,
                 changes={"handlers": [before, sorted(u.pk for u in chosen)]})
    clear_reminders(stored, "support.case.risk")
    return stored


@transaction.atomic
def case_step_add(*, actor: User, case: Case, kind: str, note: str) -> CaseStep:
    """A piece of handling work (call, visit, mediation, legal aid, shelter, counselling, note);
    the first one moves an accepted case to 办理中."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    if kind not in WORK_STEPS:
        raise ValidationError({"kind": _("请选择办理方式。")})
    note = _text(note, NOTE_MAX)
    if len(note) < 2:
        raise ValidationError({"note": _("请写明办理情况。")})
    awaiting_partner = stored.state == CaseState.REFERRED and bool(stored.referred_partner)
    if stored.state not in (CaseState.ACCEPTED, CaseState.HANDLING) and not awaiting_partner:
        raise ValidationError(_("受理后才能登记办理情况。"))
    if stored.state == CaseState.ACCEPTED:
        _move(stored, CaseState.HANDLING)
    step = _step(stored, kind, actor, note)
    stored.save(update_fields=["updated_at"])
    audit.record(stored, "support.case.step_added", actor=actor,
                 changes={"kind": kind, "state": stored.state, "note": "***"})
    return step


def refer_targets(case: Case) -> Any:
    """The federations up the 三级维权网络 from the handling one (village → township → county)."""
    from gongjian.kernel.selectors import ancestors_of

    return ancestors_of(organization=case.organization).filter(kind__in=Organization.FEDERATION_KINDS)


@transaction.atomic
def case_refer(*, actor: User, case: Case, to_organization: Organization | None = None, to_partner: str = "",
               partner_name: str = "", note: str = "") -> Case:
    """转介: up to a federation above (the case moves there; its lead accepts it again; the handlers
    here no longer reach it), or out to a partner (公安, 法院, 司法所 …: the case stays here,
    awaiting the partner's feedback)."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    note = _text(note, NOTE_MAX)
    if (to_organization is None) == (not to_partner):
        raise ValidationError({"to_organization": _("请选择转介到上级妇联或有关单位（二选一）。")})
    if to_organization is not None:
        target = refer_targets(stored).filter(pk=to_organization.pk).first()
        if target is None:
            raise ValidationError({"to_organization": _("只能转介到上级妇联（村→乡镇→县）。")})
        source = stored.organization
        stored.organization = target
        stored.referred_partner = ""
        stored.referred_partner_name = ""
        _move(stored, CaseState.REFERRED, "organization", "referred_partner", "referred_partner_name")
        stored.handlers.clear()  # need-to-know: the receiving lead names her own handlers
        _step(stored, StepKind.REFERRED, actor, note, to_organization=target, organization=source)
        audit.record(stored, "support.case.referred", actor=actor,
                     changes={"organization": [source.pk, target.pk], "state": CaseState.REFERRED,
                              **_secret_changes(*(["note"] if note else []))})
        clear_reminders(stored)  # the source's 待办 end here; the federation above is alerted anew
        _alert(stored)
        return stored
    if to_partner not in Partner.values:
        raise ValidationError({"to_partner": _("请选择转介单位。")})
    stored.referred_partner = to_partner
    stored.referred_partner_name = _text(partner_name, 100)
    _move(stored, CaseState.REFERRED, "referred_partner", "referred_partner_name")
    _step(stored, StepKind.REFERRED, actor, note, to_partner=to_partner)
    audit.record(stored, "support.case.referred", actor=actor,
                 changes={"to_partner": to_partner, "partner_name": stored.referred_partner_name,
                          "state": CaseState.REFERRED, **_secret_changes(*(["note"] if note else []))})
    return stored


@transaction.atomic
def case_feedback(*, actor: User, case: Case, note: str) -> Case:
    """The partner's feedback comes back: the case is handled here again."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    if not (stored.state == CaseState.REFERRED and stored.referred_partner):
        raise ValidationError(_("案件没有转介到其他单位，无需登记反馈。"))
    note = _text(note, NOTE_MAX)
    if len(note) < 2:
        raise ValidationError({"note": _("请写明转介单位的反馈。")})
    _move(stored, CaseState.HANDLING)
    _step(stored, StepKind.FEEDBACK, actor, note, to_partner=stored.referred_partner)
    audit.record(stored, "support.case.feedback", actor=actor, changes={"state": CaseState.HANDLING, "note": "***"})
    return stored


@transaction.atomic
def case_resolve(*, actor: User, case: Case, outcome: str, public_reply: str = "", note: str = "") -> Case:
    """办结: the outcome, and the reply she reads with her code and password."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    if stored.state == CaseState.RECEIVED:
        raise ValidationError(_("请先受理案件。"))
    reply = _text(public_reply, REPLY_MAX)
    if len(reply) < 2:
        raise ValidationError({"public_reply": _("请写给当事人的答复（当事人凭查询码可以看到）。")})
    stored.outcome = outcome
    stored.public_reply = reply
    stored.resolved_at = timezone.now()
    _move(stored, CaseState.RESOLVED, "outcome", "public_reply", "resolved_at")
    _step(stored, StepKind.RESOLVED, actor, _text(note, NOTE_MAX))
    audit.record(stored, "support.case.resolved", actor=actor,
                 changes={"state": CaseState.RESOLVED, "outcome": outcome, "public_reply": "***"})
    clear_reminders(stored)
    return stored


@transaction.atomic
def case_follow_up(*, actor: User, case: Case, satisfaction: str, note: str = "", reopen: bool = False) -> Case:
    """回访: how satisfied she is. An unsatisfied follow-up may reopen the case (办理中 again)."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择回访结果。")})
    if reopen and satisfaction != Satisfaction.UNSATISFIED:
        raise ValidationError({"reopen": _("当事人不满意时才能重新办理。")})
    if stored.state != CaseState.RESOLVED:
        raise ValidationError(_("案件办结后才能回访。"))
    note = _text(note, NOTE_MAX)
    stored.satisfaction = satisfaction
    stored.followed_up_at = timezone.now()
    if reopen:
        _move(stored, CaseState.HANDLING, "satisfaction", "followed_up_at")
        _step(stored, StepKind.FOLLOWED_UP, actor, note)
        _step(stored, StepKind.REOPENED, actor)
    else:
        _move(stored, CaseState.FOLLOWED_UP, "satisfaction", "followed_up_at")
        _step(stored, StepKind.FOLLOWED_UP, actor, note)
    audit.record(stored, "support.case.followed_up", actor=actor,
                 changes={"state": stored.state, "satisfaction": satisfaction, "reopened": reopen,
                          **_secret_changes(*(["note"] if note else []))})
    return stored


@transaction.atomic
def case_close(*, actor: User, case: Case, note: str = "") -> Case:
    """结案, by the lead of the handling organisation, after the follow-up."""
    stored = _locked(case)
    ensure_can(actor, "support.close_case", stored)
    stored.closed_at = timezone.now()
    _move(stored, CaseState.CLOSED, "closed_at")
    note = _text(note, NOTE_MAX)
    _step(stored, StepKind.CLOSED, actor, note)
    audit.record(stored, "support.case.closed", actor=actor,
                 changes={"state": CaseState.CLOSED, **_secret_changes(*(["note"] if note else []))})
    clear_reminders(stored)
    return stored


@transaction.atomic
def case_reply(*, actor: User, case: Case, public_reply: str) -> Case:
    """The reply she reads on her tracking page (no one else's details in it)."""
    stored = _locked(case)
    ensure_can(actor, "support.handle_case", stored)
    reply = _text(public_reply, REPLY_MAX)
    if len(reply) < 2:
        raise ValidationError({"public_reply": _("请填写给当事人的答复。")})
    stored.public_reply = reply
    stored.save(update_fields=["public_reply", "updated_at"])
    audit.record(stored, "support.case.replied", actor=actor, changes={"public_reply": "***"})
    return stored
