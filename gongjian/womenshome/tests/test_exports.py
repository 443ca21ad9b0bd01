"""Every table exports to Excel; personal data is masked unless revealed with the permission and a
reason; every export is audited and carries who exported it."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from gongjian.kernel.models import AuditEvent
from gongjian.womenshome.exports import TABLES

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def cells(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_exports_masked_and_audited(login, xiaoliu, table):
    response = login("xiaoliu_women").get(f"/work/womenshome/export/{table}.xlsx", {
        "activity": xiaoliu["activity"].pk, "team": xiaoliu["team"].pk, "from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    text = "\n".join(cells(response))
    assert not FULL_ID.search(text) and not FULL_MOBILE.search(text)
    assert "导出人：刘桂兰（xiaoliu_women）" in text
    assert AuditEvent.objects.filter(event=f"womenshome.export.{table}", actor_username="xiaoliu_women",
                                     changes__revealed=False).exists()


def test_the_attendance_of_an_activity_exports_with_masked_numbers(login, xiaoliu):
    person = xiaoliu["people"][0]
    text = cells(login("xiaoliu_women").get("/work/womenshome/export/attendance.xlsx",
                                            {"activity": xiaoliu["activity"].pk}))
    assert person.name in text and person.mobile_masked in text and person.id_number_masked in text


def test_revealing_needs_a_reason_and_is_recorded(login, xiaoliu):
    client = login("xiaoliu_women")
    url = "/work/womenshome/export/attendance.xlsx"
    refused = client.get(url, {"activity": xiaoliu["activity"].pk, "reveal": "1", "reason": "x"},
                         HTTP_REFERER="https://evil.example/phish")
    # Asked again on our own page (issue 12: never redirected to the Referer), nothing exported.
    assert refused.status_code == 400 and "Location" not in refused
    page = refused.content.decode()
    assert "须填写原因" in page and "evil.example" not in page
    assert f'name="activity" value="{xiaoliu["activity"].pk}"' in page
    assert not AuditEvent.objects.filter(event="womenshome.export.attendance").exists()
    response = client.get(url, {"activity": xiaoliu["activity"].pk, "reveal": "1", "reason": "上报县妇联培训名册"})
    text = "\n".join(cells(response))
    assert xiaoliu["people"][0].id_number in text
    event = AuditEvent.objects.get(event="womenshome.export.attendance", changes__revealed=True)
    assert event.changes["reason"] == "上报县妇联培训名册"


def test_someone_without_the_reveal_permission_gets_masked_data_only(login, acting, xiaoliu, monkeypatch):
    from gongjian.kernel.models import Position

    # A staff member (not a lead) of 小留村 may export but not reveal.
    Position.objects.filter(person__user__username="xiaoliu_women", organization__name="小留村妇联").update(role="staff")
    response = login("xiaoliu_women").get("/work/womenshome/export/attendance.xlsx", {
        "activity": xiaoliu["activity"].pk, "reveal": "1", "reason": "想看看"})
    assert response.status_code == 403


def test_an_unknown_table_is_404(login):
    assert login("taihua_fed").get("/work/womenshome/export/people.xlsx").status_code == 404
