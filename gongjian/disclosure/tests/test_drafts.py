"""The 公文 drafts 党务公开 offers (issue 14): the 党务公开目录 and the 工作日程安排表 of a party
organisation for a period, from its records, with the disclosure pages' own reach."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongjian.disclosure import drafts, services
from gongjian.disclosure.models import Suggestion
from gongjian.kernel import documents
from gongjian.kernel.context import Acting
from gongjian.kernel.models import User
from gongjian.reports.layout import Letterhead, docx

from .factories import draft, published, republish

pytestmark = pytest.mark.django_db


def offered(kind: str) -> documents.Drafter:
    found = documents.drafter(kind)
    assert found is not None, kind
    return found

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))
CATEGORY_HEADINGS = ["", "一、上级路线方针政策", "二、街道/村中心工作", "三、党组织自身建设", "四、民生工程落实",
                     "五、干部队伍建设", "六、其他事项"]
SCORES = {"content": 9, "procedure": 8, "form": 9, "rules": 7, "execution": 8, "effect": 9}


def ask(user, organization, start=Y2025[0], end=Y2025[1]):
    return documents.Ask(user=user, organization=organization, start=start, end=end)


def catalogue(user, organization, start=Y2025[0], end=Y2025[1]):
    return offered("disclosure_catalogue").draft(ask(user, organization, start, end))


def schedule(user, organization, start=Y2025[0], end=Y2025[1]):
    return offered("work_schedule").draft(ask(user, organization, start, end))


@pytest.fixture
def inspector():
    user = User.objects.get(username="taihua_party")
    user.positions = list(user.current_positions())
    user.acting = Acting(next(p for p in user.positions if p.organization.kind == "leading_group"))
    return user


@pytest.fixture
def year_2025(acting, inspector, org):
    """小留村's 2025: a quarterly item published on time, then late; a fixed one; a staged one; a
    party-first one; a withdrawn one; a draft never published; an inspection; three suggestions."""
    branch = org("中共小留村支部委员会")
    made: dict[str, Any] = {}
    with time_machine.travel("2025-02-10 10:00 +0800", tick=False):
        made["regular"], _ = published(acting)
    with time_machine.travel("2025-03-01 10:00 +0800", tick=False):
        made["fixed"], _ = published(acting, title="小留村党支部2025年工作计划", category="policy", timing="fixed",
                                     channels=["board"], period="")
    with time_machine.travel("2025-04-01 10:00 +0800", tick=False):
        made["staged"], _ = published(acting, title="村组道路硬化方案（征求意见稿）", category="livelihood",
                                      timing="stage", period="", stage="preliminary", opinions_until="2025-04-20")
        made["first"], _ = published(acting, title="2025年发展党员计划", category="cadres", timing="temporary",
                                     period="", scope="party_first", public_from="2025-09-01", channels=["meeting"])
    with time_machine.travel("2025-05-06 10:00 +0800", tick=False):
        made["gone"], _ = published(acting, title="五一慰问困难党员名单", category="other", timing="temporary", period="")
    with time_machine.travel("2025-07-05 10:00 +0800", tick=False):
        republish(acting, made["regular"], body="第二季度党费收缴情况", note="第二季度更新")
    with time_machine.travel("2025-08-01 10:00 +0800", tick=False):
        services.disclosure_withdraw(actor=acting("xiaoliu_branch"), disclosure=made["gone"], reason="名单有误")
        draft(acting, title="尚未公开的草稿", timing="fixed", period="")
    with time_machine.travel("2025-06-10 10:00 +0800", tick=False):
        services.inspection_create(actor=inspector, organization=branch, data={
            **SCORES, "inspected_on": "2025-06-10", "findings": "意见箱开箱记录不全。",
            "rectification_deadline": "2025-07-10"})
    with time_machine.travel("2025-03-03 10:00 +0800", tick=False):
        made["s1"], _ = services.suggestion_submit(organization=branch, content="公开栏的字太小。")
    with time_machine.travel("2025-03-05 10:00 +0800", tick=False):
        services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=made["s1"], reply="已更换。",
                                   public=True)
    with time_machine.travel("2025-04-01 11:00 +0800", tick=False):
        made["s2"], _ = services.suggestion_submit(organization=branch, content="道路硬化请考虑南组。")
        made["s3"], _ = services.suggestion_submit(organization=branch, content="希望公开党费使用情况。")
    with time_machine.travel("2025-05-30 10:00 +0800", tick=False):
        services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=made["s2"], reply="已纳入方案。",
                                   public=True)
    return made


def test_both_drafters_are_offered_without_a_campaign():
    for kind in ("disclosure_catalogue", "work_schedule"):
        found = offered(kind)
        assert not found.needs_campaign and found.campaigns is None


def test_the_catalogue_lists_the_periods_items_by_the_six_categories(acting, org, year_2025):
    content = catalogue(acting("xiaoliu_branch"), org("中共小留村支部委员会"))
    assert content.title == "中共小留村支部委员会2025年党务公开目录"
    assert [s.heading for s in content.sections] == CATEGORY_HEADINGS
    assert content.sections[0].paragraphs == [
        "本目录列出中共小留村支部委员会2025年公开的党务事项，共5项，按党务公开内容的六个方面排列。"]
    header = ["公开内容", "公开时间（时限）", "公开形式", "公开范围", "责任人或部门"]
    tables = {s.heading: s.table for s in content.sections if s.table is not None}
    assert all(t.header == header for t in tables.values())
    lead = "刘振华（党支部书记）"
    assert tables["一、上级路线方针政策"].rows == [
        ["小留村党支部2025年工作计划", "长期公开（2025年3月1日起）", "公开栏", "向社会公开", lead]]
    assert tables["三、党组织自身建设"].rows == [
        ["2026年第三季度党费收缴情况", "每季度更换一次，本期应于3月31日、6月30日、9月30日前公开", "公开栏、网站",
         "向社会公开", lead]]
    assert tables["四、民生工程落实"].rows == [
        ["村组道路硬化方案（征求意见稿）", "阶段性公开（2025年4月1日）；征求意见稿，意见征集至2025年4月20日", "公开栏、网站",
         "向社会公开", lead]]
    assert tables["五、干部队伍建设"].rows == [
        ["2025年发展党员计划", "随时公开（2025年4月1日）", "会议", "先党内后党外（2025年9月1日起向社会公开）", lead]]
    assert tables["六、其他事项"].rows == [
        ["五一慰问困难党员名单", "随时公开（2025年5月6日）；2025年8月1日撤回", "公开栏、网站", "向社会公开", lead]]
    empty = next(s for s in content.sections if s.heading == "二、街道/村中心工作")
    assert empty.table is None and empty.paragraphs == ["【请填写本类计划公开的事项（本期没有此类公开事项的记录）】"]
    assert content.signature == "中共小留村支部委员会" and content.addressee == ""


def test_the_catalogue_keeps_to_the_period(acting, org, year_2025):
    # The first half of 2025: the quarterly item's due dates of the half only; not yet withdrawn.
    content = catalogue(acting("xiaoliu_branch"), org("中共小留村支部委员会"), date(2025, 1, 1), date(2025, 6, 30))
    assert content.title == "中共小留村支部委员会2025年1月1日至2025年6月30日党务公开目录"
    rows = {s.heading: s.table.rows for s in content.sections if s.table is not None}
    assert rows["三、党组织自身建设"][0][1] == "每季度更换一次，本期应于3月31日、6月30日前公开"
    assert rows["六、其他事项"][0][1] == "随时公开（2025年5月6日）"
    # Withdrawn before 2026 began, the item is no longer in 2026's catalogue; nothing of 2025 was
    # published before February.
    later = catalogue(acting("xiaoliu_branch"), org("中共小留村支部委员会"), date(2026, 1, 1), date(2026, 12, 31))
    assert "五一慰问困难党员名单" not in json.dumps(later.to_dict(), ensure_ascii=False)
    early = catalogue(acting("xiaoliu_branch"), org("中共小留村支部委员会"), date(2025, 1, 1), date(2025, 1, 31))
    assert all(s.table is None for s in early.sections)
    assert "尚未公开的草稿" not in json.dumps(catalogue(acting("xiaoliu_branch"),
                                                       org("中共小留村支部委员会")).to_dict(), ensure_ascii=False)


def test_the_schedule_lists_the_periods_dated_items_in_order(acting, org, year_2025):
    content = schedule(acting("xiaoliu_branch"), org("中共小留村支部委员会"))
    assert content.title == "中共小留村支部委员会2025年党务公开工作日程安排表"
    table = content.sections[0].table
    assert table is not None and table.header == ["时间", "内容", "责任人", "备注"]
    lead = "刘振华（党支部书记）"
    s1, s2 = year_2025["s1"], year_2025["s2"]
    s1.refresh_from_db()
    s2.refresh_from_db()
    expected: list[list[Any]] = [
        [date(2025, 3, 31), "定期公开“2026年第三季度党费收缴情况”（每季度更换）", lead, "按时完成（2月10日公开）"],
        [date(2025, 4, 20), "“村组道路硬化方案（征求意见稿）”征求意见截止", lead, "分步公开：截止后公开修订后的正式稿"],
        [date(2025, 6, 10), "接受党务公开督查", "太华路街道党务公开工作领导小组", "六个方面得分50分"],
        [date(2025, 6, 30), "定期公开“2026年第三季度党费收缴情况”（每季度更换）", lead, "逾期完成（7月5日公开）"],
        [date(2025, 7, 10), "完成督查整改：意见箱开箱记录不全。", lead, "整改中"],
        [date(2025, 9, 1), "“2025年发展党员计划”向社会公开", lead, "先党内后党外"],
        [date(2025, 9, 30), "定期公开“2026年第三季度党费收缴情况”（每季度更换）", lead, "已逾期"],
    ]
    # The three suggestions: one due date for the first, one for the two of 1 April.
    expected.append([s1.due_on, "答复群众意见建议1条", lead, "已答复1条"])
    expected.append([s2.due_on, "答复群众意见建议2条", lead, "已答复1条"])
    expected.sort(key=lambda row: row[0])
    assert [row[0] for row in table.rows] == [drafts.day_text(row[0], year=False) for row in expected]
    assert [row[1:] for row in table.rows] == [row[1:] for row in expected]
    assert content.sections[0].paragraphs == [f"中共小留村支部委员会2025年党务公开工作日程如下，共{len(expected)}项。"]


def test_a_period_across_two_years_dates_with_the_year(acting, org, year_2025):
    content = schedule(acting("xiaoliu_branch"), org("中共小留村支部委员会"), date(2025, 7, 1), date(2026, 6, 30))
    assert content.title == "中共小留村支部委员会2025年7月1日至2026年6月30日党务公开工作日程安排表"
    days = [row[0] for row in content.sections[0].table.rows]
    assert days[:2] == ["2025年7月10日", "2025年9月1日"] and "2025年9月30日" in days


def test_an_empty_period_asks_for_the_schedule(acting, org):
    content = schedule(acting("xiaoliu_branch"), org("中共小留村支部委员会"), date(2020, 1, 1), date(2020, 3, 31))
    assert content.sections[0].table is None
    assert content.sections[0].paragraphs[0].startswith("【请填写计划开展的工作")


def test_the_demo_branchs_catalogue_this_year(acting, org):
    """The demo's own items (published when the demo loaded): a fixed plan, a staged road project
    and an internal item — the seed's six categories, the branch secretary responsible."""
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    content = catalogue(acting("xiaoliu_branch"), org("中共小留村支部委员会"), start, end)
    rows = [row for s in content.sections if s.table for row in s.table.rows]
    titles = {row[0] for row in rows}
    assert {"小留村党支部2026年工作计划", "村组道路硬化工程实施方案（征求意见稿）", "2026年发展党员工作情况"} <= titles
    assert all(row[4] == "刘振华（党支部书记）" for row in rows)
    internal = next(row for row in rows if row[0] == "2026年发展党员工作情况")
    assert internal[3] == "党内公开" and internal[1].startswith("随时公开（")


# --- reach ----------------------------------------------------------------------------------------


def test_a_federation_is_told_in_chinese_that_only_a_party_organisation_discloses(acting, org):
    for kind in ("disclosure_catalogue", "work_schedule"):
        with pytest.raises(ValidationError) as raised:
            offered(kind).draft(ask(acting("taihua_fed"), org("太华路街道妇联")))
        assert raised.value.messages == ["党务公开目录和工作日程安排表只能为党组织（党委、党支部）起草：“太华路街道妇联”"
                                         "不是党组织，没有党务公开事项。"]


def test_a_party_organisation_out_of_reach_does_not_exist(acting, org):
    cases = [("taihua_fed", "中共太华路街道委员会"),  # a federation's staff: not the party line
             ("taihua_party", "中共灵沙乡委员会"),  # another county
             ("taihua_party", "中共罗敷镇委员会"),  # a sibling township
             ("xiaoliu_branch", "中共太华路街道委员会")]  # the committee above her branch
    for username, name in cases:
        for draft_of in (catalogue, schedule):
            with pytest.raises(Http404):
                draft_of(acting(username), org(name))


def test_the_committee_and_its_leading_group_reach_the_branch(acting, org, inspector, year_2025):
    branch = org("中共小留村支部委员会")
    own = catalogue(acting("xiaoliu_branch"), branch)
    assert catalogue(acting("taihua_party"), branch) == own
    # The leading group inspects the branch's disclosure work, but the kernel's reach of positions
    # does not extend to it: its draft names the branch, not its secretary, as 责任人.
    theirs = schedule(inspector, branch).sections[0].table.rows
    ours = schedule(acting("xiaoliu_branch"), branch).sections[0].table.rows
    assert [r[:2] + r[3:] for r in theirs] == [r[:2] + r[3:] for r in ours]
    assert {r[2] for r in theirs} == {"中共小留村支部委员会", "太华路街道党务公开工作领导小组"}


def test_a_period_that_ends_before_it_starts_is_refused(acting, org):
    with pytest.raises(ValidationError):
        catalogue(acting("xiaoliu_branch"), org("中共小留村支部委员会"), date(2025, 6, 30), date(2025, 1, 1))


# --- as data and as a .docx ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["disclosure_catalogue", "work_schedule"])
def test_the_draft_round_trips_and_lays_out(kind, acting, org, year_2025):
    content = offered(kind).draft(ask(acting("xiaoliu_branch"), org("中共小留村支部委员会")))
    stored = json.loads(json.dumps(content.to_dict(), ensure_ascii=False))
    assert documents.Content.from_dict(stored) == content
    from docx import Document

    data = docx(content, Letterhead(issuer="中共小留村支部委员会"))
    made = Document(io.BytesIO(data))
    # The layout breaks a long title into lines of sensible length: compare without the breaks.
    assert content.title in "".join(p.text for p in made.paragraphs).replace("\n", "")
    cells = {c.text for t in made.tables for row in t.rows for c in row.cells}
    assert ("公开范围" in cells) if kind == "disclosure_catalogue" else ("责任人" in cells)
    assert "答复群众意见建议1条" in cells or kind == "disclosure_catalogue"


def test_suggestions_stay_anonymous_in_the_schedule(acting, org, year_2025):
    text = json.dumps(schedule(acting("xiaoliu_branch"), org("中共小留村支部委员会")).to_dict(), ensure_ascii=False)
    for s in Suggestion.objects.filter(organization=org("中共小留村支部委员会")):
        assert s.content not in text and s.tracking_code not in text
