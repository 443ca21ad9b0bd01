"""L-01..L-07: the audit chain is append-only, complete, tamper-evident and fails closed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from gongjian.kernel import audit
from gongjian.kernel.models import AuditEvent, Person

pytestmark = pytest.mark.django_db


def make_events(n: int) -> list[AuditEvent]:
    return [audit.record(None, "test.event", actor=None, username=f"u{i}", changes={"i": i}) for i in range(n)]


class raw_tamper:
    """Switch the append-only triggers off, as a database superuser could, to simulate tampering."""

    def __enter__(self):
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute("SET CONSTRAINTS ALL IMMEDIATE")
                c.execute("ALTER TABLE kernel_auditevent DISABLE TRIGGER USER")
            else:
                c.execute("DROP TRIGGER kernel_auditevent_no_update")
                c.execute("DROP TRIGGER kernel_auditevent_no_delete")
        return self

    def __exit__(self, *exc):
        from gongjian.kernel.migrations import _triggers

        if connection.vendor == "postgresql":
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        _triggers.install(connection)


def verify() -> tuple[int, str]:
    err = io.StringIO()
    try:
        call_command("verify_audit", stdout=io.StringIO(), stderr=err)
    except CommandError:
        return 1, err.getvalue()
    return 0, err.getvalue()


def test_untouched_chain_verifies():
    make_events(20)
    status, report = verify()
    # Without a checkpoint the chain verifies, and the report says a cut-off tail could not be seen.
    assert status == 0 and "没有可用的审计检查点" in report


def test_the_events_after_the_newest_checkpoint_are_reported_as_unprotected():
    """Issue 12 §3: what a cut after the last checkpoint could hide is said, in numbers."""
    make_events(5)
    line = audit.checkpoint_write()
    make_events(3)
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_audit", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert f"最近的检查点：{line['at']}，覆盖前 {line['count']} 条" in out.getvalue()
    assert "其后的 3 条尚未进入检查点" in out.getvalue()
    audit.checkpoint_write()
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert "之后没有新记录" in out.getvalue()


def test_edited_row_is_reported_by_its_index():
    events = make_events(40)
    target = events[36]
    with raw_tamper(), connection.cursor() as c:
        c.execute("UPDATE kernel_auditevent SET changes = %s WHERE id = %s", ['{"i": 999}', target.pk])
    status, report = verify()
    assert status == 1
    assert f"#{target.chain_index} edited" in report


def test_deleted_row_is_reported():
    events = make_events(60)
    target = events[49]
    with raw_tamper(), connection.cursor() as c:
        c.execute("DELETE FROM kernel_auditevent WHERE id = %s", [target.pk])
    status, report = verify()
    assert status == 1
    assert f"#{target.chain_index} missing" in report


def test_reordered_rows_are_reported():
    events = make_events(10)
    a, b = events[3], events[4]
    with raw_tamper(), connection.cursor() as c:
        c.execute("UPDATE kernel_auditevent SET chain_index = -1 WHERE id = %s", [a.pk])
        c.execute("UPDATE kernel_auditevent SET chain_index = %s WHERE id = %s", [a.chain_index, b.pk])
        c.execute("UPDATE kernel_auditevent SET chain_index = %s WHERE id = %s", [b.chain_index, a.pk])
    status, report = verify()
    assert status == 1 and "reordered" in report


def test_truncated_tail_is_reported():
    events = make_events(5)
    with raw_tamper(), connection.cursor() as c:
        c.execute("DELETE FROM kernel_auditevent WHERE id = %s", [events[-1].pk])
    status, report = verify()
    assert status == 1 and "truncated" in report


def test_the_app_cannot_change_or_delete_an_audit_row():
    event = make_events(1)[0]
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(event="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_database_refuses_raw_update_and_delete():
    event = make_events(1)[0]
    for sql in ("UPDATE kernel_auditevent SET event = 'x' WHERE id = %s",
                "DELETE FROM kernel_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).event == "test.event"


def test_every_record_has_the_required_fields(login):
    login("taihua_fed").get("/work/")
    event = AuditEvent.objects.filter(event="kernel.auth.login").order_by("-chain_index").first() or \
        make_events(1)[0]
    assert event.at.tzinfo is not None
    assert event.event and event.result and event.row_hash and event.prev_hash


def test_person_changes_are_recorded_with_masked_before_and_after(acting, org):
    from gongjian.kernel import services

    actor = acting("guojia_women")
    person = services.person_create(actor=actor, data={
        "name": "测试人", "gender": "F", "id_number": "11010519491231002X", "mobile": "13800138000",
        "organization": org("郭家村妇联"), "political_status": "masses",
    })
    event = AuditEvent.objects.filter(event="kernel.person.created", object_id=str(person.pk)).get()
    text = str(event.changes)
    assert "11010519491231002X" not in text and "13800138000" not in text
    assert "1101**********002X" in text and "138****8000" in text
    assert event.actor_username == "guojia_women"
    assert event.acting_organization.name == "郭家村妇联"


def test_failed_audit_write_rolls_back_the_operation(acting, org, monkeypatch):
    from gongjian.kernel import services

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken)
    monkeypatch.setattr(services.audit, "record", broken)
    before = Person.objects.count()
    with pytest.raises(DatabaseError):
        services.person_create(actor=acting("guojia_women"), data={
            "name": "不应保存", "gender": "F", "organization": org("郭家村妇联"), "political_status": "masses"})
    assert Person.objects.count() == before


def test_reveal_is_not_shown_when_audit_fails(login, monkeypatch):
    from gongjian.kernel import services

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    person = Person.objects.filter(organization__name="郭家村妇联").first()
    client = login("guojia_women")
    monkeypatch.setattr(services.audit, "record", broken)
    client.raise_request_exception = False
    response = client.post(f"/work/people/{person.pk}/reveal/", {"field": "id_number", "reason": "核对信息"})
    assert response.status_code == 500
    assert person.id_number not in response.content.decode()


def test_audit_viewer_escapes_stored_strings(login):
    audit.record(None, "test.xss", actor=None, username="<img src=x onerror=alert(1)>",
                 changes={"note": "<script>alert(1)</script>"})
    body = login("auditor").get("/work/console/audit/").content.decode()
    assert "<img src=x" not in body and "<script>alert(1)" not in body
    assert "&lt;img src=x" in body


def test_a_forged_newline_in_a_username_stays_on_one_record():
    from django.test import Client

    Client().post("/work/login/", {"username": "a\nFAKE ENTRY", "password": "x"})
    event = AuditEvent.objects.filter(event="kernel.auth.login_failed").order_by("-chain_index").first()
    assert "\n" not in event.actor_username


def test_retention_setting_is_at_least_six_months():
    from django.conf import settings

    assert settings.AUDIT_RETENTION_DAYS >= 183


# --- checkpoints out of the database (L-04, issue 12) -----------------------------------------------


def test_cutting_off_the_newest_rows_and_fixing_the_head_is_found_by_the_checkpoint():
    """The attack of issue 12: triggers dropped, newest rows deleted, head fixed — the chain alone
    verifies, the checkpoint written before does not."""
    events = make_events(30)
    audit.checkpoint_write()
    keep = events[19]
    with raw_tamper(), connection.cursor() as c:
        c.execute("DELETE FROM kernel_auditevent WHERE chain_index > %s", [keep.chain_index])
        c.execute("UPDATE kernel_audithead SET count = %s, last_hash = %s WHERE id = 1",
                  [keep.chain_index, keep.row_hash])
    assert list(audit.verify_chain()) == []  # the chain by itself is fooled
    status, report = verify()
    assert status == 1 and "truncated" in report


def test_editing_a_row_and_rehashing_forward_is_found_by_the_checkpoint():
    events = make_events(25)
    audit.checkpoint_write()
    with raw_tamper(), connection.cursor() as c:
        prev = events[9].prev_hash
        for event in events[9:]:
            event.refresh_from_db()
            if event.pk == events[9].pk:
                event.changes = {"i": "改过了"}
            event.prev_hash = prev
            event.row_hash = audit.chain_hash(prev, event)
            c.execute("UPDATE kernel_auditevent SET changes = %s, prev_hash = %s, row_hash = %s WHERE id = %s",
                      [json.dumps(event.changes), event.prev_hash, event.row_hash, event.pk])
            prev = event.row_hash
        c.execute("UPDATE kernel_audithead SET last_hash = %s WHERE id = 1", [prev])
    assert list(audit.verify_chain()) == []
    status, report = verify()
    assert status == 1 and "rewritten" in report


def test_a_forged_checkpoint_is_reported_and_honest_ones_verify(settings):
    make_events(5)
    audit.checkpoint_write()
    make_events(5)
    audit.checkpoint_write()
    assert verify() == (0, "")
    path = settings.GONGJIAN_AUDIT_CHECKPOINTS
    line = json.loads(path.read_text().splitlines()[-1])
    line["count"] = 3  # someone "moves back" the checkpoint to fit a shortened chain
    with path.open("a") as out:
        out.write(json.dumps(line) + "\n")
    status, report = verify()
    assert status == 1 and "fails its MAC" in report


def test_the_checkpoint_is_written_every_hour_by_the_scheduler():
    from gongjian.kernel import schedule

    job = schedule.job("kernel-audit-checkpoint")
    assert job.every is not None and job.every.total_seconds() <= 3600
    out = io.StringIO()
    call_command(job.command, stdout=out)
    assert "审计检查点" in out.getvalue()
