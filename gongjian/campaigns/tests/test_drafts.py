"""The 公文 drafts 创先争优 offers (issue 14): the 实施方案 and the 领导小组成员名单 of a campaign,
from the demo county's records, within the user's reach, as plain content the layout renders."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from gongjian.campaigns import drafts
from gongjian.campaigns.demo import HUAYIN_TITLE, PINGLUO_TITLE, demo_campaign
from gongjian.kernel import documents
from gongjian.kernel.models import Person, Position
from gongjian.reports.layout import Letterhead, docx

from .factories import draft_campaign

pytestmark = pytest.mark.django_db


def offered(kind: str) -> documents.Drafter:
    found = documents.drafter(kind)
    assert found is not None, kind
    return found

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
PLAN_HEADINGS = ["", "一、指导思想", "二、活动主题与目标", "三、活动内容", "四、方法步骤", "五、组织领导", "六、活动要求"]


def ask(user, organization, campaign, *, start=YEAR[0], end=YEAR[1]):
    campaign_id = campaign if campaign is None or isinstance(campaign, int) else campaign.pk
    return documents.Ask(user=user, organization=organization, start=start, end=end, campaign_id=campaign_id)


def plan(user, organization, campaign):
    return offered("implementation_plan").draft(ask(user, organization, campaign))


def name_list(user, organization, campaign):
    return offered("name_list").draft(ask(user, organization, campaign))


def section(content, heading):
    return next(s for s in content.sections if s.heading == heading)


def is_prompt(text):
    return text.startswith("【请填写") and text.endswith("】")


@pytest.fixture
def huayin():
    return demo_campaign(HUAYIN_TITLE)


@pytest.fixture
def taihua_group(org):
    return org("太华路街道妇联创先争优活动领导小组")


def test_both_drafters_are_offered_the_plan_needs_a_campaign_the_list_takes_one():
    for kind in ("implementation_plan", "name_list"):
        assert offered(kind).campaigns is drafts.campaign_choices
    assert offered("implementation_plan").needs_campaign
    assert not offered("name_list").needs_campaign  # a leading group chosen itself needs none
    assert offered("implementation_plan").draft is drafts.draft_plan
    assert offered("name_list").draft is drafts.draft_name_list


def test_a_townships_plan_has_the_seeds_six_sections_from_the_campaign(acting, org, huayin, taihua_group):
    content = plan(acting("taihua_fed"), org("太华路街道妇联"), huayin)
    assert content.title == "太华路街道妇联开展创先争优活动实施方案"  # the title its plan was sent under
    assert [s.heading for s in content.sections][:7] == PLAN_HEADINGS
    assert content.sections[0].paragraphs == [
        f"按照华阴市妇联《{HUAYIN_TITLE}》的部署，结合太华路街道妇联工作实际，制定本实施方案。"]
    assert all(is_prompt(p) for p in section(content, "一、指导思想").paragraphs)
    aims = section(content, "二、活动主题与目标").paragraphs
    assert aims == ["活动主题为“强组织创先进、提素质争模范”。", f"活动目标：{huayin.goals}"]
    lines = section(content, "三、活动内容").paragraphs
    assert lines[0] == huayin.body
    assert [p.split("。")[0] for p in lines[1:]] == [
        "（一）学习讨论座谈活动", "（二）岗位奉献、巾帼建功活动", "（三）服务民生活动", "（四）典型示范活动",
        "（五）素质提升活动", "（六）组织创新活动"]
    steps = section(content, "四、方法步骤").paragraphs
    assert steps[0] == "第一阶段：广泛发动，安排部署（2026年3月）。成立领导小组，制定活动方案，召开动员会，营造活动氛围。"
    assert steps[1].startswith("第二阶段：全面争创，扎实推进（2026年4月—9月底）。")
    assert len(steps) == 4
    members = list(Position.objects.filter(organization=taihua_group).order_by("sort_order", "id")
                   .select_related("person"))
    assert len(members) == 4
    lead = section(content, "五、组织领导").paragraphs[0]
    assert lead.startswith(f"太华路街道妇联成立{taihua_group.name}，组长由")
    for p in members:
        assert p.person.name in lead
    assert lead.index("组长由") < lead.index("副组长由") < lead.index("成员由") < lead.index(members[3].person.name)
    demands = section(content, "六、活动要求").paragraphs
    assert demands[0] == "本方案于2026年3月20日前报华阴市妇联。" and is_prompt(demands[1])
    # The name list is annexed, as 第四篇 annexes its own.
    assert content.annexes == [f"{taihua_group.name}成员名单"]
    annex = content.sections[-1].table
    assert annex is not None and [row[0] for row in annex.rows] == [p.person.name for p in members]
    assert content.signature == "太华路街道妇联" and content.dated is not None


def test_the_issuers_plan_names_its_co_issuer_and_asks_for_what_is_not_recorded(acting, org, huayin):
    content = plan(acting("huayin_fed"), org("华阴市妇联"), huayin)
    assert content.title == "关于开展华阴市基层妇联组织创先争优活动的实施方案"
    assert [s.heading for s in content.sections] == PLAN_HEADINGS  # no group: no annex
    assert content.sections[0].paragraphs == ["为深入开展华阴市基层妇联组织创先争优活动，结合华阴市妇联工作实际，制定本实施方案。"]
    assert all(is_prompt(p) for p in section(content, "五、组织领导").paragraphs)
    assert section(content, "六、活动要求").paragraphs[0] == "乡镇（街道）妇联的活动方案于2026年3月20日前报华阴市妇联。"
    assert content.signature == "华阴市妇联　中共华阴市委员会" and content.annexes == []


def test_the_seeds_phases_are_dated_as_the_seed_dates_them(acting, org):
    content = plan(acting("lingsha_fed"), org("灵沙乡妇联"), demo_campaign(PINGLUO_TITLE))
    steps = [p.split("。")[0] for p in section(content, "四、方法步骤").paragraphs]
    assert steps == ["第一阶段：广泛发动，安排部署（2010年10月）", "第二阶段：全面争创，扎实推进（2010年10月—2011年6月底）",
                     "第三阶段：树立典型，巩固提高（2011年7月—2012年6月底）", "第四阶段：系统总结，完善机制（2012年7月—10月底）"]
    assert section(content, "六、活动要求").paragraphs[0] == "本方案于2010年11月1日前报平罗县妇联。"


def test_a_campaign_that_records_little_gives_prompts_not_prose(acting, org):
    actor = acting("huayin_fed")
    campaign = draft_campaign(actor, title="只有名称的活动", theme="other", goals="", body="", lines=[], plan_due=None)
    campaign.phases.all().delete()
    content = plan(actor, org("华阴市妇联"), campaign)
    for heading in PLAN_HEADINGS[1:]:
        paragraphs = section(content, heading).paragraphs
        assert paragraphs and all(is_prompt(p) for p in paragraphs), heading
    assert content.signature == "华阴市妇联"


def test_a_phase_without_tasks_asks_for_them(acting, org):
    actor = acting("huayin_fed")
    campaign = draft_campaign(actor, title="阶段未写任务的活动")  # three of its four phases have no tasks
    steps = section(plan(actor, org("华阴市妇联"), campaign), "四、方法步骤").paragraphs
    assert steps[0].endswith("成立领导小组")
    assert steps[1] == "第二阶段：全面争创，扎实推进（2026年4月—9月底）。【请填写本阶段的主要任务】"


@pytest.mark.parametrize(("start", "end", "text"), [
    (date(2010, 10, 1), date(2010, 10, 31), "2010年10月"),
    (date(2010, 10, 1), date(2011, 6, 30), "2010年10月—2011年6月底"),
    (date(2026, 3, 5), date(2026, 4, 20), "2026年3月5日—4月20日"),
    (date(2026, 12, 5), date(2027, 1, 20), "2026年12月5日—2027年1月20日"),
    (date(2012, 7, 1), None, "2012年7月1日起"),
])
def test_phase_spans(start, end, text):
    assert drafts.span_text(start, end) == text


def test_numerals():
    assert [drafts.numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_the_name_list_is_the_groups_current_positions_in_order(acting, org, huayin, taihua_group):
    held = list(Position.objects.filter(organization=taihua_group).order_by("sort_order", "id").select_related("person"))
    gone = Position.objects.create(person=held[-1].person, organization=taihua_group, title="成员", role="member",
                                   sort_order=50, start_date=date(2026, 3, 5), end_date=date(2026, 6, 30))
    held[1].note = "街道妇联副主席"
    held[1].save()
    content = name_list(acting("taihua_fed"), org("太华路街道妇联"), huayin)
    assert content.title == f"{taihua_group.name}成员名单"
    table = content.sections[0].table
    assert table is not None and table.header == ["姓名", "单位及职务", "组内职务"]
    assert [(r[0], r[2]) for r in table.rows] == [(p.person.name, p.title) for p in held]
    assert table.rows[1][1] == "街道妇联副主席"  # what the position notes
    assert all(r[1] for r in table.rows)  # else her other posts, else where she is registered
    assert gone.pk and len(table.rows) == 4
    assert content.signature == "太华路街道妇联"


def test_the_name_list_of_the_fourth_piece_with_its_office(acting, org, huayin):
    """第四篇's 领导小组 (the demo's, under the street party committee) chosen as the organisation:
    组长, 常务副组长, 副组长 and 成员 with their posts, then the office and its 主任."""
    group = org("太华路街道党务公开工作领导小组")
    content = name_list(acting("taihua_party"), group, huayin)
    assert content.title == "太华路街道党务公开工作领导小组成员名单"
    rows = content.sections[0].table.rows
    assert rows[:4] == [["谢国强", "党委书记", "组长"], ["郑宏伟", "党委副书记、办事处主任", "常务副组长"],
                        ["袁志强", "党委副书记", "副组长"], ["薛玉兰", "纪委书记", "副组长"]]
    assert [r[2] for r in rows[4:]] == ["成员"] * 7 and rows[4][:2] == ["马建军", "人大主任"]
    office = content.sections[1]
    assert office.heading == "领导小组下设党务公开工作领导小组办公室"
    assert office.table.rows[0] == ["孙卫东", "兼任街道党务联络员", "办公室主任"]
    assert [r[0] for r in office.table.rows[1:]] == ["张丽娟", "张文斌", "姚海燕"]
    assert content.signature == "中共太华路街道委员会"
    # The plan drafted for the group words it as 第三篇 does, office included.
    lead = section(plan(acting("taihua_party"), group, huayin), "五、组织领导").paragraphs[0]
    assert lead.startswith("中共太华路街道委员会成立太华路街道党务公开工作领导小组，组长由党委书记谢国强担任，"
                           "常务副组长由党委副书记、办事处主任郑宏伟担任，副组长由党委副书记袁志强、纪委书记薛玉兰担任，"
                           "成员由人大主任马建军、")
    assert "领导小组下设党务公开工作领导小组办公室，兼任街道党务联络员孙卫东同志任办公室主任" in lead


def test_a_leading_group_is_its_own_list_without_a_campaign(acting, org, huayin):
    group = org("太华路街道党务公开工作领导小组")
    with_campaign = name_list(acting("taihua_party"), group, huayin)
    assert name_list(acting("taihua_party"), group, None) == with_campaign
    with pytest.raises(Http404):  # another township's cadre does not reach the group
        name_list(acting("taihua_fed"), group, None)
    with pytest.raises(ValidationError) as raised:  # any other organisation still needs its campaign
        name_list(acting("taihua_party"), org("中共太华路街道委员会"), None)
    assert "请选择一项创先争优活动" in raised.value.messages[0]


def test_no_leading_group_no_name_list(acting, org, huayin):
    with pytest.raises(ValidationError) as raised:
        name_list(acting("huayin_fed"), org("华阴市妇联"), huayin)
    assert "还没有为" in raised.value.messages[0] and "领导小组" in raised.value.messages[0]


def test_a_group_the_plan_names_but_nobody_sits_in_asks_for_its_members(acting, org, huayin, taihua_group):
    Position.objects.filter(organization=taihua_group).update(end_date=date(2026, 4, 1))
    content = plan(acting("taihua_fed"), org("太华路街道妇联"), huayin)
    lead = section(content, "五、组织领导").paragraphs
    assert lead[0] == f"太华路街道妇联成立{taihua_group.name}。" and is_prompt(lead[1])


# --- reach ----------------------------------------------------------------------------------------


def test_another_countys_campaign_does_not_exist(acting, org, huayin):
    with pytest.raises(Http404):
        plan(acting("lingsha_fed"), org("灵沙乡妇联"), huayin)
    with pytest.raises(Http404):
        name_list(acting("huayin_fed"), org("华阴市妇联"), demo_campaign(PINGLUO_TITLE))
    with pytest.raises(Http404):
        plan(acting("huayin_fed"), org("华阴市妇联"), 10**9)


def test_a_draft_campaign_is_the_issuers_alone(acting, org):
    campaign = draft_campaign(acting("huayin_fed"), title="尚未下发的活动")
    assert campaign.state == "draft"
    with pytest.raises(Http404):
        plan(acting("taihua_fed"), org("太华路街道妇联"), campaign)


def test_an_organisation_out_of_reach_is_refused(acting, org, huayin):
    with pytest.raises(Http404):
        plan(acting("taihua_fed"), org("罗敷镇妇联"), huayin)
    with pytest.raises(Http404):
        name_list(acting("taihua_fed"), org("华阴市妇联"), huayin)


def test_no_campaign_chosen(acting, org):
    with pytest.raises(ValidationError):
        plan(acting("huayin_fed"), org("华阴市妇联"), None)


def test_the_campaigns_to_choose_are_those_she_reaches(acting, org, huayin):
    draft = draft_campaign(acting("huayin_fed"), title="尚未下发的活动")
    choices = drafts.campaign_choices(acting("huayin_fed"), org("华阴市妇联"))
    assert [pk for pk, _name in choices] == [draft.pk, huayin.pk]
    assert choices[0][1] == "尚未下发的活动（2026）（草稿）"
    assert drafts.campaign_choices(acting("taihua_fed"), org("太华路街道妇联")) == [
        (huayin.pk, f"{HUAYIN_TITLE}（2026）")]
    pingluo = demo_campaign(PINGLUO_TITLE)
    assert pingluo is not None
    assert [pk for pk, _ in drafts.campaign_choices(acting("lingsha_fed"), org("灵沙乡妇联"))] == [pingluo.pk]


def test_campaigns_concerning_the_organisation_come_first(acting, org, huayin):
    newer = draft_campaign(acting("huayin_fed"), title="下一项活动", starts_on=date(2026, 11, 1), plan_due=None,
                           target_kinds=["village_fed"])
    county = acting("huayin_fed")
    assert [pk for pk, _ in drafts.campaign_choices(county, org("华阴市妇联"))] == [newer.pk, huayin.pk]
    # 太华路街道妇联 has a plan under the demo campaign: for it, that campaign comes first.
    township = org("太华路街道妇联")
    with CaptureQueriesContext(connection) as queries:
        choices = drafts.campaign_choices(county, township)
    assert [pk for pk, _ in choices] == [huayin.pk, newer.pk] and len(queries) == 1
    # 中共华阴市委员会 co-issued it: for the committee too.
    assert [pk for pk, _ in drafts.campaign_choices(county, org("中共华阴市委员会"))] == [huayin.pk, newer.pk]


# --- as data and as a .docx ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["implementation_plan", "name_list"])
def test_the_draft_round_trips_and_lays_out(kind, acting, org, huayin):
    content = offered(kind).draft(ask(acting("taihua_fed"), org("太华路街道妇联"), huayin))
    stored = json.loads(json.dumps(content.to_dict(), ensure_ascii=False))
    assert documents.Content.from_dict(stored) == content
    data = docx(content, Letterhead(issuer="太华路街道妇联", number="太妇发〔2026〕3号"))
    from docx import Document

    # The layout breaks a long title into lines of sensible length: compare without the breaks.
    text = "".join(p.text for p in Document(io.BytesIO(data)).paragraphs).replace("\n", "")
    assert content.title in text
    cells = {c.text for t in Document(io.BytesIO(data)).tables for row in t.rows for c in row.cells}
    assert "组长" in cells and "组内职务" in cells


def test_the_name_list_costs_the_same_however_many_sit_in_the_group(acting, org, huayin, taihua_group):
    user, township = acting("taihua_fed"), org("太华路街道妇联")
    with CaptureQueriesContext(connection) as few:
        name_list(user, township, huayin)
    people = list(Person.objects.filter(organization=township)[:1])
    for n in range(12):
        Position.objects.create(person=people[0], organization=taihua_group, title="成员", role="member",
                                sort_order=60 + n, start_date=date(2026, 3, 5))
    with CaptureQueriesContext(connection) as many:
        content = name_list(user, township, huayin)
    assert len(content.sections[0].table.rows) == 16
    assert len(many) == len(few)
