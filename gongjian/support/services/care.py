"""Writes of 关爱: register, change and end a care recipient; the audited read of her record (P-05,
L-07); a 爱心妈妈 pairing of a current recipient (kernel.pairings, purpose `care`); the daily sweep
that reminds the keeping organisation of visits due and overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, notifications, pairings
from gongjian.kernel.identity import mask_name, validate_mobile
from gongjian.kernel.models import (
    Organization,
    Pairing,
    PairingMeeting,
    PairingPurpose,
    Person,
    User,
)
from gongjian.kernel.permissions import ensure_can

from ..models.care import CHILD_CATEGORIES, CareRecipient, LegalBasis, RecipientCategory, under_14

PURPOSE = PairingPurpose.CARE
FIELDS = ("organization", "person", "category", "sensitive", "minor_under_14", "legal_basis", "consent_at",
          "registered_on", "ended_on", "end_reason")
#: Fields that are encrypted and never written to the audit log in clear: only "changed" is.
SECRET_FIELDS = ("needs", "guardian_name", "guardian_mobile")
MAX_TEXT = 2000
REMIND_DAYS_BEFORE = 3


def _text(data: dict[str, Any], name: str, limit: int = MAX_TEXT) -> str:
    return str(data.get(name) or "").strip()[:limit]


def _apply(recipient: CareRecipient, data: dict[str, Any]) -> None:
    """Copy the posted values onto the record and check them (nothing saved on an error)."""
    errors: dict[str, str] = {}
    if "category" in data:
        recipient.category = str(data.get("category") or "")
    if recipient.category not in RecipientCategory.values:
        errors["category"] = _("请选择关爱对象的类别。")
    for name in SECRET_FIELDS[:2]:
        if name in data:
            setattr(recipient, name, _text(data, name, MAX_TEXT if name == "needs" else 50))
    if "guardian_mobile" in data:
        raw = _text(data, "guardian_mobile", 30)
        if raw:
            try:
                raw = validate_mobile(raw)
            except ValidationError:
                errors["guardian_mobile"] = _("请填写正确的11位手机号码。")
        recipient.guardian_mobile = raw
    if data.get("sensitive"):
        recipient.sensitive = True  # P-05: the flag only ever turns on
    if "legal_basis" in data:
        recipient.legal_basis = str(data.get("legal_basis") or "")
    if "consent_at" in data:
        consent = data.get("consent_at")
        recipient.consent_at = consent if isinstance(consent, datetime) else None
    if data.get("consent_given") and recipient.legal_basis in (LegalBasis.CONSENT, LegalBasis.GUARDIAN) \
            and recipient.consent_at is None:
        recipient.consent_at = timezone.now()
    if recipient.legal_basis == LegalBasis.STATUTORY:
        recipient.consent_at = None
    if "registered_on" in data and data.get("registered_on"):
        recipient.registered_on = data["registered_on"]
    if recipient.registered_on > timezone.localdate():
        errors["registered_on"] = _("登记日期不能晚于今天。")
    if recipient.category in CHILD_CATEGORIES and under_14(recipient.person) and not recipient.guardian_name:
        errors["guardian_name"] = _("请填写儿童监护人的姓名。")
    recipient.minor_under_14 = under_14(recipient.person)
    try:
        recipient.check_basis()
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def _secret_changes(before: dict[str, str], recipient: CareRecipient) -> dict[str, str]:
    return {name: "changed" for name in SECRET_FIELDS if before.get(name) != getattr(recipient, name)}


@transaction.atomic
def recipient_register(*, actor: User, data: dict[str, Any]) -> CareRecipient:
    """Put a person of the actor's reach on the care registry of a federation in her reach."""
    organization = data.get("organization") or access.acting_organization_required(actor)
    person = data.get("person")
    recipient = CareRecipient(organization=organization, created_by=actor)
    if isinstance(person, Person):
        recipient.person = person
    ensure_can(actor, "support.manage_recipient", recipient)
    errors: dict[str, str] = {}
    if not isinstance(organization, Organization) or not organization.is_federation:
        errors["organization"] = _("请选择本辖区内的妇联组织。")
    if not isinstance(person, Person) or not access.may(actor, person):
        raise ValidationError({"person": _("请选择本辖区内登记的人员。"), **errors})
    if errors:
        raise ValidationError(errors)
    _apply(recipient, data)
    if CareRecipient.objects.filter(person=person, category=recipient.category, ended_on__isnull=True).exists():
        raise ValidationError({"category": _("她已在该类关爱对象名册中，无需重复登记。")})
    recipient.save()
    audit.record(recipient, "support.recipient.registered", actor=actor,
                 changes={**audit.diff({}, audit.snapshot(recipient, FIELDS)), **_secret_changes({}, recipient)})
    return recipient


@transaction.atomic
def recipient_update(*, actor: User, recipient: CareRecipient, data: dict[str, Any]) -> CareRecipient:
    """Change the category, needs, guardian, sensitivity or legal basis (not the person or keeper)."""
    stored = CareRecipient.objects.select_for_update().select_related("person", "organization").get(pk=recipient.pk)
    ensure_can(actor, "support.manage_recipient", stored)
    if stored.restricted:
        ensure_can(actor, "support.view_sensitive_recipient", stored)
    if stored.ended_on is not None:
        raise ValidationError(_("该关爱对象已退出名册，不能再修改。"))
    before = audit.snapshot(stored, FIELDS)
    secrets = {name: getattr(stored, name) for name in SECRET_FIELDS}
    old_category = stored.category
    _apply(stored, {k: v for k, v in data.items() if k not in ("person", "organization")})
    if stored.category != old_category and CareRecipient.objects.filter(
            person=stored.person, category=stored.category, ended_on__isnull=True).exclude(pk=stored.pk).exists():
        raise ValidationError({"category": _("她已在该类关爱对象名册中，无需重复登记。")})
    stored.save()
    audit.record(stored, "support.recipient.changed", actor=actor,
                 changes={**audit.diff(before, audit.snapshot(stored, FIELDS)), **_secret_changes(secrets, stored)})
    return stored


@transaction.atomic
def recipient_end(*, actor: User, recipient: CareRecipient, reason: str, ended_on: date | None = None
                  ) -> CareRecipient:
    """Take her off the current registry (kept, never deleted); her open 爱心妈妈 pairings end too."""
    stored = CareRecipient.objects.select_for_update().select_related("person", "organization").get(pk=recipient.pk)
    ensure_can(actor, "support.manage_recipient", stored)
    if stored.restricted:
        ensure_can(actor, "support.view_sensitive_recipient", stored)
    if stored.ended_on is not None:
        raise ValidationError(_("该关爱对象已经退出名册。"))
    ended_on = ended_on or timezone.localdate()
    reason = str(reason or "").strip()[:200]
    errors: dict[str, str] = {}
    if len(reason) < 2:
        errors["reason"] = _("请写明退出原因（例如父母返乡、年满十六周岁、搬离本村）。")
    if not stored.registered_on <= ended_on <= timezone.localdate():
        errors["ended_on"] = _("退出日期应在登记日期和今天之间。")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(stored, FIELDS)
    stored.ended_on, stored.end_reason = ended_on, reason
    stored.save(update_fields=["ended_on", "end_reason", "updated_at"])
    audit.record(stored, "support.recipient.ended", actor=actor,
                 changes=audit.diff(before, audit.snapshot(stored, FIELDS)))
    for pairing in Pairing.objects.filter(kind=PURPOSE, mentee=stored.person, organization=stored.organization,
                                          ended_on__isnull=True):
        pairings.pairing_end(actor=actor, pairing=pairing, ended_on=max(ended_on, pairing.started_on),
                             reason=_("关爱对象退出名册：%(reason)s") % {"reason": reason})
    return stored


@transaction.atomic
def recipient_read(*, actor: User, recipient: CareRecipient, shown: bool, via: str = "page") -> None:
    """Leave the audit row of a read of her record (roster PII read). It fails closed: when the
    audit write fails, the caller shows nothing (L-07)."""
    audit.record(recipient, "support.recipient.read", actor=actor,
                 changes={"details": bool(shown), "minor": recipient.is_minor, "sensitive": recipient.sensitive,
                          "via": via})


# --- 爱心妈妈 pairings ------------------------------------------------------------------------------

@transaction.atomic
def care_pairing_create(*, actor: User, recipient: CareRecipient, mentor: Person | None,
                        started_on: date | None = None, interval_days: int = 30, note: str = "") -> Pairing:
    """Pair a 爱心妈妈 (a person of the actor's reach) with a current recipient in reach; the
    pairing is kept by the recipient's organisation."""
    stored = access.get(actor, CareRecipient.objects.select_related("person", "organization"), recipient.pk)
    if stored.ended_on is not None:
        raise ValidationError({"recipient": _("只能为名册中的关爱对象结对。")})
    if stored.restricted:
        ensure_can(actor, "support.view_sensitive_recipient", stored)
    if not isinstance(mentor, Person):
        raise ValidationError({"mentor": _("请选择本辖区内的爱心妈妈。")})
    pairing = pairings.pairing_create(actor=actor, purpose=PURPOSE, mentor=mentor, mentee=stored.person,
                                      started_on=started_on, interval_days=interval_days, note=note,
                                      organization=stored.organization)
    audit.record(pairing, "support.care.paired", actor=actor,
                 changes={"recipient": stored.pk, "category": stored.category})
    return pairing


def visit_add(*, actor: User, pairing: Pairing, day: date, content: str, photo: Any = None) -> PairingMeeting:
    """Log a visit (the kernel's meeting): the pairing's next visit falls due one interval later."""
    if pairing.kind != PURPOSE:
        raise ValidationError(_("这不是爱心妈妈结对。"))
    from ..selectors.care import with_recipients

    (checked,) = with_recipients(actor, [pairing])
    if not checked.shown:  # type: ignore[attr-defined]
        raise PermissionDenied("support.view_sensitive_recipient")  # a minor's visits: her village and the leads
    meeting = pairings.pairing_meeting_add(actor=actor, pairing=pairing, day=day, content=content, photo=photo)
    # Visited: the 待走访 reminders of this pairing are done (the next due date brings new ones).
    notifications.resolve(subject=pairing, codes=("support.care.visit_due", "support.care.visit_overdue"))
    return meeting


def care_sweep(*, today: date | None = None) -> int:
    """The daily sweep: tell the keeping organisation of each open pairing whose visit falls due
    within three days, and of each overdue one. Each reminder is sent once per due date."""
    from django.urls import reverse

    today = today or timezone.localdate()
    soon = today + timedelta(days=REMIND_DAYS_BEFORE)
    sent = 0
    due = (Pairing.objects.filter(kind=PURPOSE, ended_on__isnull=True, due_on__lte=soon)
           .select_related("organization", "mentor", "mentee").order_by("due_on", "id"))
    for p in due:
        values = {"mentor": p.mentor.name, "mentee": mask_name(p.mentee.name), "due": p.due_on.isoformat()}
        if p.due_on < today:
            kind = "overdue"
            message = _("爱心妈妈%(mentor)s与%(mentee)s的结对已超过联系周期未走访（应于 %(due)s 前），请尽快安排。") % values
        else:
            kind = "due"
            message = _("爱心妈妈%(mentor)s与%(mentee)s的结对应在 %(due)s 前走访一次。") % values
        if notifications.notify(organization=p.organization, code=f"support.care.visit_{kind}", message=message,
                                link=reverse("support:care-pairing-detail", args=[p.pk]),
                                dedupe_key=f"support.care:{p.pk}:{kind}:{p.due_on.isoformat()}", subject=p):
            sent += 1
    return sent
