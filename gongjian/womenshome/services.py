"""Womenshome writes: one use case each, one transaction, the actor named, an audit row left,
the roll-ups kept in step (rollups.py) — never in save() or signals."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, attachments, audit, importing, notices, workflow
from gongjian.kernel.attachments import (
    IMAGES,
    Checked,
    discard,
    prepare_all,
    store_prepared,
)
from gongjian.kernel.fields import blind_index
from gongjian.kernel.figures import Line
from gongjian.kernel.importing import ImportReport
from gongjian.kernel.models import (
    Objection,
    Organization,
    Person,
    PoliticalStatus,
    PublicNotice,
    User,
)
from gongjian.kernel.people import person_clean
from gongjian.kernel.permissions import ensure_can
from gongjian.kernel.services import person_create

from . import rollups
from .models import (
    COVERED_STATUSES,
    DEFAULT_MORAL_MODEL_TARGET,
    FAMILY_HONOURS,
    QUOTA_HONOURS,
    Activity,
    ActivityPhoto,
    Attendance,
    AttendanceMode,
    Honour,
    HonourKind,
    HonourQuota,
    Partner,
    SignIn,
    SitePhoto,
    SiteStatus,
    Team,
    TeamMember,
    WomensHome,
    month_of,
)
from .selectors import quota_of, quota_organization_for, signin_candidates
from .workflow import QUOTA_STATES, TRANSITIONS, HonourState

SIGNIN_SALT = "gongjian.womenshome.signin"
#: How long a sign-in code shown by the organiser stays valid.
SIGNIN_CODE_SECONDS = 10 * 60
SIGNIN_PAGE_SALT = "gongjian.womenshome.signin.page"
#: How long a sign-in form opened while its code was valid may still arrive (kept on a phone offline).
SIGNIN_LATE_SECONDS = 12 * 3600
MAX_HOURS = Decimal("100")
MAX_HEAD_COUNT = 100_000


def _in_subtree(child: Organization, parent: Organization) -> bool:
    return child.path.startswith(parent.path)


# --- sites ---------------------------------------------------------------------------------------

SITE_FIELDS = ("name", "status", "established_on", "address", "rooms", "area_m2", "facilities",
               "opening_hours", "note")


def _check_site(site: WomensHome) -> None:
    errors: dict[str, str] = {}
    if site.organization.kind != Organization.Kind.VILLAGE_FEDERATION:
        errors["organization"] = _("妇女之家属于村（社区）妇联，请选择村或社区。")
    if not (site.name or "").strip():
        errors["name"] = _("请填写名称。")
    if site.status in COVERED_STATUSES and not site.established_on:
        errors["established_on"] = _("已建成的妇女之家请填写建成日期。")
    if site.established_on and site.established_on > timezone.localdate():
        errors["established_on"] = _("建成日期不能晚于今天。")
    if site.status not in SiteStatus.values:
        errors["status"] = _("请选择状态。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def site_create(*, actor: User, organization: Organization, data: dict[str, Any]) -> WomensHome:
    """Record the 妇女之家 of a village or community in the actor's scope."""
    site = WomensHome(organization=organization, **{k: v for k, v in data.items() if k in SITE_FIELDS})
    if not site.name:
        site.name = _("%(place)s妇女之家") % {"place": organization.region.name}
    ensure_can(actor, "womenshome.change_site", site)
    if WomensHome.objects.filter(organization=organization).exists():
        raise ValidationError(_("%(org)s已经有妇女之家记录。") % {"org": organization.name})
    _check_site(site)
    site.save()
    audit.record(site, "womenshome.site.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(site, ("organization", *SITE_FIELDS))))
    return site


@transaction.atomic
def site_update(*, actor: User, site: WomensHome, data: dict[str, Any]) -> WomensHome:
    stored = WomensHome.objects.select_for_update().get(pk=site.pk)
    ensure_can(actor, "womenshome.change_site", stored)
    before = audit.snapshot(stored, SITE_FIELDS)
    for key, value in data.items():
        if key in SITE_FIELDS:
            setattr(stored, key, value)
    _check_site(stored)
    stored.save()
    changes = audit.diff(before, audit.snapshot(stored, SITE_FIELDS))
    if changes:
        audit.record(stored, "womenshome.site.updated", actor=actor, changes=changes)
    return stored


def _checked_photos(uploads: list[UploadedFile]) -> list[Checked]:
    try:
        return prepare_all(uploads, allowed=IMAGES, max_bytes=attachments.MAX_PHOTO_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc


@transaction.atomic
def site_add_photos(*, actor: User, site: WomensHome, uploads: list[UploadedFile],
                    caption: str = "") -> list[SitePhoto]:
    """Several photos at once, all or none: each is checked, cleaned of its metadata (P-04) and
    stored; a refused one names itself and nothing is stored."""
    ensure_can(actor, "womenshome.change_site", site)
    made = []
    for checked in _checked_photos(uploads):
        stored = store_prepared(checked, actor=actor, organization=site.organization)
        photo = SitePhoto.objects.create(site=site, file=stored, caption=(caption or "").strip()[:100])
        audit.record(site, "womenshome.site.photo_added", actor=actor,
                     changes={"photo": photo.pk, "sha256": stored.sha256})
        made.append(photo)
    return made


def site_add_photo(*, actor: User, site: WomensHome, upload: UploadedFile, caption: str = "") -> SitePhoto:
    return site_add_photos(actor=actor, site=site, uploads=[upload], caption=caption)[0]


@transaction.atomic
def site_photo_delete(*, actor: User, photo: SitePhoto) -> None:
    """Delete a site photo: the record and the file (after the commit), audited with what it was."""
    ensure_can(actor, "womenshome.change_site", photo.site)
    stored = photo.file
    changes = {"photo": photo.pk, "caption": photo.caption, "name": stored.original_name, "sha256": stored.sha256}
    photo.delete()
    discard(stored)
    audit.record(photo.site, "womenshome.site.photo_deleted", actor=actor, changes=changes)


# --- teams ---------------------------------------------------------------------------------------

TEAM_FIELDS = ("organization", "name", "kind", "founded_on", "description", "is_active")


def _check_team(actor: User, team: Team) -> None:
    ensure_can(actor, "womenshome.manage_team", team)
    if team.organization.kind not in Organization.FEDERATION_KINDS:
        raise ValidationError({"organization": _("请选择妇联组织。")})
    if not (team.name or "").strip():
        raise ValidationError({"name": _("请填写队名。")})
    clash = Team.objects.filter(organization=team.organization, name=team.name).exclude(pk=team.pk)
    if clash.exists():
        raise ValidationError({"name": _("本组织已有同名队伍。")})


@transaction.atomic
def team_create(*, actor: User, data: dict[str, Any]) -> Team:
    team = Team(**{k: v for k, v in data.items() if k in TEAM_FIELDS})
    team.name = (team.name or "").strip()
    _check_team(actor, team)
    team.save()
    audit.record(team, "womenshome.team.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(team, TEAM_FIELDS)))
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, data: dict[str, Any]) -> Team:
    stored = Team.objects.select_for_update().get(pk=team.pk)
    ensure_can(actor, "womenshome.manage_team", stored)
    before = audit.snapshot(stored, TEAM_FIELDS)
    for key, value in data.items():
        if key in TEAM_FIELDS:
            setattr(stored, key, value)
    stored.name = (stored.name or "").strip()
    _check_team(actor, stored)
    stored.save()
    changes = audit.diff(before, audit.snapshot(stored, TEAM_FIELDS))
    if changes:
        audit.record(stored, "womenshome.team.updated", actor=actor, changes=changes)
    return stored


@transaction.atomic
def team_add_member(*, actor: User, team: Team, person: Person, role: str = TeamMember.Role.MEMBER,
                    joined_on: date | None = None) -> TeamMember:
    ensure_can(actor, "womenshome.manage_team", team)
    ensure_can(actor, "kernel.view_person", person)  # Z-02: the person id is re-checked too
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("请选择职责。")})
    if TeamMember.objects.filter(team=team, person=person).exists():
        raise ValidationError(_("%(name)s已经是队员。") % {"name": person.name})
    member = TeamMember.objects.create(team=team, person=person, role=role, joined_on=joined_on)
    audit.record(team, "womenshome.team.member_added", actor=actor,
                 changes={"person": person.pk, "role": role})
    return member


@transaction.atomic
def team_remove_member(*, actor: User, member: TeamMember) -> None:
    ensure_can(actor, "womenshome.manage_team", member.team)
    audit.record(member.team, "womenshome.team.member_removed", actor=actor,
                 changes={"person": member.person_id, "role": member.role})
    member.delete()


# --- activities ----------------------------------------------------------------------------------

ACTIVITY_FIELDS = ("organization", "site", "team", "kind", "line", "title", "date", "place", "partners",
                   "partner_note", "hours", "summary", "is_public_performance", "is_public",
                   "attendance_mode", "head_count")


def _check_activity(actor: User, activity: Activity) -> None:
    """Validate an activity and re-check every organisation, site and team against scope (Z-02)."""
    ensure_can(actor, "womenshome.change_activity", activity)
    errors: dict[str, str] = {}
    org = activity.organization
    if org.kind not in Organization.FEDERATION_KINDS:
        errors["organization"] = _("请选择妇联组织作为主办单位。")
    if activity.site_id is not None:
        ensure_can(actor, "womenshome.view", activity.site)
        if activity.site and not _in_subtree(activity.site.organization, org):
            errors["site"] = _("所选妇女之家不在主办组织的辖区内。")
    if activity.team_id is not None:
        ensure_can(actor, "womenshome.view", activity.team)
        if activity.team and not _in_subtree(activity.team.organization, org):
            errors["team"] = _("所选队伍不属于主办组织或其下级。")
    if not (activity.title or "").strip():
        errors["title"] = _("请填写活动名称。")
    if not isinstance(activity.date, date):
        errors["date"] = _("请填写活动日期。")
    elif activity.date > timezone.localdate() + timedelta(days=366):
        errors["date"] = _("活动日期太远，请检查。")
    try:
        hours = Decimal(str(activity.hours if activity.hours is not None else 0))
    except InvalidOperation:
        hours = Decimal(-1)
    if hours < 0 or hours > MAX_HOURS:
        errors["hours"] = _("时长应在 0 到 100 小时之间。")
    activity.hours = hours
    activity.line = activity.line or ""
    if activity.line and activity.line not in Line.values:
        errors["line"] = _("创先争优活动载体有误，请重新选择。")
    unknown = [p for p in activity.partners or [] if p not in Partner.values]
    if unknown:
        errors["partners"] = _("协办单位有误。")
    # The typed head count is kept in both modes (ADR 0045): named attendees and QR sign-ins are
    # added to it, never instead of it.
    head_count = activity.head_count or 0
    if activity.attendance_mode == AttendanceMode.HEAD_COUNT and head_count < 1:
        errors["head_count"] = _("只登记人数时，请填写参加人数。")
    elif not 0 <= head_count <= MAX_HEAD_COUNT:
        errors["head_count"] = _("参加人数应在 0 到 100000 之间。")
    activity.head_count = head_count
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, actor: User, data: dict[str, Any]) -> Activity:
    """Record an activity; its month is stored for the figures and the roll-ups are updated."""
    activity = Activity(**{k: v for k, v in data.items() if k in ACTIVITY_FIELDS}, created_by=actor)
    activity.title = (activity.title or "").strip()
    _check_activity(actor, activity)
    activity.month = month_of(activity.date)
    activity.save()
    rollups.activity_changed(activity, None)
    audit.record(activity, "womenshome.activity.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(activity, ACTIVITY_FIELDS)))
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, data: dict[str, Any]) -> Activity:
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_can(actor, "womenshome.change_activity", stored)
    before = audit.snapshot(stored, (*ACTIVITY_FIELDS, "month"))
    for key, value in data.items():
        if key in ACTIVITY_FIELDS:
            setattr(stored, key, value)
    stored.title = (stored.title or "").strip()
    _check_activity(actor, stored)
    stored.month = month_of(stored.date)
    stored.save()
    rollups.activity_changed(stored, before)
    changes = audit.diff(before, audit.snapshot(stored, (*ACTIVITY_FIELDS, "month")))
    if changes:
        audit.record(stored, "womenshome.activity.updated", actor=actor, changes=changes)
    return stored


@transaction.atomic
def activity_add_photos(*, actor: User, activity: Activity, uploads: list[UploadedFile], caption: str = "",
                        is_public: bool = False) -> list[ActivityPhoto]:
    """Several checked photos at once, all or none (I-04: type by content, size and pixel limits,
    random storage name; P-04: upright, bounded, no EXIF, a thumbnail)."""
    ensure_can(actor, "womenshome.change_activity", activity)
    made = []
    for checked in _checked_photos(uploads):
        stored = store_prepared(checked, actor=actor, organization=activity.organization)
        photo = ActivityPhoto.objects.create(activity=activity, file=stored,
                                             caption=(caption or "").strip()[:100], is_public=bool(is_public))
        audit.record(activity, "womenshome.activity.photo_added", actor=actor,
                     changes={"photo": photo.pk, "sha256": stored.sha256, "is_public": photo.is_public})
        made.append(photo)
    return made


def activity_add_photo(*, actor: User, activity: Activity, upload: UploadedFile, caption: str = "",
                       is_public: bool = False) -> ActivityPhoto:
    return activity_add_photos(actor=actor, activity=activity, uploads=[upload], caption=caption,
                               is_public=is_public)[0]


@transaction.atomic
def activity_photo_delete(*, actor: User, photo: ActivityPhoto) -> None:
    """Delete an activity photo: gone from the staff page, the portal and storage (the file after
    the commit); the audit row keeps what it was."""
    ensure_can(actor, "womenshome.change_activity", photo.activity)
    stored = photo.file
    changes = {"photo": photo.pk, "caption": photo.caption, "is_public": photo.is_public,
               "name": stored.original_name, "sha256": stored.sha256}
    photo.delete()
    discard(stored)
    audit.record(photo.activity, "womenshome.activity.photo_deleted", actor=actor, changes=changes)


@transaction.atomic
def activity_photo_set_public(*, actor: User, photo: ActivityPhoto, is_public: bool) -> ActivityPhoto:
    ensure_can(actor, "womenshome.change_activity", photo.activity)
    before = photo.is_public
    photo.is_public = bool(is_public)
    photo.save(update_fields=["is_public"])
    audit.record(photo.activity, "womenshome.activity.photo_visibility", actor=actor,
                 changes={"photo": photo.pk, "is_public": [before, photo.is_public]})
    return photo


# --- attendance ----------------------------------------------------------------------------------

def _current(activity: Activity) -> Activity:
    """The activity as stored now (the roll-ups must see its real kind, month and organiser)."""
    return Activity.objects.select_related("organization").get(pk=activity.pk)


@transaction.atomic
def attendance_add(*, actor: User, activity: Activity, person: Person,
                   method: str = Attendance.Method.MANUAL) -> Attendance:
    """Record that a person (in the actor's scope) took part; once per person and activity."""
    activity = _current(activity)
    ensure_can(actor, "womenshome.record_attendance", activity)
    ensure_can(actor, "kernel.view_person", person)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(activity=activity, person=person, method=method)
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s已经登记过了。") % {"name": person.name}, code="duplicate") from exc
    rollups.attendance_added(activity, [person.pk])
    audit.record(activity, "womenshome.attendance.added", actor=actor,
                 changes={"person": person.pk, "method": method})
    return attendance


@transaction.atomic
def attendance_remove(*, actor: User, attendance: Attendance) -> None:
    activity = _current(attendance.activity)
    ensure_can(actor, "womenshome.record_attendance", activity)
    person_id = attendance.person_id
    attendance.delete()
    rollups.attendance_removed(activity, [person_id])
    audit.record(activity, "womenshome.attendance.removed", actor=actor, changes={"person": person_id})


# --- QR sign-in ----------------------------------------------------------------------------------

def signin_code(activity: Activity) -> str:
    """A short-lived signed code for the activity's sign-in page (shown as a QR code).

    It names the activity and the sign-in round; closing sign-in starts a new round, so every
    code issued before is void at once."""
    return signing.dumps({"a": activity.pk, "e": activity.signin_epoch}, salt=SIGNIN_SALT, compress=True)


def _code_digest(code: str) -> str:
    return hashlib.sha256((code or "").encode()).hexdigest()[:32]


def signin_page_token(code: str) -> str:
    """Proof that the sign-in page was opened while its code was valid (ADR 0048): a form kept on a
    phone without signal may be sent after the code expired, within SIGNIN_LATE_SECONDS. It gives
    nothing to someone who did not open the page in time, so the short code keeps its point."""
    return signing.dumps({"c": _code_digest(code)}, salt=SIGNIN_PAGE_SALT)


def signin_max_age(code: str, page_token: str) -> int:
    """How old the code may be for this send: longer only with a page token of this very code."""
    try:
        payload = signing.loads(page_token or "", salt=SIGNIN_PAGE_SALT, max_age=SIGNIN_LATE_SECONDS)
    except signing.BadSignature:
        return SIGNIN_CODE_SECONDS
    return SIGNIN_LATE_SECONDS if payload.get("c") == _code_digest(code) else SIGNIN_CODE_SECONDS


def signin_activity(code: str, *, max_age: int = SIGNIN_CODE_SECONDS) -> Activity:
    """The activity a sign-in code is for; a clear Chinese message when it cannot be used."""
    try:
        payload = signing.loads(code or "", salt=SIGNIN_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("签到码已过期，请向活动组织者索取新的签到二维码后重新扫码。"), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("签到码无效，请重新扫描现场的签到二维码。"), code="invalid") from exc
    activity = Activity.objects.select_related("organization").filter(pk=payload.get("a")).first()
    if activity is None or activity.signin_epoch != payload.get("e"):
        raise ValidationError(_("本次签到已结束，如需签到请联系活动组织者。"), code="closed")
    return activity


@transaction.atomic
def signin_close(*, actor: User, activity: Activity) -> Activity:
    """End the current sign-in round: codes already shown stop working."""
    ensure_can(actor, "womenshome.record_attendance", activity)
    Activity.objects.filter(pk=activity.pk).update(signin_epoch=activity.signin_epoch + 1)
    activity.signin_epoch += 1
    audit.record(activity, "womenshome.signin.closed", actor=actor, changes={"round": activity.signin_epoch})
    return activity


@transaction.atomic
def signin_submit(*, code: str, name: str, mobile: str, gender: str = "F",
                  max_age: int = SIGNIN_CODE_SECONDS) -> SignIn:
    """An attendee signs in from her phone (no account): matched to the organiser's roster by
    name and mobile, or held for the organiser to confirm. One sign-in per mobile and activity."""
    activity = signin_activity(code, max_age=max_age)
    try:  # the person rule book, for the few facts an attendee gives
        facts = person_clean({"name": name, "mobile": mobile, "gender": gender},
                             required=("name", "mobile", "gender"), partial=True)
    except ValidationError as exc:
        errors = exc.message_dict
        if "mobile" in errors:  # worded for someone at the door, not for staff
            errors["mobile"] = [_("请填写正确的11位手机号码。")]
        raise ValidationError(errors) from exc
    name, mobile, gender = facts["name"], facts["mobile"], facts["gender"]
    index = blind_index(mobile, "person.mobile")
    duplicate = ValidationError(_("这个手机号已经签到过了，不用重复签到。"), code="duplicate")
    if SignIn.objects.filter(activity=activity, mobile_index=index).exists():
        raise duplicate
    matches = list(access.within(Person.objects.filter(mobile_index=index, name=name),
                                 activity.organization)[:2])
    person = matches[0] if len(matches) == 1 else None
    if person is not None and Attendance.objects.filter(activity=activity, person=person).exists():
        raise duplicate
    signin = SignIn(activity=activity, name=name, gender=gender, mobile=mobile, person=person,
                    state=SignIn.State.MATCHED if person else SignIn.State.PENDING)
    try:
        with transaction.atomic():
            signin.save()
    except IntegrityError as exc:
        raise duplicate from exc
    if person is not None:
        Attendance.objects.create(activity=activity, person=person, method=Attendance.Method.QR)
        rollups.attendance_added(activity, [person.pk])
    audit.record(signin, "womenshome.signin.submitted", actor=None, username="public",
                 organization=activity.organization,
                 changes={"activity": activity.pk, "state": signin.state, "person": person.pk if person else None})
    return signin


@transaction.atomic
def signin_confirm(*, actor: User, signin: SignIn, person: Person | None = None,
                   register: bool = False) -> Attendance:
    """The organiser confirms a held sign-in: as a roster person she chooses, or as a new person
    registered in the organising organisation."""
    locked = SignIn.objects.select_for_update().select_related("activity__organization").get(pk=signin.pk)
    activity = locked.activity
    ensure_can(actor, "womenshome.record_attendance", activity)
    if locked.state != SignIn.State.PENDING:
        raise ValidationError(_("这条签到已经处理过了。"), code="handled")
    if register:
        person = person_create(actor=actor, data={
            "name": locked.name, "gender": locked.gender, "mobile": locked.mobile,
            "organization": activity.organization, "political_status": PoliticalStatus.MASSES,
        })
    if person is None:
        raise ValidationError(_("请选择名册中的人员，或登记为新人员。"), code="person")
    ensure_can(actor, "kernel.view_person", person)
    if Attendance.objects.filter(activity=activity, person=person).exists():
        raise ValidationError(_("%(name)s已经登记参加了本次活动。") % {"name": person.name}, code="duplicate")
    attendance = Attendance.objects.create(activity=activity, person=person, method=Attendance.Method.QR)
    locked.state, locked.person = SignIn.State.CONFIRMED, person
    locked.handled_by, locked.handled_at = actor, timezone.now()
    locked.save(update_fields=["state", "person", "handled_by", "handled_at"])
    rollups.attendance_added(activity, [person.pk])
    audit.record(locked, "womenshome.signin.confirmed", actor=actor,
                 changes={"person": person.pk, "registered": register})
    return attendance


@dataclass
class ConfirmedAll:
    """What one 全部确认 did: how many were registered and confirmed, and who was left for the
    organiser (the roster already holds someone with her name or mobile)."""

    confirmed: int = 0
    left: list[SignIn] = field(default_factory=list)


@transaction.atomic
def signin_confirm_all(*, actor: User, activity: Activity) -> ConfirmedAll:
    """Confirm every held sign-in with one tap (ADR 0045): a signer nobody on the organiser's
    roster shares a name or mobile with is registered as a new person and confirmed; one who
    might be a roster person is left for the organiser to pick, never guessed."""
    ensure_can(actor, "womenshome.record_attendance", activity)
    done = ConfirmedAll()
    pending = list(SignIn.objects.select_for_update().filter(activity=activity, state=SignIn.State.PENDING)
                   .select_related("activity__organization").order_by("submitted_at", "id"))
    for signin in pending:
        if signin_candidates(signin):
            done.left.append(signin)
            continue
        try:
            signin_confirm(actor=actor, signin=signin, register=True)
        except ValidationError:  # her facts fail the person rule book: the organiser looks at her
            done.left.append(signin)
            continue
        done.confirmed += 1
    audit.record(activity, "womenshome.signin.confirmed_all", actor=actor,
                 changes={"confirmed": done.confirmed, "left": len(done.left)})
    return done


@transaction.atomic
def signin_reject(*, actor: User, signin: SignIn) -> SignIn:
    locked = SignIn.objects.select_for_update().select_related("activity").get(pk=signin.pk)
    ensure_can(actor, "womenshome.record_attendance", locked.activity)
    if locked.state != SignIn.State.PENDING:
        raise ValidationError(_("这条签到已经处理过了。"), code="handled")
    locked.state = SignIn.State.REJECTED
    locked.handled_by, locked.handled_at = actor, timezone.now()
    locked.save(update_fields=["state", "handled_by", "handled_at"])
    audit.record(locked, "womenshome.signin.rejected", actor=actor)
    return locked


# --- honours -------------------------------------------------------------------------------------

HONOUR_FIELDS = ("organization", "kind", "year", "person", "public_name", "deeds")


@transaction.atomic
def honour_nominate(*, actor: User, data: dict[str, Any]) -> Honour:
    """Put a family or person forward for an honour (推荐)."""
    honour = Honour(**{k: v for k, v in data.items() if k in HONOUR_FIELDS}, nominated_by=actor)
    ensure_can(actor, "womenshome.nominate_honour", honour)
    errors: dict[str, str] = {}
    org, person = honour.organization, honour.person
    if org.kind not in Organization.FEDERATION_KINDS:
        errors["organization"] = _("请选择妇联组织。")
    ensure_can(actor, "kernel.view_person", person)
    if not _in_subtree(person.organization, org):
        errors["person"] = _("被推荐人不在推荐组织的辖区内。")
    if honour.kind not in HonourKind.values:
        errors["kind"] = _("请选择荣誉。")
    this_year = timezone.localdate().year
    if not isinstance(honour.year, int) or not this_year - 1 <= honour.year <= this_year + 1:
        errors["year"] = _("年度应为去年、今年或明年。")
    honour.deeds = (honour.deeds or "").strip()
    if len(honour.deeds) < 10:
        errors["deeds"] = _("请写明主要事迹（至少10个字）。")
    honour.public_name = (honour.public_name or "").strip()
    if not honour.public_name:
        honour.public_name = person.name + (_("家庭") if honour.kind in FAMILY_HONOURS else "")
    if errors:
        raise ValidationError(errors)
    live = (HonourState.NOMINATED, HonourState.ON_NOTICE, HonourState.AWARDED)
    if Honour.objects.filter(person=person, kind=honour.kind, year=honour.year, state__in=live).exists():
        raise ValidationError(_("%(name)s已被推荐为%(year)s年度%(kind)s。")
                              % {"name": person.name, "year": honour.year, "kind": honour.get_kind_display()})
    honour.quota_organization = quota_organization_for(org)
    honour.save()
    audit.record(honour, "womenshome.honour.nominated", actor=actor,
                 changes=audit.diff({}, audit.snapshot(honour, HONOUR_FIELDS)))
    return honour


def _move(honour: Honour, to: str) -> str:
    return workflow.move(honour, to=to, transitions=TRANSITIONS, labels=HonourState,
                         extra_update_fields=("decision_reason", "decided_at", "awarded_on"))


@transaction.atomic
def honour_withdraw(*, actor: User, honour: Honour, reason: str = "") -> Honour:
    ensure_can(actor, "womenshome.nominate_honour", honour)
    honour.decision_reason = (reason or "").strip()[:500]
    honour.decided_at = timezone.now()
    _move(honour, HonourState.WITHDRAWN)
    audit.record(honour, "womenshome.honour.withdrawn", actor=actor, changes={"reason": honour.decision_reason})
    return honour


def _ensure_quota(honour: Honour, *, counting_self: bool) -> None:
    """Moral models are limited per township and year; the quota row is locked while checked."""
    if honour.kind not in QUOTA_HONOURS:
        return
    HonourQuota.objects.select_for_update().filter(
        organization=honour.quota_organization, year=honour.year, kind=honour.kind).first()
    quota = quota_of(organization=honour.quota_organization, year=honour.year, kind=honour.kind)
    used = Honour.objects.filter(quota_organization=honour.quota_organization, year=honour.year,
                                 kind=honour.kind, state__in=QUOTA_STATES)
    if counting_self:
        used = used.exclude(pk=honour.pk)
    if used.count() >= quota:
        raise ValidationError(
            _("%(org)s %(year)s年度%(kind)s名额为 %(quota)d 名，已经用完。")
            % {"org": honour.quota_organization.name, "year": honour.year,
               "kind": honour.get_kind_display(), "quota": quota}, code="quota")


@transaction.atomic
def honour_review(*, actor: User, honour: Honour, approve: bool, reason: str = "",
                  days: int = notices.DEFAULT_DAYS, working_days: bool = False) -> Honour:
    """The chair above reviews a nomination: approved ones go on public notice (公示) at once."""
    ensure_can(actor, "womenshome.decide_honour", honour)
    reason = (reason or "").strip()
    honour.decided_at = timezone.now()
    if not approve:
        if len(reason) < 2:
            raise ValidationError({"reason": _("请填写不通过的理由。")})
        honour.decision_reason = reason[:500]
        _move(honour, HonourState.REJECTED)
        audit.record(honour, "womenshome.honour.rejected", actor=actor, changes={"reason": honour.decision_reason})
        return honour
    _ensure_quota(honour, counting_self=True)
    honour.decision_reason = reason[:500]
    _move(honour, HonourState.ON_NOTICE)
    acting_org = access.acting_organization_required(actor)
    notices.notice_open(
        actor=actor, target=honour, organization=acting_org, days=days, working_days=working_days,
        title=_("%(year)s年度%(kind)s推荐人选公示") % {"year": honour.year, "kind": honour.get_kind_display()},
        body=_("经%(org)s推荐、%(reviewer)s审核，拟将%(name)s评为%(year)s年度%(kind)s。主要事迹：%(deeds)s")
        % {"org": honour.organization.name, "reviewer": acting_org.name, "name": honour.public_name,
           "year": honour.year, "kind": honour.get_kind_display(), "deeds": honour.deeds},
    )
    audit.record(honour, "womenshome.honour.on_notice", actor=actor, changes={"days": days})
    return honour


def _notice(honour: Honour) -> PublicNotice:
    notice = notices.notice_for(honour)
    if notice is None:
        raise ValidationError(_("该推荐没有公示记录。"))
    return notice


@transaction.atomic
def honour_answer_objection(*, actor: User, honour: Honour, objection: Objection, reply: str,
                            upheld: bool) -> Objection:
    ensure_can(actor, "womenshome.decide_honour", honour)
    if objection.notice_id != _notice(honour).pk:
        raise ValidationError(_("这条异议不属于该公示。"))
    return notices.objection_answer(actor=actor, objection=objection, reply=reply, upheld=upheld)


@transaction.atomic
def honour_decide(*, actor: User, honour: Honour, award: bool, reason: str = "") -> Honour:
    """After the notice: award (period over, every objection answered, none upheld, quota kept)
    or reject with a reason."""
    ensure_can(actor, "womenshome.decide_honour", honour)
    if honour.state != HonourState.ON_NOTICE:
        raise ValidationError(_("只有公示中的推荐才能作出决定。"))
    notice = _notice(honour)
    honour.decided_at = timezone.now()
    if award:
        _ensure_quota(honour, counting_self=True)
        notices.notice_close(actor=actor, notice=notice, outcome=notices.Outcome.PASSED, reason=reason)
        honour.awarded_on = timezone.localdate()
        honour.decision_reason = (reason or "").strip()[:500]
        _move(honour, HonourState.AWARDED)
        audit.record(honour, "womenshome.honour.awarded", actor=actor)
    else:
        notices.notice_close(actor=actor, notice=notice, outcome=notices.Outcome.REJECTED, reason=reason)
        honour.decision_reason = (reason or "").strip()[:500]
        _move(honour, HonourState.REJECTED)
        audit.record(honour, "womenshome.honour.rejected", actor=actor, changes={"reason": honour.decision_reason})
    return honour


@transaction.atomic
def quota_set(*, actor: User, organization: Organization, year: int, quota: int,
              target: int = DEFAULT_MORAL_MODEL_TARGET, kind: str = HonourKind.MORAL_MODEL) -> HonourQuota:
    """The county federation sets a township's yearly 道德模范 target (at least) and quota (at most)."""
    row = HonourQuota(organization=organization, year=year, kind=kind, quota=quota, target=target)
    ensure_can(actor, "womenshome.set_quota", row)
    if organization.kind != Organization.Kind.TOWNSHIP_FEDERATION:
        raise ValidationError({"organization": _("名额按乡镇（街道）妇联设定。")})
    if not isinstance(quota, int) or not 0 <= quota <= 20:
        raise ValidationError({"quota": _("名额应在 0 到 20 之间。")})
    if not isinstance(target, int) or not 0 <= target <= quota:
        raise ValidationError({"target": _("每年至少推荐的人数应在 0 到名额之间。")})
    used = Honour.objects.filter(quota_organization=organization, year=year, kind=kind,
                                 state__in=QUOTA_STATES).count()
    if quota < used:
        raise ValidationError({"quota": _("已有 %(used)d 名在公示或已授予，名额不能少于此数。") % {"used": used}})
    existing = HonourQuota.objects.filter(organization=organization, year=year, kind=kind).first()
    before = (existing.target, existing.quota) if existing else (DEFAULT_MORAL_MODEL_TARGET,
                                                                 quota_of(organization=organization, year=year, kind=kind))
    stored, _created = HonourQuota.objects.update_or_create(
        organization=organization, year=year, kind=kind, defaults={"quota": quota, "target": target})
    audit.record(stored, "womenshome.quota.set", actor=actor,
                 changes={"target": [before[0], target], "quota": [before[1], quota], "year": year})
    return stored


# --- imports and exports -------------------------------------------------------------------------

class AttendanceImport(importing.ImportKind):
    """The attendees of an activity from a roster: the people pipeline places each person (new
    ones registered in the organiser's organisation or their village), and each attends once."""

    kind = "attendance"
    # Attendance is written with the ORM, which on the writer thread would take that thread's
    # own connection, outside the import's transaction.
    on_writer_thread = False

    def __init__(self, activity: Activity, *, actor: User) -> None:
        super().__init__(activity.organization)
        self.activity = activity
        self.actor = actor
        self.attended = 0
        self.already_attended = 0
        self.added: list[int] = []

    def conflict_message(self) -> str:
        return _("导入时有人同时登记了相同的人员，未导入任何数据，请重新导入。")

    def batch_stored(self, db: BaseDatabaseWrapper, stored: importing.Stored) -> None:
        already = set(Attendance.objects.filter(activity=self.activity, person_id__in=stored.existing)
                      .values_list("person_id", flat=True))
        self.already_attended += len(already)
        fresh = [pk for pk in stored.existing if pk not in already]
        self.attended += len(fresh) + len(stored.created)
        if stored.written:
            new_ids = self.created_ids(db, stored)  # in the organiser's county (ADR 0026)
            Attendance.objects.bulk_create([Attendance(activity=self.activity, person_id=pk,
                                                       method=Attendance.Method.IMPORT)
                                            for pk in fresh + new_ids])
            self.added.extend(fresh + new_ids)

    def tally(self, report: ImportReport) -> None:
        report.attended, report.already_attended = self.attended, self.already_attended

    def committed(self, report: ImportReport) -> None:
        rollups.attendance_added(self.activity, self.added)
        audit.record(self.activity, "womenshome.attendance.imported", actor=self.actor, changes={
            "file_sha256": report.file_sha256, "rows": report.rows, "created": report.created,
            "attended": report.attended})


def attendance_import(*, actor: User, activity: Activity, data: bytes, filename: str,
                      dry_run: bool = True) -> ImportReport:
    """Import the attendees of an activity from a roster file: people not yet registered are
    registered in the organiser's organisation (or their village), each attends once; checked
    row by row, all or nothing, idempotent."""
    ensure_can(actor, "womenshome.record_attendance", activity)
    return importing.run_import(AttendanceImport(activity, actor=actor), data=data, filename=filename,
                                dry_run=dry_run)


def export_recorded(*, actor: User, table: str, rows: int, filters: dict[str, Any],
                    revealed: bool = False, reason: str = "") -> None:
    """Every export leaves an audit row: which table, which filters, how many rows, unmasked or not."""
    audit.record(None, f"womenshome.export.{table}", actor=actor,
                 changes={"rows": rows, "filters": filters, "revealed": revealed, "reason": reason[:200]})
