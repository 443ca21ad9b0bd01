"""Writes of 督查指导: visits and their follow-ups (answered below, confirmed above), meeting
records and research reports; and the sweep that reminds of follow-ups due or overdue."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, deadlines, notifications, workflow
from gongjian.kernel.access import Subtree
from gongjian.kernel.attachments import store_upload
from gongjian.kernel.models import Organization, Person, User
from gongjian.kernel.permissions import ensure_can

from ..models import (
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingKind,
    ResearchReport,
    SupervisionVisit,
)
from ..workflow import FOLLOWUP_TRANSITIONS
from .study import MAX_TEXT, check_campaign

VISIT_FIELDS = ("organization", "visited", "campaign", "visited_on", "participants", "findings")
MEETING_FIELDS = ("organization", "campaign", "kind", "title", "held_on", "place", "minutes", "head_count")
REPORT_FIELDS = ("organization", "campaign", "title", "body", "written_on", "attachment")
MAX_HEAD_COUNT = 100_000
#: Reminders go out this many days before a follow-up is due, and again once it is overdue.
REMIND_DAYS_BEFORE = 3
#: The organisations strictly below the acting one (an Organization row is its own owner: via "").
STRICTLY_BELOW = Subtree(via=("",), strictly_below=True)


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _past_day(day: Any, field: str, errors: dict[str, str], label: str) -> None:
    if not isinstance(day, date):
        errors[field] = _("请填写%(label)s。") % {"label": label}
    elif day > timezone.localdate():
        errors[field] = _("%(label)s不能晚于今天。") % {"label": label}


def _later(fn: Any) -> None:
    transaction.on_commit(fn)


# --- visits and follow-ups -------------------------------------------------------------------

@transaction.atomic
def visit_record(*, actor: User, visited: Organization | None, data: dict[str, Any]) -> SupervisionVisit:
    """Record a 督查指导 visit of the acting organisation to one strictly below it."""
    organization = access.acting_organization_required(actor)
    visit = SupervisionVisit(organization=organization, campaign=data.get("campaign"),
                             visited_on=cast(date, data.get("visited_on")), participants=_text(data, "participants"),
                             findings=_text(data, "findings"), created_by=actor)
    ensure_can(actor, "campaigns.record_visit", visit)
    check_campaign(actor, visit.campaign)
    errors: dict[str, str] = {}
    if visited is None or not access.may(actor, visited, reach=STRICTLY_BELOW):
        errors["visited"] = _("被督查的须是本组织下级的组织。")
    else:
        visit.visited = visited
    _past_day(visit.visited_on, "visited_on", errors, _("督查日期"))
    if not visit.findings:
        errors["findings"] = _("请填写督查发现的情况和问题。")
    elif len(visit.findings) > MAX_TEXT:
        errors["findings"] = _("内容太长。")
    if errors:
        raise ValidationError(errors)
    visit.save()
    audit.record(visit, "campaigns.visit.recorded", actor=actor,
                 changes=audit.diff({}, audit.snapshot(visit, VISIT_FIELDS)))
    return visit


@transaction.atomic
def followup_add(*, actor: User, visit: SupervisionVisit, item: str, due_on: date | None) -> FollowUp:
    """The visitor asks the visited organisation to put something right by a date."""
    ensure_can(actor, "campaigns.record_visit", visit)
    text = (item or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["item"] = _("请填写整改事项。")
    elif len(text) > 2000:
        errors["item"] = _("整改事项太长（不超过2000字）。")
    if not isinstance(due_on, date):
        errors["due_on"] = _("请填写整改期限。")
    elif due_on < visit.visited_on:
        errors["due_on"] = _("整改期限不能早于督查日期。")
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    followup = FollowUp.objects.create(visit=visit, item=text, due_on=due_on)
    audit.record(followup, "campaigns.followup.added", actor=actor, organization=visit.organization,
                 changes={"visit": visit.pk, "item": text[:200], "due_on": due_on.isoformat()})
    _later(lambda: notifications.notify(
        organization=visit.visited, code="campaigns.followup.added",
        message=_("%(org)s督查指导提出整改事项，须在 %(due)s 前反馈：%(item)s") % {
            "org": visit.organization.name, "due": due_on, "item": text[:80]},
        link=followup.get_absolute_url(), dedupe_key=f"followup:{followup.pk}:added", subject=followup))
    return followup


#: What the visited side is asked (and both sides are told when late): done once it answers.
ANSWER_TODOS = ("campaigns.followup.added", "campaigns.followup.returned", "campaigns.followup.due",
                "campaigns.followup.overdue", "campaigns.followup.overdue-visitor")


def _move(followup: FollowUp, to: str) -> FollowUp:
    stored = FollowUp.objects.select_related("visit__organization", "visit__visited").get(pk=followup.pk)
    workflow.move(stored, to=to, transitions=FOLLOWUP_TRANSITIONS, labels=FollowUpState)
    return stored


@transaction.atomic
def followup_answer(*, actor: User, followup: FollowUp, answer: str) -> FollowUp:
    """The visited organisation says what it did (done, with a note)."""
    ensure_can(actor, "campaigns.answer_followup", followup)
    text = (answer or "").strip()
    if not text:
        raise ValidationError({"answer": _("请填写整改情况。")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"answer": _("内容太长。")})
    stored = _move(followup, FollowUpState.ANSWERED)
    stored.answer, stored.answered_on, stored.answered_by = text, timezone.localdate(), actor
    stored.save(update_fields=["answer", "answered_on", "answered_by"])
    audit.record(stored, "campaigns.followup.answered", actor=actor, organization=stored.visit.visited,
                 changes={"answer": text[:200], "late": stored.answered_on > stored.due_on})
    # The visited side has answered: its 整改 and the overdue notes on both sides are done.
    notifications.resolve(subject=stored, codes=ANSWER_TODOS)
    visit = stored.visit
    _later(lambda: notifications.notify(
        organization=visit.organization, code="campaigns.followup.answered",
        message=_("%(org)s已反馈整改情况，请确认：%(item)s") % {"org": visit.visited.name, "item": stored.item[:80]},
        link=stored.get_absolute_url(), dedupe_key=f"followup:{stored.pk}:answered:{stored.answered_on}",
        subject=stored))
    return stored


@transaction.atomic
def followup_confirm(*, actor: User, followup: FollowUp) -> FollowUp:
    """The visitor accepts the answer: the item is closed."""
    ensure_can(actor, "campaigns.confirm_followup", followup)
    stored = _move(followup, FollowUpState.CONFIRMED)
    stored.confirmed_at, stored.confirmed_by = timezone.now(), actor
    stored.save(update_fields=["confirmed_at", "confirmed_by"])
    audit.record(stored, "campaigns.followup.confirmed", actor=actor, organization=stored.visit.organization)
    notifications.resolve(subject=stored, codes=("campaigns.followup.answered",))
    return stored


@transaction.atomic
def followup_return(*, actor: User, followup: FollowUp, reason: str) -> FollowUp:
    """The visitor is not satisfied: the item goes back to the visited organisation, with why."""
    ensure_can(actor, "campaigns.confirm_followup", followup)
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("请填写退回原因。")})
    stored = _move(followup, FollowUpState.OPEN)
    stored.return_reason = text[:2000]
    stored.save(update_fields=["return_reason"])
    audit.record(stored, "campaigns.followup.returned", actor=actor, organization=stored.visit.organization,
                 changes={"reason": text[:200]})
    notifications.resolve(subject=stored, codes=("campaigns.followup.answered",))
    visit = stored.visit
    _later(lambda: notifications.notify(
        organization=visit.visited, code="campaigns.followup.returned",
        message=_("%(org)s退回了整改反馈：%(reason)s") % {"org": visit.organization.name, "reason": text[:80]},
        link=stored.get_absolute_url(), dedupe_key=f"followup:{stored.pk}:returned:{timezone.now().isoformat()}",
        subject=stored))
    return stored


def followups_remind(*, today: date | None = None) -> int:
    """The sweep: remind the visited organisation of each open follow-up due within
    REMIND_DAYS_BEFORE days, and both sides of each overdue one. Each reminder is sent once."""
    today = today or timezone.localdate()
    soon = deadlines.add_days(today, REMIND_DAYS_BEFORE)
    sent = 0
    due = (FollowUp.objects.filter(state=FollowUpState.OPEN, due_on__lte=soon)
           .select_related("visit__organization", "visit__visited"))
    for f in due:
        visit = f.visit
        values = {"org": visit.organization.name, "due": f.due_on, "item": f.item[:80]}
        link = f.get_absolute_url()
        if f.due_on < today:
            notes = [(visit.visited, "overdue", _("整改事项已逾期（应于 %(due)s 前反馈）：%(item)s") % values),
                     (visit.organization, "overdue-visitor",
                      _("%(visited)s的整改事项已逾期（%(due)s）：%(item)s") % {**values, "visited": visit.visited.name})]
        else:
            notes = [(visit.visited, "due", _("%(org)s督查的整改事项须在 %(due)s 前反馈：%(item)s") % values)]
        for org, kind, message in notes:
            if notifications.notify(organization=org, code=f"campaigns.followup.{kind}", message=message, link=link,
                                    dedupe_key=f"followup:{f.pk}:{kind}:{f.due_on}", subject=f):
                sent += 1
    return sent


# --- meetings and reports --------------------------------------------------------------------

@transaction.atomic
def meeting_record(*, actor: User, data: dict[str, Any], attendees: list[Person] | None = None) -> Meeting:
    """Record a 推进会 / 座谈会 / 现场会 the acting organisation held."""
    organization = access.acting_organization_required(actor)
    meeting = Meeting(organization=organization, campaign=data.get("campaign"), kind=data.get("kind") or "",
                      title=_text(data, "title")[:200], held_on=cast(date, data.get("held_on")),
                      place=_text(data, "place")[:200], minutes=_text(data, "minutes"),
                      head_count=data.get("head_count") or 0, created_by=actor)
    ensure_can(actor, "campaigns.record_meeting", meeting)
    check_campaign(actor, meeting.campaign)
    people = list(attendees or [])
    for person in people:
        ensure_can(actor, "kernel.view_person", person)  # Z-02: each id is checked again
    errors: dict[str, str] = {}
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = _("请选择会议类型。")
    if not meeting.title:
        errors["title"] = _("请填写会议名称。")
    _past_day(meeting.held_on, "held_on", errors, _("召开日期"))
    if not meeting.minutes:
        errors["minutes"] = _("请填写会议纪要。")
    elif len(meeting.minutes) > MAX_TEXT:
        errors["minutes"] = _("会议纪要太长，请精简。")
    if not isinstance(meeting.head_count, int) or not 1 <= meeting.head_count <= MAX_HEAD_COUNT:
        errors["head_count"] = _("参会人数须在1到%(n)d之间。") % {"n": MAX_HEAD_COUNT}
    elif len(people) > meeting.head_count:
        errors["head_count"] = _("参会人数不能少于列出的参会人员（%(n)d人）。") % {"n": len(people)}
    if errors:
        raise ValidationError(errors)
    meeting.save()
    meeting.attendees.set(people)
    audit.record(meeting, "campaigns.meeting.recorded", actor=actor,
                 changes={**audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS)),
                          "attendees": [p.pk for p in people]})
    return meeting


@transaction.atomic
def report_write(*, actor: User, data: dict[str, Any], upload: UploadedFile | None = None) -> ResearchReport:
    """File a 调研报告 of the acting organisation (text, an attachment, or both)."""
    organization = access.acting_organization_required(actor)
    report = ResearchReport(organization=organization, campaign=data.get("campaign"),
                            title=_text(data, "title")[:200], body=_text(data, "body"),
                            written_on=cast(date, data.get("written_on")), created_by=actor)
    ensure_can(actor, "campaigns.write_report", report)
    check_campaign(actor, report.campaign)
    errors: dict[str, str] = {}
    if not report.title:
        errors["title"] = _("请填写标题。")
    _past_day(report.written_on, "written_on", errors, _("报告日期"))
    if not report.body and upload is None:
        errors["body"] = _("请填写报告正文或上传附件。")
    elif len(report.body) > MAX_TEXT * 5:
        errors["body"] = _("正文太长，请改为上传附件。")
    if errors:
        raise ValidationError(errors)
    if upload is not None:
        try:
            report.attachment = store_upload(upload, actor=actor, organization=organization)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    report.save()
    audit.record(report, "campaigns.report.written", actor=actor,
                 changes=audit.diff({}, audit.snapshot(report, REPORT_FIELDS)))
    return report
