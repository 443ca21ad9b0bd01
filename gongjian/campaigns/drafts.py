"""Drafts of 公文 that 创先争优 offers the documents app (issue 14; `kernel.documents`): an
实施方案 (第三篇) and a 领导小组成员名单 (第四篇's 附件) from a campaign the user reaches.

Everything in a draft comes from the campaign's own records — its title, theme, goals, content,
activity lines, dated phases, plan deadline and the leading group its plan names, with that
group's current positions. What the records do not hold (the 指导思想, what each activity line
means for this organisation, the requirements) is a 【请填写…】 prompt for the cadre, never prose
the platform made up. The documents app never imports this module: `apps.py` offers the drafters.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, documents
from gongjian.kernel.models import Organization, Position
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import offices_of, positions_of_organization

from .models import Campaign, CampaignState, Phase, PlanSubmission, Theme
from .selectors.campaign import campaign_get_for_user, campaign_list_visible_to

NUMERALS = "一二三四五六七八九十"
#: How many campaigns a document form offers to choose from (the newest first).
CHOICES_LIMIT = 100


def numeral(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 99 (section and phase numbers of a 公文)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def day_text(day: date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def span_text(start: date, end: date | None) -> str:
    """A phase's dates as 第三篇 writes them: "2010年10月", "2010年10月—2011年6月底",
    "2026年3月5日—4月20日", "2012年7月起"."""
    if end is None:
        return _("%(start)s起") % {"start": day_text(start)}
    if start.day == 1 and _month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month}
        tail = (_("%(m)d月底") % {"m": end.month} if end.year == start.year
                else _("%(y)d年%(m)d月底") % {"y": end.year, "m": end.month})
        return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month} + "—" + tail
    tail = (_("%(m)d月%(d)d日") % {"m": end.month, "d": end.day} if end.year == start.year
            else day_text(end))
    return day_text(start) + "—" + tail


def prompt(text: str) -> str:
    """A place the cadre must fill in: the records hold nothing to draft it from."""
    return f"【{text}】"


# --- reach ----------------------------------------------------------------------------------------


def campaign_choices(user: access.Reader, organization: Organization) -> Sequence[tuple[int, str]]:
    """The campaigns the user reaches (as the campaign list does), as (id, name): those that
    concern `organization` (it issued one, co-issued it or is one of its targets) first, each part
    newest first. One query."""
    co_issued = Campaign.co_organizations.through.objects.filter(campaign_id=OuterRef("pk"),
                                                                 organization_id=organization.pk)
    targeted = PlanSubmission.objects.filter(campaign_id=OuterRef("pk"), organization_id=organization.pk)
    concerns = Q(organization_id=organization.pk) | Exists(co_issued) | Exists(targeted)
    rows = (campaign_list_visible_to(user=user).prefetch_related(None).select_related(None)
            .annotate(elsewhere=Case(When(concerns, then=Value(0)), default=Value(1)))
            .order_by("elsewhere", "-starts_on", "-id").values_list("pk", "title", "starts_on", "state")
            [:CHOICES_LIMIT])
    draft = _("（草稿）")
    return [(pk, f"{title}（{starts_on.year}）" + (draft if state == CampaignState.DRAFT else ""))
            for pk, title, starts_on, state in rows]


def _reached(ask: documents.Ask) -> tuple[Campaign, Organization]:
    """The campaign and organisation of an ask, both within the user's reach (Http404 otherwise:
    another county's campaign does not exist for her)."""
    if ask.campaign_id is None:
        raise ValidationError(_("请选择一项创先争优活动。"))
    campaign = campaign_get_for_user(campaign_id=ask.campaign_id, user=ask.user)
    if not can(ask.user, "campaigns.view", campaign):
        raise Http404
    organization = access.visible(ask.user, Organization.objects.filter(pk=ask.organization.pk)).first()
    if organization is None:
        raise Http404
    return campaign, organization


def _plan(campaign: Campaign, organization: Organization) -> PlanSubmission | None:
    return (PlanSubmission.objects.filter(campaign=campaign, organization=organization)
            .select_related("leading_group").first())


def leading_group_of(user: access.Reader, campaign: Campaign, organization: Organization) -> Organization | None:
    """The campaign's leading group for this organisation: the one its plan names (各级妇联组织要
    相应成立领导小组), or the organisation itself when it is a leading group; None if neither."""
    if organization.kind == Organization.Kind.LEADING_GROUP:
        return organization
    plan = _plan(campaign, organization)
    group = plan.leading_group if plan is not None else None
    if group is None or not access.visible(user, Organization.objects.filter(pk=group.pk)).exists():
        return None
    return group


def owner_of(group: Organization, organization: Organization) -> Organization:
    """Who set the group up: the organisation asked for, or — when that is the group itself —
    the organisation it sits under."""
    if group.pk != organization.pk:
        return organization
    return Organization.objects.filter(path=group.path[:-Organization.steplen]).first() or organization


# --- the leading group's members ----------------------------------------------------------------


def _held(user: access.Reader, organization: Organization) -> list[Position]:
    """Current positions of a unit, in its order (`sort_order`), within the user's reach."""
    return list(access.visible(user, positions_of_organization(organization=organization)))


def _duties(held: Sequence[Position]) -> dict[int, str]:
    """单位及职务 of each holder: what the position notes ("党委书记"), else her other current posts
    ("小留村妇联妇女主任"), else the organisation she is registered in. One query."""
    today = timezone.localdate()
    people = {p.person_id for p in held if not p.note}
    others: dict[int, list[str]] = {}
    if people:
        exclude = {p.organization_id for p in held}
        for post in (Position.objects.filter(person_id__in=people, start_date__lte=today)
                     .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                     .exclude(organization_id__in=exclude).select_related("organization")
                     .order_by("sort_order", "id")):
            others.setdefault(post.person_id, []).append(f"{post.organization.name}{post.title}")
    units = {p.person.organization_id for p in held if p.person_id in people and p.person.organization_id}
    names = dict(Organization.objects.filter(pk__in=units).values_list("pk", "name")) if units else {}
    registered = {p.person_id: names.get(p.person.organization_id, "") for p in held if p.person_id in people}
    return {p.pk: p.note or "、".join(others.get(p.person_id, [])) or registered.get(p.person_id, "")
            for p in held}


def _rows(held: Sequence[Position]) -> list[list[str]]:
    duties = _duties(held)
    return [[p.person.name, duties[p.pk], p.title] for p in held]


def _names(positions: Sequence[Position], duties: dict[int, str], *, comrade: bool = False) -> str:
    out = []
    for p in positions:
        name = p.person.name + (_("同志") if comrade else "")
        out.append(f"{duties[p.pk]}{name}" if duties[p.pk] else name)
    return "、".join(out)


def _is_member(position: Position) -> bool:
    return position.title == "成员" or (position.role == Position.Role.MEMBER and "组长" not in position.title)


def group_paragraphs(user: access.Reader, group: Organization, owner: Organization) -> list[str]:
    """五、组织领导 from the group's positions, as 第三篇 words it: 组长由…担任，副组长由…担任，成员
    由…组成；领导小组下设办公室，…任办公室主任。"""
    held = _held(user, group)
    if not held:
        return [_("%(owner)s成立%(group)s。") % {"owner": owner.name, "group": group.name},
                prompt(_("请填写组长、副组长和成员（平台上还没有登记%(group)s的成员，在“组织”中登记后"
                         "重新起草即可自动列出）") % {"group": group.name})]
    duties = _duties(held)
    by_title: dict[str, list[Position]] = {}
    for p in held:
        if not _is_member(p):
            by_title.setdefault(p.title, []).append(p)
    members = [p for p in held if _is_member(p)]
    parts = [_("%(title)s由%(names)s担任") % {"title": title, "names": _names(group_positions, duties)}
             for title, group_positions in by_title.items()]
    if members:
        parts.append(_("成员由%(names)s组成") % {"names": _names(members, duties)})
    text = _("%(owner)s成立%(group)s，") % {"owner": owner.name, "group": group.name} + "，".join(parts) + "。"
    for office in offices_of(organization=group):
        staff = _held(user, office)
        office_duties = _duties(staff)
        leads = [p for p in staff if p.role == Position.Role.LEAD]
        rest = [p for p in staff if p.role != Position.Role.LEAD]
        text += _("领导小组下设%(office)s") % {"office": office.name}
        for lead in leads:
            text += _("，%(name)s任%(title)s") % {"name": _names([lead], office_duties, comrade=True),
                                                 "title": lead.title}
        if rest:
            text += _("，成员有%(names)s") % {"names": _names(rest, office_duties)}
        text += "。"
    return [text, _("（成员名单见附件）")]


def name_list_sections(user: access.Reader, group: Organization) -> list[documents.Section]:
    """The 成员名单 as 第四篇's 附件 has it: the group's table, then each office below it."""
    held = _held(user, group)
    sections = [documents.Section(
        heading="", paragraphs=[] if held else [prompt(_("请填写成员的姓名、单位及职务和组内职务（平台上还没有登记）"))],
        table=documents.Table(header=[_("姓名"), _("单位及职务"), _("组内职务")], rows=_rows(held)))]
    for office in offices_of(organization=group):
        staff = _held(user, office)
        sections.append(documents.Section(
            heading=_("领导小组下设%(office)s") % {"office": office.name},
            paragraphs=[] if staff else [prompt(_("请填写办公室主任和成员"))],
            table=documents.Table(header=[_("姓名"), _("单位及职务"), _("办公室职务")], rows=_rows(staff))))
    return sections


# --- 实施方案 --------------------------------------------------------------------------------------


def _short_title(campaign: Campaign) -> str:
    """"主题——华阴市…活动" → "华阴市…活动" (the theme has its own section)."""
    return campaign.title.split("——")[-1].strip() or campaign.title


def _phases(campaign: Campaign) -> list[Phase]:
    return list(campaign.phases.order_by("sort_order", "starts_on", "id"))


def draft_plan(ask: documents.Ask) -> documents.Content:
    """实施方案 (第三篇): 一、指导思想 … 六、活动要求, from the campaign and, for a target, its plan."""
    campaign, organization = _reached(ask)
    is_issuer = organization.pk == campaign.organization_id
    plan = None if is_issuer else _plan(campaign, organization)
    short = _short_title(campaign)
    title = (plan.title if plan is not None and plan.title
             else _("关于开展%(campaign)s的实施方案") % {"campaign": short})
    if is_issuer:
        opening = _("为深入开展%(campaign)s，结合%(org)s工作实际，制定本实施方案。") % {
            "campaign": short, "org": organization.name}
    else:
        opening = _("按照%(issuer)s《%(campaign)s》的部署，结合%(org)s工作实际，制定本实施方案。") % {
            "issuer": campaign.organization.name, "campaign": campaign.title, "org": organization.name}

    sections = [documents.Section(heading="", paragraphs=[opening])]
    sections.append(documents.Section(heading=_("一、指导思想"), paragraphs=[
        prompt(_("请填写指导思想：以什么为指导，围绕什么要求，达到什么目的"))]))

    aims = []
    if campaign.theme != Theme.OTHER:
        aims.append(_("活动主题为“%(theme)s”。") % {"theme": campaign.get_theme_display()})
    else:
        aims.append(prompt(_("请填写活动主题")))
    goals = (campaign.goals or "").strip()
    aims.append(_("活动目标：%(goals)s") % {"goals": goals} if goals else prompt(_("请填写活动目标")))
    sections.append(documents.Section(heading=_("二、活动主题与目标"), paragraphs=aims))

    content = [p.strip() for p in (campaign.body or "").splitlines() if p.strip()]
    for n, label in enumerate(campaign.line_labels, start=1):
        content.append(_("（%(n)s）%(line)s活动。") % {"n": numeral(n), "line": label}
                       + prompt(_("请填写本项活动的具体内容和载体")))
    if not campaign.line_labels:
        content.append(prompt(_("请填写活动内容（活动载体和具体做法）")))
    sections.append(documents.Section(heading=_("三、活动内容"), paragraphs=content))

    steps = []
    for n, phase in enumerate(_phases(campaign), start=1):
        tasks = (phase.tasks or "").strip()
        steps.append(_("第%(n)s阶段：%(name)s（%(span)s）。") % {
            "n": numeral(n), "name": phase.name, "span": span_text(phase.starts_on, phase.ends_on)}
            + (tasks or prompt(_("请填写本阶段的主要任务"))))
    if not steps:
        steps.append(prompt(_("请填写方法步骤：分几个阶段，各阶段的时间和任务")))
    sections.append(documents.Section(heading=_("四、方法步骤"), paragraphs=steps))

    group = leading_group_of(ask.user, campaign, organization)
    annexes: list[str] = []
    if group is not None:
        lead = group_paragraphs(ask.user, group, owner_of(group, organization))
        annexes.append(_("%(group)s成员名单") % {"group": group.name})
    else:
        lead = [prompt(_("请填写组织领导：成立活动领导小组，写明组长、副组长和成员，领导小组下设办公室及其主任"
                         "（在平台上设立领导小组、报送方案时选定，即可自动列出）"))]
    sections.append(documents.Section(heading=_("五、组织领导"), paragraphs=lead))

    demands = []
    if campaign.plan_due is not None:
        if is_issuer:
            who = "、".join(campaign.target_kind_labels) or _("各参加组织")
            demands.append(_("%(who)s的活动方案于%(due)s前报%(issuer)s。") % {
                "who": who, "due": day_text(campaign.plan_due), "issuer": organization.name})
        else:
            demands.append(_("本方案于%(due)s前报%(issuer)s。") % {
                "due": day_text(campaign.plan_due), "issuer": campaign.organization.name})
    demands.append(prompt(_("请填写活动要求（如加强领导、落实责任，加强宣传、营造氛围，及时总结、全面推广）")))
    sections.append(documents.Section(heading=_("六、活动要求"), paragraphs=demands))

    if group is not None:
        sections.append(documents.Section(heading=_("附件：%(group)s成员名单") % {"group": group.name},
                                          paragraphs=[]))
        sections.extend(name_list_sections(ask.user, group))

    signature = organization.name
    if is_issuer:
        signature = "　".join([organization.name, *[o.name for o in campaign.co_organizations.order_by("path")]])
    return documents.Content(title=title, sections=sections, annexes=annexes, signature=signature,
                             dated=timezone.localdate())


def draft_name_list(ask: documents.Ask) -> documents.Content:
    """领导小组成员名单 of the campaign's leading group for the organisation (第四篇's 附件). A leading
    group chosen as the organisation is its own list, with or without a campaign (第四篇's
    党务公开工作领导小组 belongs to no campaign)."""
    if ask.campaign_id is None and ask.organization.kind == Organization.Kind.LEADING_GROUP:
        group = access.visible(ask.user, Organization.objects.filter(pk=ask.organization.pk)).first()
        if group is None:
            raise Http404
        return _name_list(ask.user, group, group)
    if ask.campaign_id is None:
        raise ValidationError(_("请选择一项创先争优活动（用它的领导小组），或选择领导小组本身作为发文组织。"))
    campaign, organization = _reached(ask)
    group = leading_group_of(ask.user, campaign, organization)
    if group is None:
        raise ValidationError(_("%(org)s还没有为“%(campaign)s”登记领导小组：请先在本组织下设立领导小组、登记成员，"
                                "并在报送活动方案时选定。") % {"org": organization.name, "campaign": campaign.title})
    return _name_list(ask.user, group, organization)


def _name_list(user: access.Reader, group: Organization, organization: Organization) -> documents.Content:
    return documents.Content(title=_("%(group)s成员名单") % {"group": group.name},
                             sections=name_list_sections(user, group),
                             signature=owner_of(group, organization).name, dated=timezone.localdate())


def offered() -> list[documents.Drafter]:
    """What 创先争优 offers the documents app (registered in `apps.py`)."""
    return [
        documents.Drafter(documents.Kind.IMPLEMENTATION_PLAN, draft_plan, needs_campaign=True,
                          campaigns=campaign_choices),
        # A campaign is optional: a leading group chosen as the organisation is its own list
        # (第四篇's 党务公开工作领导小组 belongs to no campaign).
        documents.Drafter(documents.Kind.NAME_LIST, draft_name_list, needs_campaign=False,
                          campaigns=campaign_choices),
    ]
