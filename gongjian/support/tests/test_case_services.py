"""维权案件 services: the quick intake, the details, every move (state guarded, a step logged, the
time limit reset, audited without content), the referral up the 三级维权网络 and out to a partner,
the follow-up that reopens, and P-05's legal basis."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjian.kernel.deadlines import add_days
from gongjian.kernel.models import AuditEvent, Notification, Organization
from gongjian.kernel.tests.matrix import persona
from gongjian.support.models import Case, CaseStep
from gongjian.support.services import case as services

from .factories import MOBILE, NARRATIVE, SUMMARY, accepted, recorded, referred_up, staff_of

pytestmark = pytest.mark.django_db


def _events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="support.case", object_id=str(case.pk)).order_by("chain_index"))


def test_a_call_is_recorded_for_her_organisation_and_she_handles_it(acting):
    operator = acting("lingsha_line")
    made = services.case_record(actor=operator, data={"channel": "whisper_line", "category": "health_advice",
                                                      "summary": "咨询避孕方法", "contact_mobile": "139 0000 1234"})
    case = made.case
    assert case.organization.name == case.intake_organization.name == "灵沙乡妇联"
    assert list(case.handlers.all()) == [operator]
    assert case.state == "received" and case.sensitive  # a health question is sensitive (P-05)
    assert case.contact_mobile == "13900001234"
    assert made.tracking_code.startswith("WQ-") and len(made.password) == 8
    assert check_password(made.password, case.query_password_hash)
    assert made.password not in json.dumps([e.changes for e in _events(case)])
    assert case.due_on == add_days(timezone.localdate(), 2, working=True)
    assert [s.kind for s in case.steps.all()] == ["received"]
    assert _events(case)[-1].event == "support.case.recorded"


def test_a_risk_case_is_due_today_and_alerts_the_lead(acting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = recorded("xiaoliu_women", category="domestic_violence", risk=True)
    assert case.due_on == add_days(timezone.localdate(), 0, working=True)
    note = Notification.objects.get(code="support.case.risk", organization=case.organization,
                                    dedupe_key__contains=f":{case.pk}:")
    assert SUMMARY not in note.message and MOBILE not in note.message


@pytest.mark.parametrize("data,field", [
    ({"category": "nope"}, "category"),
    ({"summary": " "}, "summary"),
    ({"contact_mobile": "abc"}, "contact_mobile"),
    ({"channel": "online"}, "channel"),
    ({"involves_minor": True, "legal_basis": "consent", "consent_at": timezone.now()}, "legal_basis"),
    ({"legal_basis": "guardian"}, "consent_at"),
])
def test_bad_intake_saves_nothing(acting, data, field):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as exc:
        recorded("xiaoliu_women", **data)
    assert field in exc.value.message_dict
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in exc.value.messages)
    assert Case.objects.count() == before


def test_a_child_under_14_is_sensitive_with_the_guardians_consent(acting):
    case = recorded("xiaoliu_women", category="marriage_family")
    assert not case.sensitive
    with pytest.raises(ValidationError):
        services.case_update(actor=acting("xiaoliu_women"), case=case, data={"involves_minor": True,
                                                                            "legal_basis": "guardian"})
    case.refresh_from_db()
    assert not case.involves_minor
    done = services.case_update(actor=acting("xiaoliu_women"), case=case, data={
        "involves_minor": True, "legal_basis": "guardian", "consent_at": timezone.now() - timedelta(hours=1),
        "narrative": NARRATIVE, "contact_name": "杨女士"})
    assert done.sensitive and done.involves_minor and done.narrative == NARRATIVE
    changes = _events(case)[-1].changes
    assert changes["narrative"] == "***" and changes["contact_name"] == "***"
    assert NARRATIVE not in json.dumps(changes, ensure_ascii=False)


def test_the_person_linked_must_be_in_reach(acting):
    from gongjian.kernel.models import Person

    case = recorded("xiaoliu_women")
    stranger = Person.objects.filter(organization__name="郭家村妇联").first()
    with pytest.raises(ValidationError):
        services.case_update(actor=acting("xiaoliu_women"), case=case, data={"person": stranger})
    own = Person.objects.filter(organization__name="小留村妇联", positions__isnull=True).first()
    assert services.case_update(actor=acting("xiaoliu_women"), case=case, data={"person": own}).person == own


def test_the_whole_life_of_a_case(acting):
    lead = acting("xiaoliu_women")
    case = recorded("xiaoliu_women")
    services.case_accept(actor=lead, case=case)
    case.refresh_from_db()
    assert case.state == "accepted" and case.accepted_at
    assert case.due_on == add_days(timezone.localdate(), 15, working=True)
    services.case_step_add(actor=lead, case=case, kind="mediation", note="上门调解")
    case.refresh_from_db()
    assert case.state == "handling"
    services.case_step_add(actor=lead, case=case, kind="call", note="电话回访")
    services.case_resolve(actor=lead, case=case, outcome="mediated", public_reply="已调解")
    case.refresh_from_db()
    assert case.state == "resolved" and case.public_reply == "已调解"
    services.case_follow_up(actor=lead, case=case, satisfaction="satisfied")
    services.case_close(actor=lead, case=case)
    case.refresh_from_db()
    assert case.state == "closed" and case.due_on is None and case.closed_at
    kinds = [s.kind for s in case.steps.all()]
    assert kinds == ["received", "accepted", "mediation", "call", "resolved", "followed_up", "closed"]
    events = [e.event for e in _events(case)]
    assert events == ["support.case.recorded", "support.case.accepted", "support.case.step_added",
                      "support.case.step_added", "support.case.resolved", "support.case.followed_up",
                      "support.case.closed"]
    with pytest.raises(ValidationError):
        services.case_step_add(actor=lead, case=case, kind="call", note="结案后")


def test_an_unsatisfied_follow_up_reopens_the_case(acting):
    lead = acting("xiaoliu_women")
    case = accepted("xiaoliu_women")
    services.case_resolve(actor=lead, case=case, outcome="unresolved", public_reply="暂未解决")
    with pytest.raises(ValidationError):
        services.case_follow_up(actor=lead, case=case, satisfaction="satisfied", reopen=True)
    services.case_follow_up(actor=lead, case=case, satisfaction="unsatisfied", reopen=True)
    case.refresh_from_db()
    assert case.state == "handling" and case.satisfaction == "unsatisfied"
    assert list(case.steps.values_list("kind", flat=True))[-2:] == ["followed_up", "reopened"]


def test_not_accepted_keeps_the_reason_for_her(acting):
    case = recorded("xiaoliu_women")
    with pytest.raises(ValidationError):
        services.case_not_accept(actor=acting("xiaoliu_women"), case=case, reason="")
    services.case_not_accept(actor=acting("xiaoliu_women"), case=case, reason="属于劳动仲裁，已告知拨打12333")
    case.refresh_from_db()
    assert case.state == "not_accepted" and case.not_accepted_reason.startswith("属于劳动仲裁")
    assert not case.is_open and case.due_on is None


def test_a_referral_up_moves_the_case_and_the_receiving_lead_accepts_it_again(acting):
    case = referred_up("xiaoliu_women")
    assert case.state == "referred" and case.organization.name == "太华路街道妇联"
    assert case.intake_organization.name == "小留村妇联"
    assert case.handlers.count() == 0  # need-to-know: the township names its own handlers
    step = case.steps.last()
    assert step.kind == "referred" and step.to_organization == case.organization
    assert step.organization.name == "小留村妇联"
    village = acting("xiaoliu_women")
    assert not Case.objects.filter(pk=case.pk).filter(pk__in=_visible(village)).exists()
    township = acting("taihua_fed")
    services.case_accept(actor=township, case=case)
    case.refresh_from_db()
    assert case.state == "accepted" and list(case.handlers.all()) == [township]
    # ... and on to the county.
    services.case_refer(actor=township, case=case, to_organization=Organization.objects.get(name="华阴市妇联"))
    case.refresh_from_db()
    assert case.organization.name == "华阴市妇联"


def _visible(user):
    from gongjian.kernel import access

    return access.visible(user, Case.objects.all()).values("pk")


@pytest.mark.parametrize("target", ["郭家村妇联", "罗敷镇妇联", "小留村妇联", "中共太华路街道委员会", "平罗县妇联"])
def test_a_referral_goes_only_up_the_federation_line(acting, target):
    case = accepted("xiaoliu_women")
    with pytest.raises(ValidationError):
        services.case_refer(actor=acting("xiaoliu_women"), case=case,
                            to_organization=Organization.objects.get(name=target))
    case.refresh_from_db()
    assert case.organization.name == "小留村妇联" and case.state == "accepted"


def test_a_referral_to_a_partner_waits_for_its_feedback(acting):
    lead = acting("xiaoliu_women")
    case = accepted("xiaoliu_women")
    with pytest.raises(ValidationError):
        services.case_refer(actor=lead, case=case)  # neither
    with pytest.raises(ValidationError):
        services.case_refer(actor=lead, case=case, to_partner="nowhere")
    services.case_refer(actor=lead, case=case, to_partner="justice", partner_name="太华路司法所")
    case.refresh_from_db()
    assert case.state == "referred" and case.organization.name == "小留村妇联"
    assert case.referred_partner == "justice" and case.handlers.count() == 1
    with pytest.raises(ValidationError):
        services.case_accept(actor=lead, case=case)
    services.case_feedback(actor=lead, case=case, note="司法所已受理法律援助申请")
    case.refresh_from_db()
    assert case.state == "handling"
    with pytest.raises(ValidationError):
        services.case_feedback(actor=lead, case=case, note="再次反馈")


def test_the_lead_names_handlers_from_her_organisation(acting):
    lead = acting("lingsha_fed")
    case = recorded("lingsha_fed", channel="whisper_line", category="health_advice")
    volunteer = persona("lingsha_line")
    assert not services.handler_candidates(case.organization).filter(username="xiaoliu_women").exists()
    with pytest.raises(ValidationError):
        services.case_assign(actor=lead, case=case, handlers=[persona("xiaoliu_women").pk])
    with pytest.raises(ValidationError):
        services.case_assign(actor=lead, case=case, handlers=[])
    services.case_assign(actor=lead, case=case, handlers=[volunteer.pk])
    assert list(case.handlers.all()) == [volunteer]
    assert case.steps.last().kind == "assigned"
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=persona("lingsha_line"), case=case, handlers=[volunteer.pk])
    with pytest.raises(PermissionDenied):  # a staff member of her own organisation, not named
        services.case_accept(actor=staff_of("灵沙乡妇联"), case=case)


def test_only_the_lead_closes(acting):
    lead = acting("lingsha_fed")
    case = recorded("lingsha_fed", channel="whisper_line", category="health_advice")
    services.case_assign(actor=lead, case=case, handlers=[persona("lingsha_line").pk])
    volunteer = persona("lingsha_line")
    services.case_accept(actor=volunteer, case=case)
    services.case_resolve(actor=volunteer, case=case, outcome="advice", public_reply="已解答")
    services.case_follow_up(actor=volunteer, case=case, satisfaction="satisfied")
    with pytest.raises(PermissionDenied):
        services.case_close(actor=volunteer, case=case)
    services.case_close(actor=lead, case=case)


def test_a_stale_move_is_refused(acting):
    case = recorded("xiaoliu_women")
    old = Case.objects.get(pk=case.pk)
    services.case_accept(actor=acting("xiaoliu_women"), case=case)
    with pytest.raises(ValidationError):
        services.case_not_accept(actor=acting("xiaoliu_women"), case=old, reason="重复登记")


def test_nothing_is_ever_deleted():
    from django.db.models import ProtectedError

    case = recorded("xiaoliu_women")
    with pytest.raises(ProtectedError):
        case.organization.delete()
    assert CaseStep._meta.get_field("case").remote_field.on_delete.__name__ == "PROTECT"
