"""The reports app's own drafters: the phrasing of figures, the sections a cadre must write, and one
source for the figures (a drafted 情况汇报 says what the dashboards say for the same organisation,
period and user)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongjian.kernel import documents, figures
from gongjian.kernel.documents import Ask, Kind
from gongjian.reports.drafts import approx, draft_situation_report, period_text

pytestmark = pytest.mark.django_db

YEAR = date.today().year


@pytest.mark.parametrize(("value", "phrase"), [
    (0, "0"), (3, "3"), (9, "9"), (10, "10"), (12, "10余"), (19, "10余"), (20, "20"), (27, "20余"),
    (99, "90余"), (100, "100"), (538, "500余"), (500, "500"), (999, "900余"), (1000, "1000"), (1234, "1200余"),
    (1200, "1200"), (12345, "12000余"), (Decimal("15.5"), "10余"), (Decimal("7.9"), "7"),
])
def test_a_count_is_phrased_as_the_seed_phrases_it(value, phrase):
    assert approx(value) == phrase


@pytest.mark.parametrize(("value", "phrase"), [(12, "十多"), (20, "二十"), (23, "二十多"), (99, "九十多"),
                                               (7, "7"), (538, "500余")])
def test_tens_can_be_written_in_chinese_numerals(value, phrase):
    assert approx(value, hanzi=True) == phrase


@pytest.mark.parametrize(("label", "value", "text"), [
    ("健康服务次数", 12, "健康服务10余次"), ("参训人次", 538, "参训500余人次"), ("两癌检查妇女人数", 300, "两癌检查妇女300人"),
    ("放款金额（元）", 52000, "放款金额52000元"), ("逾期率（%）", Decimal("3.57"), "逾期率3.57%"), ("获得表彰", 3, "获得表彰3"),
])
def test_a_figure_without_a_phrase_of_its_own_reads_with_its_measure_word(label, value, text):
    from gongjian.reports.drafts import _phrase

    phrase, quoted = _phrase(figures.Figure(code="x.y", label=label, value=value))
    assert phrase == text == quoted.phrase and quoted.value == str(value)


@pytest.mark.parametrize(("code", "label", "value", "text"), [
    ("campaigns.plans_submitted", "报送活动方案", 1, "报送活动方案1份"),
    ("coverage.units", "村（社区）数", 26, "村（社区）20余个"),
    ("cases.received", "收到维权求助", figures.Suppressed(5), "收到维权求助<5件"),
    ("care.pairings", "正在结对", 4, "正在结对4对"),
    ("study.visits", "督查指导次数", 3, "督查指导3次"),  # the label's own measure word
])
def test_a_count_whose_label_has_no_measure_word_reads_with_its_codes(code, label, value, text):
    from gongjian.reports.drafts import _phrase

    phrase, _quoted = _phrase(figures.Figure(code=code, label=label, value=value))
    assert phrase == text


def test_every_offered_count_reads_with_a_measure_word():
    """A draft never says "报送活动方案1": every count on offer has a measure word (a rate has "%")."""
    from gongjian.reports.drafts import PHRASES, _phrase

    bare = []
    for code, _label in figures.catalogue():
        label = figures.label_of(code)
        if code in PHRASES or "%" in label:
            continue
        phrase, _quoted = _phrase(figures.Figure(code=code, label=label, value=7))
        if phrase.endswith("7"):
            bare.append(code)
    assert bare == []


def test_a_suppressed_count_stays_suppressed():
    assert approx(figures.Suppressed(5)) == "<5"


def test_a_period_is_named_as_a_document_names_it():
    assert period_text(date(2026, 1, 1), date(2026, 12, 31)) == "2026年"
    assert period_text(date(2026, 1, 1), date(2026, 6, 30)) == "2026年1月至6月"
    assert period_text(date(2026, 3, 1), date(2026, 3, 31)) == "2026年3月"
    assert period_text(date(2026, 3, 5), date(2026, 4, 1)) == "2026年3月5日至2026年4月1日"


# The womenshome figures page's drill-down keys → the codes it offers the figures mechanism.
PAGE_KEYS = {"training": "trainings", "trained": "people_trained", "training_attendance": "training_person_times",
             "attendance": "person_times", "performance": "performances"}


def _quoted(content: documents.Content) -> dict[str, str]:
    return {q.code: q.value for section in content.sections for q in section.figures}


def test_a_situation_report_quotes_the_figures_the_dashboards_show(acting, org, login):
    user = acting("taihua_fed")
    taihua = org("太华路街道妇联")
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    content = draft_situation_report(Ask(user=user, organization=taihua, start=start, end=end))
    quoted = _quoted(content)
    read = figures.read(user=user, organizations=[taihua], start=start, end=end)[taihua.pk]
    shown = {code: str(value) for code, value in read.items() if value or isinstance(value, figures.Suppressed)}
    assert quoted, "the demo county records activities in 太华路街道: the report quotes them"
    assert quoted == shown
    # And the 妇女之家 figures page of the same organisation and period shows the same numbers.
    page = login("taihua_fed").get(f"/work/womenshome/figures/?org={taihua.pk}&from={start}&to={end}")
    assert page.status_code == 200
    headline: dict[str, object] = {}
    for _label, value, key, _url in page.context["headline"]:
        headline.setdefault(PAGE_KEYS.get(key, key), value)  # the first "activities" is the count
    compared = [code for code in quoted if code.removeprefix("womenshome.") in headline]
    assert len(compared) >= 5
    for code in compared:
        assert str(headline[code.removeprefix("womenshome.")]) == quoted[code], code


def test_every_phrase_is_in_the_text_with_its_exact_value(acting, org):
    content = draft_situation_report(Ask(user=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                         start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)))
    for section in content.sections:
        text = "".join(section.paragraphs)
        for q in section.figures:
            assert q.phrase in text
            assert q.value.startswith("<") or approx(Decimal(q.value)) in q.phrase


def test_the_problems_and_plans_are_left_for_the_cadre_with_a_prompt(acting, org):
    content = draft_situation_report(Ask(user=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                         start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)))
    assert [s.heading for s in content.sections] == ["一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下一步打算"]
    for section in content.sections[2:]:
        assert section.paragraphs == [""]
        assert section.hint.startswith("请写明")
    assert content.signature == "太华路街道妇联"
    assert content.addressee == "华阴市妇联："
    assert content.title == f"太华路街道妇联关于{YEAR}年工作情况的汇报"


@pytest.fixture
def tiny_source():
    """A source whose count (3) is below the suppression threshold of 5."""
    figures.offer(figures.Source("tinytest", "小数测试", {"cases": "案件"},
                                 lambda ask: {o.pk: {"cases": 3} for o in ask.organizations}, suppress_below=5))
    yield
    figures.withdraw("tinytest")


def test_a_figure_suppressed_for_the_reader_stays_suppressed_in_the_text(acting, org, tiny_source):
    content = draft_situation_report(Ask(user=acting("huayin_fed"), organization=org("太华路街道妇联"),
                                         start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)))
    quoted = [q for s in content.sections for q in s.figures if q.code == "tinytest.cases"]
    assert [(q.value, q.phrase) for q in quoted] == [("<5", "案件<5")]
    assert "案件<5" in "".join(p for s in content.sections for p in s.paragraphs)
    assert "案件3" not in "".join(p for s in content.sections for p in s.paragraphs)


def test_a_period_with_no_records_asks_the_cadre_instead_of_inventing(acting, org):
    content = draft_situation_report(Ask(user=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                         start=date(1990, 1, 1), end=date(1990, 12, 31)))
    assert not _quoted(content)
    assert content.sections[1].paragraphs == [""] and content.sections[1].hint


@pytest.mark.parametrize("kind", [Kind.SITUATION_REPORT, Kind.WORK_SUMMARY, Kind.NOTICE, Kind.PUBLIC_NOTICE,
                                  Kind.RESEARCH_REPORT])
def test_reports_offers_its_own_drafters_with_the_organisations_name_and_date(acting, org, kind):
    drafter = documents.drafter(kind)
    assert drafter is not None and not drafter.needs_campaign
    content = drafter.draft(Ask(user=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                start=date(YEAR, 5, 1), end=date(YEAR, 5, 6)))
    assert content.signature == "太华路街道妇联"
    assert content.dated == date.today()
    assert content.sections and all(s.hint for s in content.sections if s.paragraphs == [""])
    assert documents.Content.from_dict(content.to_dict()) == content


def test_a_public_notice_names_its_days_and_where_to_object(acting, org):
    drafter = documents.drafter(Kind.PUBLIC_NOTICE)
    assert drafter is not None
    content = drafter.draft(Ask(
        user=acting("taihua_fed"), organization=org("太华路街道妇联"), start=date(YEAR, 5, 1), end=date(YEAR, 5, 6)))
    text = "".join(p for s in content.sections for p in s.paragraphs)
    assert f"公示期为{YEAR}年5月1日至{YEAR}年5月6日" in text and "向太华路街道妇联反映" in text


def test_a_notice_goes_down_to_the_villages(acting, org):
    drafter = documents.drafter(Kind.NOTICE)
    assert drafter is not None
    content = drafter.draft(Ask(
        user=acting("taihua_fed"), organization=org("太华路街道妇联"), start=date(YEAR, 5, 1), end=date(YEAR, 5, 6)))
    assert content.addressee == "各村（社区）妇联："
    assert [s.heading for s in content.sections][1:] == ["一、时间", "二、地点", "三、参加人员", "四、有关要求"]


def test_the_demo_drafts_a_situation_report_of_taihua_for_this_year_once(org):
    from gongjian.kernel.demo import DemoResult
    from gongjian.reports.demo import load_documents
    from gongjian.reports.models import Document

    found = Document.objects.filter(organization=org("太华路街道妇联"), kind="situation_report",
                                    period_from=date(YEAR, 1, 1), period_to=date(YEAR, 12, 31))
    assert found.count() == 1
    assert found.get().versions.get().content["sections"][1]["figures"]
    result = DemoResult()
    load_documents(result)
    assert found.count() == 1 and not result.created
