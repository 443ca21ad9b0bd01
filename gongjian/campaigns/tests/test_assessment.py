"""考评: sets from templates, the self-assessment → score → publish cycle, refusals, totals, ties,
levels, computed indicators and the year-end view."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from gongjian.campaigns.demo import FIVE_GOOD_TITLE, HUAYIN_TITLE, PINGLUO_TITLE, demo_campaign
from gongjian.campaigns.models import Assessment, AssessmentState, CriteriaSet, Evidence, SetKind
from gongjian.campaigns.selectors import assessment as selectors
from gongjian.campaigns.services import assessment as services
from gongjian.kernel import figures
from gongjian.kernel.models import AuditEvent, Notification, User

from .factories import criteria_set_made, scored, self_assessed

pytestmark = pytest.mark.django_db


def _of(criteria_set: CriteriaSet, name: str) -> Assessment:
    return criteria_set.assessments.get(organization__name=name)


def _ranked(user, criteria_set: CriteriaSet) -> list[tuple[str, Decimal, int]]:
    ranking = selectors.ranking_for(user=user, sets=[criteria_set])
    return [(r.organization_name, r.total, r.rank) for r in [*selectors.rank_rows(ranking.owned), *ranking.own_rows]]


def test_a_five_good_set_is_made_from_the_template_for_the_townships_below(acting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = criteria_set_made()
    assert [(c.name, c.max_score) for c in made.criteria.all()] == [
        ("组织机构好", 20), ("工作制度好", 20), ("工作业绩好", 20), ("干部队伍好", 20), ("保障机制好", 20)]
    assert sorted(made.assessments.values_list("organization__name", flat=True)) == ["太华路街道妇联", "罗敷镇妇联"]
    assert all(a.scores.count() == 5 and a.state == AssessmentState.DRAFT for a in made.assessments.all())
    assert AuditEvent.objects.filter(event="campaigns.criteria_set.created", object_id=str(made.pk)).exists()
    assert Notification.objects.filter(organization__name="太华路街道妇联", code="campaigns.assessment.opened").exists()


def test_a_five_models_set_assesses_a_cadre_whom_her_village_then_sees(acting, org):
    made = criteria_set_made(owner="taihua_fed", kind=SetKind.FIVE_MODELS, subjects="")
    assert [c.name for c in made.criteria.all()] == ["自觉学习", "服务大局", "服务妇女", "爱岗敬业", "遵纪守法"]
    cadre = User.objects.get(username="xiaoliu_women").person
    assessment = services.assessment_create(actor=acting("taihua_fed"), criteria_set=made, person=cadre)
    assert assessment.organization == org("小留村妇联") and "刘桂兰" in assessment.subject_name
    assert selectors.assessment_get_for_user(user=acting("xiaoliu_women"), assessment_id=assessment.pk) == assessment
    with pytest.raises(Http404):
        selectors.assessment_get_for_user(user=acting("guojia_women"), assessment_id=assessment.pk)
    with pytest.raises(ValidationError):
        services.assessment_create(actor=acting("taihua_fed"), criteria_set=made, person=cadre)


def test_a_township_self_assesses_the_county_scores_and_publishes(acting, django_capture_on_commit_callbacks):
    made = criteria_set_made()
    taihua = _of(made, "太华路街道妇联")
    with django_capture_on_commit_callbacks(execute=True):
        self_assessed(taihua, by="taihua_fed", scores=[19, 18, "18.5", 18, 17])
    taihua.refresh_from_db()
    assert taihua.state == AssessmentState.SELF_ASSESSED and taihua.self_assessed_by.username == "taihua_fed"
    assert Notification.objects.filter(organization__name="华阴市妇联", code="campaigns.assessment.self_assessed").exists()
    scored(taihua, scores=[18, 17, 18, 17, "16.5"])
    found = selectors.assessment_get_for_user(user=acting("huayin_fed"), assessment_id=taihua.pk)
    assert (found.state, found.self_total, found.total) == (AssessmentState.SCORED, Decimal("90.5"), Decimal("86.5"))
    # The township does not see its rank before publication; the county does.
    assert _ranked(acting("taihua_fed"), made) == []
    assert _ranked(acting("huayin_fed"), made) == [("太华路街道妇联", Decimal("86.5"), 1)]
    assert services.criteria_set_publish(actor=acting("huayin_fed"), criteria_set=made) == 1
    assert _ranked(acting("taihua_fed"), made) == [("太华路街道妇联", Decimal("86.5"), 1)]
    events = set(AuditEvent.objects.filter(object_id=str(taihua.pk), event__startswith="campaigns.assessment")
                 .values_list("event", flat=True))
    assert {"campaigns.assessment.submitted", "campaigns.assessment.scored"} <= events


def test_submitting_without_every_self_score_is_refused_and_nothing_moves():
    taihua = _of(criteria_set_made(), "太华路街道妇联")
    with pytest.raises(ValidationError) as caught:
        self_assessed(taihua, by="taihua_fed", scores=[19, 18, None, 18, 17])
    assert "工作业绩好" in str(caught.value)
    taihua.refresh_from_db()
    assert taihua.state == AssessmentState.DRAFT


def test_a_score_above_the_maximum_or_not_a_number_is_refused_in_chinese():
    taihua = _of(criteria_set_made(), "太华路街道妇联")
    with pytest.raises(ValidationError, match="0到20.0之间"):
        self_assessed(taihua, by="taihua_fed", scores=[21, 18, 18, 18, 17])
    with pytest.raises(ValidationError, match="必须是数字"):
        self_assessed(taihua, by="taihua_fed", scores=["很好", 18, 18, 18, 17])
    assert not taihua.scores.exclude(self_score=None).exists()


def test_the_county_returns_for_more_evidence_and_the_township_resubmits(acting, django_capture_on_commit_callbacks):
    taihua = _of(criteria_set_made(), "太华路街道妇联")
    self_assessed(taihua, by="taihua_fed", scores=[19, 18, 18, 18, 17])
    with pytest.raises(ValidationError):
        services.assessment_return(actor=acting("huayin_fed"), assessment=taihua, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_return(actor=acting("huayin_fed"), assessment=taihua, reason="请补充妇女之家活动照片。")
    assert taihua.state == AssessmentState.RETURNED
    assert Notification.objects.filter(organization__name="太华路街道妇联", code="campaigns.assessment.returned",
                                       message__contains="活动照片").exists()
    upload = SimpleUploadedFile("活动照片.pdf", b"%PDF-1.4 evidence")
    evidence = services.assessment_add_evidence(actor=acting("taihua_fed"), assessment=taihua,
                                                criterion=taihua.criteria_set.criteria.first(), upload=upload)
    assert evidence.file.organization.name == "太华路街道妇联"
    self_assessed(taihua, by="taihua_fed", scores=[19, 18, 18, 18, 17])
    taihua.refresh_from_db()
    assert taihua.state == AssessmentState.SELF_ASSESSED and taihua.return_reason == ""


def test_a_bad_evidence_file_is_refused_and_nothing_saved(acting):
    taihua = _of(criteria_set_made(), "太华路街道妇联")
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.assessment_add_evidence(actor=acting("taihua_fed"), assessment=taihua,
                                         criterion=taihua.criteria_set.criteria.first(),
                                         upload=SimpleUploadedFile("x.pdf", b"<html><script>1</script>"))
    assert not Evidence.objects.filter(score__assessment=taihua).exists()


def test_nobody_scores_her_own_organisation_nor_self_assesses_for_another(acting):
    made = criteria_set_made()
    taihua = _of(made, "太华路街道妇联")
    with pytest.raises(PermissionDenied):
        self_assessed(taihua, by="xiaoliu_women", scores=[19, 18, 18, 18, 17])
    with pytest.raises(PermissionDenied):
        self_assessed(taihua, by="huayin_fed", scores=[19, 18, 18, 18, 17])
    self_assessed(taihua, by="taihua_fed", scores=[19, 18, 18, 18, 17])
    with pytest.raises(PermissionDenied):
        scored(taihua, by="taihua_fed", scores=[20, 20, 20, 20, 20])
    with pytest.raises(PermissionDenied):
        scored(taihua, by="lingsha_fed", scores=[20, 20, 20, 20, 20])


def test_scoring_a_draft_or_changing_a_submitted_self_assessment_is_refused():
    taihua = _of(criteria_set_made(), "太华路街道妇联")
    with pytest.raises(ValidationError, match="只能对已提交自评"):
        scored(taihua, scores=[18, 18, 18, 18, 18])
    self_assessed(taihua, by="taihua_fed", scores=[19, 18, 18, 18, 17])
    with pytest.raises(ValidationError, match="不能再修改"):
        self_assessed(taihua, by="taihua_fed", scores=[20, 20, 20, 20, 20])
    with pytest.raises(ValidationError, match="请为“保障机制好”评分"):
        scored(taihua, scores=[18, 18, 18, 18])


def _submitted(assessments: list[Assessment]) -> None:
    """Villages without a demo account: their self-assessment is taken as submitted (the ranking
    reads only the superior's scores)."""
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(state=AssessmentState.SELF_ASSESSED)
    for assessment in assessments:
        assessment.refresh_from_db()


def test_ties_share_a_rank_and_the_next_rank_is_skipped(acting):
    made = criteria_set_made(owner="taihua_fed", subjects="village_fed")
    villages = list(made.assessments.order_by("organization__path")[:4])
    _submitted(villages)
    for assessment, points in zip(villages, [[18] * 5, [20, 16, 18, 18, 18], [16] * 5, [20] * 5], strict=True):
        scored(assessment, by="taihua_fed", scores=points)
    ranks = [(total, rank) for _name, total, rank in _ranked(acting("taihua_fed"), made)]
    assert ranks == [(Decimal(100), 1), (Decimal(90), 2), (Decimal(90), 2), (Decimal(80), 4)]
    # Unscored subjects are not ranked.
    assert made.assessments.count() > 4


def test_organisations_are_ranked_among_their_own_level(acting):
    made = criteria_set_made()
    services.assessments_create_for_kind(actor=acting("huayin_fed"), criteria_set=made, kind="village_fed")
    township, village = _of(made, "罗敷镇妇联"), _of(made, "小留村妇联")
    _submitted([township, village])
    scored(township, scores=[16] * 5)
    scored(village, scores=[19] * 5)
    assert sorted(_ranked(acting("huayin_fed"), made)) == [("小留村妇联", Decimal(95), 1), ("罗敷镇妇联", Decimal(80), 1)]


@pytest.fixture
def trainings(monkeypatch):
    """A test source of figures: trainings held per organisation (its subtree), 5 for 太华路."""
    def provide(ask: figures.Ask) -> dict[int, dict[str, int]]:
        return {org.pk: {"trainings": 5 if org.name == "太华路街道妇联" else 12} for org in ask.organizations}

    source = figures.Source("testfig", "测试来源", {"trainings": "培训次数"}, provide)
    monkeypatch.setitem(figures._SOURCES, "testfig", source)
    return source


def test_a_computed_indicator_scores_each_subject_from_the_records(acting, trainings):
    made = criteria_set_made(kind=SetKind.QUANTIFIED)
    county = acting("huayin_fed")
    with pytest.raises(ValidationError, match="没有这个自动计算指标"):
        services.criterion_add(actor=county, criteria_set=made, name="培训", max_score=10, figure_code="nope.x",
                               target=10)
    with pytest.raises(ValidationError, match="满分目标值"):
        services.criterion_add(actor=county, criteria_set=made, name="培训", max_score=10,
                               figure_code="testfig.trainings")
    criterion = services.criterion_add(actor=county, criteria_set=made, name="组织培训", max_score=10,
                                       figure_code="testfig.trainings", target=10)
    taihua, luofu = _of(made, "太华路街道妇联"), _of(made, "罗敷镇妇联")
    assert taihua.scores.filter(criterion=criterion).exists()
    manual = [10, 20, 20, 20, 15, 15]
    self_assessed(taihua, by="taihua_fed", scores=manual)
    _submitted([luofu])
    scored(taihua, scores=manual)
    scored(luofu, scores=manual)
    row = taihua.scores.get(criterion=criterion)
    assert (row.computed_value, row.score) == (Decimal(5), Decimal(5))  # half the target: half the marks
    assert luofu.scores.get(criterion=criterion).score == Decimal(10)  # above the target: full marks, no more
    assert _ranked(county, made) == [("罗敷镇妇联", Decimal(110), 1), ("太华路街道妇联", Decimal(105), 2)]
    # Once a subject has submitted, the criteria are fixed.
    with pytest.raises(ValidationError, match="不能再修改"):
        services.criterion_add(actor=county, criteria_set=made, name="另一项", max_score=5)


def test_the_computed_score_rule():
    rule = services.computed_score
    assert rule(0, target=Decimal(10), max_score=Decimal(20)) == Decimal(0)
    assert rule(3, target=Decimal(8), max_score=Decimal(20)) == Decimal("7.5")
    assert rule(30, target=Decimal(8), max_score=Decimal(20)) == Decimal(20)
    assert rule(3, target=None, max_score=Decimal(20)) == Decimal(0)


def test_a_criterion_is_managed_only_by_the_set_owner(acting):
    made = criteria_set_made()
    with pytest.raises(PermissionDenied):
        services.criterion_add(actor=acting("taihua_fed"), criteria_set=made, name="额外", max_score=5)
    with pytest.raises(PermissionDenied):
        services.criteria_set_publish(actor=acting("taihua_fed"), criteria_set=made)


def test_a_village_cannot_make_a_set_and_a_township_cannot_add_an_organisation_beside_it(acting, org):
    with pytest.raises(PermissionDenied):
        criteria_set_made(owner="xiaoliu_women")
    made = criteria_set_made(owner="taihua_fed", subjects="")
    with pytest.raises(ValidationError, match="下属的组织"):
        services.assessment_create(actor=acting("taihua_fed"), criteria_set=made, organization=org("罗敷镇妇联"))
    with pytest.raises(ValidationError, match="下属的组织"):
        services.assessment_create(actor=acting("taihua_fed"), criteria_set=made, organization=org("太华路街道妇联"))


def test_a_set_cannot_hang_on_a_campaign_out_of_reach(acting):
    pingluo = demo_campaign(PINGLUO_TITLE)
    with pytest.raises(PermissionDenied):
        services.criteria_set_create(actor=acting("huayin_fed"), kind=SetKind.FIVE_GOOD, year=2026, campaign=pingluo)
    assert not CriteriaSet.objects.filter(campaign=pingluo).exists()


def test_publishing_with_nothing_scored_is_refused(acting):
    with pytest.raises(ValidationError, match="还没有已评分"):
        services.criteria_set_publish(actor=acting("huayin_fed"), criteria_set=criteria_set_made())


def test_the_demo_ranks_the_townships_of_huayin(acting):
    campaign = demo_campaign(HUAYIN_TITLE)
    demo_set = CriteriaSet.objects.get(title=FIVE_GOOD_TITLE, campaign=campaign)
    ranking = selectors.campaign_ranking(user=acting("huayin_fed"), campaign=campaign)
    assert [(r.organization_name, r.total, r.rank) for r in selectors.rank_rows(ranking.owned)] == [
        ("太华路街道妇联", Decimal(87), 1), ("罗敷镇妇联", Decimal(83), 2)]
    # The township sees its own published row and rank, nothing beside; another county nothing.
    assert _ranked(acting("taihua_fed"), demo_set) == [("太华路街道妇联", Decimal(87), 1)]
    assert selectors.campaign_ranking(user=acting("lingsha_fed"), campaign=campaign).own_rows == []


def test_the_year_view_lists_the_years_sets_with_totals(acting):
    rows = selectors.year_view(user=acting("huayin_fed"), year=2026)
    demo = next(r for r in rows if r.criteria_set.title == FIVE_GOOD_TITLE)
    assert [(r.organization_name, r.total, r.rank) for r in demo.rows] == [("太华路街道妇联", 87, 1), ("罗敷镇妇联", 83, 2)]
    assert selectors.year_view(user=acting("huayin_fed"), year=2020) == []
    mine = selectors.year_view(user=acting("taihua_fed"), year=2026)
    assert [[row.organization_name for row in r.rows] for r in mine] == [["太华路街道妇联"]]


def test_an_open_self_assessment_is_reminded_near_its_deadline_and_once_past_it(acting, org):
    from datetime import date, timedelta

    county = acting("huayin_fed")
    due = date(2026, 11, 30)
    made = services.criteria_set_create(actor=county, kind="five_good", year=2026, self_due=due)
    services.assessments_create_for_kind(actor=county, criteria_set=made, kind="township_fed")
    taihua, luofu = (Assessment.objects.get(criteria_set=made, organization=org(name))
                     for name in ("太华路街道妇联", "罗敷镇妇联"))
    self_assessed(taihua, by="taihua_fed", scores=[18, 18, 18, 18, 18])  # done: no reminder for it

    def keys(name: str) -> list[str]:
        return list(Notification.objects.filter(organization=org(name), code="campaigns.assessment.reminder")
                    .values_list("dedupe_key", flat=True))

    assert services.self_assessments_remind(today=due - timedelta(days=10)) == 0
    assert services.self_assessments_remind(today=due - timedelta(days=2)) == 1
    assert services.self_assessments_remind(today=due - timedelta(days=1)) == 0  # once
    assert services.self_assessments_remind(today=due + timedelta(days=1)) == 1  # once more, past it
    assert services.self_assessments_remind(today=due + timedelta(days=5)) == 0
    assert keys("太华路街道妇联") == [] and len(keys("罗敷镇妇联")) == 2
    assert luofu.state == AssessmentState.DRAFT
