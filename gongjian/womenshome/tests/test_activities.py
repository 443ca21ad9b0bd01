"""Sites, teams, activities, photos and attendance: recorded, validated in Chinese, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.kernel.models import AuditEvent, Person
from gongjian.womenshome import selectors, services
from gongjian.womenshome.models import (
    Activity,
    ActivityPhoto,
    Attendance,
    SiteStatus,
    Team,
    WomensHome,
)

from .factories import activity_data, make_activity, png, residents

pytestmark = pytest.mark.django_db


def test_a_village_director_records_a_training_on_her_phone(login, org):
    client = login("xiaoliu_women")
    site = WomensHome.objects.get(organization=org("小留村妇联"))
    response = client.post("/work/womenshome/activities/new/", {
        "organization": org("小留村妇联").pk, "kind": "agri_training", "title": "苹果套袋技术培训",
        "date": "2026-11-18", "site": site.pk, "place": "村委会", "partners": ["agriculture", "party_school"],
        "hours": "2.5", "summary": "讲解套袋时机。", "attendance_mode": "person"})
    assert response.status_code == 302
    activity = Activity.objects.get(title="苹果套袋技术培训")
    assert activity.month == date(2026, 11, 1) and activity.partners == ["agriculture", "party_school"]
    assert activity.created_by.username == "xiaoliu_women"
    assert AuditEvent.objects.filter(event="womenshome.activity.created", object_id=str(activity.pk)).exists()


def test_a_bad_activity_is_refused_in_chinese_and_saves_nothing(login, org):
    before = Activity.objects.count()
    response = login("xiaoliu_women").post("/work/womenshome/activities/new/", {
        "organization": org("小留村妇联").pk, "kind": "", "title": "", "date": "", "hours": "500",
        "attendance_mode": "headcount", "head_count": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写活动名称。" in page and "请选择活动类型。" in page and "请填写活动日期。" in page
    assert Activity.objects.count() == before


def test_a_head_count_only_activity_needs_a_number_and_named_attendees_add_to_it(acting, org):
    director = acting("xiaoliu_women")
    with pytest.raises(ValidationError) as err:
        make_activity(director, org("小留村妇联"), attendance_mode="headcount", head_count=0)
    assert "head_count" in err.value.message_dict
    lecture = make_activity(director, org("小留村妇联"), kind="health", attendance_mode="headcount", head_count=60)
    services.attendance_add(actor=director, activity=lecture, person=residents("小留村妇联")[0])
    lecture.refresh_from_db()
    assert lecture.head_count == 60
    assert selectors.public_attendance_count(lecture) == 61


def test_a_typed_head_count_is_kept_when_the_activity_records_people_by_name(acting, org):
    director = acting("xiaoliu_women")
    meeting = make_activity(director, org("小留村妇联"), kind="meeting", attendance_mode="person", head_count=12)
    assert meeting.head_count == 12
    with pytest.raises(ValidationError) as err:
        make_activity(director, org("小留村妇联"), attendance_mode="person", head_count=-1)
    assert "head_count" in err.value.message_dict


def test_a_person_attends_an_activity_once(acting, xiaoliu):
    with pytest.raises(ValidationError) as err:
        services.attendance_add(actor=acting("xiaoliu_women"), activity=xiaoliu["activity"],
                                person=xiaoliu["people"][0])
    assert err.value.code == "duplicate"
    assert Attendance.objects.filter(activity=xiaoliu["activity"]).count() == 1


def test_attendance_is_added_from_the_roster_search_and_removed(login, xiaoliu):
    client = login("xiaoliu_women")
    person = xiaoliu["people"][3]
    found = client.get(f"/work/womenshome/activities/{xiaoliu['activity'].pk}/attendance/search/", {"q": person.name})
    assert person.mobile_masked in found.content.decode() and person.mobile not in found.content.decode()
    client.post(f"/work/womenshome/activities/{xiaoliu['activity'].pk}/attendance/", {"person": person.pk})
    row = Attendance.objects.get(activity=xiaoliu["activity"], person=person)
    client.post(f"/work/womenshome/activities/{xiaoliu['activity'].pk}/attendance/{row.pk}/remove/")
    assert not Attendance.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(event="womenshome.attendance.removed").exists()


def test_switching_to_head_count_keeps_the_named_attendees_and_adds_them(acting, xiaoliu):
    named = Attendance.objects.filter(activity=xiaoliu["activity"]).count()
    assert named >= 1
    data = activity_data(xiaoliu["activity"].organization, attendance_mode="headcount", head_count=30)
    changed = services.activity_update(actor=acting("xiaoliu_women"), activity=xiaoliu["activity"], data=data)
    assert changed.head_count == 30
    assert Attendance.objects.filter(activity=changed).count() == named
    assert selectors.public_attendance_count(changed) == 30 + named


def test_a_photo_is_checked_by_its_content_and_stored_under_a_random_name(login, xiaoliu):
    client = login("xiaoliu_women")
    url = f"/work/womenshome/activities/{xiaoliu['activity'].pk}/photos/"
    fake = SimpleUploadedFile("活动.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    page = client.post(url, {"file": fake, "caption": "假图"}, follow=True).content.decode()
    assert "不支持的文件类型" in page
    assert not ActivityPhoto.objects.filter(caption="假图").exists()
    client.post(url, {"file": png(), "caption": "培训现场"})
    photo = ActivityPhoto.objects.get(caption="培训现场")
    assert "合影" not in photo.file.storage_name and not photo.is_public
    response = client.get(f"/work/womenshome/photos/{photo.file.token}/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_a_site_is_recorded_once_per_village_and_counts_once_built(acting, org):
    village = org("小留村妇联")
    with pytest.raises(ValidationError) as err:
        services.site_create(actor=acting("xiaoliu_women"), organization=village, data={"status": SiteStatus.BUILT})
    assert "已经有妇女之家" in err.value.messages[0]
    site = WomensHome.objects.get(organization=village)
    with pytest.raises(ValidationError) as err:
        services.site_update(actor=acting("xiaoliu_women"), site=site,
                             data={"status": SiteStatus.BUILT, "established_on": None})
    assert "established_on" in err.value.message_dict


def test_a_township_records_a_new_site_for_a_village_without_one(login, org):
    unit = org("黄甫村妇联")
    assert not WomensHome.objects.filter(organization=unit).exists()
    response = login("huayin_fed").post("/work/womenshome/sites/new/", {
        "organization": unit.pk, "name": "", "status": "planning", "rooms": "", "facilities": ""})
    assert response.status_code == 302
    assert WomensHome.objects.get(organization=unit).name == "黄甫村妇女之家"


def test_teams_have_members_from_the_roster(login, acting, org):
    client = login("guojia_women")
    response = client.post("/work/womenshome/teams/new/", {
        "organization": org("郭家村妇联").pk, "name": "郭家村广场舞队", "kind": "dance", "is_active": "on"})
    assert response.status_code == 302
    team = Team.objects.get(name="郭家村广场舞队")
    person = residents("郭家村妇联")[0]
    client.post(f"/work/womenshome/teams/{team.pk}/members/", {"person": person.pk, "role": "leader"})
    assert team.members.get().person == person
    page = client.get(f"/work/womenshome/teams/{team.pk}/").content.decode()
    assert person.mobile_masked in page and person.mobile not in page
    # The same name twice in one organisation is refused.
    response = client.post("/work/womenshome/teams/new/", {
        "organization": org("郭家村妇联").pk, "name": "郭家村广场舞队", "kind": "dance"})
    assert response.status_code == 400 and "同名队伍" in response.content.decode()


def test_only_a_roster_person_in_scope_joins_a_team(login, xiaoliu):
    outsider = Person.objects.filter(organization__name="郭家村妇联").first()
    response = login("xiaoliu_women").post(f"/work/womenshome/teams/{xiaoliu['team'].pk}/members/",
                                           {"person": outsider.pk, "role": "member"}, follow=True)
    assert "请选择您管辖范围内的人员" in response.content.decode()
    assert not xiaoliu["team"].members.filter(person=outsider).exists()


def test_coverage_reads_26_of_26_for_taihua_and_drills_down_to_the_sites(login, org):
    client = login("taihua_fed")
    page = client.get("/work/womenshome/coverage/").content.decode()
    assert "26/26" in page
    county = client.get("/work/womenshome/coverage/", {"org": org("太华路街道妇联").pk})
    assert county.status_code == 200
    sites = client.get("/work/womenshome/sites/", {"org": org("太华路街道妇联").pk, "covered": "1", "per_page": 100})
    assert sites.content.decode().count("list-row") >= 26


def test_a_county_sees_its_townships_coverage(login):
    page = login("huayin_fed").get("/work/womenshome/coverage/").content.decode()
    assert "太华路街道妇联" in page and "罗敷镇妇联" in page
    assert "2/4" in page  # 罗敷镇: two of four villages built
