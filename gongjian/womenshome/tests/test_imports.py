"""The attendance of an activity from Excel and CSV: a hook on the kernel's import pipeline
(kernel/tests/test_person_import.py tests the pipeline itself), and the old addresses of the
people import, which moved to the kernel."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gongjian.kernel.models import Person
from gongjian.kernel.tests.rosters import good_rows, xlsx
from gongjian.womenshome import services, stats
from gongjian.womenshome.models import Attendance

from .factories import make_activity

pytestmark = pytest.mark.django_db


def test_attendance_is_imported_with_newcomers_registered_and_counted_once(acting, org):
    director = acting("xiaoliu_women")
    training = make_activity(director, org("小留村妇联"), title="导入参加人员的培训")
    known = Person.objects.filter(organization__name="小留村妇联", positions__isnull=True).first()
    rows = [[known.name, "女", known.id_number, "", "", "", ""]] + good_rows(2, start=100)
    for row in rows[1:]:
        row[6] = ""
    before = stats.figures(user=acting("huayin_fed"), organization=org("小留村妇联"), date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    dry = services.attendance_import(actor=director, activity=training, data=xlsx(rows), filename="参加.xlsx")
    assert dry.ok and (dry.created, dry.existing, dry.attended) == (2, 1, 3)
    assert not Attendance.objects.filter(activity=training).exists()
    done = services.attendance_import(actor=director, activity=training, data=xlsx(rows), filename="参加.xlsx",
                                      dry_run=False)
    assert done.committed and Attendance.objects.filter(activity=training).count() == 3
    assert Person.objects.get(name="导入100").organization.name == "小留村妇联"
    again = services.attendance_import(actor=director, activity=training, data=xlsx(rows), filename="参加.xlsx",
                                       dry_run=False)
    assert (again.created, again.attended, again.already_attended) == (0, 0, 3)
    after = stats.dashboard(user=acting("huayin_fed"), organization=org("小留村妇联"), year=2026)
    assert after.people_trained >= before.people_trained + 2
    assert Attendance.objects.filter(activity=training).count() == 3


def test_an_attendee_registered_only_in_another_county_is_registered_here_and_only_she_attends(acting, org):
    director = acting("xiaoliu_women")
    training = make_activity(director, org("小留村妇联"), title="外县妇女参加的培训")
    other_county = Person.objects.filter(organization__name="灵沙村妇联", gender="F").first()
    rows = [["外县", "女", other_county.id_number, "", "", "", ""]]
    dry = services.attendance_import(actor=director, activity=training, data=xlsx(rows), filename="参加.xlsx")
    assert dry.ok and (dry.created, dry.existing, dry.attended) == (1, 0, 1) and not dry.problems
    done = services.attendance_import(actor=director, activity=training, data=xlsx(rows), filename="参加.xlsx",
                                      dry_run=False)
    assert done.committed and (done.created, done.attended) == (1, 1)
    here = Person.objects.get(id_number_index=other_county.id_number_index, registry="610582")
    attending = Attendance.objects.filter(activity=training)
    assert list(attending.values_list("person_id", flat=True)) == [here.pk]
    assert here.organization.name == "小留村妇联" and here.pk != other_county.pk


def test_the_attendance_page_checks_a_file_without_writing(login, acting, org):
    training = make_activity(acting("xiaoliu_women"), org("小留村妇联"), title="检查参加人员的培训")
    rows = good_rows(2, start=150)
    for row in rows:
        row[6] = ""
    response = login("xiaoliu_women").post(f"/work/womenshome/activities/{training.pk}/attendance/import/", {
        "mode": "check", "file": SimpleUploadedFile("参加.xlsx", xlsx(rows))})
    assert response.status_code == 200 and "检查通过" in response.content.decode()
    assert not Attendance.objects.filter(activity=training).exists()


def test_the_attendance_template_downloads(login):
    response = login("taihua_fed").get("/work/womenshome/import/template/attendance.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].title == "参加人员"


def test_the_old_people_import_address_sends_pages_and_posts_to_the_kernel(login):
    client = login("taihua_fed")
    response = client.get("/work/womenshome/import/")
    assert response.status_code == 307 and response["Location"] == "/work/people/import/"
    template = client.get("/work/womenshome/import/template/people.xlsx")
    assert template.status_code == 302 and template["Location"] == "/work/people/import/template.xlsx"
    assert login("taihua_party").get("/work/womenshome/import/").status_code == 403
