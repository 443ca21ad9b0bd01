"""Plans due upward: submitting, on time or late (a campaign entered after the fact too),
returned with a reason and resubmitted, accepted; history kept; reminders before and after."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from gongjian.campaigns.demo import HUAYIN_TITLE, PINGLUO_TITLE, demo_campaign
from gongjian.campaigns.models import PlanStatus
from gongjian.campaigns.selectors import campaign as selectors
from gongjian.campaigns.services import campaign as services
from gongjian.campaigns.tests.factories import issued_campaign, plan_of
from gongjian.kernel.models import AuditEvent, Notification, Organization

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def test_a_plan_sent_by_the_due_day_is_on_time(acting):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"),
                                title="方案", at=_at(date(2026, 3, 20)))
    assert plan.status == PlanStatus.ON_TIME


def test_a_plan_sent_after_the_due_day_is_late(acting):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"),
                                title="方案", at=_at(date(2026, 3, 21)))
    assert plan.status == PlanStatus.LATE


def test_a_campaign_entered_after_the_fact_shows_plans_sent_now_as_late(acting):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2010, 11, 1), starts_on=date(2010, 10, 1),
                               ends_on=None)
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案")
    assert plan.status == PlanStatus.LATE
    board = {p["organization_name"]: p["status"] for p in selectors.plan_board(user=acting("huayin_fed"),
                                                                              campaign=campaign)}
    assert board == {"太华路街道妇联": "late", "罗敷镇妇联": "missing"}


def test_the_demo_shows_taihua_on_time_luofu_missing_and_lingsha_late_against_2010(acting):
    huayin = demo_campaign(HUAYIN_TITLE)
    board = {p["organization_name"]: p["status"] for p in selectors.plan_board(user=acting("huayin_fed"),
                                                                              campaign=huayin)}
    assert board == {"太华路街道妇联": "on_time", "罗敷镇妇联": "missing"}
    taihua = plan_of(huayin, "太华路街道妇联")
    assert taihua.leading_group.kind == Organization.Kind.LEADING_GROUP
    assert taihua.leading_group.positions.filter(title="组长").exists()
    pingluo = demo_campaign(PINGLUO_TITLE)
    lingsha = plan_of(pingluo, "灵沙乡妇联")
    assert lingsha.first_submitted_on == date(2011, 4, 20) and lingsha.status == PlanStatus.LATE


def test_a_returned_plan_is_resubmitted_and_its_history_kept(acting, django_capture_on_commit_callbacks):
    county, township = acting("huayin_fed"), acting("taihua_fed")
    campaign = issued_campaign(county, plan_due=date(2026, 3, 20))
    plan = services.plan_submit(actor=township, plan=plan_of(campaign, "太华路街道妇联"), title="初稿",
                                at=_at(date(2026, 3, 25)),
                                uploads=[SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")])
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_return(actor=county, plan=plan, reason="请补充领导小组名单")
    assert plan.status == PlanStatus.RETURNED
    assert Notification.objects.filter(organization=plan.organization, code="campaigns.plan.returned").exists()
    plan = services.plan_submit(actor=township, plan=plan, title="修改稿", at=_at(date(2026, 3, 28)))
    assert plan.status == PlanStatus.LATE  # judged by the day it first came in
    assert plan.first_submitted_on == date(2026, 3, 25) and plan.revision == 2
    revisions = list(selectors.revisions_of(plan))
    assert [(r.number, r.title, r.outcome) for r in revisions] == [(2, "修改稿", ""), (1, "初稿", "returned")]
    assert revisions[1].review_reason == "请补充领导小组名单"
    # The file of the first submission comes along when none is sent again.
    assert [a.file.original_name for a in revisions[0].attachments.all()] == ["方案.pdf"]
    plan = services.plan_accept(actor=county, plan=plan)
    assert plan.status == PlanStatus.ACCEPTED
    events = list(AuditEvent.objects.filter(object_id=str(plan.pk), event__startswith="campaigns.plan.")
                  .values_list("event", flat=True))
    assert sorted(events) == sorted(["campaigns.plan.submitted", "campaigns.plan.returned",
                                     "campaigns.plan.submitted", "campaigns.plan.accepted"])


def test_a_plan_is_returned_only_with_a_reason(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案")
    with pytest.raises(ValidationError):
        services.plan_return(actor=acting("huayin_fed"), plan=plan, reason=" ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.LATE  # as it was: today is after the factory's plan_due


def test_a_plan_not_yet_sent_cannot_be_returned_or_accepted(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    with pytest.raises(ValidationError):
        services.plan_accept(actor=acting("huayin_fed"), plan=plan_of(campaign, "罗敷镇妇联"))


def test_an_accepted_plan_is_not_submitted_again(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案")
    services.plan_accept(actor=acting("huayin_fed"), plan=plan)
    with pytest.raises(ValidationError):
        services.plan_submit(actor=acting("taihua_fed"), plan=plan, title="再报")


def test_a_township_cannot_submit_another_townships_plan_nor_review_its_own(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "罗敷镇妇联"), title="方案")
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案")
    with pytest.raises(PermissionDenied):
        services.plan_accept(actor=acting("taihua_fed"), plan=plan)


def test_the_leading_group_must_be_set_up_under_the_submitting_organisation(acting, org):
    campaign = issued_campaign(acting("huayin_fed"))
    with pytest.raises(ValidationError) as caught:
        services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                             leading_group=org("太华路街道党务公开工作领导小组"))
    assert "leading_group" in caught.value.error_dict


def test_a_plan_without_a_title_or_with_a_disguised_file_is_refused_and_nothing_saved(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    plan = plan_of(campaign, "太华路街道妇联")
    with pytest.raises(ValidationError):
        services.plan_submit(actor=acting("taihua_fed"), plan=plan, title="")
    with pytest.raises(ValidationError):
        services.plan_submit(actor=acting("taihua_fed"), plan=plan, title="方案",
                             uploads=[SimpleUploadedFile("方案.pdf", b"MZ\x90\x00not a pdf")])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.MISSING and plan.revisions.count() == 0


def test_no_plan_is_taken_for_a_closed_campaign(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    services.campaign_close(actor=acting("huayin_fed"), campaign=campaign)
    with pytest.raises(ValidationError):
        services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案")


def test_the_board_counts_each_status_and_filters_by_it(acting):
    county = acting("huayin_fed")
    campaign = issued_campaign(county, plan_due=date(2026, 3, 20))
    services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                         at=_at(date(2026, 3, 1)))
    campaign.refresh_from_db()
    counts = selectors.plan_counts(user=county, campaign=campaign)
    assert (counts.on_time, counts.late, counts.missing, counts.returned, counts.accepted) == (1, 0, 1, 0, 0)
    missing = selectors.plan_board(user=county, campaign=campaign, status="missing")
    assert [p["organization_name"] for p in missing] == ["罗敷镇妇联"]


def test_the_counts_kept_on_the_campaign_match_the_plans_after_every_write(acting):
    from gongjian.kernel import access
    from gongjian.kernel.models import Organization

    county, township = acting("huayin_fed"), acting("taihua_fed")
    campaign = issued_campaign(county, plan_due=date(2026, 3, 20))
    plan = services.plan_submit(actor=township, plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                                at=_at(date(2026, 3, 1)))
    services.plan_return(actor=county, plan=plan, reason="请补充")
    services.plan_submit(actor=township, plan=plan, title="方案二")
    campaign.refresh_from_db()
    # The county reaches the issuer: it reads the kept counts; a count over the plans agrees.
    assert access.may(county, Organization.objects.get(pk=campaign.organization_id),
                      reach=access.reach_of(type(plan)))
    kept = selectors.plan_counts(user=county, campaign=campaign)
    counted = {row["status"]: row["n"] for row in
               type(plan).objects.filter(campaign=campaign).values("status").annotate(n=Count("*"))}
    assert {s: n for s, _label, n in kept.items() if n} == counted == {"on_time": 1, "missing": 1}


def test_a_township_sees_only_its_own_row_of_the_countys_board(acting):
    campaign = issued_campaign(acting("huayin_fed"))
    rows = selectors.plan_board(user=acting("taihua_fed"), campaign=campaign)
    assert [p["organization_name"] for p in rows] == ["太华路街道妇联"]
    assert selectors.plan_counts(user=acting("taihua_fed"), campaign=campaign).total == 1


# --- reminders ----------------------------------------------------------------------------------


def _reminders(org: Organization) -> list[str]:
    return list(Notification.objects.filter(organization=org, code="campaigns.plan.reminder")
                .values_list("dedupe_key", flat=True))


def test_the_missing_are_reminded_before_the_due_day_once_however_often_the_sweep_runs(acting, org):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                         at=_at(date(2026, 3, 10)))
    assert services.plans_remind(today=date(2026, 3, 10)) == 0
    sent = services.plans_remind(today=date(2026, 3, 18))
    again = services.plans_remind(today=date(2026, 3, 19))
    assert sent >= 1 and again == 0
    assert len([k for k in _reminders(org("罗敷镇妇联")) if k.startswith(f"campaigns.plan.due:{campaign.pk}:")]) == 1
    assert not [k for k in _reminders(org("太华路街道妇联")) if f":{campaign.pk}:" in k]


def test_the_missing_are_reminded_after_the_due_day_weekly(acting, org):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20))
    services.plans_remind(today=date(2026, 3, 21))
    services.plans_remind(today=date(2026, 3, 25))
    services.plans_remind(today=date(2026, 3, 28))
    keys = [k for k in _reminders(org("罗敷镇妇联")) if k.startswith(f"campaigns.plan.overdue:{campaign.pk}:")]
    assert len(keys) == 2


def test_no_reminder_goes_out_for_a_campaign_that_has_ended(acting, org):
    campaign = issued_campaign(acting("huayin_fed"), plan_due=date(2026, 3, 20), ends_on=date(2026, 6, 30))
    services.plans_remind(today=date(2026, 7, 1))
    assert not [k for k in _reminders(org("罗敷镇妇联")) if f":{campaign.pk}:" in k]


def test_the_sweep_command_sends_the_reminders(acting, org):
    from io import StringIO

    from django.core.management import call_command

    today = timezone.localdate()  # a campaign running today, its plans due today
    campaign = issued_campaign(acting("huayin_fed"), plan_due=today, starts_on=today - timedelta(days=30),
                               ends_on=today + timedelta(days=60))
    out = StringIO()
    call_command("campaigns_sweep", stdout=out)
    assert "提醒" in out.getvalue()
    assert [k for k in _reminders(org("罗敷镇妇联")) if f":{campaign.pk}:" in k]


def test_moving_plan_due_rejudges_the_plans_waiting_for_review(acting):
    from gongjian.campaigns.tests.factories import FOUR_PHASES

    county = acting("huayin_fed")
    campaign = issued_campaign(county, plan_due=date(2026, 3, 20))
    plan = services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                                at=_at(date(2026, 3, 25)))
    assert plan.status == PlanStatus.LATE
    services.campaign_update(actor=county, campaign=campaign, data={"plan_due": date(2026, 3, 31)},
                             phases=FOUR_PHASES)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_TIME


# --- figures and demo ---------------------------------------------------------------------------


def test_the_campaigns_figures_count_plans_per_subtree_in_constant_queries(acting, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjian.kernel import figures

    county = acting("huayin_fed")
    campaign = issued_campaign(county, plan_due=date(2026, 3, 20))
    services.plan_submit(actor=acting("taihua_fed"), plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                         at=_at(date(2026, 3, 25)))
    asked = [org("华阴市妇联"), org("太华路街道妇联"), org("罗敷镇妇联")]
    source = next(s for s in figures.sources() if s.name == "campaigns")
    year = (date(2026, 1, 1), date(2026, 12, 31))
    with CaptureQueriesContext(connection) as one:
        source.provide(figures.Ask(organizations=asked[:1], start=year[0], end=year[1]))
    with CaptureQueriesContext(connection) as three:
        answer = source.provide(figures.Ask(organizations=asked, start=year[0], end=year[1]))
    assert len(one) == len(three) <= 3
    # 太华路's demo plan (on time, 3-15) and this one (late, 3-25) count for the street and the county.
    assert answer[org("太华路街道妇联").pk] == {"plans_submitted": 2, "plans_on_time": 1}
    assert answer[org("华阴市妇联").pk] == {"plans_submitted": 2, "plans_on_time": 1}
    assert answer[org("罗敷镇妇联").pk] == {"plans_submitted": 0, "plans_on_time": 0}
    read = figures.read_one(user=county, organization=org("华阴市妇联"), start=date(2026, 1, 1),
                            end=date(2026, 12, 31), codes=["campaigns.plans_submitted"])
    assert [(f.code, f.value) for f in read] == [("campaigns.plans_submitted", 2)]


def test_loading_the_demo_again_adds_nothing(org):
    from gongjian.campaigns.demo import load_campaigns
    from gongjian.campaigns.models import Campaign, PlanRevision, PlanSubmission
    from gongjian.kernel.models import Position

    before = (Campaign.objects.count(), PlanSubmission.objects.count(), PlanRevision.objects.count(),
              Organization.objects.count(), Position.objects.count())
    load_campaigns(None)
    after = (Campaign.objects.count(), PlanSubmission.objects.count(), PlanRevision.objects.count(),
             Organization.objects.count(), Position.objects.count())
    assert after == before
    group = org("太华路街道妇联创先争优活动领导小组")
    assert sorted(group.positions.values_list("title", flat=True)) == ["副组长", "成员", "成员", "组长"]


def test_a_returned_plan_not_sent_again_is_reminded_weekly_and_no_more_once_resubmitted(acting, org):
    county, township = acting("huayin_fed"), acting("taihua_fed")
    # The plan is returned today: the campaign runs past the three weeks of reminders looked at.
    campaign = issued_campaign(county, plan_due=date(2026, 3, 20), ends_on=timezone.localdate() + timedelta(days=60))
    plan = services.plan_submit(actor=township, plan=plan_of(campaign, "太华路街道妇联"), title="方案",
                                at=_at(date(2026, 3, 1)))
    services.plan_return(actor=county, plan=plan, reason="请补充领导小组名单")
    plan.refresh_from_db()
    returned_on = timezone.localdate(plan.reviewed_at)

    def returned_keys() -> list[str]:
        return [k for k in _reminders(org("太华路街道妇联")) if k.startswith(f"campaigns.plan.returned:{plan.pk}:")]

    services.plans_remind(today=returned_on + timedelta(days=3))
    assert returned_keys() == []  # she was told at the return; a week's grace
    services.plans_remind(today=returned_on + timedelta(days=7))
    services.plans_remind(today=returned_on + timedelta(days=8))
    assert len(returned_keys()) == 1
    services.plans_remind(today=returned_on + timedelta(days=14))
    assert len(returned_keys()) == 2
    services.plan_submit(actor=township, plan=plan, title="方案（修改稿）")
    services.plans_remind(today=returned_on + timedelta(days=21))
    assert len(returned_keys()) == 2
