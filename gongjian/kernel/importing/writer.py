"""Where each batch's database work runs: on a second thread (people), or right away (a kind of
import whose work needs the ORM)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

Batch = TypeVar("Batch")
Work = Callable[[BaseDatabaseWrapper, Batch], None]


class BatchWriter(Generic[Batch]):
    """Does each batch's database work on a second thread, on the caller's connection and inside
    its transaction, while the caller reads, checks and seals the next batch.

    The database does its part (SQLite's B-tree work, PostgreSQL's whole server side) without
    holding Python's lock, so the two overlap on a two-core machine (ADR 0021). The caller must
    not use the connection until the block ends; `work` must use only the connection it is
    given (the ORM would take the thread's own connection, outside the transaction). An error in
    `work` stops the rest and is raised when the block ends."""

    def __init__(self, work: Work[Batch]) -> None:
        self.work = work
        self.db = connections[DEFAULT_DB_ALIAS]  # the caller's connection, not the thread's own
        self.batches: queue.Queue[tuple[Batch] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="gongjian-import-writer", daemon=True)

    def __enter__(self) -> BatchWriter[Batch]:
        self.db.inc_thread_sharing()
        self.thread.start()
        return self

    def submit(self, batch: Batch) -> None:
        self.batches.put((batch,))

    def _run(self) -> None:
        while (item := self.batches.get()) is not None:
            if self.error is None and not self.stopping:
                try:
                    self.work(self.db, item[0])
                except BaseException as exc:  # handed to the caller's thread
                    self.error = exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        self.stopping = exc is not None
        self.batches.put(None)
        self.thread.join()
        self.db.dec_thread_sharing()
        if exc is None and self.error is not None:
            raise self.error


class InlineWriter(Generic[Batch]):
    """The same interface, doing each batch's work at once on the caller's thread."""

    def __init__(self, work: Work[Batch]) -> None:
        self.work = work
        self.db = connections[DEFAULT_DB_ALIAS]

    def __enter__(self) -> InlineWriter[Batch]:
        return self

    def submit(self, batch: Batch) -> None:
        self.work(self.db, batch)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        return None
