"""Every table of the app as Excel: the same selectors and filters as the pages, personal data
masked unless the user may reveal it and gave a reason, a "who exported when" line at the end,
and an audit record (P-02, P-03)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel.models import Person, User
from gongjian.kernel.tabular import add_up, rate, remainder

from . import selectors, stats
from .selectors import ActivityFilter

MAX_ROWS = 50_000


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[list[Any]]
    unit: str = ""  # the organisation the figures are of (default: the exporting one)
    period: str = ""  # 统计期间, where the sheet covers one
    own: list[Any] | None = None  # 本级: the organisation's own records, below the rows of its units
    total: list[Any] | None = None  # 合计


def own_label() -> str:
    return _("本级")


def total_label() -> str:
    return _("合计")


def _person_cells(person: Person, reveal: bool) -> list[str]:
    if reveal:
        return [person.id_number, person.mobile]
    return [person.id_number_masked, person.mobile_masked]


def limited(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """At most MAX_ROWS rows, then a line saying the rest was left out (a sheet that size is
    already more than Excel users scroll, and the whole file is built in memory)."""
    for n, row in enumerate(rows):
        if n >= MAX_ROWS:
            yield [_("（超过 %(n)d 行，其余未导出，请缩小范围后分批导出）") % {"n": MAX_ROWS}]
            return
        yield row


def sites(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    qs = selectors.site_list_visible_to(user=user, organization_id=params.get("org"),
                                        status=params.get("status", ""))
    return Sheet(_("妇女之家"), [_("村（社区）"), _("名称"), _("状态"), _("建成日期"), _("地址"), _("活动室"),
                              _("面积（平方米）"), _("开放时间"), _("设施")],
                 ([s.organization.region.name, s.name, s.get_status_display(), s.established_on, s.address,
                   s.rooms, s.area_m2, s.opening_hours, s.facilities] for s in qs.iterator()))


def coverage(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    org = selectors.organization_for_user(user=user, organization_id=params.get("org"))
    total, rows = selectors.coverage_board(organization=org)

    def cells(r: selectors.CoverageRow) -> list[Any]:
        return [r.organization.name, r.units, r.covered, r.percent, r.by_status.get("planning", 0),
                r.by_status.get("none", 0)]

    lines = [cells(r) for r in rows]
    whole = [total_label(), *cells(total)[1:]]
    own = remainder(whole, lines, label=own_label(), columns=(1, 2, 4, 5))
    own[3] = rate(own[2], own[1])
    return Sheet(_("妇女之家覆盖情况"), [_("组织"), _("村（社区）数"), _("已建成"), _("覆盖率（%）"), _("筹建"), _("未建")],
                 lines, unit=org.name, own=own if any(own[1:]) else None, total=whole)


def teams(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    qs = selectors.team_list_visible_to(user=user, organization_id=params.get("org"), kind=params.get("kind", ""))
    return Sheet(_("文艺队伍"), [_("组织"), _("队名"), _("类型"), _("成立日期"), _("队员人数"), _("活跃")],
                 ([t.organization.name, t.name, t.get_kind_display(), t.founded_on, getattr(t, "member_count", 0),
                   _("是") if t.is_active else _("否")] for t in qs))


def team_members(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    team = selectors.team_get_for_user(user=user, team_id=params.get("team"))
    return Sheet(_("队员名单"), [_("队伍"), _("姓名"), _("性别"), _("职责"), _("身份证号码"), _("手机号码"), _("登记组织")],
                 ([team.name, m.person.name, m.person.get_gender_display(), m.get_role_display(),
                   *_person_cells(m.person, reveal), m.person.organization.name]
                  for m in selectors.team_members(team)))


def activities(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    qs = selectors.activity_list_visible_to(user=user, filters=filters_from(user, params))
    return Sheet(_("活动"), [_("日期"), _("名称"), _("类型"), _("创先争优活动载体"), _("主办组织"), _("妇女之家"), _("地点"),
                           _("协办单位"), _("时长（小时）"), _("公益演出"), _("登记方式"), _("参加人次"), _("门户公开")],
                 ([a.date, a.title, a.get_kind_display(), a.get_line_display() if a.line else "", a.organization.name,
                   a.site.name if a.site else "",
                   a.place, "、".join(a.partner_labels()), a.hours, _("是") if a.is_public_performance else "",
                   a.get_attendance_mode_display(), getattr(a, "attendance_count", 0) + a.head_count,
                   _("是") if a.is_public else ""] for a in qs.iterator()))


def attendance(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    if params.get("activity"):
        activity = selectors.activity_get_for_user(user=user, activity_id=params.get("activity"))
        qs = selectors.attendance_of(activity).select_related("activity", "activity__organization")
    else:
        qs = selectors.attendance_list_visible_to(user=user, filters=filters_from(user, params))
    return Sheet(_("参加人员"), [_("活动日期"), _("活动"), _("主办组织"), _("姓名"), _("性别"), _("身份证号码"),
                               _("手机号码"), _("登记组织"), _("登记方式"), _("签到时间")],
                 ([a.activity.date, a.activity.title, a.activity.organization.name, a.person.name,
                   a.person.get_gender_display(), *_person_cells(a.person, reveal), a.person.organization.name,
                   a.get_method_display(), a.signed_in_at] for a in qs.iterator()))


def trained(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    qs = selectors.people_trained_visible_to(user=user, filters=filters_from(user, params))
    return Sheet(_("参训人员"), [_("姓名"), _("性别"), _("身份证号码"), _("手机号码"), _("登记组织"), _("参训次数")],
                 ([p.name, p.get_gender_display(), *_person_cells(p, reveal), p.organization.name, getattr(p, "sessions", 0)]
                  for p in qs.iterator()))


def figures(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    org = selectors.organization_for_user(user=user, organization_id=params.get("org"))
    start, end = period_from(params)
    figs = stats.figures(user=user, organization=org, date_from=start, date_to=end)
    rows: list[list[Any]] = [[_("统计范围"), org.name], [_("统计期间"), _period(start, end)], []]
    # The hours as a number (the page shows them as text, "12.5"): a sheet adds them up.
    numbers = {str(_("活动时长（小时）")): figs.hours}
    rows += [[str(label), numbers.get(str(label), value)] for label, value, _key in figs.headline()]
    rows += [[], [_("活动类型"), _("活动次数"), _("参加人次"), _("时长（小时）"), _("公益演出")]]
    rows += [[r.label, r.activities, r.person_times, r.hours, r.public_performances] for r in figs.by_kind]
    rows += [[], [_("下级组织"), _("活动次数"), _("培训场次"), _("参训人数"), _("参加人次"), _("公益演出"),
                  _("时长（小时）"), _("妇女之家覆盖")]]
    units = []
    for b in stats.breakdown(user=user, organization=org, date_from=start, date_to=end):
        cover = f"{b.coverage.covered}/{b.coverage.units}" if b.coverage else ""
        units.append([b.organization.name, b.activities, b.training_sessions, b.people_trained, b.person_times,
                      b.public_performances, b.hours, cover])
    rows += units
    if units:
        coverage = figs.coverage
        whole = [total_label(), figs.activities, figs.training_sessions, figs.people_trained, figs.person_times,
                 figs.public_performances, figs.hours,
                 f"{coverage.covered}/{coverage.units}" if coverage is not None else ""]
        # People trained are counted once however many units trained them: that column does not add up.
        rows += [remainder(whole, units, label=own_label(), columns=(1, 2, 4, 5, 6)), whole]
    rows += [[], [_("月份"), _("活动次数"), _("培训场次"), _("参加人次"), _("公益演出")]]
    rows += [[m.month.strftime("%Y-%m"), m.activities, m.training_sessions, m.person_times, m.public_performances]
             for m in figs.monthly]
    return Sheet(_("活动统计"), [_("项目"), _("数值")], rows, unit=org.name, period=_period(start, end))


def honours(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    qs = selectors.honour_list_visible_to(user=user, year=params.get("year"), kind=params.get("kind", ""),
                                          state=params.get("state", ""))
    return Sheet(_("荣誉"), [_("年度"), _("荣誉"), _("公示名称"), _("被推荐人"), _("推荐组织"), _("状态"), _("授予日期"),
                           _("审核意见")],
                 ([h.year, h.get_kind_display(), h.public_name, h.person.name, h.organization.name,
                   h.get_state_display(), h.awarded_on, h.decision_reason] for h in qs))


def signins(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    activity = selectors.activity_get_for_user(user=user, activity_id=params.get("activity"))
    return Sheet(_("扫码签到"), [_("姓名"), _("性别"), _("手机号码"), _("状态"), _("签到时间")],
                 ([s.name, s.get_gender_display(), s.mobile if reveal else s.mobile_masked, s.get_state_display(),
                   s.submitted_at] for s in selectors.signins_of(activity)))


def quotas(user: User, params: dict[str, Any], reveal: bool) -> Sheet:
    try:
        year = int(params.get("year") or timezone.localdate().year)
    except (TypeError, ValueError):
        year = timezone.localdate().year
    lines = [[q["organization"].name, year, q["target"], q["quota"], q["nominated"], q["used"]]
             for q in selectors.quota_board(user=user, year=year)]
    return Sheet(_("道德模范名额"), [_("乡镇（街道）妇联"), _("年度"), _("每年至少推荐"), _("名额"), _("已推荐"), _("已用")],
                 lines, period=_("%(year)d年") % {"year": year},
                 total=add_up(lines, label=total_label(), columns=(2, 3, 4, 5)) if lines else None)


#: table name → (builder, holds personal data)
TABLES: dict[str, tuple[Callable[[User, dict[str, Any], bool], Sheet], bool]] = {
    "sites": (sites, False),
    "coverage": (coverage, False),
    "teams": (teams, False),
    "team-members": (team_members, True),
    "activities": (activities, False),
    "attendance": (attendance, True),
    "trained": (trained, True),
    "figures": (figures, False),
    "honours": (honours, False),
    "signins": (signins, True),
    "quotas": (quotas, False),
}


def _period(start: date, end: date) -> str:
    return _("%(start)s至%(end)s") % {"start": f"{start:%Y年%m月%d日}", "end": f"{end:%Y年%m月%d日}"}


def period_of(params: dict[str, Any]) -> str:
    """The period a filtered list covers, in words (empty when it is not limited by dates)."""
    start, end = _date(params.get("from")), _date(params.get("to"))
    if start and end:
        return _period(start, end)
    if start:
        return _("%(start)s起") % {"start": f"{start:%Y年%m月%d日}"}
    if end:
        return _("截至%(end)s") % {"end": f"{end:%Y年%m月%d日}"}
    return ""


def period_from(params: dict[str, Any]) -> tuple[date, date]:
    today = timezone.localdate()
    return (_date(params.get("from")) or date(today.year, 1, 1), _date(params.get("to")) or date(today.year, 12, 31))


def period_presets(today: date, *, start: date | None = None, end: date | None = None) -> list[dict[str, Any]]:
    """本月 / 本季度 / 本年 around `today`, each a period one tap sets; the one equal to
    start..end is marked active."""
    quarter_first = (today.month - 1) // 3 * 3 + 1
    periods = [
        ("month", _("本月"), today.replace(day=1), _month_end(today.year, today.month)),
        ("quarter", _("本季度"), date(today.year, quarter_first, 1), _month_end(today.year, quarter_first + 2)),
        ("year", _("本年"), date(today.year, 1, 1), date(today.year, 12, 31)),
    ]
    return [{"key": key, "label": label, "from": first.isoformat(), "to": last.isoformat(),
             "active": (first, last) == (start, end)} for key, label, first, last in periods]


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def filters_from(user: User, params: dict[str, Any]) -> ActivityFilter:
    """The shared activity filters from query parameters (every organisation re-checked)."""
    org = selectors.organization_for_user(user=user, organization_id=params.get("org")) if params.get("org") else None
    site_id = None
    if params.get("site"):
        site_id = selectors.site_get_for_user(user=user, site_id=params.get("site")).pk
    return ActivityFilter(
        organization=org, site_id=site_id, kind=str(params.get("kind") or "")[:30],
        line=str(params.get("line") or "")[:30],
        training=params.get("training") == "1", public_performance=params.get("performance") == "1",
        date_from=_date(params.get("from")), date_to=_date(params.get("to")), q=str(params.get("q") or "")[:50],
    )


def watermark(user: User) -> list[str]:
    who = user.display_name()
    return [_("导出人：%(who)s（%(user)s），导出时间：%(at)s。仅限工作使用，不得外传。")
            % {"who": who, "user": user.get_username(), "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}]
