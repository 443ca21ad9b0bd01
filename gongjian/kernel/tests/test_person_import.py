"""Rosters of people from Excel and CSV: every bad row listed with its number and a reason in
Chinese, a dry run first, all or nothing, idempotent (B-04), a template, the page and the command
line. (The attendance import, a hook on the same pipeline, is tested in womenshome.)"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

from gongjian.kernel import importing
from gongjian.kernel.fields import blind_index
from gongjian.kernel.importing import store
from gongjian.kernel.models import AuditEvent, Person
from gongjian.kernel.tabular import MANGLED_NUMBER_MESSAGE

from .rosters import HEADERS, good_rows, ids, xlsx

pytestmark = pytest.mark.django_db

def run(acting, org, data: bytes, *, dry_run: bool, name: str = "名册.xlsx", org_name: str = "太华路街道妇联"):
    return importing.import_people(actor=acting("taihua_fed"), organization=org(org_name), data=data,
                                   filename=name, dry_run=dry_run)


def test_a_dry_run_lists_every_bad_row_with_its_number_and_writes_nothing(acting, org):
    rows = good_rows(2) + [
        ["", "女", ids(1, 10)[0], "", "", "", ""],
        ["王错号", "女", "610582198805010000", "", "", "", ""],
        ["李村外", "女", ids(1, 11)[0], "", "", "", "北京村"],
        ["张手机", "女", ids(1, 12)[0], "12345", "", "", ""],
        ["赵性别", "男", ids(1, 13)[0], "", "", "", ""],
        ["钱面貌", "女", ids(1, 14)[0], "", "", "党外人士", ""],
        ["孙重复", "女", ids(2)[0], "", "", "", ""],
    ]
    before = Person.objects.count()
    report = run(acting, org, xlsx(rows), dry_run=True)
    assert not report.ok and report.rows == 9
    problems = {p.row: p.message for p in report.problems}
    assert problems == {
        5: "请填写姓名。",
        6: "身份证号码校验位错误",
        7: "村/社区“北京村”不在太华路街道妇联的辖区内。",
        8: "手机号码格式不正确",
        9: "性别与身份证号码不一致。",
        10: "政治面貌“党外人士”无法识别，可填：群众、共青团员、入党积极分子、发展对象、预备党员、中共党员。",
        11: "身份证号码与第 3 行重复",
    }
    assert Person.objects.count() == before


def test_a_real_run_with_one_bad_row_imports_nothing(acting, org):
    rows = good_rows(30)
    rows[17][2] = "6105821988"
    before = Person.objects.count()
    report = run(acting, org, xlsx(rows), dry_run=False)
    assert not report.committed and [p.row for p in report.problems] == [20]
    assert "未导入任何数据" in report.summary()
    assert Person.objects.count() == before


def test_a_good_roster_is_imported_once_and_a_second_run_adds_nothing(acting, org):
    data = xlsx(good_rows(5))
    report = run(acting, org, data, dry_run=False)
    assert report.committed and report.created == 5
    person = Person.objects.get(name="导入0")
    assert person.organization.name == "小留村妇联" and person.home_region.name == "小留村"
    assert person.id_number == ids(1)[0] and person.mobile == "13600000000"
    event = AuditEvent.objects.get(event="kernel.person.imported", changes__file_sha256=report.file_sha256)
    assert event.changes["created"] == 5 and event.actor_username == "taihua_fed"
    again = run(acting, org, data, dry_run=False)
    assert again.committed and (again.created, again.existing) == (0, 5)
    assert Person.objects.filter(name__startswith="导入").count() == 5


def test_imported_people_are_stored_exactly_as_a_saved_person(acting, org):
    run(acting, org, xlsx(good_rows(1)), dry_run=False)
    person = Person.objects.get(name="导入0")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_index, mobile_index FROM kernel_person WHERE id = %s",
                       [person.pk])
        raw_id, raw_mobile, id_index, mobile_index = cursor.fetchone()
    assert raw_id.startswith("sm4gcm:") and person.id_number not in raw_id
    assert raw_mobile.startswith("sm4gcm:") and person.mobile not in raw_mobile
    assert id_index == blind_index(person.id_number, "person.id_number")
    assert mobile_index == blind_index(person.mobile, "person.mobile")
    assert person.birth_date == date(1988, 5, 1) and person.gender == "F"
    assert importing.PERSON_COLUMNS  # the raw insert refuses a Person column it does not know


def test_a_gbk_csv_with_full_width_digits_and_stray_spaces_is_read(acting, org):
    number = ids(1, 40)[0]
    wide = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    text = "姓名,性别,身份证号码,联系电话,村（社区）\r\n  刘  芳 ,女, " + wide + " ,138 0013 8001, 郭家村 \r\n"
    report = run(acting, org, text.encode("gbk"), dry_run=False, name="名单.csv")
    assert report.committed, report.problems
    person = Person.objects.get(id_number_index=blind_index(number, "person.id_number"))
    assert (person.name, person.mobile, person.organization.name) == ("刘 芳", "13800138001", "郭家村妇联")


def test_an_id_number_excel_turned_into_a_number_gets_the_fix_explained(acting, org):
    report = run(acting, org, xlsx([["科学", "女", 6.10582198805e17, "", "", "", ""]]), dry_run=True)
    assert report.problems[0].message == MANGLED_NUMBER_MESSAGE


def test_a_person_registered_elsewhere_in_the_county_cannot_be_registered_again_and_is_not_named(acting, org):
    outsider = Person.objects.filter(organization__name="罗敷村妇联", gender="F").first()
    for dry_run in (True, False):
        report = run(acting, org, xlsx([["外镇", "女", outsider.id_number, "", "", "", ""]]), dry_run=dry_run)
        assert [p.message for p in report.problems] == ["该身份证号码已在本县其他组织登记，不能重复登记"]
        assert not report.committed and report.created == 0
    assert Person.objects.filter(id_number_index=outsider.id_number_index).count() == 1


def test_a_woman_registered_only_in_another_county_is_new_here_exactly_as_if_unregistered(acting, org):
    other_county = Person.objects.filter(organization__name="灵沙村妇联", gender="F").first()
    nobody = ids(1, 900)[0]

    def answers(number: str, *, dry_run: bool) -> tuple:
        report = run(acting, org, xlsx([["外县", "女", number, "", "", "", ""]]), dry_run=dry_run)
        return report.ok, report.rows, report.created, report.existing, report.problems, report.summary()

    assert answers(other_county.id_number, dry_run=True) == answers(nobody, dry_run=True)
    assert answers(other_county.id_number, dry_run=False) == answers(nobody, dry_run=False)
    here = Person.objects.get(id_number_index=other_county.id_number_index, registry="610582")
    assert here.organization.name == "太华路街道妇联" and here.pk != other_county.pk
    assert Person.objects.get(pk=other_county.pk).registry == "640221"


def test_an_imported_row_is_told_what_the_staff_form_says_of_the_same_bad_values(acting, org, login):
    client = login("taihua_fed")
    cases = [{"id_number": "610582198805010000", "mobile": "12345", "gender": ""},
             {"id_number": ids(1, 901)[0], "mobile": "1380013800", "gender": "M"}]
    for bad in cases:
        form = client.post("/work/people/new/", {"name": "表单", "organization": org("太华路街道妇联").pk,
                                                  "political_status": "masses", **bad})
        said = form.context["form"].errors
        expected = "；".join(said[name][0] for name in ("id_number", "gender", "mobile") if name in said)
        row = ["表单", {"M": "男"}.get(bad["gender"], ""), bad["id_number"], bad["mobile"], "", "", ""]
        report = run(acting, org, xlsx([row]), dry_run=True)
        assert report.problems[0].message == expected and expected.count("；") == 1, expected


def test_a_file_that_is_not_a_roster_reads_in_chinese(acting, org):
    report = run(acting, org, b"<html><body>not excel</body></html>", dry_run=True, name="名单.xlsx")
    assert "无法识别的文件格式" in report.problems[0].message
    report = run(acting, org, xlsx([["x"]], headers=["编号", "备注"]), dry_run=True)
    assert "缺少必需的列：姓名、身份证号" in report.problems[0].message


def test_the_template_downloads_and_its_example_row_imports(login, acting, org):
    response = login("taihua_fed").get("/work/people/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["姓名*", "身份证号*", "性别"]
    report = run(acting, org, response.content, dry_run=True)
    assert report.ok, report.problems


def test_the_import_page_checks_then_imports(login, org):
    client = login("taihua_fed")
    data = xlsx(good_rows(2, start=60))
    check = client.post("/work/people/import/", {
        "organization": org("太华路街道妇联").pk, "mode": "check", "file": SimpleUploadedFile("名单.xlsx", data)})
    assert check.status_code == 200 and "检查通过" in check.content.decode()
    assert not Person.objects.filter(name="导入60").exists()
    run_it = client.post("/work/people/import/", {
        "organization": org("太华路街道妇联").pk, "mode": "run", "file": SimpleUploadedFile("名单.xlsx", data)},
        HTTP_HX_REQUEST="true")
    assert run_it.status_code == 200 and "已导入" in run_it.content.decode()
    assert Person.objects.filter(name="导入60").exists()


def test_the_import_page_lists_bad_rows(login, org):
    rows = good_rows(1, start=70) + [["", "女", "", "", "", "", ""]]
    response = login("xiaoliu_women").post("/work/people/import/", {
        "organization": org("小留村妇联").pk, "mode": "run", "file": SimpleUploadedFile("名单.xlsx", xlsx(rows))})
    body = response.content.decode()
    assert response.status_code == 400 and "第 4 行" in body and "请填写姓名。" in body


def test_the_party_line_cannot_import(login, org):
    assert login("taihua_party").get("/work/people/import/").status_code == 403


def test_the_command_line_import_exits_zero_only_when_every_row_is_good(tmp_path, org, capsys):
    good = tmp_path / "好名单.xlsx"
    good.write_bytes(xlsx(good_rows(3, start=80)))
    bad = tmp_path / "坏名单.xlsx"
    bad.write_bytes(xlsx(good_rows(1, start=90) + [["", "女", "1", "", "", "", ""]]))
    call_command("import_people", str(good), "--org", str(org("太华路街道妇联").pk), "--dry-run")
    assert not Person.objects.filter(name="导入80").exists()
    call_command("import_people", str(good), "--org", str(org("太华路街道妇联").pk))
    assert Person.objects.filter(name__in=["导入80", "导入81", "导入82"]).count() == 3
    with pytest.raises(SystemExit) as exited:
        call_command("import_people", str(bad), "--org", str(org("太华路街道妇联").pk))
    assert exited.value.code == 1
    assert "第 4 行：请填写姓名。" in capsys.readouterr().err
    assert not Person.objects.filter(name="导入90").exists()
    assert AuditEvent.objects.filter(event="kernel.person.imported", actor_username="cli").exists()


def test_a_merged_village_cell_fills_every_row_it_covers(acting, org):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for i, number in enumerate(ids(3, 120)):
        sheet.append([f"合并{i}", "女", number, "", "", "", "南营村" if i == 0 else None])
    sheet.merge_cells("G2:G4")
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(acting, org, buffer.getvalue(), dry_run=False)
    assert report.committed
    assert set(Person.objects.filter(name__startswith="合并").values_list("organization__name", flat=True)) == {"南营村妇联"}


# --- the writer thread (ADR 0021): batches written on a second thread, inside the same transaction ---

def test_a_roster_of_old_and_new_people_in_many_batches_adds_only_the_new(acting, org):
    first = run(acting, org, xlsx(good_rows(4, start=200)), dry_run=False)
    assert first.committed and first.created == 4
    mixed = good_rows(9, start=200)  # the first four are registered already
    mixed = mixed[4:7] + mixed[:4] + mixed[7:]  # new ones before and after the old ones
    report = importing.import_people(actor=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                     data=xlsx(mixed), filename="名册.xlsx", dry_run=False, batch_size=3)
    assert report.committed and (report.rows, report.created, report.existing) == (9, 5, 4), report.problems
    assert Person.objects.filter(name__startswith="导入2").count() == 9
    assert Person.objects.get(name="导入205").mobile == "13600000205"


def test_problems_found_by_both_threads_are_listed_in_row_order_and_nothing_is_kept(acting, org):
    outsider = Person.objects.filter(organization__name="罗敷村妇联", gender="F").first()
    rows = good_rows(3, start=300) + [["外镇", "女", outsider.id_number, "", "", "", ""]] + good_rows(2, start=310)
    rows[5][3] = "12345"  # a bad mobile after the outsider, in a later batch
    before = Person.objects.count()
    report = importing.import_people(actor=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                     data=xlsx(rows), filename="名册.xlsx", dry_run=False, batch_size=2)
    assert not report.committed
    assert [(p.row, p.message[:8]) for p in report.problems] == [(6, "该身份证号码已在"), (8, "手机号码格式不正")]
    assert report.problem_count == 2 and Person.objects.count() == before


def test_an_error_on_the_writer_thread_undoes_every_batch(acting, org, monkeypatch):
    from django.db import IntegrityError

    real = store.insert_unregistered
    calls = []

    def failing_second_time(values, db=None):
        calls.append(len(values))
        if len(calls) == 2:
            raise IntegrityError("someone registered the same person meanwhile")
        return real(values, db)

    monkeypatch.setattr(store, "insert_unregistered", failing_second_time)
    before = Person.objects.count()
    report = importing.import_people(actor=acting("taihua_fed"), organization=org("太华路街道妇联"),
                                     data=xlsx(good_rows(6, start=400)), filename="名册.xlsx", dry_run=False,
                                     batch_size=2)
    assert calls[:2] == [2, 2] and not report.committed
    assert report.problems[-1].message == "导入时有人同时登记了相同的人员，未导入任何数据，请重新导入"
    assert Person.objects.count() == before
    assert not AuditEvent.objects.filter(event="kernel.person.imported", changes__file_sha256=report.file_sha256).exists()


def test_an_import_leaves_the_interpreters_switch_interval_alone(acting, org, monkeypatch):
    # A process-wide setting is not the importer's to change, even while its writer thread runs.
    import sys

    real = store.insert_unregistered
    seen = []

    def watching(values, db=None):
        seen.append(sys.getswitchinterval())
        return real(values, db)

    monkeypatch.setattr(store, "insert_unregistered", watching)
    before = sys.getswitchinterval()
    report = run(acting, org, xlsx(good_rows(2, start=500)), dry_run=False)
    assert report.committed and seen == [before]
    assert sys.getswitchinterval() == before
