"""An activity is tagged to a 创先争优 activity line where it is recorded: on the form, through the
API, in the list filter, the export and the demo — validated in Chinese and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongjian.kernel.figures import Line
from gongjian.kernel.models import AuditEvent
from gongjian.womenshome import exports
from gongjian.womenshome.demo import DemoWomensHome
from gongjian.womenshome.models import Activity

from .factories import make_activity

pytestmark = pytest.mark.django_db

FORM = {"kind": "legal", "title": "民法典婚姻家庭编宣讲", "date": "2026-11-18", "place": "村委会",
        "hours": "2", "attendance_mode": "headcount", "head_count": "45"}


def test_a_village_director_tags_a_lecture_to_a_line_on_the_form_and_sees_it_on_the_page(login, org):
    client = login("xiaoliu_women")
    form = client.get("/work/womenshome/activities/new/").content.decode()
    assert "不属于创先争优活动" in form and "服务民生" in form
    response = client.post("/work/womenshome/activities/new/",
                           {**FORM, "organization": org("小留村妇联").pk, "line": "livelihood"})
    assert response.status_code == 302
    activity = Activity.objects.get(title=FORM["title"])
    assert activity.line == Line.LIVELIHOOD
    created = AuditEvent.objects.get(event="womenshome.activity.created", object_id=str(activity.pk))
    assert created.changes["line"] == [None, "livelihood"]
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'id="activity-line"' in page and "服务民生" in page


def test_an_activity_may_belong_to_no_line_and_its_page_then_says_nothing_of_it(login, org):
    client = login("xiaoliu_women")
    response = client.post("/work/womenshome/activities/new/", {**FORM, "organization": org("小留村妇联").pk})
    assert response.status_code == 302
    activity = Activity.objects.get(title=FORM["title"])
    assert activity.line == ""
    assert 'id="activity-line"' not in client.get(activity.get_absolute_url()).content.decode()


def test_changing_the_line_is_audited_with_before_and_after(login, acting, org):
    activity = make_activity(acting("xiaoliu_women"), org("小留村妇联"), line=Line.STUDY)
    edit = {**FORM, "organization": org("小留村妇联").pk, "title": activity.title, "line": "quality"}
    response = login("xiaoliu_women").post(f"/work/womenshome/activities/{activity.pk}/edit/", edit)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.line == Line.QUALITY
    updated = AuditEvent.objects.filter(event="womenshome.activity.updated", object_id=str(activity.pk)).get()
    assert updated.changes["line"] == ["study", "quality"]


def test_a_line_that_does_not_exist_is_refused_in_chinese_and_saves_nothing(login, acting, org):
    before = Activity.objects.count()
    response = login("xiaoliu_women").post("/work/womenshome/activities/new/",
                                           {**FORM, "organization": org("小留村妇联").pk, "line": "parade"})
    assert response.status_code == 400
    assert "创先争优活动载体有误" in response.content.decode()
    with pytest.raises(ValidationError) as err:
        make_activity(acting("xiaoliu_women"), org("小留村妇联"), line="parade")
    assert "line" in err.value.message_dict
    assert Activity.objects.count() == before


def test_the_activity_list_filters_by_line_and_shows_it(login, acting, org):
    tagged = make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="巾帼志愿服务进农家",
                           line=Line.INNOVATION)
    make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="未归类的培训")
    page = login("xiaoliu_women").get("/work/womenshome/activities/", {"line": "innovation"}).content.decode()
    assert tagged.title in page and "未归类的培训" not in page
    assert "组织创新" in page and 'name="line"' in page


def test_the_api_takes_and_gives_the_line_and_filters_by_it(api_client, org):
    client = api_client("xiaoliu_women")
    response = client.post("/api/v1/activities", {
        "organization_id": org("小留村妇联").pk, "kind": "meeting", "title": "学习讨论座谈会", "date": "2026-11-21",
        "line": "study", "attendance_mode": "headcount", "head_count": 30}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["line"], response.json()["line_label"]) == ("study", "学习讨论座谈")
    untagged = client.post("/api/v1/activities", {
        "organization_id": org("小留村妇联").pk, "kind": "meeting", "title": "村妇联例会", "date": "2026-11-21",
        "attendance_mode": "headcount", "head_count": 12}, content_type="application/json")
    assert untagged.status_code == 201 and untagged.json()["line"] is None and untagged.json()["line_label"] == ""
    listed = client.get("/api/v1/activities", {"line": "study", "per_page": 100}).json()
    assert response.json()["id"] in {a["id"] for a in listed}
    assert {a["line"] for a in listed} == {"study"}


def test_a_line_outside_its_enum_is_refused_by_the_api_in_chinese(api_client, org):
    client = api_client("xiaoliu_women")
    refused = client.post("/api/v1/activities", {
        "organization_id": org("小留村妇联").pk, "kind": "meeting", "title": "乱填的", "date": "2026-11-21",
        "line": "parade", "attendance_mode": "headcount", "head_count": 3}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"]["line"][0].startswith("须为以下之一：")
    assert not Activity.objects.filter(title="乱填的").exists()
    assert client.get("/api/v1/activities", {"line": "parade"}).status_code == 422


def test_the_export_has_a_line_column_and_follows_the_filter(acting):
    sheet = exports.activities(acting("taihua_fed"), {"line": "quality"}, False)
    column = list(sheet.headers).index("创先争优活动载体")
    values = [row[column] for row in sheet.rows]
    assert values and set(values) == {"素质提升"}


def test_the_demo_tags_its_activities_and_a_second_load_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert Activity.objects.get(title="党建带妇建工作推进会").line == Line.STUDY
    assert set(Activity.objects.filter(kind__in=["agri_training", "vocational_training"])
               .filter(created_by__username="taihua_fed").values_list("line", flat=True)) == {Line.QUALITY}
    assert set(Activity.objects.filter(is_public_performance=True).values_list("line", flat=True)) == {
        Line.CONTRIBUTION}
    before = dict(Activity.objects.values_list("pk", "line"))
    # A database loaded before lines existed gets them; a line a cadre chose is kept.
    old = Activity.objects.get(title="“三八”妇女维权周法律宣传")
    Activity.objects.filter(pk=old.pk).update(line="")
    chosen = Activity.objects.get(title="“净化家园”文明行动")
    Activity.objects.filter(pk=chosen.pk).update(line=Line.INNOVATION)
    DemoWomensHome(result=None).load()
    after = dict(Activity.objects.values_list("pk", "line"))
    assert after == {**before, chosen.pk: Line.INNOVATION}
    assert after[old.pk] == Line.LIVELIHOOD
