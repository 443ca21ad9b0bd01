"""The reports app's own drafters (issue 14): 情况汇报 and 工作总结 from every body of work's figures,
通知, 公示 and a 调研报告 skeleton. Registered in `ReportsConfig.ready()` like any body of work's.

Figures come only through `kernel.figures.read_one` for the drafter's user, organisation and
period — the same call the dashboards make — and are phrased as the seed phrases them
("10余次", "500余人"); each phrase is kept as a `Quoted` with its exact value. A figure the
figures mechanism suppressed ("<5") stays "<5". The sections a cadre must write herself (存在的问题,
下一步打算 …) are left empty with a hint, never filled with invented text."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import figures
from gongjian.kernel.documents import Ask, Content, Drafter, Kind, Quoted, Section, offer
from gongjian.kernel.models import Organization

HANZI_DIGITS = "零一二三四五六七八九"


def _hanzi_tens(tens: int) -> str:
    return ("" if tens == 1 else HANZI_DIGITS[tens]) + "十"


def approx(value: figures.Number, *, hanzi: bool = False) -> str:
    """A count as a 公文 phrases it: below 10 exactly ("7"); above, rounded down to the leading
    digit ("12" → "10余", "538" → "500余") or to two digits from 1000 ("1234" → "1200余"), exact when
    nothing is cut off ("500"). `hanzi` writes 10–99 as the seed's "二十多". A suppressed count stays
    "<5"; a fraction is cut to its whole part first."""
    if isinstance(value, figures.Suppressed):
        return str(value)
    number = int(value) if not isinstance(value, Decimal) else int(value.to_integral_value(rounding="ROUND_FLOOR"))
    if number < 10:
        return str(number)
    digits = len(str(number))
    unit = 10 ** (digits - 1) if digits <= 3 else 10 ** (digits - 2)
    floor = number // unit * unit
    if hanzi and digits == 2:
        return _hanzi_tens(floor // 10) + ("" if floor == number else "多")
    return str(floor) if floor == number else f"{floor}余"


# How a figure reads in a sentence: "{}" is the phrase. A code not listed reads "label{phrase}".
PHRASES: dict[str, str] = {
    "womenshome.activities": "开展各类活动{}次",
    "womenshome.trainings": "举办培训{}期",
    "womenshome.people_trained": "培训妇女{}人",
    "womenshome.training_person_times": "参训{}人次",
    "womenshome.person_times": "参加活动群众{}人次",
    "womenshome.performances": "开展公益演出{}场",
    "womenshome.hours": "活动时长{}小时",
}


# The measure word of a count whose label does not end in one ("报送活动方案" → "报送活动方案3份"); a
# label ending in "数" drops it ("村（社区）数" → "村（社区）26个"). Codes only (no body of work is
# imported); a code not listed falls back to the label's own measure word, then to none.
MEASURE_WORDS: dict[str, str] = {
    **dict.fromkeys(("disclosure.published", "disclosure.regular_due", "disclosure.published_on_time"), "项"),
    **dict.fromkeys(("disclosure.suggestions", "disclosure.suggestions_answered_in_time"), "条"),
    **dict.fromkeys(("coverage.units", "coverage.covered"), "个"),
    **dict.fromkeys(("campaigns.plans_submitted", "campaigns.plans_on_time"), "份"),
    **dict.fromkeys(("pledges.made", "pledges.kept"), "项"),
    **dict.fromkeys(("commendations.nominated", "commendations.awarded"), "项"),
    "study.documents": "份", "study.meetings": "次",
    **dict.fromkeys(("talents.reported", "talents.accepted", "talents.jobs", "talents.trained"), "人"),
    **dict.fromkeys(("cultivation.recommended", "cultivation.activists", "cultivation.developed",
                     "cultivation.members"), "人"),
    "demonstrations.designated": "个",
    **dict.fromkeys(("cases.received", "cases.closed", "cases.risk", "cases.referred", "cases.overdue"), "件"),
    **dict.fromkeys(("care.recipients", "care.left_behind_child", "care.left_behind_elder", "care.migrant_child",
                     "care.poor_woman", "care.laid_off", "care.landless", "care.ill_disabled"), "人"),
    "care.single_parent": "户", "care.pairings": "对", "care.overdue": "对",
    **dict.fromkeys(("sites.sites", "sites.sites_children_room", "sites.sites_complaint_station",
                     "sites.sites_legal_aid", "sites.sites_counselling",
                     "sites.sites_women_children_home", "sites.sites_other"), "个"),
    "sites.sites_whisper_line": "条",
}


# A label's trailing measure word → where the count goes ("健康服务次数" → "健康服务{}次").
UNIT_SUFFIXES = (("人次", "人次"), ("次数", "次"), ("人数", "人"), ("笔数", "笔"), ("篇数", "篇"),
                 ("（元）", "元"), ("（人）", "人"))


def _generic(label: str, phrase: str, code: str = "") -> str:
    for suffix, unit in UNIT_SUFFIXES:
        if label.endswith(suffix) and len(label) > len(suffix):
            return f"{label[:-len(suffix)]}{phrase}{unit}"
    measure = MEASURE_WORDS.get(code, "")
    if measure and label.endswith("数") and len(label) > 1:
        label = label[:-1]
    return f"{label}{phrase}{measure}"


def _phrase(figure: figures.Figure) -> tuple[str, Quoted]:
    if "%" in figure.label and not isinstance(figure.value, figures.Suppressed):
        # A rate is quoted exactly: "about 3%" of a rate says nothing.
        text = f"{figure.label.replace('（%）', '')}{figure.value}%"
    else:
        phrase = approx(figure.value)
        template = PHRASES.get(figure.code)
        text = template.format(phrase) if template else _generic(figure.label, phrase, figure.code)
    return text, Quoted(code=figure.code, label=figure.label, value=str(figure.value), phrase=text)


def _nonzero(value: figures.Number) -> bool:
    return isinstance(value, figures.Suppressed) or value != 0


def period_text(start: date, end: date) -> str:
    """"2026年", "2026年1月至6月", "2026年3月5日至2026年4月1日" — as a 公文 names a period."""
    if start.year == end.year and (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        return _("%(year)d年") % {"year": start.year}
    month_end = (date(end.year + (end.month == 12), end.month % 12 + 1, 1) - date.resolution)
    if start.year == end.year and start.day == 1 and end == month_end:
        if start.month == end.month:
            return _("%(year)d年%(month)d月") % {"year": start.year, "month": start.month}
        return _("%(year)d年%(start)d月至%(end)d月") % {"year": start.year, "start": start.month, "end": end.month}
    return _("%(start)s至%(end)s") % {"start": cn_date(start), "end": cn_date(end)}


def cn_date(day: date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def figure_sections(ask: Ask) -> tuple[list[str], list[tuple[str, list[str], list[Quoted]]]]:
    """The organisation's figures for the period, read once: the 基本情况 sentences (its subtree and
    the bodies of work that recorded anything) and one paragraph per such body of work."""
    rows = figures.read_one(user=ask.user, organization=ask.organization, start=ask.start, end=ask.end)
    labels = {source.name: str(source.label) for source in figures.sources()}
    by_source: OrderedDict[str, list[figures.Figure]] = OrderedDict()
    for row in rows:
        by_source.setdefault(row.code.partition(".")[0], []).append(row)
    org = ask.organization
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).count()
    basics = [_("%(org)s下辖%(n)d个基层组织。%(period)s，在上级组织的领导下，围绕中心、服务大局，"
                "依托平台记录的各项工作，现将有关情况汇报如下。")
              % {"org": org.name, "n": children, "period": period_text(ask.start, ask.end)}] if children else [
        _("%(period)s，%(org)s围绕中心、服务大局开展工作，现将有关情况汇报如下。")
        % {"org": org.name, "period": period_text(ask.start, ask.end)}]
    works: list[tuple[str, list[str], list[Quoted]]] = []
    # A period in which nothing happened (no event counted in it: an activity, a case, a pledge …)
    # has no work to report; figures of how things stand (coverage, sites) alone would describe
    # today, not the period, so they are quoted only beside work done in it.
    events = {f"{source.name}.{code}" for source in figures.sources() for code in source.additive}
    if not any(row.code in events and _nonzero(row.value) for row in rows):
        by_source.clear()
    for name, found in by_source.items():
        shown = [f for f in found if _nonzero(f.value)]
        if not shown:
            continue
        phrases = [_phrase(f) for f in shown]
        sentence = _("%(what)s方面：%(list)s。") % {"what": labels.get(name, name),
                                                    "list": "，".join(text for text, _q in phrases)}
        works.append((labels.get(name, name), [sentence], [q for _t, q in phrases]))
    if works:
        basics.append(_("%(period)s，平台记录了%(list)s等方面的工作，主要数据见下文。") % {
            "period": period_text(ask.start, ask.end), "list": "、".join(label for label, _p, _q in works[:4])})
    return basics, works


def _period_report(ask: Ask, *, summary: bool) -> Content:
    org = ask.organization
    basics, works = figure_sections(ask)
    when = period_text(ask.start, ask.end)
    done = [p for _label, paragraphs, _q in works for p in paragraphs]
    done_figures = [q for _label, _p, quoted in works for q in quoted]
    if summary:
        title = _("%(org)s%(period)s工作总结") % {"org": org.name, "period": when}
        headings = (_("一、工作开展情况"), _("二、主要做法和成效"), _("三、存在的不足"), _("四、下一步工作思路"))
    else:
        title = _("%(org)s关于%(period)s工作情况的汇报") % {"org": org.name, "period": when}
        headings = (_("一、基本情况"), _("二、主要做法和成效"), _("三、存在的问题"), _("四、下一步打算"))
    sections = [
        Section(heading=headings[0], paragraphs=basics),
        Section(heading=headings[1], paragraphs=done or [""], figures=done_figures,
                hint="" if done else _("本期平台上没有记录到工作数据，请写明开展的主要工作、做法和成效。")),
        Section(heading=headings[2], paragraphs=[""],
                hint=_("请写明工作中存在的主要问题和不足，如经费、阵地、队伍、群众参与等方面，每段一行。")),
        Section(heading=headings[3], paragraphs=[""],
                hint=_("请写明下一阶段的工作打算和具体措施，每段一行。")),
    ]
    return Content(title=title, sections=sections, addressee=_addressee_up(org), signature=org.name,
                   dated=timezone.localdate())


def _addressee_up(org: Organization) -> str:
    parent = Organization.objects.filter(path=org.path[:-Organization.steplen]).first() if org.depth > 1 else None
    return f"{parent.name}：" if parent is not None else ""


def _addressee_down(org: Organization) -> str:
    if org.is_federation:
        return _("各村（社区）妇联：") if org.kind == Organization.Kind.TOWNSHIP_FEDERATION else _("各镇（街道）妇联：")
    return _("各党支部：")


def draft_situation_report(ask: Ask) -> Content:
    return _period_report(ask, summary=False)


def draft_work_summary(ask: Ask) -> Content:
    return _period_report(ask, summary=True)


def draft_notice(ask: Ask) -> Content:
    org = ask.organization
    return Content(
        title=_("%(org)s关于（事项）的通知") % {"org": org.name}, addressee=_addressee_down(org),
        sections=[
            Section(heading="", paragraphs=[""],
                    hint=_("请用一两句话写明发文的依据和目的，结尾写“现将有关事项通知如下：”。")),
            Section(heading=_("一、时间"), paragraphs=[_("%(start)s至%(end)s。")
                                                   % {"start": cn_date(ask.start), "end": cn_date(ask.end)}]),
            Section(heading=_("二、地点"), paragraphs=[""], hint=_("请写明地点。")),
            Section(heading=_("三、参加人员"), paragraphs=[""], hint=_("请写明参加人员。")),
            Section(heading=_("四、有关要求"), paragraphs=[""],
                    hint=_("请写明有关要求（报名、材料、纪律等），每段一行；联系人和电话写在最后。")),
        ],
        signature=org.name, dated=timezone.localdate())


def draft_public_notice(ask: Ask) -> Content:
    org = ask.organization
    return Content(
        title=_("关于（事项）的公示"),
        sections=[
            Section(heading="", paragraphs=[""],
                    hint=_("请写明公示的事项和依据，如“经个人申报、组织推荐、审核，拟……，现予以公示”。")),
            Section(heading="", paragraphs=[
                _("公示期为%(start)s至%(end)s。公示期间，如有异议，请以书面、电话或来访等形式向%(org)s反映。")
                % {"start": cn_date(ask.start), "end": cn_date(ask.end), "org": org.name}]),
            Section(heading="", paragraphs=[""], hint=_("请写明联系人和联系电话。")),
        ],
        signature=org.name, dated=timezone.localdate())


def draft_research_report(ask: Ask) -> Content:
    org = ask.organization
    basics, works = figure_sections(ask)
    return Content(
        title=_("关于（调研主题）的调研报告"),
        sections=[
            Section(heading=_("一、调研背景"), paragraphs=[""],
                    hint=_("请写明调研的缘由、时间、范围和方式（座谈、走访、问卷等）。")),
            Section(heading=_("二、基本情况"), paragraphs=basics + [p for _l, ps, _q in works for p in ps],
                    figures=[q for _l, _p, qs in works for q in qs]),
            Section(heading=_("三、存在问题"), paragraphs=[""], hint=_("请写明调研发现的主要问题，每段一行。")),
            Section(heading=_("四、对策建议"), paragraphs=[""], hint=_("请写明对策和建议，每段一行。")),
        ],
        signature=org.name, dated=timezone.localdate())


def offer_drafters() -> None:
    offer(Drafter(Kind.SITUATION_REPORT, draft_situation_report))
    offer(Drafter(Kind.WORK_SUMMARY, draft_work_summary))
    offer(Drafter(Kind.NOTICE, draft_notice))
    offer(Drafter(Kind.PUBLIC_NOTICE, draft_public_notice))
    offer(Drafter(Kind.RESEARCH_REPORT, draft_research_report))
