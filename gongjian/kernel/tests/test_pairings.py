"""The kernel's pairing mechanism (kernel/pairings.py): a purpose a body of work registered, a pair
of women in reach, meetings that move the next contact, the overdue board in one query, ending a
pair; every write audited. development's 牵手结对 is the registered purpose used here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.kernel import pairings
from gongjian.kernel.models import AuditEvent, Pairing, PairingPurpose, Person

pytestmark = pytest.mark.django_db

DEV = PairingPurpose.DEVELOPMENT


def women(village: str, n: int) -> list[Person]:
    return list(Person.objects.filter(organization__name=village, gender="F", positions__isnull=True)
                .order_by("-pk")[:n])


def pair(actor, village: str = "小留村妇联", **extra) -> Pairing:
    mentor, mentee = women(village, 2)
    return pairings.pairing_create(actor=actor, purpose=DEV, mentor=mentor, mentee=mentee, **extra)


def test_a_meeting_moves_the_next_contact_one_interval_on(acting):
    actor = acting("xiaoliu_women")
    today = timezone.localdate()
    found = pair(actor, started_on=today - timedelta(days=40), interval_days=30)
    assert found.due_on == today - timedelta(days=10)
    assert found in pairings.pairings_overdue(user=actor, purpose=DEV)
    pairings.pairing_meeting_add(actor=actor, pairing=found, day=today, content="上门指导果树修剪")
    found.refresh_from_db()
    assert found.last_met_on == today and found.due_on == today + timedelta(days=30)
    assert found not in pairings.pairings_overdue(user=actor, purpose=DEV)
    assert AuditEvent.objects.filter(event="kernel.pairing.meeting_added").exists()


def test_a_pair_of_one_woman_or_out_of_reach_is_refused(acting):
    actor = acting("xiaoliu_women")
    mentor = women("小留村妇联", 1)[0]
    with pytest.raises(ValidationError) as exc:
        pairings.pairing_create(actor=actor, purpose=DEV, mentor=mentor, mentee=mentor)
    assert "帮带人和结对对象不能是同一人。" in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        pairings.pairing_create(actor=actor, purpose=DEV, mentor=mentor, mentee=women("郭家村妇联", 1)[0])
    assert "请选择本辖区内的结对对象。" in exc.value.messages


def test_the_same_open_pair_is_not_registered_twice(acting):
    actor = acting("xiaoliu_women")
    pair(actor)
    with pytest.raises(ValidationError):
        pair(actor)


def test_a_purpose_nobody_registered_is_refused(acting, monkeypatch):
    # Both purposes are registered now (support registers `care`): take it away for this test.
    monkeypatch.delitem(pairings._PURPOSES, PairingPurpose.CARE)
    mentor, mentee = women("小留村妇联", 2)
    with pytest.raises(PermissionDenied):
        pairings.pairing_create(actor=acting("xiaoliu_women"), purpose=PairingPurpose.CARE, mentor=mentor,
                                mentee=mentee)
    assert not pairings.pairings_visible_to(user=acting("xiaoliu_women"), purpose=PairingPurpose.CARE).exists()


def test_an_ended_pair_takes_no_more_meetings_and_leaves_the_board(acting):
    actor = acting("xiaoliu_women")
    found = pair(actor, started_on=timezone.localdate() - timedelta(days=90))
    pairings.pairing_end(actor=actor, pairing=found, reason="已能独立经营")
    found.refresh_from_db()
    with pytest.raises(ValidationError):
        pairings.pairing_meeting_add(actor=actor, pairing=found, day=timezone.localdate(), content="再次走访")
    assert found not in pairings.pairings_overdue(user=actor, purpose=DEV)


def test_another_village_neither_sees_nor_keeps_the_pair(acting):
    found = pair(acting("xiaoliu_women"))
    other = acting("guojia_women")
    assert found not in pairings.pairings_visible_to(user=other, purpose=DEV)
    with pytest.raises(PermissionDenied):
        pairings.pairing_meeting_add(actor=other, pairing=found, day=timezone.localdate(), content="越权登记")
    assert found in pairings.pairings_visible_to(user=acting("taihua_fed"), purpose=DEV)


def test_the_overdue_board_is_one_query_however_many_pairs(acting):
    actor = acting("taihua_fed")
    start = timezone.localdate() - timedelta(days=60)
    pair(actor, "小留村妇联", started_on=start)
    with CaptureQueriesContext(connection) as one:
        rows = list(pairings.pairings_overdue(user=actor, purpose=DEV))
    for village in ("郭家村妇联", "南营村妇联"):
        mentor, mentee = women(village, 4)[2:]
        pairings.pairing_create(actor=actor, purpose=DEV, mentor=mentor, mentee=mentee, started_on=start)
    with CaptureQueriesContext(connection) as three:
        more = list(pairings.pairings_overdue(user=actor, purpose=DEV))
    assert len(more) == len(rows) + 2
    assert len(three) == len(one)
    assert [p.due_on for p in more] == sorted(p.due_on for p in more)


def test_the_note_and_what_a_visit_found_are_encrypted_at_rest_and_not_audited(acting):
    """P-01: a care visit can describe a child (issue 10's care notes); a pair's note and a meeting's
    content are SM4 at rest, read back in clear, and the audit log says only that a note was written."""
    actor = acting("xiaoliu_women")
    found = pair(actor, note="孩子父母在外打工，奶奶有高血压")
    meeting = pairings.pairing_meeting_add(actor=actor, pairing=found, day=timezone.localdate(),
                                           content="孩子说晚上害怕，想妈妈")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM kernel_pairing WHERE id = %s", [found.pk])
        (note,) = cursor.fetchone()
        cursor.execute("SELECT content FROM kernel_pairingmeeting WHERE id = %s", [meeting.pk])
        (content,) = cursor.fetchone()
    assert "高血压" not in note and "害怕" not in content
    assert Pairing.objects.get(pk=found.pk).note == "孩子父母在外打工，奶奶有高血压"
    assert meeting.__class__.objects.get(pk=meeting.pk).content == "孩子说晚上害怕，想妈妈"
    created = AuditEvent.objects.get(event="kernel.pairing.created", object_id=str(found.pk))
    assert "高血压" not in str(created.changes) and created.changes["note"] == [None, "***"]


def test_the_migration_encrypts_text_written_before_it(acting):
    import importlib

    from django.db import connection as conn

    actor = acting("xiaoliu_women")
    found = pair(actor)
    with conn.cursor() as cursor:
        cursor.execute("UPDATE kernel_pairing SET note = %s WHERE id = %s", ["旧的明文备注", found.pk])
    migration = importlib.import_module("gongjian.kernel.migrations.0017_pairing_text_encrypted")

    class Editor:
        connection = conn

    migration.encrypt_existing(None, Editor())
    with conn.cursor() as cursor:
        cursor.execute("SELECT note FROM kernel_pairing WHERE id = %s", [found.pk])
        (stored,) = cursor.fetchone()
    assert "明文" not in stored and Pairing.objects.get(pk=found.pk).note == "旧的明文备注"
