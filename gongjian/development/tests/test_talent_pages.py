"""The talent pool pages: the pool with its search and the review queue, an entry collected by
picking a woman, the review buttons, evidence, and the Excel of the annual report (masked, audited)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongjian.development.models import Talent, TalentState
from gongjian.kernel.models import AuditEvent

from .factories import talent_accepted, talent_collected, talent_reported, woman_of

pytestmark = pytest.mark.django_db


def test_a_village_head_collects_a_woman_and_reports_her(login):
    client = login("xiaoliu_women")
    woman = woman_of("小留村妇联", 2)
    form = client.get("/work/development/talents/new/", {"q": woman.name})
    assert form.status_code == 200 and woman.name in form.content.decode()
    saved = client.post("/work/development/talents/new/", {
        "person": woman.pk, "kind": "rich_able", "trade": "苹果种植", "skills": "果树修剪", "income": "",
        "jobs": "8", "deeds": ""})
    assert saved.status_code == 302
    talent = Talent.objects.get(person=woman, kind="rich_able")
    page = client.get(saved["Location"]).content.decode()
    assert "上报乡镇（街道）妇联" in page and woman.mobile not in page
    reported = client.post(f"/work/development/talents/{talent.pk}/report/", follow=True)
    assert "已上报太华路街道妇联审核" in reported.content.decode()
    talent.refresh_from_db()
    assert talent.state == TalentState.REPORTED


def test_a_bad_entry_shows_the_reasons_and_saves_nothing(login):
    before = Talent.objects.count()
    response = login("xiaoliu_women").post("/work/development/talents/new/", {"kind": "", "trade": "", "jobs": "x"})
    body = response.content.decode()
    assert response.status_code == 400 and "请先搜索并选择她本人" in body and "请选择人才类别" in body
    assert Talent.objects.count() == before


def test_the_street_sees_its_queue_and_forwards(login):
    talent = talent_reported()
    client = login("taihua_fed")
    queue = client.get("/work/development/talents/", {"scope": "queue"}).content.decode()
    assert f"/work/development/talents/{talent.pk}/" in queue
    detail = client.get(f"/work/development/talents/{talent.pk}/").content.decode()
    assert "审核通过，转报上级妇联" in detail and "退回上报单位" in detail
    assert client.post(f"/work/development/talents/{talent.pk}/forward/").status_code == 302
    assert Talent.objects.get(pk=talent.pk).state == TalentState.FORWARDED


def test_a_return_without_a_reason_is_refused_with_a_message(login):
    talent = talent_reported()
    page = login("taihua_fed").post(f"/work/development/talents/{talent.pk}/return/", {"reason": ""}, follow=True)
    assert "请填写退回理由" in page.content.decode()
    assert Talent.objects.get(pk=talent.pk).state == TalentState.REPORTED


def test_evidence_is_added_while_the_entry_is_with_its_village(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    talent = talent_collected()
    pdf = SimpleUploadedFile("执照.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    client = login("xiaoliu_women")
    client.post(f"/work/development/talents/{talent.pk}/attach/", {"file": pdf, "caption": "合作社营业执照"})
    row = talent.files.get()
    assert row.caption == "合作社营业执照"
    assert login("huayin_fed").get(f"/work/development/talent-files/{row.pk}/").status_code == 200
    assert login("guojia_women").get(f"/work/development/talent-files/{row.pk}/").status_code == 404


def test_the_county_exports_its_pool_to_excel_masked_and_audited(login):
    talent = talent_accepted()
    response = login("huayin_fed").get("/work/development/talents/export.xlsx", {"scope": "pool"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "华阴市妇联妇女人才库名册" and rows[1][0] == "填报单位：华阴市妇联"
    assert rows[2][:4] == ["序号", "姓名", "身份证号", "手机号"]
    assert sheet.print_title_rows == "$3:$3" and sheet.page_setup.orientation == "landscape"
    mine = next(r for r in rows[3:] if r[1] == talent.person.name and r[5] == "苹果种植" and r[9] == 8)
    assert talent.person.id_number not in str(mine) and talent.person.mobile not in str(mine)
    assert mine[2] == talent.person.id_number_masked
    assert AuditEvent.objects.filter(event="development.talent.exported").exists()


def test_the_pool_search_narrows_by_place(login, org):
    talent = talent_accepted()
    client = login("huayin_fed")
    here = client.get("/work/development/talents/", {"place": org("小留村妇联").pk}).content.decode()
    there = client.get("/work/development/talents/", {"place": org("郭家村妇联").pk}).content.decode()
    link = f"/work/development/talents/{talent.pk}/"
    assert link in here and link not in there
    assert login("guojia_women").get("/work/development/talents/", {"place": org("小留村妇联").pk}).status_code == 404


def test_the_home_page_offers_the_pool_to_the_federation_line_only(login):
    assert "/work/development/talents/" in login("xiaoliu_women").get("/work/development/").content.decode()
    party = login("taihua_party").get("/work/development/")
    assert party.status_code == 200 and "/work/development/talents/" not in party.content.decode()
