"""Drafts of 公文 that 党务公开 offers the documents app (issue 14; `kernel.documents`): the
党务公开目录 and the 工作日程安排表 of a party organisation for a period (第四篇).

Reach is the disclosure pages' own: a party organisation (党委, 党支部) the user reaches as party
staff or as the leading group's inspector (`selectors.organization_get_for_user`) and whose
calendar she may view (`disclosure.view_calendar`); anything else does not exist (Http404). A
federation, a leading group or any other unit is not a party organisation: the draft is refused
with a Chinese sentence (ValidationError) — it has no disclosures to list. Every row comes from
the records; nothing is made up. The documents app never imports this module: `apps.py` offers it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, documents
from gongjian.kernel.deadlines import DueStatus, due_status
from gongjian.kernel.models import Organization, Position, User
from gongjian.kernel.permissions import can

from . import selectors
from .models import (
    Category,
    Channel,
    Disclosure,
    DisclosureVersion,
    DueItem,
    Inspection,
    MeetingRecord,
    Rectification,
    RegularPeriod,
    Scope,
    Stage,
    Suggestion,
    Timing,
)

NUMERALS = "一二三四五六七八九十"


def day_text(day: date, *, year: bool = True) -> str:
    if not year:
        return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def period_text(start: date, end: date) -> str:
    """"2026年" for a calendar year, else "2026年1月1日至2026年6月30日"."""
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return _("%(y)d年") % {"y": start.year}
    return _("%(start)s至%(end)s") % {"start": day_text(start), "end": day_text(end)}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes [start 00:00, the day after end 00:00) in local time."""
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


# --- reach ----------------------------------------------------------------------------------------


def reached(ask: documents.Ask) -> Organization:
    """The party organisation of an ask, as the disclosure pages reach it (Http404 otherwise)."""
    if ask.organization.kind not in Organization.PARTY_KINDS:
        raise ValidationError(_("党务公开目录和工作日程安排表只能为党组织（党委、党支部）起草：“%(org)s”不是党组织，"
                                "没有党务公开事项。") % {"org": ask.organization.name})
    if ask.start > ask.end:
        raise ValidationError(_("起止日期有误：开始日期不能晚于结束日期。"))
    if not isinstance(ask.user, User):  # an anonymous reader drafts nothing
        raise Http404
    organization = selectors.organization_get_for_user(user=ask.user, organization_id=ask.organization.pk)
    if not can(ask.user, "disclosure.view_calendar", organization):
        raise Http404
    return organization


def responsible(user: access.Reader, organization: Organization) -> str:
    """责任人: the organisation's current lead ("刘振华（党支部书记）"), else the organisation."""
    today = timezone.localdate()
    lead = (access.visible(user, Position.objects.filter(organization=organization, role=Position.Role.LEAD,
                                                         start_date__lte=today))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).select_related("person")
            .order_by("sort_order", "id").first())
    if lead is None:
        return organization.name
    return _("%(name)s（%(title)s）") % {"name": lead.person.name, "title": lead.title}


# --- 党务公开目录 ------------------------------------------------------------------------------------


def catalogue_items(organization: Organization, start: date, end: date) -> QuerySet[Disclosure]:
    """The organisation's items published by the end of the period and not withdrawn before it
    began, with their versions and the period's due dates (three queries)."""
    since, until = _bounds(start, end)
    return (Disclosure.objects.filter(organization=organization, current_version__isnull=False)
            .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=since))
            .annotate(first_published=Min("versions__published_at"))
            .filter(first_published__lt=until)
            .prefetch_related(
                Prefetch("versions", queryset=DisclosureVersion.objects.filter(published_at__lt=until)
                         .order_by("number"), to_attr="period_versions"),
                Prefetch("due_items", queryset=DueItem.objects.filter(due_on__gte=start, due_on__lte=end)
                         .order_by("due_on"), to_attr="period_due"))
            .order_by("first_published", "id"))


def timing_text(item: Disclosure, version: DisclosureVersion, end: date) -> str:
    """公开时间（时限）, as 第四篇 五 names the timings, with the dates the records hold."""
    published = _local_day(version.published_at)
    first = _local_day(item.first_published)  # type: ignore[attr-defined]
    periods = dict(RegularPeriod.choices)
    if version.timing == Timing.FIXED:
        text = _("长期公开（%(day)s起）") % {"day": day_text(first)}
    elif version.timing == Timing.REGULAR:
        text = _("%(period)s更换一次") % {"period": periods.get(version.period, version.period)}
        due = [day_text(d.due_on, year=False) for d in item.period_due]  # type: ignore[attr-defined]
        if due:
            text += _("，本期应于%(days)s前公开") % {"days": "、".join(due)}
    elif version.timing == Timing.STAGE:
        text = _("阶段性公开（%(day)s）") % {"day": day_text(published)}
    elif version.timing == Timing.HOT:
        text = _("及时公开（%(day)s）") % {"day": day_text(published)}
    else:
        text = _("随时公开（%(day)s）") % {"day": day_text(published)}
    if version.stage == Stage.PRELIMINARY and version.opinions_until:
        text += _("；征求意见稿，意见征集至%(day)s") % {"day": day_text(version.opinions_until)}
    if item.withdrawn_at is not None and _local_day(item.withdrawn_at) <= end:
        text += _("；%(day)s撤回") % {"day": day_text(_local_day(item.withdrawn_at))}
    return text


def scope_text(version: DisclosureVersion) -> str:
    if version.scope == Scope.PARTY_FIRST and version.public_from:
        return _("先党内后党外（%(day)s起向社会公开）") % {"day": day_text(version.public_from)}
    return str(Scope(version.scope).label) if version.scope in Scope.values else version.scope


def channels_text(channels: Iterable[str]) -> str:
    labels = dict(Channel.choices)
    return "、".join(str(labels.get(c, c)) for c in channels)


def draft_catalogue(ask: documents.Ask) -> documents.Content:
    """党务公开目录: the period's items by the six categories of 第四篇 二, a table each."""
    organization = reached(ask)
    items = list(catalogue_items(organization, ask.start, ask.end))
    who = responsible(ask.user, organization)
    rows: dict[str, list[list[str]]] = defaultdict(list)
    for item in items:
        version = item.period_versions[-1]  # type: ignore[attr-defined]  # the one in force by the end
        rows[version.category].append([version.title, timing_text(item, version, ask.end), channels_text(version.channels),
                                       scope_text(version), who])
    period = period_text(ask.start, ask.end)
    sections = [documents.Section(heading="", paragraphs=[
        _("本目录列出%(org)s%(period)s公开的党务事项，共%(n)d项，按党务公开内容的六个方面排列。") % {
            "org": organization.name, "period": period, "n": len(items)}])]
    header = [_("公开内容"), _("公开时间（时限）"), _("公开形式"), _("公开范围"), _("责任人或部门")]
    for n, (value, label) in enumerate(Category.choices, start=1):
        found = rows.get(value, [])
        sections.append(documents.Section(
            heading=f"{NUMERALS[n - 1]}、{label}",
            paragraphs=[] if found else [_("【请填写本类计划公开的事项（本期没有此类公开事项的记录）】")],
            table=documents.Table(header=header, rows=found) if found else None))
    return documents.Content(title=_("%(org)s%(period)s党务公开目录") % {"org": organization.name, "period": period},
                             sections=sections, signature=organization.name, dated=timezone.localdate())


# --- 工作日程安排表 ----------------------------------------------------------------------------------


def schedule_rows(user: access.Reader, organization: Organization, start: date, end: date,
                  *, today: date | None = None) -> list[tuple[date, str, str, str]]:
    """The organisation's dated items in the period, by date: regular items due, opinions closing,
    party-first items opening to the public, all-member meetings, inspections and their deadlines,
    rectification deadlines and suggestions to answer (a constant number of queries)."""
    today = today or timezone.localdate()
    who = responsible(user, organization)
    periods = dict(RegularPeriod.choices)
    labels = dict(DueStatus.choices)
    out: list[tuple[date, int, str, str, str]] = []

    for due in (DueItem.objects.filter(organization=organization, due_on__gte=start, due_on__lte=end)
                .select_related("disclosure")):
        status = due_status(due.due_on, due.done_on, today=today)
        note = str(labels[status])
        if due.done_on is not None:
            note = _("%(status)s（%(day)s公开）") % {"status": note, "day": day_text(due.done_on, year=False)}
        out.append((due.due_on, 1, _("定期公开“%(title)s”（%(period)s更换）") % {
            "title": due.disclosure.title, "period": periods.get(due.disclosure.period, due.disclosure.period)},
            who, note))

    versions = (DisclosureVersion.objects.filter(organization=organization)
                .filter(Q(stage=Stage.PRELIMINARY, opinions_until__gte=start, opinions_until__lte=end)
                        | Q(scope=Scope.PARTY_FIRST, public_from__gte=start, public_from__lte=end))
                .order_by("disclosure_id", "number"))
    seen: set[tuple[int, str, date]] = set()
    for version in versions:
        if (version.stage == Stage.PRELIMINARY and version.opinions_until
                and start <= version.opinions_until <= end
                and (version.disclosure_id, "opinions", version.opinions_until) not in seen):
            seen.add((version.disclosure_id, "opinions", version.opinions_until))
            out.append((version.opinions_until, 2, _("“%(title)s”征求意见截止") % {"title": version.title}, who,
                        _("分步公开：截止后公开修订后的正式稿")))
        if (version.scope == Scope.PARTY_FIRST and version.public_from and start <= version.public_from <= end
                and (version.disclosure_id, "public", version.public_from) not in seen):
            seen.add((version.disclosure_id, "public", version.public_from))
            out.append((version.public_from, 3, _("“%(title)s”向社会公开") % {"title": version.title}, who,
                        _("先党内后党外")))

    for meeting in (MeetingRecord.objects.filter(disclosure__organization=organization, held_on__gte=start,
                                                 held_on__lte=end).select_related("disclosure")):
        out.append((meeting.held_on, 0, _("召开全体党员会议，讨论“%(title)s”") % {"title": meeting.disclosure.title},
                    who, _("应到%(e)d人，实到%(p)d人") % {"e": meeting.members_expected, "p": meeting.members_present}))

    inspections = (Inspection.objects.filter(organization=organization)
                   .filter(Q(inspected_on__gte=start, inspected_on__lte=end)
                           | Q(rectification_deadline__gte=start, rectification_deadline__lte=end))
                   .select_related("inspector_organization"))
    for ins in inspections:
        if start <= ins.inspected_on <= end:
            out.append((ins.inspected_on, 4, _("接受党务公开督查"), ins.inspector_organization.name,
                        _("六个方面得分%(total)d分") % {"total": ins.total}))
        deadline = ins.rectification_deadline
        if deadline is not None and start <= deadline <= end:
            findings = (ins.findings or "").strip()
            out.append((deadline, 5, _("完成督查整改") + (f"：{findings}" if findings else ""), who,
                        str(Inspection.Status(ins.status).label)))

    for rect in (Rectification.objects.filter(disclosure__organization=organization, deadline__gte=start,
                                              deadline__lte=end).select_related("disclosure")):
        done = (_("已整改（%(day)s）") % {"day": day_text(_local_day(rect.done_at), year=False)}
                if rect.done_at else _("整改中"))
        out.append((rect.deadline, 6, _("整改“%(title)s”：%(what)s") % {
            "title": rect.disclosure.title, "what": rect.description.strip()}, who, done))

    answered = Suggestion.Status.ANSWERED
    for row in (Suggestion.objects.filter(organization=organization, due_on__gte=start, due_on__lte=end)
                .values("due_on").order_by("due_on")
                .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=answered)))):
        out.append((row["due_on"], 7, _("答复群众意见建议%(n)d条") % {"n": row["n"]}, who,
                    _("已答复%(done)d条") % {"done": row["done"]}))

    out.sort(key=lambda r: (r[0], r[1], r[2]))
    return [(day, what, person, note) for day, _order, what, person, note in out]


def draft_schedule(ask: documents.Ask) -> documents.Content:
    """工作日程安排表: one table 时间 / 内容 / 责任人 / 备注 of the period's dated items."""
    organization = reached(ask)
    rows = schedule_rows(ask.user, organization, ask.start, ask.end)
    period = period_text(ask.start, ask.end)
    opening = (_("%(org)s%(period)s党务公开工作日程如下，共%(n)d项。") % {
        "org": organization.name, "period": period, "n": len(rows)} if rows
        else _("【请填写计划开展的工作、时间和责任人（本期没有登记的党务公开日程）】"))
    table = documents.Table(header=[_("时间"), _("内容"), _("责任人"), _("备注")],
                            rows=[[day_text(day, year=ask.start.year != ask.end.year), what, who, note]
                                  for day, what, who, note in rows])
    return documents.Content(
        title=_("%(org)s%(period)s党务公开工作日程安排表") % {"org": organization.name, "period": period},
        sections=[documents.Section(heading="", paragraphs=[opening], table=table if rows else None)],
        signature=organization.name, dated=timezone.localdate())


def offered() -> list[documents.Drafter]:
    """What 党务公开 offers the documents app (registered in `apps.py`)."""
    return [documents.Drafter(documents.Kind.DISCLOSURE_CATALOGUE, draft_catalogue),
            documents.Drafter(documents.Kind.WORK_SCHEDULE, draft_schedule)]
