"""督查指导: visits of a superior to an organisation strictly below it, follow-ups answered below
and confirmed above with deadlines and reminders, meeting records and research reports."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongjian.campaigns.demo import HUAYIN_TITLE, PINGLUO_TITLE, demo_campaign
from gongjian.campaigns.models import (
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingKind,
    ResearchReport,
    SupervisionVisit,
)
from gongjian.campaigns.services import supervision as services
from gongjian.campaigns.tests import factories
from gongjian.kernel import access, deadlines
from gongjian.kernel.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_the_county_records_a_visit_to_a_township(acting, org):
    visit = factories.visit(acting("huayin_fed"), org("太华路街道妇联"), campaign=demo_campaign(HUAYIN_TITLE))
    assert visit.organization == org("华阴市妇联")
    assert AuditEvent.objects.filter(event="campaigns.visit.recorded", object_id=str(visit.pk)).exists()


@pytest.mark.parametrize(("visitor", "visited"), [
    ("huayin_fed", "华阴市妇联"),       # itself
    ("taihua_fed", "华阴市妇联"),       # upward
    ("taihua_fed", "罗敷镇妇联"),       # sideways
    ("huayin_fed", "灵沙乡妇联"),       # another county
    ("taihua_party", "小留村妇联"),     # another line's tree
])
def test_a_visit_goes_only_strictly_below_the_visitor(acting, org, visitor, visited):
    before = SupervisionVisit.objects.count()
    with pytest.raises(ValidationError) as caught:
        factories.visit(acting(visitor), org(visited))
    assert "visited" in caught.value.error_dict
    assert SupervisionVisit.objects.count() == before


def test_a_visit_needs_findings_and_a_past_date(acting, org):
    with pytest.raises(ValidationError) as caught:
        factories.visit(acting("taihua_fed"), org("小留村妇联"), findings=" ", visited_on=today() + timedelta(days=1))
    assert set(caught.value.error_dict) == {"findings", "visited_on"}


def test_a_visit_cannot_name_a_campaign_out_of_reach(acting, org):
    with pytest.raises(PermissionDenied):
        factories.visit(acting("huayin_fed"), org("太华路街道妇联"), campaign=demo_campaign(PINGLUO_TITLE))


def test_a_followup_is_answered_below_and_confirmed_above(acting, org):
    county, street = acting("huayin_fed"), acting("taihua_fed")
    visit = factories.visit(county, org("太华路街道妇联"))
    followup = factories.followup(county, visit, item="补齐学习心得台账")
    with pytest.raises(PermissionDenied):
        services.followup_answer(actor=county, followup=followup, answer="已完成")
    answered = services.followup_answer(actor=street, followup=followup, answer="已补齐各村心得台账。")
    assert answered.state == FollowUpState.ANSWERED and answered.answered_on == today()
    assert answered.due_status() == deadlines.DueStatus.ON_TIME
    with pytest.raises(PermissionDenied):
        services.followup_confirm(actor=street, followup=answered)
    confirmed = services.followup_confirm(actor=county, followup=answered)
    assert confirmed.state == FollowUpState.CONFIRMED and confirmed.confirmed_by == county
    with pytest.raises(ValidationError):
        services.followup_answer(actor=street, followup=confirmed, answer="再次反馈")


def test_the_visitor_returns_an_answer_with_a_reason(acting, org):
    county, street = acting("huayin_fed"), acting("taihua_fed")
    followup = factories.followup(county, factories.visit(county, org("太华路街道妇联")))
    answered = services.followup_answer(actor=street, followup=followup, answer="已整改。")
    with pytest.raises(ValidationError):
        services.followup_return(actor=county, followup=answered, reason=" ")
    returned = services.followup_return(actor=county, followup=answered, reason="请附上台账照片。")
    assert returned.state == FollowUpState.OPEN and returned.return_reason == "请附上台账照片。"
    again = services.followup_answer(actor=street, followup=returned, answer="已上传照片。")
    assert again.state == FollowUpState.ANSWERED


def test_answers_and_returns_notify_the_other_side_after_commit(acting, org, django_capture_on_commit_callbacks):
    county, street = acting("huayin_fed"), acting("taihua_fed")
    with django_capture_on_commit_callbacks(execute=True):
        followup = factories.followup(county, factories.visit(county, org("太华路街道妇联")), item="整改通知测试")
    assert Notification.objects.filter(organization=org("太华路街道妇联"), code="campaigns.followup.added",
                                       link=followup.get_absolute_url()).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.followup_answer(actor=street, followup=followup, answer="已完成。")
    assert Notification.objects.filter(organization=org("华阴市妇联"), code="campaigns.followup.answered",
                                       link=followup.get_absolute_url()).exists()


def test_a_followup_cannot_be_due_before_the_visit(acting, org):
    visit = factories.visit(acting("huayin_fed"), org("太华路街道妇联"), visited_on=today() - timedelta(days=5))
    with pytest.raises(ValidationError) as caught:
        factories.followup(acting("huayin_fed"), visit, due_on=today() - timedelta(days=6))
    assert "due_on" in caught.value.error_dict


def test_only_the_visitor_adds_followups(acting, org):
    visit = factories.visit(acting("huayin_fed"), org("太华路街道妇联"))
    with pytest.raises(PermissionDenied):
        factories.followup(acting("taihua_fed"), visit)


def test_the_visit_is_not_seen_by_the_villages_below_the_visited_township(acting, org):
    visit = factories.visit(acting("huayin_fed"), org("太华路街道妇联"))
    seen = {name for name in ("huayin_fed", "taihua_fed", "xiaoliu_women", "lingsha_fed", "taihua_party")
            if access.may(acting(name), visit)}
    assert seen == {"huayin_fed", "taihua_fed"}


# --- overdue and reminders ----------------------------------------------------------------------

def test_the_demo_visit_has_one_overdue_followup(org):
    visit = SupervisionVisit.objects.get(organization=org("华阴市妇联"), visited=org("太华路街道妇联"),
                                         campaign=demo_campaign(HUAYIN_TITLE))
    statuses = sorted(f.is_overdue for f in visit.followups.all())
    assert statuses == [False, True]


def test_the_sweep_reminds_of_overdue_and_soon_due_followups_once(acting, org):
    county = acting("huayin_fed")
    visit = factories.visit(county, org("太华路街道妇联"), visited_on=today() - timedelta(days=20))
    overdue = factories.followup(county, visit, due_on=today() - timedelta(days=2), item="逾期事项")
    soon = factories.followup(county, visit, due_on=today() + timedelta(days=1), item="将到期事项")
    later = factories.followup(county, visit, due_on=today() + timedelta(days=30), item="远期事项")
    assert overdue.is_overdue and not soon.is_overdue
    assert services.followups_remind() >= 3
    street, visitor = org("太华路街道妇联"), org("华阴市妇联")
    assert Notification.objects.filter(organization=street, dedupe_key__startswith=f"followup:{overdue.pk}:overdue").exists()
    assert Notification.objects.filter(organization=visitor, dedupe_key__startswith=f"followup:{overdue.pk}:overdue-visitor").exists()
    assert Notification.objects.filter(organization=street, dedupe_key__startswith=f"followup:{soon.pk}:due").exists()
    assert not Notification.objects.filter(dedupe_key__startswith=f"followup:{later.pk}:").exclude(
        code="campaigns.followup.added").exists()
    assert services.followups_remind() == 0


def test_an_answered_followup_is_not_reminded(acting, org):
    county = acting("huayin_fed")
    visit = factories.visit(county, org("太华路街道妇联"), visited_on=today() - timedelta(days=20))
    followup = factories.followup(county, visit, due_on=today() - timedelta(days=1))
    answered = services.followup_answer(actor=acting("taihua_fed"), followup=followup, answer="已完成。")
    assert answered.due_status() == deadlines.DueStatus.LATE
    services.followups_remind()
    assert not Notification.objects.filter(dedupe_key__startswith=f"followup:{followup.pk}:overdue").exists()


def test_the_sweep_command_reports_what_it_sent():
    out = StringIO()
    call_command("campaigns_supervision_sweep", stdout=out)
    assert out.getvalue().startswith("整改提醒 ")
    again = StringIO()
    call_command("campaigns_supervision_sweep", stdout=again)
    assert again.getvalue().strip() == "整改提醒 0 条"


# --- meetings and reports -----------------------------------------------------------------------

def meeting_data(**extra):
    return {"kind": MeetingKind.SYMPOSIUM, "title": "村妇联主任座谈会", "held_on": today(),
            "place": "街道会议室", "minutes": "交流创先争优做法。", "head_count": 12, **extra}


def test_a_meeting_is_recorded_with_named_attendees_in_reach(acting, org):
    street = acting("taihua_fed")
    people = [acting("xiaoliu_women").person, acting("guojia_women").person]
    meeting = services.meeting_record(actor=street, data=meeting_data(), attendees=people)
    assert meeting.organization == org("太华路街道妇联")
    assert set(meeting.attendees.all()) == set(people)


def test_a_meeting_with_more_names_than_heads_is_refused(acting):
    people = [acting("xiaoliu_women").person, acting("guojia_women").person]
    with pytest.raises(ValidationError) as caught:
        services.meeting_record(actor=acting("taihua_fed"), data=meeting_data(head_count=1), attendees=people)
    assert "head_count" in caught.value.error_dict


def test_a_meeting_attendee_out_of_reach_is_refused(acting):
    before = Meeting.objects.count()
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=acting("taihua_fed"), data=meeting_data(),
                                attendees=[acting("lingsha_fed").person])
    assert Meeting.objects.count() == before


@pytest.mark.parametrize(("field", "extra"), [
    ("kind", {"kind": "party"}), ("minutes", {"minutes": ""}), ("head_count", {"head_count": 0}),
    ("held_on", {"held_on": None}),
])
def test_a_bad_meeting_is_refused(acting, field, extra):
    with pytest.raises(ValidationError) as caught:
        services.meeting_record(actor=acting("taihua_fed"), data=meeting_data(**extra))
    assert field in caught.value.error_dict


def test_a_report_needs_a_body_or_an_attachment(acting):
    with pytest.raises(ValidationError) as caught:
        services.report_write(actor=acting("taihua_fed"), data={"title": "调研", "written_on": today()})
    assert "body" in caught.value.error_dict
    report = services.report_write(actor=acting("taihua_fed"), data={"title": "调研", "written_on": today(),
                                                                      "body": "调研正文"})
    assert ResearchReport.objects.filter(pk=report.pk).exists()


# --- pages ----------------------------------------------------------------------------------------

def test_the_street_answers_a_followup_on_its_page(login, acting, org):
    county = acting("huayin_fed")
    followup = factories.followup(county, factories.visit(county, org("太华路街道妇联")), item="页面整改事项")
    client = login("taihua_fed")
    page = client.get(followup.get_absolute_url()).content.decode()
    assert "反馈整改情况" in page and "确认整改完成" not in page
    empty = client.post(f"/work/campaigns/supervision/followups/{followup.pk}/answer/", {"answer": ""}, follow=True)
    assert "请填写整改情况。" in empty.content.decode()
    client.post(f"/work/campaigns/supervision/followups/{followup.pk}/answer/", {"answer": "已整改到位。"})
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.ANSWERED
    county_page = login("huayin_fed").get(followup.get_absolute_url()).content.decode()
    assert "确认整改完成" in county_page and "已整改到位。" in county_page
    login("huayin_fed").post(f"/work/campaigns/supervision/followups/{followup.pk}/confirm/")
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.CONFIRMED


def test_the_street_home_lists_what_it_must_answer_with_the_overdue_marked(login):
    body = login("taihua_fed").get("/work/campaigns/supervision/").content.decode()
    assert 'id="to-answer"' in body and "已逾期" in body


def test_the_county_records_a_visit_and_adds_a_followup_through_the_pages(login, org):
    client = login("huayin_fed")
    response = client.post("/work/campaigns/supervision/visits/new/", {
        "visited": org("罗敷镇妇联").pk, "visited_on": today().isoformat(), "findings": "方案未报送。"})
    visit = SupervisionVisit.objects.get(visited=org("罗敷镇妇联"), findings="方案未报送。")
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    client.post(f"/work/campaigns/supervision/visits/{visit.pk}/followups/", {
        "item": "一周内报送活动方案", "due_on": (today() + timedelta(days=7)).isoformat()})
    assert visit.followups.get().item == "一周内报送活动方案"


def test_a_visit_to_an_organisation_out_of_reach_is_refused_on_the_page(login, org):
    before = SupervisionVisit.objects.count()
    response = login("taihua_fed").post("/work/campaigns/supervision/visits/new/", {
        "visited": org("华阴市妇联").pk, "visited_on": today().isoformat(), "findings": "越级"})
    assert response.status_code == 400 and "被督查的须是本组织下级的组织。" in response.content.decode()
    assert SupervisionVisit.objects.count() == before


def test_the_meeting_page_saves_a_meeting_with_attendees(login, acting):
    director = acting("xiaoliu_women").person
    response = login("taihua_fed").post("/work/campaigns/supervision/meetings/new/", {
        "kind": MeetingKind.PROGRESS, "title": "街道推进会", "held_on": today().isoformat(), "head_count": 30,
        "minutes": "部署下一阶段工作。", "attendees": [director.pk]})
    meeting = Meeting.objects.get(title="街道推进会")
    assert response.status_code == 302
    assert list(meeting.attendees.all()) == [director]
    assert director.name in login("taihua_fed").get(meeting.get_absolute_url()).content.decode()


def test_supervision_records_out_of_reach_are_404(login, acting, org):
    visit = SupervisionVisit.objects.get(organization=org("华阴市妇联"), visited=org("太华路街道妇联"),
                                         campaign=demo_campaign(HUAYIN_TITLE))
    followup = visit.followups.first()
    assert followup is not None
    report = ResearchReport.objects.get(organization=org("太华路街道妇联"))
    meeting = Meeting.objects.filter(organization=org("华阴市妇联")).first()
    assert meeting is not None
    village, other = login("xiaoliu_women"), login("lingsha_fed")
    for client in (village, other):
        assert client.get(visit.get_absolute_url()).status_code == 404
        assert client.get(followup.get_absolute_url()).status_code == 404
        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert client.post(f"/work/campaigns/supervision/followups/{followup.pk}/confirm/").status_code in (403, 404)
    assert other.get(report.get_absolute_url()).status_code == 404
    assert village.get(report.get_absolute_url()).status_code == 404
    assert login("huayin_fed").get(report.get_absolute_url()).status_code == 200


def test_loading_the_demo_again_adds_no_study_or_supervision_records():
    from gongjian.campaigns import demo
    from gongjian.campaigns.models import StudyDocument, StudyNote

    models = (StudyDocument, StudyNote, SupervisionVisit, FollowUp, Meeting, ResearchReport)
    before = [m.objects.count() for m in models]
    assert all(before)
    demo.load_study(None)
    demo.load_supervision(None)
    assert [m.objects.count() for m in models] == before
