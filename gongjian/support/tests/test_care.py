"""关爱: the services and selectors of care recipients and 爱心妈妈 pairings, P-05 (the minor flag,
the legal basis, the elevated permission), the sweep and the figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.kernel import figures
from gongjian.kernel.models import (
    AuditEvent,
    Notification,
    Pairing,
    PairingPurpose,
    Person,
)
from gongjian.kernel.permissions import can
from gongjian.support.models import CareRecipient, LegalBasis, RecipientCategory
from gongjian.support.selectors import care as selectors
from gongjian.support.services import care as services

from .factories import care_person, pair_mother, register_recipient, staff_clerk

pytestmark = pytest.mark.django_db


# --- P-05 (the test SECURITY.md describes) ---------------------------------------------------------

def test_p05_a_child_born_under_14_years_ago_is_flagged_automatically(acting):
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        child = care_person(age=13)
        older = care_person(age=14, name="满十四岁")
        young = register_recipient(acting("guojia_women"), child)
        grown = register_recipient(acting("guojia_women"), older, legal_basis=LegalBasis.STATUTORY)
        assert young.minor_under_14 is True and young.is_minor
        assert grown.minor_under_14 is False and not grown.is_minor and not grown.restricted
    # Re-derived when read: a year later the same (un-saved) record is no longer a minor's.
    with time_machine.travel(datetime(2027, 6, 1, 10, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        again = CareRecipient.objects.get(pk=young.pk)
        assert again.minor_under_14 is True  # as stored
        assert again.is_minor is False  # as it is today


def test_p05_the_flag_comes_from_the_id_number_when_there_is_no_birth_date(acting):
    child = care_person(age=6, with_birth_date=False)
    assert child.birth_date is None
    assert register_recipient(acting("guojia_women"), child).minor_under_14 is True


def test_p05_saving_without_a_legal_basis_is_refused(acting, org):
    child = care_person(age=8)
    before = CareRecipient.objects.count()
    with pytest.raises(ValidationError) as raised:
        register_recipient(acting("guojia_women"), child, legal_basis="")
    assert "legal_basis" in raised.value.message_dict
    with pytest.raises(ValidationError):  # not even straight through the model
        CareRecipient(organization=org("郭家村妇联"), person=child, category=RecipientCategory.LEFT_BEHIND_CHILD).save()
    assert CareRecipient.objects.count() == before


def test_p05_a_minor_needs_the_guardians_consent_or_the_statutory_duty(acting):
    child = care_person(age=10)
    with pytest.raises(ValidationError) as raised:
        register_recipient(acting("guojia_women"), child, legal_basis=LegalBasis.CONSENT)
    assert "监护人" in raised.value.message_dict["legal_basis"][0]
    with pytest.raises(ValidationError) as raised:
        register_recipient(acting("guojia_women"), child, consent_given=False)
    assert "consent_at" in raised.value.message_dict
    found = register_recipient(acting("guojia_women"), child)
    assert found.legal_basis == LegalBasis.GUARDIAN and found.consent_at is not None


def test_p05_a_viewer_without_the_elevated_permission_sees_masked_details(acting):
    child = register_recipient(acting("guojia_women"), care_person(age=9, name="郭测试"))
    clerk = acting(staff_clerk("太华路街道妇联", "taihua_clerk").username)
    assert can(clerk, "support.view_recipient", child)  # in reach…
    assert not can(clerk, "support.view_sensitive_recipient", child)  # …without the details
    (row,) = selectors.with_shown(clerk, [child])
    assert not row.shown and row.display_name == "郭**"
    for lead in ("guojia_women", "taihua_fed", "huayin_fed"):
        (row,) = selectors.with_shown(acting(lead), [CareRecipient.objects.get(pk=child.pk)])
        assert row.shown and row.display_name == "郭测试", lead
    village_clerk = acting(staff_clerk("郭家村妇联", "guojia_clerk").username)
    assert can(village_clerk, "support.view_sensitive_recipient", child)  # her own organisation's record


def test_an_adults_record_is_shown_to_everyone_in_reach(acting):
    adult = register_recipient(acting("guojia_women"), care_person(age=40, name="成年人"),
                               category=RecipientCategory.POOR_WOMAN, legal_basis=LegalBasis.STATUTORY)
    clerk = acting(staff_clerk("太华路街道妇联", "taihua_clerk2").username)
    assert selectors.details_shown(clerk, adult)
    ill = register_recipient(acting("guojia_women"), care_person(age=50, name="患病者"),
                             category=RecipientCategory.ILL_DISABLED, legal_basis=LegalBasis.CONSENT)
    assert ill.sensitive and not selectors.details_shown(clerk, ill)


# --- registry --------------------------------------------------------------------------------------

def test_register_is_audited_without_the_needs_in_clear(acting):
    found = register_recipient(acting("guojia_women"), needs="需要看病买药的秘密")
    event = AuditEvent.objects.filter(event="support.recipient.registered", object_id=str(found.pk)).get()
    text = str(event.changes)
    assert "秘密" not in text and "13791350001" not in text and event.changes["needs"] == "changed"


def test_needs_and_guardian_are_encrypted_at_rest(acting):
    found = register_recipient(acting("guojia_women"), needs="独特的需求文字", guardian_mobile="13791359876")
    with connection.cursor() as cursor:
        cursor.execute("select needs, guardian_mobile, guardian_name from support_carerecipient where id = %s",
                       [found.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "独特的需求文字" not in row and "13791359876" not in row and "测试监护人" not in row
    assert CareRecipient.objects.get(pk=found.pk).needs == "独特的需求文字"
    assert found.guardian_mobile_masked == "137****9876"


def test_register_refuses_a_person_out_of_reach_and_a_child_without_guardian(acting):
    far = care_person("小留村妇联", age=9)
    with pytest.raises(ValidationError) as raised:
        register_recipient(acting("guojia_women"), far)
    assert "person" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        register_recipient(acting("guojia_women"), guardian_name="")
    assert "guardian_name" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        register_recipient(acting("guojia_women"), guardian_mobile="12345")
    assert "guardian_mobile" in raised.value.message_dict


def test_the_party_side_may_not_register(acting):
    with pytest.raises(PermissionDenied):
        register_recipient(acting("xiaoliu_branch"), care_person("小留村妇联"))


def test_a_person_is_registered_once_per_category(acting):
    child = care_person()
    register_recipient(acting("guojia_women"), child)
    with pytest.raises(ValidationError):
        register_recipient(acting("guojia_women"), child)


def test_update_keeps_the_person_and_turns_the_sensitive_flag_on_only(acting):
    found = register_recipient(acting("guojia_women"), care_person(age=30), category=RecipientCategory.POOR_WOMAN,
                               legal_basis=LegalBasis.STATUTORY)
    changed = services.recipient_update(actor=acting("guojia_women"), recipient=found,
                                        data={"needs": "新的需求", "sensitive": True})
    assert changed.needs == "新的需求" and changed.sensitive
    again = services.recipient_update(actor=acting("guojia_women"), recipient=changed, data={"sensitive": False})
    assert again.sensitive


def test_end_keeps_the_record_and_ends_its_pairings(acting):
    guojia = acting("guojia_women")
    found = register_recipient(guojia)
    pairing = pair_mother(guojia, found)
    with pytest.raises(ValidationError):
        services.recipient_end(actor=guojia, recipient=found, reason="")
    services.recipient_end(actor=guojia, recipient=found, reason="父母返乡")
    found.refresh_from_db()
    pairing.refresh_from_db()
    assert found.ended_on == timezone.localdate() and found.end_reason == "父母返乡"
    assert pairing.ended_on == timezone.localdate()
    assert not selectors.recipient_list_visible_to(user=guojia).filter(pk=found.pk).exists()
    assert selectors.recipient_list_visible_to(user=guojia, show=selectors.SHOW_ENDED).filter(pk=found.pk).exists()


def test_the_list_is_the_subtree_and_filters(acting, org):
    found = register_recipient(acting("guojia_women"))
    assert selectors.recipient_list_visible_to(user=acting("taihua_fed")).filter(pk=found.pk).exists()
    assert not selectors.recipient_list_visible_to(user=acting("xiaoliu_women")).filter(pk=found.pk).exists()
    assert not selectors.recipient_list_visible_to(user=acting("lingsha_fed")).filter(pk=found.pk).exists()
    taihua = acting("taihua_fed")
    assert selectors.recipient_list_visible_to(user=taihua, organization=org("郭家村妇联")).filter(pk=found.pk).exists()
    assert not selectors.recipient_list_visible_to(user=taihua, organization=org("小留村妇联")).filter(pk=found.pk).exists()
    assert not selectors.recipient_list_visible_to(user=taihua, category=RecipientCategory.POOR_WOMAN).filter(
        pk=found.pk).exists()


# --- pairings --------------------------------------------------------------------------------------

def test_a_pairing_is_a_kernel_pairing_of_purpose_care_kept_by_the_recipients_village(acting, org):
    found = register_recipient(acting("taihua_fed"), organization=org("郭家村妇联"))
    pairing = pair_mother(acting("taihua_fed"), found, interval_days=30)
    assert pairing.kind == PairingPurpose.CARE and pairing.organization == org("郭家村妇联")
    assert pairing.mentee == found.person
    assert pairing.due_on == pairing.started_on + timedelta(days=30)
    assert AuditEvent.objects.filter(event="support.care.paired", object_id=str(pairing.pk)).exists()


def test_a_pairings_mentee_must_be_a_current_recipient_in_reach(acting):
    guojia = acting("guojia_women")
    found = register_recipient(guojia)
    services.recipient_end(actor=guojia, recipient=found, reason="搬离本村")
    with pytest.raises(ValidationError) as raised:
        pair_mother(guojia, found)
    assert "recipient" in raised.value.message_dict
    other = register_recipient(acting("xiaoliu_women"), care_person("小留村妇联"))
    from django.http import Http404

    with pytest.raises(Http404):
        pair_mother(guojia, other, mentor=Person.objects.get(name="郭彩霞"))
    with pytest.raises(ValidationError) as raised:
        pair_mother(guojia, register_recipient(guojia), mentor=Person.objects.filter(
            organization__name="小留村妇联", gender="F").first())
    assert "mentor" in raised.value.message_dict


def test_a_visit_moves_the_due_date_and_the_overdue_board_is_one_query(acting):
    guojia = acting("guojia_women")
    today = timezone.localdate()
    pairing = pair_mother(guojia, register_recipient(guojia), started_on=today - timedelta(days=40))
    assert selectors.pairings_overdue(user=guojia).filter(pk=pairing.pk).exists()
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.pairings_overdue(user=guojia))
    assert len(queries) == 1 and pairing.pk in {p.pk for p in rows}
    services.visit_add(actor=guojia, pairing=pairing, day=today - timedelta(days=2), content="辅导作业，谈心。")
    pairing.refresh_from_db()
    assert pairing.due_on == today + timedelta(days=28)
    assert not selectors.pairings_overdue(user=guojia).filter(pk=pairing.pk).exists()


def test_a_development_pairing_is_not_a_care_one(acting):
    guojia = acting("guojia_women")
    dev = Pairing.objects.filter(kind=PairingPurpose.DEVELOPMENT).first()
    assert dev is not None
    with pytest.raises(ValidationError):
        services.visit_add(actor=guojia, pairing=dev, day=timezone.localdate(), content="不应登记的内容")
    assert not selectors.pairing_list_visible_to(user=acting("huayin_fed")).filter(pk=dev.pk).exists()


def test_pairings_of_a_minor_are_masked_for_a_clerk_above(acting):
    guojia = acting("guojia_women")
    pairing = pair_mother(guojia, register_recipient(guojia, care_person(name="郭保密")))
    clerk = acting(staff_clerk("太华路街道妇联", "taihua_clerk3").username)
    (row,) = selectors.with_recipients(clerk, [selectors.pairing_get(user=clerk, pairing_id=pairing.pk)])
    assert not row.shown and row.mentee_label == "郭**"
    (row,) = selectors.with_recipients(guojia, [selectors.pairing_get(user=guojia, pairing_id=pairing.pk)])
    assert row.shown and row.mentee_label == "郭保密" and row.recipient is not None


# --- the sweep -------------------------------------------------------------------------------------

def test_the_sweep_reminds_due_and_overdue_pairings_once(acting, org):
    guojia = acting("guojia_women")
    fixed = date(2026, 5, 20)
    with time_machine.travel(datetime(2026, 5, 20, 9, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        soon = pair_mother(guojia, register_recipient(guojia), started_on=date(2026, 4, 22))  # due 5-22
        late = pair_mother(guojia, register_recipient(guojia), started_on=date(2026, 4, 1))  # due 5-01
        later = pair_mother(guojia, register_recipient(guojia), started_on=date(2026, 5, 10))  # due 6-09
    Pairing.objects.filter(kind=PairingPurpose.CARE).exclude(pk__in=[soon.pk, late.pk, later.pk]).update(
        due_on=date(2030, 1, 1))
    village = org("郭家村妇联")
    before = set(Notification.objects.filter(organization=village).values_list("pk", flat=True))
    assert services.care_sweep(today=fixed) == 2
    made = Notification.objects.filter(organization=village).exclude(pk__in=before)
    assert {n.code for n in made} == {"support.care.visit_due", "support.care.visit_overdue"}
    assert all(f"/work/support/care/pairings/{p.pk}/" in {n.link for n in made} for p in (soon, late))
    assert all("保密" not in n.message for n in made)
    assert services.care_sweep(today=fixed) == 0  # idempotent
    call_command("support_care_sweep", "--today", "2026-05-20")
    assert Notification.objects.filter(organization=village).exclude(pk__in=before).count() == 2
    # The next day the one due becomes overdue: one new reminder.
    assert services.care_sweep(today=date(2026, 5, 23)) == 1


# --- figures ---------------------------------------------------------------------------------------

def test_the_care_figures_count_the_subtree(acting, org):
    guojia = acting("guojia_women")
    today = timezone.localdate()
    ask_orgs = [org("郭家村妇联"), org("太华路街道妇联"), org("小留村妇联")]
    found = register_recipient(guojia)
    pairing = pair_mother(guojia, found, started_on=today - timedelta(days=5))
    services.visit_add(actor=guojia, pairing=pairing, day=today, content="上门辅导作业。")
    answer = selectors.provide_figures(figures.Ask(organizations=ask_orgs, start=today - timedelta(days=30), end=today))
    guojia_id, taihua_id, xiaoliu_id = (o.pk for o in ask_orgs)
    assert answer[guojia_id]["recipients"] >= 6 and answer[guojia_id]["left_behind_child"] >= 5
    assert answer[taihua_id]["recipients"] >= answer[guojia_id]["recipients"] + answer[xiaoliu_id]["recipients"]
    assert answer[xiaoliu_id]["recipients"] == 0 and answer[xiaoliu_id]["pairings"] == 0
    assert answer[guojia_id]["pairings"] >= 4 and answer[guojia_id]["overdue"] >= 1
    assert answer[guojia_id]["visits"] >= 2
    assert "care.visits" in dict(figures.catalogue())


def test_a_clerk_above_may_not_end_pair_or_log_a_minors_record(acting):
    guojia = acting("guojia_women")
    child = register_recipient(guojia)
    pairing = pair_mother(guojia, child)
    clerk = acting(staff_clerk("太华路街道妇联", "taihua_clerk_writes").username)
    with pytest.raises(PermissionDenied):
        services.recipient_end(actor=clerk, recipient=child, reason="不应结束")
    with pytest.raises(PermissionDenied):
        pair_mother(clerk, child, mentor=Person.objects.get(name="郭彩霞"))
    with pytest.raises(PermissionDenied):
        services.visit_add(actor=clerk, pairing=pairing, day=timezone.localdate(), content="不应登记的走访")
    with pytest.raises(PermissionDenied):
        services.recipient_update(actor=clerk, recipient=child, data={"needs": "不应修改"})
    child.refresh_from_db()
    assert child.ended_on is None and pairing.meetings.count() == 0
