"""Commendation writes: a nomination drafted and submitted upward, reviewed by the deciding
organisation, put on public notice (kernel.notices), objections answered, then awarded or not.

Each use case is one transaction, names its actor, guards the state through the transition
table and leaves an audit row; the other side is told through a notification after commit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import audit, notices, workflow
from gongjian.kernel.attachments import DOCUMENTS, store_upload
from gongjian.kernel.models import Objection, Organization, Position, PublicNotice, User
from gongjian.kernel.notifications import notify, resolve
from gongjian.kernel.permissions import ensure_can

from ..models import (
    CADRE_TITLES,
    ORGANIZATION_TITLES,
    PERSON_TITLES,
    Nomination,
    NominationFile,
    NominationState,
    TitleKind,
)
from ..workflow import NOMINATION_TRANSITIONS

FIELDS = ("organization", "deciding_organization", "kind", "year", "nominee_organization", "person",
          "public_name", "deeds", "campaign")
MIN_DEEDS = 20
MAX_DEEDS = 5000
MAX_FILES = 10
#: Live nominations: a second one for the same nominee, title and year is refused.
LIVE = (NominationState.DRAFT, NominationState.SUBMITTED, NominationState.RETURNED, NominationState.APPROVED,
        NominationState.ON_NOTICE, NominationState.AWARDED)


def _move(nomination: Nomination, to: str) -> str:
    return workflow.move(nomination, to=to, transitions=NOMINATION_TRANSITIONS, labels=NominationState,
                         extra_update_fields=("decision_reason", "decided_at", "submitted_at", "awarded_on"))


def _is_cadre(person_id: int, on: Any) -> bool:
    """She holds a current staff position in a women's federation (a 妇联干部)."""
    return Position.objects.filter(
        person_id=person_id, role__in=Position.STAFF_ROLES, organization__kind__in=Organization.FEDERATION_KINDS,
        start_date__lte=on).exclude(end_date__lt=on).exists()


def _clean(actor: User, nomination: Nomination) -> None:
    """Check a nomination's content; every reason at once, in Chinese."""
    errors: dict[str, str] = {}
    org, decider = nomination.organization, nomination.deciding_organization
    if org.kind not in Organization.FEDERATION_KINDS:
        errors["organization"] = _("推荐单位应为妇联组织。")
    if (decider.kind not in Organization.FEDERATION_KINDS or not decider.contains(org) or decider.pk == org.pk):
        errors["deciding_organization"] = _("表彰单位应为推荐单位的上级妇联。")
    if nomination.kind not in TitleKind.values:
        errors["kind"] = _("请选择表彰称号。")
    this_year = timezone.localdate().year
    if not isinstance(nomination.year, int) or not this_year - 1 <= nomination.year <= this_year + 1:
        errors["year"] = _("年度应为去年、今年或明年。")
    person, unit = nomination.person, nomination.nominee_organization
    if nomination.kind in PERSON_TITLES:
        nomination.nominee_organization = None
        if person is None:
            errors["person"] = _("请选择被推荐人。")
        else:
            ensure_can(actor, "kernel.view_person", person)
            if not org.contains(person.organization):
                errors["person"] = _("被推荐人不在推荐单位的辖区内。")
            elif person.gender != "F":
                errors["person"] = _("被推荐人应为女性。")
            elif nomination.kind in CADRE_TITLES and not _is_cadre(person.pk, timezone.localdate()):
                errors["person"] = _("“%(kind)s”应推荐现任妇联干部。") % {"kind": nomination.get_kind_display()}
            if not (nomination.public_name or "").strip():
                nomination.public_name = person.name
    elif nomination.kind in ORGANIZATION_TITLES:
        nomination.person = None
        if unit is not None and not org.contains(unit):
            errors["nominee_organization"] = _("被推荐组织不在推荐单位的辖区内。")
        elif nomination.kind == TitleKind.ADVANCED_ORGANIZATION:
            if unit is None:
                errors["nominee_organization"] = _("请选择被推荐的妇联组织。")
            elif unit.kind not in Organization.FEDERATION_KINDS:
                errors["nominee_organization"] = _("“先进妇联组织”应推荐妇联组织。")
        if unit is not None and not (nomination.public_name or "").strip():
            nomination.public_name = unit.name
        if not (nomination.public_name or "").strip() and "nominee_organization" not in errors:
            errors["public_name"] = _("请填写被推荐集体（单位或岗位）的名称。")
    nomination.public_name = (nomination.public_name or "").strip()[:100]
    nomination.deeds = (nomination.deeds or "").strip()
    if len(nomination.deeds) < MIN_DEEDS:
        errors["deeds"] = _("请写明先进事迹（至少 %(n)d 个字）。") % {"n": MIN_DEEDS}
    elif len(nomination.deeds) > MAX_DEEDS:
        errors["deeds"] = _("先进事迹不能超过 %(n)d 个字。") % {"n": MAX_DEEDS}
    campaign = nomination.campaign
    if campaign is not None and not (campaign.organization.contains(org) or org.contains(campaign.organization)):
        errors["campaign"] = _("请选择本单位参加的创先争优活动。")
    if errors:
        raise ValidationError(errors)
    same = Nomination.objects.filter(kind=nomination.kind, year=nomination.year, state__in=LIVE)
    if nomination.pk:
        same = same.exclude(pk=nomination.pk)
    if nomination.person is not None:
        same = same.filter(person=nomination.person)
    elif nomination.nominee_organization is not None:
        same = same.filter(nominee_organization=nomination.nominee_organization)
    else:
        same = same.filter(organization=org, public_name=nomination.public_name)
    if same.exists():
        raise ValidationError(_("%(name)s已被推荐为%(year)s年度“%(kind)s”。")
                              % {"name": nomination.public_name, "year": nomination.year,
                                 "kind": nomination.get_kind_display()}, code="duplicate")


@transaction.atomic
def nomination_create(*, actor: User, data: dict[str, Any]) -> Nomination:
    """Draft a nomination (推荐) of an organisation, a cadre or a woman."""
    nomination = Nomination(**{k: v for k, v in data.items() if k in FIELDS}, created_by=actor)
    ensure_can(actor, "campaigns.nominate", nomination)
    _clean(actor, nomination)
    nomination.save()
    audit.record(nomination, "campaigns.nomination.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(nomination, FIELDS)))
    return nomination


@transaction.atomic
def nomination_update(*, actor: User, nomination: Nomination, data: dict[str, Any]) -> Nomination:
    """Change a draft or a returned nomination (the nominating organisation's own)."""
    ensure_can(actor, "campaigns.nominate", nomination)
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not locked.editable:
        raise ValidationError(_("只有草稿或退回修改的推荐才能修改。"), code="state")
    before = audit.snapshot(locked, FIELDS)
    for name in FIELDS:
        if name in data and name not in ("organization", "deciding_organization"):
            setattr(locked, name, data[name])
    ensure_can(actor, "campaigns.nominate", locked)
    _clean(actor, locked)
    locked.save()
    audit.record(locked, "campaigns.nomination.changed", actor=actor,
                 changes=audit.diff(before, audit.snapshot(locked, FIELDS)))
    return locked


@transaction.atomic
def nomination_submit(*, actor: User, nomination: Nomination) -> Nomination:
    """Send a draft (or a revised returned one) up to the deciding organisation."""
    ensure_can(actor, "campaigns.nominate", nomination)
    nomination.submitted_at = timezone.now()
    _move(nomination, NominationState.SUBMITTED)
    audit.record(nomination, "campaigns.nomination.submitted", actor=actor)
    resolve(subject=nomination, codes=("campaigns.nomination.returned",))
    decider, name = nomination.deciding_organization, nomination.public_name
    kind, source = nomination.get_kind_display(), nomination.organization.name
    link = nomination.get_absolute_url()
    transaction.on_commit(lambda: notify(
        organization=decider, code="campaigns.nomination.submitted", link=link,
        message=_("%(org)s报送了%(name)s的“%(kind)s”推荐，请审核。") % {"org": source, "name": name, "kind": kind},
        dedupe_key=f"nomination-submitted:{nomination.pk}:{nomination.submitted_at:%Y%m%d%H%M%S}",
        subject=nomination))
    return nomination


@transaction.atomic
def nomination_attach(*, actor: User, nomination: Nomination, upload: UploadedFile,
                      caption: str = "") -> NominationFile:
    """Add a document (推荐表, 事迹材料, a photo) before the decision."""
    ensure_can(actor, "campaigns.nominate", nomination)
    if nomination.state not in (NominationState.DRAFT, NominationState.RETURNED, NominationState.SUBMITTED):
        raise ValidationError(_("审核后不能再添加材料。"), code="state")
    if nomination.files.count() >= MAX_FILES:
        raise ValidationError(_("每个推荐最多上传 %(n)d 个材料。") % {"n": MAX_FILES}, code="too_many")
    stored = store_upload(upload, actor=actor, organization=nomination.organization, allowed=DOCUMENTS)
    row = NominationFile.objects.create(nomination=nomination, file=stored, caption=(caption or "").strip()[:100],
                                        added_by=actor)
    audit.record(nomination, "campaigns.nomination.file_added", actor=actor,
                 changes={"file": stored.original_name, "size": stored.size})
    return row


REVIEW_DECISIONS = ("approve", "return", "reject")


@transaction.atomic
def nomination_review(*, actor: User, nomination: Nomination, decision: str, reason: str = "") -> Nomination:
    """The deciding organisation reviews a submitted nomination: approve it for 公示, return it
    for revision, or not select it (the last two with a reason)."""
    ensure_can(actor, "campaigns.decide_commendation", nomination)
    reason = (reason or "").strip()
    if decision not in REVIEW_DECISIONS:
        raise ValidationError(_("请选择审核意见。"), code="decision")
    if decision != "approve" and len(reason) < 2:
        raise ValidationError({"reason": _("请填写退回或不予推荐的理由。")})
    if nomination.state != NominationState.SUBMITTED:
        raise ValidationError(_("只有已报送的推荐才能审核。"), code="state")
    nomination.decision_reason = reason[:500]
    nomination.decided_at = timezone.now()
    to = {"approve": NominationState.APPROVED, "return": NominationState.RETURNED,
          "reject": NominationState.NOT_SELECTED}[decision]
    _move(nomination, to)
    audit.record(nomination, f"campaigns.nomination.{to}", actor=actor, changes={"reason": nomination.decision_reason})
    resolve(subject=nomination, codes=("campaigns.nomination.submitted",))
    if to != NominationState.APPROVED:
        source, label, name = nomination.organization, str(NominationState(to).label), nomination.public_name
        link = nomination.get_absolute_url()
        transaction.on_commit(lambda: notify(
            organization=source, code=f"campaigns.nomination.{to}", link=link,
            message=_("%(name)s的推荐：%(state)s。%(reason)s") % {"name": name, "state": label, "reason": reason},
            dedupe_key=f"nomination-{to}:{nomination.pk}:{nomination.decided_at:%Y%m%d%H%M%S}",
            subject=nomination))
    return nomination


@transaction.atomic
def nomination_notice_open(*, actor: User, nomination: Nomination, days: int = notices.DEFAULT_DAYS,
                           working_days: bool = False) -> PublicNotice:
    """Put an approved nomination on public notice (公示) from today for `days` days."""
    ensure_can(actor, "campaigns.decide_commendation", nomination)
    if nomination.state != NominationState.APPROVED:
        raise ValidationError(_("只有审核通过的推荐才能公示。"), code="state")
    _move(nomination, NominationState.ON_NOTICE)
    kind = nomination.get_kind_display()
    notice = notices.notice_open(
        actor=actor, target=nomination, organization=nomination.deciding_organization, days=days,
        working_days=working_days,
        title=_("%(year)s年度“%(kind)s”拟表彰对象公示") % {"year": nomination.year, "kind": kind},
        body=_("经%(org)s推荐、%(decider)s审核，拟授予%(name)s%(year)s年度“%(kind)s”称号。\n主要事迹：%(deeds)s")
        % {"org": nomination.organization.name, "decider": nomination.deciding_organization.name,
           "name": nomination.public_name, "year": nomination.year, "kind": kind, "deeds": nomination.deeds},
    )
    audit.record(nomination, "campaigns.nomination.on_notice", actor=actor,
                 changes={"notice": notice.pk, "days": days, "ends_on": notice.ends_on})
    return notice


def _notice(nomination: Nomination) -> PublicNotice:
    notice = notices.notice_for(nomination)
    if notice is None:
        raise ValidationError(_("该推荐没有公示记录。"), code="no_notice")
    return notice


@transaction.atomic
def nomination_answer_objection(*, actor: User, nomination: Nomination, objection: Objection, reply: str,
                                upheld: bool) -> Objection:
    """Answer an objection to the nomination's notice (what the objector reads with her code)."""
    ensure_can(actor, "campaigns.decide_commendation", nomination)
    if objection.notice_id != _notice(nomination).pk:
        raise ValidationError(_("这条异议不属于该公示。"), code="other_notice")
    return notices.objection_answer(actor=actor, objection=objection, reply=reply, upheld=upheld)


@transaction.atomic
def nomination_decide(*, actor: User, nomination: Nomination, award: bool, reason: str = "") -> Nomination:
    """After the notice: close it and award (period over, every objection answered, none upheld),
    or close it and do not award (with a reason: an objection found true)."""
    ensure_can(actor, "campaigns.decide_commendation", nomination)
    if nomination.state != NominationState.ON_NOTICE:
        raise ValidationError(_("只有公示中的推荐才能作出表彰决定。"), code="state")
    notice = _notice(nomination)
    reason = (reason or "").strip()
    nomination.decided_at = timezone.now()
    nomination.decision_reason = reason[:500]
    if award:
        notices.notice_close(actor=actor, notice=notice, outcome=notices.Outcome.PASSED, reason=reason)
        nomination.awarded_on = timezone.localdate()
        _move(nomination, NominationState.AWARDED)
        audit.record(nomination, "campaigns.nomination.awarded", actor=actor)
        source, name, kind = nomination.organization, nomination.public_name, nomination.get_kind_display()
        link = nomination.get_absolute_url()
        transaction.on_commit(lambda: notify(
            organization=source, code="campaigns.nomination.awarded", link=link,
            message=_("%(name)s被授予“%(kind)s”称号。") % {"name": name, "kind": kind},
            dedupe_key=f"nomination-awarded:{nomination.pk}"))
    else:
        notices.notice_close(actor=actor, notice=notice, outcome=notices.Outcome.REJECTED, reason=reason)
        _move(nomination, NominationState.NOT_AWARDED)
        audit.record(nomination, "campaigns.nomination.not_awarded", actor=actor, changes={"reason": reason[:200]})
    return nomination
