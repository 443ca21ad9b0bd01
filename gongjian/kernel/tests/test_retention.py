"""P-04, P-06, L-05 (issue 12 §4): the data inventory lists every personal field, docs/data-inventory.md
is generated from it, and the daily purge clears or deletes what has expired — never a record under
a hold, never before its time, one audit record per batch."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongjian.kernel import retention, schedule
from gongjian.kernel.models import AuditEvent, RetentionHold

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
# A field whose name says it may hold personal data.
PERSONAL = re.compile(r"(^|_)(name|names|nickname|mobile|phone|id_number|address|birth|contact|narrative|note|"
                      r"guardian|email|password|ip|username)(_|$)")


def _personal_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("gongjian."):
            continue
        for field in model._meta.concrete_fields:
            if PERSONAL.search(field.name):
                found.add(f"{model._meta.app_label}.{model.__name__}.{field.name}")
    return found


def test_every_field_that_looks_personal_is_in_the_inventory():
    missing = _personal_fields() - retention.inventory().listed()
    assert not missing, f"add these to gongjian/kernel/data_inventory.toml (a category or not_personal): {sorted(missing)}"


def test_every_field_the_inventory_names_exists_and_every_rule_is_sound():
    for name in retention.inventory().listed():
        label, _dot, field = name.rpartition(".")
        model = apps.get_model(label)
        model._meta.get_field(field)  # raises for a field that is gone
    for category in retention.inventory().categories:
        assert category.purpose and category.legal_basis and category.retention and category.sensitivity
        for rule in category.rules:
            model = rule.model_class()
            model._meta.get_field(rule.age_field)
            for name in rule.clear:
                model._meta.get_field(name)
            assert rule.days >= 183, "nothing personal is purged within six months"
            rule.model_class()._default_manager.filter(**rule.when).exists()  # the state filter is valid


def test_the_inventory_page_is_generated_from_the_inventory():
    page = (ROOT / "docs" / "data-inventory.md").read_text(encoding="utf-8")
    assert page == retention.markdown(), "run `gongjian data_inventory --markdown > docs/data-inventory.md`"
    out = StringIO()
    call_command("data_inventory", "--markdown", stdout=out)
    assert out.getvalue() == page


def test_the_purge_runs_daily_from_the_scheduler():
    job = schedule.job("kernel-retention")
    assert job.command == "retention_purge" and job.at is not None


def _answered_suggestion(days_ago: int, *, contact: str = "13900001234"):
    from gongjian.disclosure.models import Suggestion
    from gongjian.kernel.tests.matrix import Place

    found = Suggestion(organization=Place("小留村").party, content="建议修路",
                       contact=contact, due_on=date.today(), status=Suggestion.Status.ANSWERED, reply="已安排",
                       answered_at=timezone.now() - timedelta(days=days_ago))
    found.issue_credentials()
    found.save()
    return found


def test_an_answered_suggestions_contact_goes_after_a_year_and_the_rest_stays():
    from gongjian.disclosure.models import Suggestion

    old, young = _answered_suggestion(366), _answered_suggestion(364)
    unanswered = _answered_suggestion(800)
    Suggestion.objects.filter(pk=unanswered.pk).update(status=Suggestion.Status.RECEIVED)
    held = _answered_suggestion(900)
    call_command("retention_hold", "set", "disclosure.Suggestion", str(held.pk), "--reason", "信访复查", "--by", "secadmin",
                 stdout=StringIO())

    dry = StringIO()
    call_command("retention_purge", "--dry-run", stdout=dry)
    assert Suggestion.objects.get(pk=old.pk).contact == "13900001234", "a dry run changes nothing"
    assert "public_contact" in dry.getvalue()

    before = AuditEvent.objects.filter(event="kernel.retention.purged").count()
    call_command("retention_purge", stdout=StringIO())
    old.refresh_from_db()
    assert old.contact == "" and old.content == "建议修路" and old.reply == "已安排"
    assert Suggestion.objects.get(pk=young.pk).contact == "13900001234"
    assert Suggestion.objects.get(pk=unanswered.pk).contact == "13900001234"
    assert Suggestion.objects.get(pk=held.pk).contact == "13900001234"
    purged = AuditEvent.objects.filter(event="kernel.retention.purged").order_by("chain_index")
    assert purged.count() == before + 1
    changes = purged.last().changes
    assert changes["category"] == "public_contact" and changes["count"] == 1 and changes["action"] == "clear"
    assert "13900001234" not in str(changes)

    # Run again: nothing is due, nothing recorded.
    call_command("retention_purge", stdout=StringIO())
    assert AuditEvent.objects.filter(event="kernel.retention.purged").count() == before + 1

    # Lifting the hold lets the next run clear it.
    call_command("retention_hold", "lift", "disclosure.Suggestion", str(held.pk), "--by", "secadmin", stdout=StringIO())
    call_command("retention_purge", stdout=StringIO())
    assert Suggestion.objects.get(pk=held.pk).contact == ""
    events = set(AuditEvent.objects.filter(object_type="disclosure.Suggestion", object_id=str(held.pk))
                 .values_list("event", flat=True))
    assert {"kernel.retention.hold_set", "kernel.retention.hold_lifted"} <= events


def test_handled_sign_ins_are_deleted_after_a_year_and_attendance_stays():
    from gongjian.womenshome.models import Activity, SignIn

    activity = Activity.objects.filter(organization__name="小留村妇联").order_by("pk").first()
    assert activity is not None
    old = SignIn.objects.create(activity=activity, name="王某", mobile="13911112222", state=SignIn.State.CONFIRMED)
    pending = SignIn.objects.create(activity=activity, name="李某", mobile="13911113333", state=SignIn.State.PENDING)
    recent = SignIn.objects.create(activity=activity, name="赵某", mobile="13911114444", state=SignIn.State.REJECTED)
    year_ago = timezone.now() - timedelta(days=400)
    SignIn.objects.filter(pk__in=[old.pk, pending.pk]).update(submitted_at=year_ago)
    attendance = activity.attendances.count()

    call_command("retention_purge", stdout=StringIO())
    assert not SignIn.objects.filter(pk=old.pk).exists()
    assert SignIn.objects.filter(pk=pending.pk).exists(), "a sign-in still waiting for review is kept"
    assert SignIn.objects.filter(pk=recent.pk).exists()
    assert activity.attendances.count() == attendance


def test_a_guardians_contact_goes_two_years_after_the_care_ended():
    from gongjian.kernel.tests.matrix import Place
    from gongjian.support.tests.matrix import care_recipient

    place = Place("小留村")
    ended, current = care_recipient(place), care_recipient(place)
    for recipient in (ended, current):
        recipient.guardian_name, recipient.guardian_mobile = "张某", "13822223333"
        recipient.save()
    type(ended).objects.filter(pk=ended.pk).update(ended_on=timezone.localdate() - timedelta(days=731),
                                                   end_reason="父母返乡")
    call_command("retention_purge", stdout=StringIO())
    ended.refresh_from_db()
    current.refresh_from_db()
    assert (ended.guardian_name, ended.guardian_mobile) == ("", "")
    assert ended.end_reason == "父母返乡"
    assert (current.guardian_name, current.guardian_mobile) == ("张某", "13822223333")


def test_a_hold_needs_a_real_record_and_a_reason():
    suggestion = _answered_suggestion(10)
    with pytest.raises(CommandError, match="保留原因"):
        call_command("retention_hold", "set", "disclosure.Suggestion", str(suggestion.pk), stdout=StringIO())
    with pytest.raises(CommandError, match="没有编号"):
        call_command("retention_hold", "set", "disclosure.Suggestion", "987654321", "--reason", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="没有这种记录类型"):
        call_command("retention_hold", "set", "nowhere.Nothing", "1", "--reason", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="没有设置保留"):
        call_command("retention_hold", "lift", "disclosure.Suggestion", str(suggestion.pk), stdout=StringIO())
    assert not RetentionHold.objects.exists()
