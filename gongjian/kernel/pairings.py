"""结对: a small shared mechanism — an organisation pairs an established woman (mentor) with one who
needs her (mentee) and logs their meetings or visits. development's 牵手结对 uses it; the care
issue's 爱心妈妈 is meant to (purpose `care`).

A body of work registers the permissions of its purpose in `AppConfig.ready()`:

    pairings.register_purpose(PairingPurpose.DEVELOPMENT, view="development.view_pairing",
                              manage="development.manage_pairing")

and calls the services below; a purpose nobody registered is refused. Reach: `Subtree()` of the
pairing's organisation (declared in kernel/rules.py). Each pairing keeps `due_on` (last meeting, or
the start, plus the interval), so the overdue board is one indexed query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, audit
from .attachments import IMAGES, store_upload
from .http import Reader
from .models import Organization, Pairing, PairingMeeting, PairingPurpose, Person, StoredFile, User
from .permissions import can, ensure_can

FIELDS = ("organization", "kind", "mentor", "mentee", "started_on", "ended_on", "interval_days", "note")
MAX_INTERVAL = 366
MAX_TEXT = 2000


@dataclass(frozen=True)
class PurposeRights:
    view: str
    manage: str


_PURPOSES: dict[str, PurposeRights] = {}


def register_purpose(purpose: str, *, view: str, manage: str) -> None:
    """A body of work names the permissions that read and keep pairings of its purpose."""
    if purpose not in PairingPurpose.values:
        raise ValueError(f"unknown pairing purpose {purpose!r}")
    _PURPOSES[purpose] = PurposeRights(view=view, manage=manage)


def rights_of(purpose: str) -> PurposeRights:
    try:
        return _PURPOSES[purpose]
    except KeyError as exc:
        raise PermissionDenied(f"pairing purpose {purpose!r} is not registered") from exc


def _ensure(actor: User, purpose: str, obj: Any) -> None:
    ensure_can(actor, rights_of(purpose).manage, obj)


def _in_reach(actor: User, person: Any) -> bool:
    return isinstance(person, Person) and access.may(actor, person)


# --- services -----------------------------------------------------------------------------------

@transaction.atomic
def pairing_create(*, actor: User, purpose: str, mentor: Person, mentee: Person, started_on: date | None = None,
                   interval_days: int = 30, note: str = "", organization: Organization | None = None) -> Pairing:
    """Pair a mentor with a mentee, kept by the acting organisation (or one in its subtree)."""
    organization = organization or access.acting_organization_required(actor)
    started_on = started_on or timezone.localdate()
    pairing = Pairing(organization=organization, kind=purpose, mentor=mentor, mentee=mentee,
                      started_on=started_on, interval_days=interval_days or 0, note=str(note or "").strip()[:MAX_TEXT],
                      created_by=actor)
    _ensure(actor, purpose, pairing)
    errors: dict[str, str] = {}
    if not _in_reach(actor, mentor):
        errors["mentor"] = _("请选择本辖区内的帮带人。")
    if not _in_reach(actor, mentee):
        errors["mentee"] = _("请选择本辖区内的结对对象。")
    if not errors and mentor.pk == mentee.pk:
        errors["mentee"] = _("帮带人和结对对象不能是同一人。")
    if not 1 <= pairing.interval_days <= MAX_INTERVAL:
        errors["interval_days"] = _("联系周期应在1到366天之间。")
    today = timezone.localdate()
    if not date(2000, 1, 1) <= started_on <= today:
        errors["started_on"] = _("结对日期不能晚于今天。")
    if not errors and Pairing.objects.filter(kind=purpose, mentor=mentor, mentee=mentee,
                                             ended_on__isnull=True).exists():
        errors["mentee"] = _("这两人已经结对，无需重复登记。")
    if errors:
        raise ValidationError(errors)
    pairing.due_on = started_on + timedelta(days=pairing.interval_days)
    pairing.save()
    # The note is personal data at rest (encrypted): the audit says it was written, not what it says.
    snapshot = {**audit.snapshot(pairing, FIELDS), "note": "***" if pairing.note else ""}
    audit.record(pairing, "kernel.pairing.created", actor=actor, changes=audit.diff({}, snapshot))
    return pairing


@transaction.atomic
def pairing_end(*, actor: User, pairing: Pairing, ended_on: date | None = None, reason: str = "") -> Pairing:
    """End a pair (kept with its meetings, never deleted)."""
    stored = Pairing.objects.select_for_update().select_related("organization").get(pk=pairing.pk)
    _ensure(actor, stored.kind, stored)
    if stored.ended_on is not None:
        raise ValidationError(_("结对已经结束。"))
    ended_on = ended_on or timezone.localdate()
    if not stored.started_on <= ended_on <= timezone.localdate():
        raise ValidationError({"ended_on": _("结束日期应在结对日期和今天之间。")})
    stored.ended_on = ended_on
    stored.save(update_fields=["ended_on"])
    audit.record(stored, "kernel.pairing.ended", actor=actor,
                 changes={"ended_on": ended_on.isoformat(), "reason": str(reason or "").strip()[:200]})
    return stored


@transaction.atomic
def pairing_meeting_add(*, actor: User, pairing: Pairing, day: date, content: str,
                        photo: UploadedFile | None = None) -> PairingMeeting:
    """Log a meeting or visit; the pair's next contact falls due one interval after the latest."""
    stored = Pairing.objects.select_for_update().select_related("organization").get(pk=pairing.pk)
    _ensure(actor, stored.kind, stored)
    errors: dict[str, str] = {}
    if stored.ended_on is not None:
        raise ValidationError(_("结对已经结束，不能再登记联系。"))
    if not isinstance(day, date) or not stored.started_on <= day <= timezone.localdate():
        errors["date"] = _("日期应在结对日期和今天之间。")
    text = str(content or "").strip()[:MAX_TEXT]
    if len(text) < 4:
        errors["content"] = _("请写明帮带内容（至少4个字）。")
    if errors:
        raise ValidationError(errors)
    stored_photo: StoredFile | None = None
    if photo is not None:
        stored_photo = store_upload(photo, actor=actor, organization=stored.organization, allowed=IMAGES)
    meeting = PairingMeeting.objects.create(pairing=stored, date=day, content=text, photo=stored_photo,
                                            created_by=actor)
    if stored.last_met_on is None or day > stored.last_met_on:
        stored.last_met_on = day
        stored.due_on = day + timedelta(days=stored.interval_days)
        stored.save(update_fields=["last_met_on", "due_on"])
    audit.record(meeting, "kernel.pairing.meeting_added", actor=actor,
                 changes={"pairing": stored.pk, "date": day.isoformat(), "photo": stored_photo is not None},
                 organization=stored.organization)
    return meeting


# --- selectors ----------------------------------------------------------------------------------

def pairings_visible_to(*, user: Reader, purpose: str, open_only: bool = False) -> QuerySet[Pairing]:
    """Pairings of one purpose in the user's reach (none when she may not read that purpose)."""
    if purpose not in _PURPOSES or not can(user, rights_of(purpose).view):
        return Pairing.objects.none()
    rows = access.visible(user, Pairing.objects.filter(kind=purpose).select_related(
        "organization", "mentor", "mentee"))
    if open_only:
        rows = rows.filter(ended_on__isnull=True)
    return rows.order_by("-started_on", "-id")


def pairings_overdue(*, user: Reader, purpose: str, today: date | None = None) -> QuerySet[Pairing]:
    """Open pairings whose last meeting (or start) lies more than their interval ago, most overdue
    first: one query, whatever their number."""
    today = today or timezone.localdate()
    return (pairings_visible_to(user=user, purpose=purpose, open_only=True)
            .filter(due_on__lt=today).order_by("due_on", "id"))


def pairing_get(*, user: Reader, purpose: str, pairing_id: Any) -> Pairing:
    return access.get(user, Pairing.objects.filter(kind=purpose).select_related(
        "organization", "mentor", "mentee"), pairing_id)


def meetings_of(pairing: Pairing) -> QuerySet[PairingMeeting]:
    return pairing.meetings.order_by("-date", "-id")


def meeting_photo_get(*, user: Reader, purpose: str, meeting_id: Any) -> StoredFile:
    from django.http import Http404

    meeting = access.get(user, PairingMeeting.objects.filter(pairing__kind=purpose).select_related(
        "photo", "pairing__organization"), meeting_id)
    if meeting.photo is None:
        raise Http404
    return meeting.photo
