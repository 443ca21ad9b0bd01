"""A task for the two-instance test (test_scaleout.py): it counts its own runs in the shared
rate-counter table and answers which worker process ran it."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def count_run(n: int) -> int:
    from gongjian.kernel import ratelimit

    ratelimit.hit(f"scaleout-task:{n}", limit=1, window_seconds=24 * 3600)
    time.sleep(0.1)  # long enough that both workers are busy at once
    return os.getpid()
