"""The audit log reads in Chinese: every event the code records has a name, fields and values are
labelled, and the raw code stays one click away for the auditor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongjian.kernel import audit
from gongjian.kernel.audit_labels import changes_rows, event_label, field_label, value_label

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r"audit\.record\(\s*[\w.]+(?:\([^()]*\))?\s*,\s*\"([a-z_]+\.[a-z_]+\.[a-z_]+)\"", re.S)
ASSIGNED = re.compile(r"\bevent\s*=\s*\"([a-z_]+\.[a-z_]+\.[a-z_]+)\"")
LATIN = re.compile(r"[A-Za-z]")


def recorded_codes() -> set[str]:
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes.update(RECORDED.findall(text))
        codes.update(ASSIGNED.findall(text))
    return codes


def test_every_event_the_code_records_has_a_chinese_name():
    codes = recorded_codes()
    assert len(codes) > 150, "the scan of audit.record calls found too few codes: the pattern is broken"
    unnamed = sorted(code for code in codes if LATIN.search(event_label(code)))
    assert unnamed == [], f"name these events in the app's audit_events.py: {unnamed}"


def test_an_event_name_is_put_together_from_the_subject_and_what_happened():
    assert event_label("womenshome.honour.on_notice") == "荣誉 · 进入公示"
    assert event_label("disclosure.item.approved") == "党务公开事项 · 审核备案"
    assert event_label("development.recommendation.activist") == "党员推荐培养 · 确定为入党积极分子"
    assert event_label("womenshome.export.signins") == "导出 · 扫码签到记录"
    assert event_label("nobody.knows.this") == "nobody.knows.this"


def test_fields_and_values_read_as_words():
    assert field_label("state", "womenshome.honour") == "状态"
    assert field_label("reason") == "理由"
    assert value_label(True) == "是" and value_label(None) == "（空）"
    assert value_label({"old": "nominated", "new": "on_notice"}, "state", "womenshome.honour") == "已推荐，待审核 → 公示中"
    assert changes_rows({"days": 7, "working_days": False}, "womenshome.honour")[0] == ("天数", "7")


def test_the_audit_page_shows_chinese_names_with_the_raw_code_one_click_away(login):
    audit.record(None, "kernel.auth.password_changed", actor=None, username="xiaoliu_women",
                 changes={"reason": "定期更换"})
    page = login("auditor").get("/work/console/audit/?event=kernel.auth.password_changed").content.decode()
    assert "登录与验证 · 修改了密码" in page
    assert "理由" in page and "定期更换" in page
    assert re.search(r"<details[^>]*>\s*<summary[^>]*>[^<]*原始记录", page)
    assert "<code>kernel.auth.password_changed</code>" in page
