"""The scheduler (issue 12 §5, ADR 0032): due slots, one run per slot whoever ticks, one execution
per run whoever works, retries, failures shown to the system administrator, stale runs recovered."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from gongjian.kernel import schedule
from gongjian.kernel.models import ScheduledRun

pytestmark = pytest.mark.django_db(transaction=False)
CST = ZoneInfo("Asia/Shanghai")
calls: list[str] = []


@pytest.fixture(autouse=True)
def _jobs_restored():
    """Jobs a test registers are forgotten after it."""
    saved = dict(schedule._JOBS)
    yield
    schedule._JOBS.clear()
    schedule._JOBS.update(saved)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def test_a_daily_job_is_due_from_its_hour_and_an_interval_job_on_its_steps():
    daily = schedule.Job("t-daily", "每日", "housekeeping", at=time(0, 30))
    hourly = schedule.Job("t-hourly", "每小时", "housekeeping", every=timedelta(hours=1))
    assert daily.due_slot(at("2026-12-01 00:29")) == at("2026-11-30 00:30")
    assert daily.due_slot(at("2026-12-01 00:30")) == at("2026-12-01 00:30")
    assert daily.next_slot(at("2026-12-01 08:00")) == at("2026-12-02 00:30")
    assert hourly.due_slot(at("2026-12-01 08:59:59")) == at("2026-12-01 08:00")
    assert hourly.next_slot(at("2026-12-01 08:10")) == at("2026-12-01 09:00")
    with pytest.raises(ValueError):
        schedule.Job("t-bad", "坏", "housekeeping")
    with pytest.raises(ValueError):
        schedule.Job("t-fast", "太快", "housekeeping", every=timedelta(seconds=10))


def test_the_platforms_sweeps_are_all_scheduled():
    names = {job.name for job in schedule.jobs()}
    assert {"kernel-housekeeping", "disclosure-sweep", "campaigns-sweep", "campaigns-supervision-sweep",
            "development-loans-sweep", "support-cases-sweep", "support-care-sweep", "kernel-audit-checkpoint",
            "kernel-dormant-accounts"} <= names
    from django.core.management import get_commands

    assert all(job.command in get_commands() for job in schedule.jobs())


def _register(name: str, command: str = "housekeeping", retries: int = 2) -> schedule.Job:
    job = schedule.Job(name, "测试任务", command, at=time(1, 0), retries=retries)
    schedule.register(job)
    return job


def test_two_schedulers_ticking_the_same_slot_start_it_once(django_capture_on_commit_callbacks):
    _register("t-once")
    now = at("2026-12-01 09:00")
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule.tick(now, names=["t-once"])
        second = schedule.tick(now + timedelta(seconds=30), names=["t-once"])  # another server, same slot
    assert len(first) == 1 and second == []
    run = ScheduledRun.objects.get(job="t-once")
    assert run.state == ScheduledRun.State.SUCCEEDED and run.attempts == 1
    assert "清理频率计数" in run.output
    # The task enqueued twice (a redelivery) still runs once.
    assert schedule.run_scheduled.call(run.pk) == "skipped"
    assert ScheduledRun.objects.get(pk=run.pk).attempts == 1


class Flaky(BaseCommand):
    def handle(self, *args: object, **options: object) -> None:
        calls.append("x")
        if len(calls) < 3:
            raise RuntimeError("数据库暂时不可用")
        self.stdout.write("第三次成功")


class _Clock:
    """The scheduler's clock pinned to the test's `now`: a retry falls 5, 10 … minutes after the
    test's slot whatever day the suite runs on (a retry computed from the real clock lands in
    another day's slot and starts that slot too)."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    @staticmethod
    def localtime(value: datetime) -> datetime:
        return timezone.localtime(value)


def test_a_failing_job_is_retried_then_succeeds_or_is_shown_failed(monkeypatch, django_capture_on_commit_callbacks,
                                                                  login):
    def run_command(name: str, *args: object, **options: object) -> object:
        return call_command(Flaky() if name == "flaky_test" else name, *args, **options)

    monkeypatch.setattr(schedule, "call_command", run_command)
    calls.clear()
    _register("t-flaky", "flaky_test", retries=3)
    now = at("2026-12-01 09:00")
    monkeypatch.setattr(schedule, "timezone", _Clock(now))
    with django_capture_on_commit_callbacks(execute=True):
        schedule.tick(now, names=["t-flaky"])
    run = ScheduledRun.objects.get(job="t-flaky")
    assert run.state == ScheduledRun.State.RETRYING and run.attempts == 1 and "数据库暂时不可用" in run.error
    assert run.retry_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule.tick(now + timedelta(minutes=1), names=["t-flaky"]) == []  # not yet
        schedule.tick(run.retry_at, names=["t-flaky"])
    run.refresh_from_db()
    assert run.state == ScheduledRun.State.RETRYING and run.attempts == 2
    with django_capture_on_commit_callbacks(execute=True):
        schedule.tick(run.retry_at, names=["t-flaky"])
    run.refresh_from_db()
    assert run.state == ScheduledRun.State.SUCCEEDED and run.attempts == 3 and run.output == "第三次成功"

    # Always failing: after its retries it is failed, and the system administrator sees why.
    _register("t-broken", "flaky_test", retries=1)
    monkeypatch.setattr(Flaky, "handle", lambda self, *a, **k: (_ for _ in ()).throw(RuntimeError("磁盘已满")))
    with django_capture_on_commit_callbacks(execute=True):
        schedule.tick(now, names=["t-broken"])
    broken = ScheduledRun.objects.get(job="t-broken")
    assert broken.retry_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        schedule.tick(broken.retry_at, names=["t-broken"])
    broken.refresh_from_db()
    assert broken.state == ScheduledRun.State.FAILED and broken.attempts == 2
    page = login("sysadmin").get("/work/console/schedule/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "磁盘已满" in text and "党务公开每日检查" in text
    assert login("taihua_fed").get("/work/console/schedule/").status_code == 403
    assert login("auditor").get("/work/console/schedule/").status_code == 403


def test_a_run_whose_worker_died_is_retried():
    _register("t-stale")
    now = at("2026-12-01 09:00")
    with transaction.atomic():
        run = ScheduledRun.objects.create(job="t-stale", slot=at("2026-12-01 01:00"),
                                          state=ScheduledRun.State.RUNNING, started_at=now - timedelta(hours=2),
                                          attempts=1)
    started = schedule.tick(now, names=["t-stale"])
    assert [r.pk for r in started] == [run.pk]
    run.refresh_from_db()
    assert run.state == ScheduledRun.State.QUEUED and "未结束" in run.error


def test_the_scheduler_command_ticks_once(django_capture_on_commit_callbacks):
    from io import StringIO

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once", stdout=out)
    assert "已安排 kernel-housekeeping" in out.getvalue()
    assert ScheduledRun.objects.filter(job="kernel-housekeeping", state=ScheduledRun.State.SUCCEEDED).exists()


def test_make_run_starts_the_worker_and_the_scheduler_and_restarts_them_when_they_die(tmp_path):
    """Issue 12 §5 (B-06): `make run` keeps the worker and the scheduler in restart loops beside the
    app server. The loops are taken from the Makefile itself and run against a `gongjian` that dies
    at once: each is started again."""
    import os
    import re
    import shutil
    import signal
    import subprocess
    import time as clock
    from pathlib import Path

    from django.conf import settings

    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    fake = tmp_path / "bin"
    fake.mkdir()
    starts = tmp_path / "starts"
    (fake / "gongjian").write_text(f'#!/bin/sh\necho "$1" >> {starts}\nexit 1\n')
    (fake / "gongjian").chmod(0o755)
    recipe = subprocess.run(["make", "-n", "run", f"BIN={fake}"], cwd=Path(settings.BASE_DIR),  # noqa: S603,S607
                            capture_output=True, text=True, check=True).stdout
    loops = re.findall(r"\(while true; do .*?; done\)", recipe)
    assert all(re.search(r"gongjian (\w+)", loop) for loop in loops)
    assert {m.group(1) for loop in loops if (m := re.search(r"gongjian (\w+)", loop))} == {"db_worker", "scheduler"}
    runners = [subprocess.Popen(["bash", "-c", loop.replace("sleep 2", "sleep 0.2")],  # noqa: S603,S607
                                stdout=subprocess.DEVNULL, start_new_session=True) for loop in loops]
    try:
        clock.sleep(2)
    finally:
        for runner in runners:  # the loop and whatever it started: its own process group
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
    started = starts.read_text().split()
    assert started.count("db_worker") >= 2 and started.count("scheduler") >= 2
