"""`gongjian organizations FILE.csv --as sysadmin`: a county's tree set up in one go, through the
same service and audit as the console, written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjian.kernel.models import AuditEvent, Organization, Region

pytestmark = pytest.mark.django_db

HEADER = "上级组织,类型,名称,区划代码,所在地名称\n"
GOOD = HEADER + (
    ",县（市）妇联,潼关县妇联,610522000000,潼关县\n"
    "潼关县妇联,乡镇（街道）妇联,城关街道妇联,610522001000,城关街道\n"
    "城关街道妇联,村（社区）妇联,东关社区妇联,610522001001,东关社区\n"
    "城关街道妇联,领导小组,城关街道妇联创先争优活动领导小组,,\n"
    "城关街道妇联创先争优活动领导小组,办公室,领导小组办公室,,\n"
)


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "orgs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_county_tree_is_set_up_from_a_file_and_audited(tmp_path, capsys):
    call_command("organizations", _file(tmp_path, GOOD), "--as", "sysadmin")
    assert "已设立 5 个组织" in capsys.readouterr().out
    office = Organization.objects.get(name="领导小组办公室", region__code="610522001000")
    assert office.kind == Organization.Kind.OFFICE
    assert Region.objects.get(code="610522001001").level == Region.Level.COMMUNITY
    assert AuditEvent.objects.filter(event="kernel.organization.created", actor_username="sysadmin").count() == 5


def test_a_dry_run_checks_and_writes_nothing(tmp_path, capsys):
    call_command("organizations", _file(tmp_path, GOOD), "--as", "sysadmin", "--dry-run")
    assert "检查通过" in capsys.readouterr().out
    assert not Organization.objects.filter(name="潼关县妇联").exists()
    assert not Region.objects.filter(code="610522000000").exists()


def test_one_bad_row_writes_nothing_and_says_which(tmp_path, capsys):
    bad = GOOD + "城关街道妇联,办公室,街道办公室,,\n"
    with pytest.raises(SystemExit) as exc:
        call_command("organizations", _file(tmp_path, bad), "--as", "sysadmin")
    assert exc.value.code == 1
    assert "第 7 行：" in capsys.readouterr().err
    assert not Organization.objects.filter(name="潼关县妇联").exists()


def test_only_a_system_admin_runs_it(tmp_path):
    with pytest.raises(CommandError, match="不是系统管理员"):
        call_command("organizations", _file(tmp_path, GOOD), "--as", "huayin_fed")
    assert not Organization.objects.filter(name="潼关县妇联").exists()
