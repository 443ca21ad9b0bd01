"""Periodic jobs: one scheduler for the platform's sweeps, signing and housekeeping (B-05, T-02,
issue 12; ADR 0032).

A body of work registers its jobs in `AppConfig.ready()`:

    schedule.register(schedule.Job("disclosure-sweep", _("党务公开每日检查"), "disclosure_sweep",
                                   at=time(0, 30)))

`gongjian scheduler` (started by `make run` beside the worker) ticks every 30 seconds: for each job
it inserts a `ScheduledRun` for the latest slot that is due — the (job, slot) pair is unique, so of
two schedulers on two servers only one inserts it — and enqueues `run_scheduled` on the task queue
(django-tasks, database backend: one worker takes each task). The worker claims the run with one
conditional update (queued → running), so even a task enqueued twice runs once. A job that raises
is retried (`retries` times, 5, 10, 15 … minutes apart: the scheduler re-enqueues it when its
`retry_at` comes) and then shown as failed on the system administrator's page (计划任务). A run
left "running" for an hour (its worker died) is retried the same way. Missed slots are not replayed:
after downtime the latest due slot runs once. Each job is a management command, so an operator runs
the same thing by hand."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django_tasks import task

from .models import ScheduledRun

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=1)
RETRY_STEP = timedelta(minutes=5)


@dataclass(frozen=True)
class Job:
    name: str
    label: str | Promise
    command: str
    every: timedelta | None = None  # an interval job: slots every `every` (from midnight)
    at: time | None = None  # a daily job: one slot a day at this local time
    retries: int = 3
    args: tuple[str, ...] = ()
    weekday: int | None = None  # with at=: once a week on this day (0 = Monday … 6 = Sunday)

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"job {self.name!r} needs exactly one of every= and at=")
        if self.every is not None and self.every < timedelta(minutes=1):
            raise ValueError(f"job {self.name!r} runs at most once a minute")
        if self.weekday is not None and (self.at is None or not 0 <= self.weekday <= 6):
            raise ValueError(f"job {self.name!r}: weekday= needs at= and a day 0–6")

    def due_slot(self, now: datetime) -> datetime:
        """The latest slot at or before `now` (local time)."""
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.at is not None:
            today = midnight.replace(hour=self.at.hour, minute=self.at.minute)
            slot = today if local >= today else today - timedelta(days=1)
            if self.weekday is not None:
                slot -= timedelta(days=(slot.weekday() - self.weekday) % 7)
            return slot
        assert self.every is not None
        step = int(self.every.total_seconds())
        elapsed = int((local - midnight).total_seconds())
        return midnight + timedelta(seconds=elapsed - elapsed % step)

    def next_slot(self, now: datetime) -> datetime:
        due = self.due_slot(now)
        if self.every is not None:
            return due + self.every
        return due + timedelta(days=7 if self.weekday is not None else 1)


_JOBS: dict[str, Job] = {}


def register(job: Job) -> None:
    """Register a job (idempotent by name: `ready()` may run twice in tests)."""
    _JOBS[job.name] = job


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda j: j.name)


def job(name: str) -> Job:
    return _JOBS[name]


# --- the scheduler's tick --------------------------------------------------------------------------


def tick(now: datetime | None = None, *, names: Iterable[str] | None = None) -> list[ScheduledRun]:
    """Start what is due now; returns the runs enqueued by this tick (new slots and retries)."""
    now = now or timezone.now()
    started: list[ScheduledRun] = []
    chosen = [j for j in jobs() if names is None or j.name in set(names)]
    for item in chosen:
        slot = item.due_slot(now)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=item.name, slot=slot)
        except IntegrityError:
            continue  # this slot was started already (here or by another scheduler)
        started.append(run)
    # Runs whose worker died: retried like a failure.
    ScheduledRun.objects.filter(state=ScheduledRun.State.RUNNING, started_at__lt=now - STALE_AFTER).update(
        state=ScheduledRun.State.RETRYING, retry_at=now, error="运行超过一小时未结束（进程可能已退出），将重试")
    for run in ScheduledRun.objects.filter(state=ScheduledRun.State.RETRYING, retry_at__lte=now,
                                           job__in=[j.name for j in chosen]):
        claimed = ScheduledRun.objects.filter(pk=run.pk, state=ScheduledRun.State.RETRYING).update(
            state=ScheduledRun.State.QUEUED)
        if claimed:
            started.append(run)
    for run in started:
        transaction.on_commit(partial(run_scheduled.enqueue, run.pk))
    return started


@task()
def run_scheduled(run_id: int) -> str:
    """Run one scheduled run, once: claim it (queued → running), run its command, record the end."""
    now = timezone.now()
    claimed = ScheduledRun.objects.filter(pk=run_id, state=ScheduledRun.State.QUEUED).update(
        state=ScheduledRun.State.RUNNING, started_at=now, finished_at=None)
    if not claimed:
        return "skipped"
    run = ScheduledRun.objects.get(pk=run_id)
    run.attempts += 1
    ScheduledRun.objects.filter(pk=run_id).update(attempts=run.attempts)
    out = io.StringIO()
    try:
        item = job(run.job)
        call_command(item.command, *item.args, stdout=out, stderr=out)
    except Exception as exc:  # noqa: BLE001 — any failure of a job is recorded and retried, never lost
        logger.exception("scheduled job %s failed (attempt %s)", run.job, run.attempts)
        retries = _JOBS[run.job].retries if run.job in _JOBS else 0
        finished = timezone.now()
        fields = {"finished_at": finished, "error": f"{type(exc).__name__}: {exc}"[:500],
                  "output": out.getvalue()[-500:]}
        if run.attempts <= retries:
            fields.update(state=ScheduledRun.State.RETRYING, retry_at=finished + RETRY_STEP * run.attempts)
        else:
            fields.update(state=ScheduledRun.State.FAILED, retry_at=None)
        ScheduledRun.objects.filter(pk=run_id).update(**fields)
        return "failed"
    ScheduledRun.objects.filter(pk=run_id).update(
        state=ScheduledRun.State.SUCCEEDED, finished_at=timezone.now(), error="", retry_at=None,
        output=out.getvalue().strip()[-500:])
    return "succeeded"


# --- what the administrators read -------------------------------------------------------------------


@dataclass(frozen=True)
class JobStatus:
    job: Job
    last: ScheduledRun | None
    failures: list[ScheduledRun]
    next_slot: datetime


def status(now: datetime | None = None, *, failures: int = 5) -> list[JobStatus]:
    """Each job with its latest run, its recent failed runs and when it runs next."""
    now = now or timezone.now()
    names = [j.name for j in jobs()]
    latest = {name: ScheduledRun.objects.filter(job=name).order_by("-slot").first() for name in names}
    failed: dict[str, list[ScheduledRun]] = {}
    for run in ScheduledRun.objects.filter(job__in=names, state__in=[ScheduledRun.State.FAILED,
                                                                     ScheduledRun.State.RETRYING]
                                           ).order_by("-slot")[: failures * max(len(names), 1)]:
        failed.setdefault(run.job, []).append(run)
    return [JobStatus(j, latest.get(j.name), failed.get(j.name, [])[:failures], j.next_slot(now)) for j in jobs()]
