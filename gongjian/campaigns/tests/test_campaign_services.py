"""Campaigns: drafting, issuing (one plan per target), closing, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.campaigns.models import Campaign, CampaignState, PlanStatus, PlanSubmission
from gongjian.campaigns.services import campaign as services
from gongjian.campaigns.tests.factories import FOUR_PHASES, draft_campaign, issued_campaign
from gongjian.kernel.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def test_a_county_drafts_a_campaign_with_its_four_phases_and_a_party_co_issuer(acting, org):
    campaign = draft_campaign(acting("huayin_fed"), co_issuers=[org("中共华阴市委员会")])
    assert campaign.state == CampaignState.DRAFT
    assert campaign.organization == org("华阴市妇联")
    assert [p.name for p in campaign.phases.all()] == [p["name"] for p in FOUR_PHASES]
    assert list(campaign.co_organizations.all()) == [org("中共华阴市委员会")]
    assert AuditEvent.objects.filter(event="campaigns.campaign.created", object_id=str(campaign.pk)).exists()


def test_the_current_phase_is_the_one_running_on_the_day(acting):
    campaign = draft_campaign(acting("huayin_fed"))
    assert campaign.current_phase(date(2026, 5, 1)).name == "全面争创，扎实推进"
    assert campaign.current_phase(date(2027, 1, 1)) is None


def test_issuing_makes_one_plan_per_target_township_and_tells_each(acting, org,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = issued_campaign(acting("huayin_fed"))
    plans = PlanSubmission.objects.filter(campaign=campaign)
    assert {p.organization.name for p in plans} == {"太华路街道妇联", "罗敷镇妇联"}
    assert all(p.status == PlanStatus.MISSING for p in plans)
    assert Notification.objects.filter(organization=org("罗敷镇妇联"), code="campaigns.campaign.issued").exists()


def test_targets_may_be_named_one_by_one(acting, org):
    campaign = issued_campaign(acting("huayin_fed"), target_kinds=[], targets=[org("太华路街道妇联")])
    assert [p.organization.name for p in campaign.plans.all()] == ["太华路街道妇联"]


def test_village_targets_reach_every_village_below_the_issuer(acting, org):
    campaign = issued_campaign(acting("taihua_fed"), target_kinds=["village_fed"])
    names = set(campaign.plans.values_list("organization__name", flat=True))
    assert "小留村妇联" in names and "郭家村妇联" in names
    assert all(org(n).path.startswith(org("太华路街道妇联").path) for n in names)


def test_a_co_issuer_must_be_the_party_committee_of_the_same_place(acting, org):
    with pytest.raises(ValidationError) as caught:
        draft_campaign(acting("huayin_fed"), co_issuers=[org("中共平罗县委员会")])
    assert "co_organizations" in caught.value.error_dict


def test_a_named_target_must_lie_below_the_issuer(acting, org):
    with pytest.raises(ValidationError) as caught:
        draft_campaign(acting("huayin_fed"), target_kinds=[], targets=[org("灵沙乡妇联")])
    assert "target_organizations" in caught.value.error_dict


def test_a_campaign_without_a_title_or_with_dates_backwards_is_refused_and_nothing_saved(acting):
    before = Campaign.objects.count()
    with pytest.raises(ValidationError) as caught:
        draft_campaign(acting("huayin_fed"), title=" ", ends_on=date(2026, 1, 1))
    assert {"title", "ends_on"} <= set(caught.value.error_dict)
    assert Campaign.objects.count() == before


def test_a_phase_ending_before_it_starts_is_refused(acting):
    user = acting("huayin_fed")
    with pytest.raises(ValidationError) as caught:
        services.campaign_create(actor=user, data={"title": "t", "starts_on": date(2026, 3, 1)}, phases=[
            {"name": "一", "starts_on": date(2026, 3, 5), "ends_on": date(2026, 3, 1), "tasks": ""}])
    assert "phases" in caught.value.error_dict


def test_a_party_committee_cannot_run_a_campaign_of_its_own(acting):
    with pytest.raises(PermissionDenied):
        draft_campaign(acting("taihua_party"))


def test_a_county_cannot_issue_a_townships_campaign(acting):
    campaign = draft_campaign(acting("taihua_fed"))
    with pytest.raises(PermissionDenied):
        services.campaign_issue(actor=acting("huayin_fed"), campaign=campaign)


def test_a_campaign_with_no_targets_cannot_be_issued(acting):
    campaign = draft_campaign(acting("huayin_fed"), target_kinds=[])
    with pytest.raises(ValidationError):
        services.campaign_issue(actor=acting("huayin_fed"), campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT


def test_an_issued_campaign_keeps_its_targets_and_phases_but_its_text_may_be_corrected(acting):
    user = acting("huayin_fed")
    campaign = issued_campaign(user)
    services.campaign_update(actor=user, campaign=campaign, data={"title": "改过的名称", "target_kinds": ["village_fed"]},
                             phases=FOUR_PHASES)
    campaign.refresh_from_db()
    assert campaign.title == "改过的名称"
    assert campaign.target_kinds == ["township_fed"]
    with pytest.raises(ValidationError):
        services.campaign_update(actor=user, campaign=campaign, data={}, phases=FOUR_PHASES[:2])
    assert campaign.phases.count() == 4


def test_a_closed_campaign_is_not_issued_again_nor_edited(acting):
    user = acting("huayin_fed")
    campaign = issued_campaign(user)
    services.campaign_close(actor=user, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_issue(actor=user, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_update(actor=user, campaign=campaign, data={"title": "x"}, phases=FOUR_PHASES)
