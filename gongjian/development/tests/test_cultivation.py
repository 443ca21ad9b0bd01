"""党员推荐培养: the federation recommends, the party side decides each step, her political status follows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjian.development.models import CultivationStage, CultivationStep, Recommendation, StepKind
from gongjian.development.services import cultivation as services
from gongjian.development.tests.factories import decided, recommended, village_woman
from gongjian.kernel import figures
from gongjian.kernel import services as kernel_services
from gongjian.kernel.models import AuditEvent, Organization, PoliticalStatus

pytestmark = pytest.mark.django_db


def test_steps_match_the_kernel_political_statuses():
    for step in (StepKind.ACTIVIST, StepKind.DEVELOPMENT, StepKind.PROBATIONARY, StepKind.MEMBER):
        assert step.value in PoliticalStatus.values


def test_a_village_federation_recommends_a_woman_to_the_branch_of_her_village(org):
    woman = village_woman()
    made = recommended(woman)
    assert made.party_organization == org("中共小留村支部委员会")
    assert made.organization == org("小留村妇联")
    assert made.stage == CultivationStage.RECOMMENDED
    assert made.status_before == PoliticalStatus.MASSES
    assert AuditEvent.objects.filter(event="development.recommendation.created", object_id=str(made.pk)).exists()


def test_the_branch_decides_activist_and_her_political_status_follows():
    woman = village_woman()
    made = recommended(woman)
    decided(made, StepKind.ACTIVIST, on=date(2026, 4, 1))
    woman.refresh_from_db()
    made.refresh_from_db()
    assert made.stage == CultivationStage.ACTIVIST and made.stage_on == date(2026, 4, 1)
    assert woman.political_status == PoliticalStatus.ACTIVIST
    assert woman.party_organization is None  # 党组织关系 only from 预备党员 on


def test_the_whole_way_to_full_member_gives_her_the_branch_as_party_organisation(org):
    woman = village_woman()
    made = recommended(woman)
    for step, day in [(StepKind.ACTIVIST, date(2026, 3, 10)), (StepKind.DEVELOPMENT, date(2026, 5, 1)),
                      (StepKind.PROBATIONARY, date(2026, 6, 1))]:
        decided(made, step, on=day)
    woman.refresh_from_db()
    assert woman.political_status == PoliticalStatus.PROBATIONARY_MEMBER
    assert woman.party_organization == org("中共小留村支部委员会")
    decided(made, StepKind.MEMBER, on=date(2026, 11, 1))
    woman.refresh_from_db()
    assert woman.political_status == PoliticalStatus.PARTY_MEMBER
    assert list(made.steps.values_list("step", flat=True)) == ["activist", "development", "probationary", "member"]
    assert AuditEvent.objects.filter(event="kernel.person.updated", object_id=str(woman.pk)).count() == 4


def test_a_step_cannot_be_skipped():
    made = recommended()
    with pytest.raises(ValidationError) as caught:
        decided(made, StepKind.DEVELOPMENT)
    assert "不能跳过" in str(caught.value)
    assert not made.steps.exists()


def test_a_step_cannot_be_dated_before_the_previous_one():
    made = recommended(on=date(2026, 3, 1))
    decided(made, StepKind.ACTIVIST, on=date(2026, 5, 1))
    with pytest.raises(ValidationError) as caught:
        decided(made, StepKind.DEVELOPMENT, on=date(2026, 4, 30))
    assert "decided_on" in caught.value.message_dict
    made.refresh_from_db()
    assert made.stage == CultivationStage.ACTIVIST


def test_a_step_cannot_be_dated_in_the_future():
    made = recommended()
    with pytest.raises(ValidationError):
        decided(made, StepKind.ACTIVIST, on=timezone.localdate() + timedelta(days=1))


def test_the_party_side_ends_a_cultivation_with_a_reason_and_her_former_status_returns():
    woman = village_woman()
    made = recommended(woman)
    decided(made, StepKind.ACTIVIST)
    with pytest.raises(ValidationError) as caught:
        services.cultivation_decide(actor=_persona("xiaoliu_branch"), recommendation=made,
                                    step=StepKind.NOT_ADMITTED, decided_on=date(2026, 5, 1), note="")
    assert "note" in caught.value.message_dict
    decided(made, StepKind.NOT_ADMITTED, on=date(2026, 5, 1), note="考察期间外出务工，本人申请暂缓")
    woman.refresh_from_db()
    made.refresh_from_db()
    assert made.stage == CultivationStage.NOT_ADMITTED and not made.is_open
    assert woman.political_status == PoliticalStatus.MASSES
    with pytest.raises(ValidationError):
        decided(made, StepKind.DEVELOPMENT, on=date(2026, 6, 1))


def test_a_probationary_member_not_confirmed_loses_the_branch_as_party_organisation():
    woman = village_woman()
    made = recommended(woman)
    for step in (StepKind.ACTIVIST, StepKind.DEVELOPMENT, StepKind.PROBATIONARY):
        decided(made, step)
    decided(made, StepKind.NOT_ADMITTED, note="预备期内不履行党员义务，支部大会决定取消预备党员资格")
    woman.refresh_from_db()
    assert woman.political_status == PoliticalStatus.MASSES and woman.party_organization is None


def test_a_woman_already_in_cultivation_or_a_party_member_is_not_recommended_again():
    woman = village_woman()
    recommended(woman)
    with pytest.raises(ValidationError) as caught:
        recommended(woman)
    assert "正在培养" in str(caught.value)
    member = village_woman()
    made = recommended(member)
    for step in (StepKind.ACTIVIST, StepKind.DEVELOPMENT, StepKind.PROBATIONARY):
        decided(made, step)
    member.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        recommended(member)
    assert "已是中共党员" in str(caught.value)


def test_a_recommendation_needs_its_reason_and_nothing_is_saved():
    before = Recommendation.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(actor=_persona("xiaoliu_women"), person=village_woman(), reason="好")
    assert "reason" in caught.value.message_dict
    assert Recommendation.objects.count() == before


def test_a_federation_cannot_recommend_a_woman_out_of_its_reach():
    with pytest.raises(ValidationError) as caught:
        recommended(village_woman("郭家村"), by="xiaoliu_women")
    assert "person" in caught.value.message_dict


def test_the_township_federation_recommends_to_the_branch_of_her_village_too(org):
    made = recommended(village_woman("郭家村"), by="taihua_fed")
    assert made.party_organization == org("中共郭家村支部委员会")
    assert made.organization == org("太华路街道妇联")


def test_the_federation_never_decides_a_step():
    made = recommended()
    for username in ("xiaoliu_women", "taihua_fed", "huayin_fed"):
        with pytest.raises(PermissionDenied):
            decided(made, StepKind.ACTIVIST, by=username)
    assert not CultivationStep.objects.filter(recommendation=made).exists()


def test_another_villages_branch_cannot_decide():
    made = recommended(village_woman("郭家村"), by="taihua_fed")
    with pytest.raises(PermissionDenied):
        decided(made, StepKind.ACTIVIST, by="xiaoliu_branch")


def test_the_street_party_committee_above_the_branch_may_decide():
    made = recommended()
    decided(made, StepKind.ACTIVIST, by="taihua_party")
    assert made.steps.get().decided_by_organization == _persona("taihua_party").acting.organization


def test_the_branch_is_told_of_a_recommendation_and_the_federation_of_each_step(
        org, django_capture_on_commit_callbacks):
    from gongjian.kernel.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        made = recommended()
    told = Notification.objects.get(code="development.recommendation.received", dedupe_key__endswith=f":{made.pk}:received")
    assert told.organization == org("中共小留村支部委员会") and made.person.name in told.message
    with django_capture_on_commit_callbacks(execute=True):
        decided(made, StepKind.ACTIVIST, on=date(2026, 4, 1))
    step = Notification.objects.get(code="development.recommendation.step", dedupe_key=f"recommendation:{made.pk}:activist")
    assert step.organization == org("小留村妇联") and "确定为入党积极分子" in step.message
    assert step.link == made.get_absolute_url()


# --- the kernel's authority for the party line's decision -------------------------------------

def test_the_branch_cannot_change_a_federation_line_woman_without_the_decision():
    woman = village_woman()
    with pytest.raises(PermissionDenied):
        kernel_services.person_update(actor=_persona("xiaoliu_branch"), person=woman,
                                      data={"political_status": PoliticalStatus.ACTIVIST})


def test_the_decision_authorises_her_political_standing_only():
    woman = village_woman()
    made = recommended(woman)
    branch = _persona("xiaoliu_branch")
    authority = ("development.decide_cultivation", made)
    with pytest.raises(PermissionDenied):
        kernel_services.person_update(actor=branch, person=woman, data={"mobile": "13900000000"}, authority=authority)
    other = village_woman()
    with pytest.raises(PermissionDenied):
        kernel_services.person_update(actor=branch, person=other, data={"political_status": "activist"},
                                      authority=authority)
    with pytest.raises(PermissionDenied):  # the federation holds no such permission on it
        kernel_services.person_update(actor=_persona("xiaoliu_women"), person=woman,
                                      data={"political_status": "activist"}, authority=authority)


# --- figures -------------------------------------------------------------------------------------

def test_figures_count_recommended_and_developed_per_township(org):
    taihua, lingsha = org("太华路街道妇联"), org("灵沙乡妇联")
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    ask = figures.Ask(organizations=[taihua, lingsha], start=start, end=end)
    source = {s.name: s for s in figures.sources()}["cultivation"]
    before = source.provide(ask)
    made = recommended(on=date(2026, 2, 1))
    for step in (StepKind.ACTIVIST, StepKind.DEVELOPMENT, StepKind.PROBATIONARY):
        decided(made, step, on=date(2026, 3, 1))
    after = source.provide(ask)

    def value(answer, org_id, code):
        return answer.get(org_id, {}).get(code, 0)

    assert value(after, taihua.pk, "recommended") == value(before, taihua.pk, "recommended") + 1
    assert value(after, taihua.pk, "developed") == value(before, taihua.pk, "developed") + 1
    assert value(after, taihua.pk, "activists") == value(before, taihua.pk, "activists") + 1
    assert value(after, lingsha.pk, "recommended") == value(before, lingsha.pk, "recommended")


def test_the_county_reads_the_developed_women_of_each_township_through_the_figures(org):
    made = recommended(on=date(2026, 2, 1))
    for step in (StepKind.ACTIVIST, StepKind.DEVELOPMENT, StepKind.PROBATIONARY):
        decided(made, step, on=date(2026, 3, 1))
    county = _persona("huayin_fed").acting.organization
    taihua = org("太华路街道妇联")
    values = figures.read(user=_persona("huayin_fed"), organizations=[county, taihua], start=date(2026, 1, 1),
                          end=date(2026, 12, 31), codes=["cultivation.recommended", "cultivation.developed"])
    assert set(values[taihua.pk]) == {"cultivation.recommended", "cultivation.developed"}
    assert values[taihua.pk]["cultivation.developed"] >= 1
    assert values[county.pk]["cultivation.developed"] >= values[taihua.pk]["cultivation.developed"]
    assert "cultivation.developed" in dict(figures.catalogue())


def test_figures_are_read_for_a_township_lead_in_constant_queries(org, django_assert_max_num_queries):
    ask_orgs = list(Organization.objects.filter(kind__in=Organization.FEDERATION_KINDS))
    ask = figures.Ask(organizations=ask_orgs, start=date(2020, 1, 1), end=date(2026, 12, 31))
    source = {s.name: s for s in figures.sources()}["cultivation"]
    with django_assert_max_num_queries(3):
        source.provide(ask)


def test_the_demo_has_two_women_of_xiaoliu_recommended_one_now_a_development_target(org):
    rows = Recommendation.objects.filter(organization=org("小留村妇联"),
                                         party_organization=org("中共小留村支部委员会"),
                                         created_by__username="xiaoliu_women")
    assert rows.count() == 2
    target = rows.get(stage=CultivationStage.DEVELOPMENT)
    assert target.person.political_status == PoliticalStatus.DEVELOPMENT_TARGET
    assert [s.step for s in target.steps.all()] == ["activist", "development"]


def _persona(username):
    from gongjian.kernel.tests.matrix import persona

    return persona(username)
