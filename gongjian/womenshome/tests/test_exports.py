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


def _table(response) -> tuple[list, dict]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return rows, {r[0]: r for r in rows if r and r[0]}


def test_the_coverage_sheet_has_a_title_and_its_rows_add_up_to_the_total(login, org):
    rows, by_name = _table(login("taihua_fed").get("/work/womenshome/export/coverage.xlsx"))
    assert rows[0][0] == "太华路街道妇联妇女之家覆盖情况"
    assert rows[1][0] == "填报单位：太华路街道妇联"
    assert rows[2][:3] == ("组织", "村（社区）数", "已建成")
    units = [r for r in rows[3:] if r[0] and r[0] not in ("本级", "合计") and isinstance(r[1], int)]
    assert units, "the township's villages are listed"
    own = by_name.get("本级", ("本级", 0, 0, 0, 0, 0))
    for col in (1, 2, 4, 5):
        assert sum(r[col] for r in units) + own[col] == by_name["合计"][col]
    assert all(isinstance(r[3], int) for r in units)  # the rate is a number, not "50%"


def test_the_figures_sheet_adds_the_villages_and_the_township_itself_up_to_the_total(login, acting, xiaoliu, org):
    from datetime import date

    from gongjian.womenshome.models import AttendanceMode

    from .factories import make_activity

    # An activity the township holds itself: it belongs to 本级, not to any village.
    make_activity(acting("taihua_fed"), org("太华路街道妇联"), title="街道妇联宣讲", date=date(2026, 3, 8),
                  attendance_mode=AttendanceMode.HEAD_COUNT, head_count=30)
    rows, by_name = _table(login("taihua_fed").get("/work/womenshome/export/figures.xlsx",
                                                   {"from": "2026-01-01", "to": "2026-12-31"}))
    assert rows[1][0] == "填报单位：太华路街道妇联　　统计期间：2026年01月01日至2026年12月31日"
    start = next(i for i, r in enumerate(rows) if r[0] == "下级组织")
    end = next(i for i, r in enumerate(rows) if r[0] == "合计")
    villages, own, total = rows[start + 1:end - 1], rows[end - 1], rows[end]
    assert own[0] == "本级" and own[1] >= 1
    for col in (1, 2, 4, 5, 6):  # activities, training, person-times, performances, hours
        assert sum(r[col] for r in villages) + own[col] == total[col], rows[start]
    assert by_name["活动时长（小时）"][1] == total[6] and isinstance(total[6], int | float)


def test_the_quota_sheet_shows_each_yearly_target_and_adds_up_every_count(login):
    rows, by_name = _table(login("huayin_fed").get("/work/womenshome/export/quotas.xlsx"))
    assert rows[2][:6] == ("乡镇（街道）妇联", "年度", "每年至少推荐", "名额", "已推荐", "已用")
    townships = [r for r in rows[3:] if r[0] and r[0].endswith("妇联") and isinstance(r[2], int)]
    assert townships and all(r[2] <= r[3] for r in townships)  # the target never exceeds the quota
    for col in (2, 3, 4, 5):
        assert sum(r[col] for r in townships) == by_name["合计"][col]
