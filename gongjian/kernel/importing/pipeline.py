"""The one import pipeline: a roster file in, people registered, all or nothing.

    open the table → per batch of rows: check each row (`people.check_person_row`), drop in-file
    duplicates, seal ID numbers and mobiles → the batch's database work (look up who is
    registered, insert the others) on the batch writer → the kind's own step for the batch →
    after the last batch: rolled back on any problem or in a dry run, else the kind's closing
    step (its audit record) and commit.

A kind of import (`ImportKind`) is a small hook on this pipeline: people alone
(`import_people`), or the attendance of an activity (womenshome), which records each person it
placed as attending.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .. import audit
from .. import people as rules
from ..models import Organization, User
from ..permissions import ensure_can
from ..tabular import NO_DATA_MESSAGE, Row, TableError, stream_table
from . import store
from .people import (
    PEOPLE_REQUIRED,
    PERSON_HEADER_ALIASES,
    REGISTERED_ELSEWHERE,
    RosterScope,
    check_person_row,
    person_columns,
)
from .report import ImportReport, RowProblem
from .writer import BatchWriter, InlineWriter

BATCH_SIZE = 2000


class Prepared(NamedTuple):
    """A good row, ready to look up and write."""

    id_number: str
    id_index: str
    organization_id: int
    #: The county whose registry she joins (`kernel.people.registry_of` her organisation).
    registry: str
    #: The new person's column values (`store.person_values`); empty in a dry run.
    values: tuple[Any, ...]


@dataclass(slots=True)
class Checked:
    """One batch's good rows, and the spreadsheet row number of each ID number."""

    good: list[Prepared]
    numbers: dict[str, int]


@dataclass(slots=True)
class Stored:
    """What one batch's database work found: the people this import registers (their registry
    and ID blind index: `ImportKind.created_ids` finds their ids) and those registered already
    in the organisation's jurisdiction (their ids)."""

    created: list[tuple[str, str]]
    existing: list[int]
    #: False in a dry run or once there is a problem: nothing was written, only looked up.
    written: bool


class ImportKind:
    """What a kind of import adds to the pipeline. The base registers people and nothing more."""

    kind = "people"
    #: Whether `batch_stored` may run on the writer thread: only if it uses nothing but the
    #: connection it is given (the ORM would use the thread's own connection).
    on_writer_thread = True

    def __init__(self, organization: Organization) -> None:
        self.organization = organization

    @cached_property
    def jurisdiction(self) -> rules.Jurisdiction:
        """The organisation's subtree, loaded once per import (the pipeline asks first, on the
        caller's thread): where rows may place people, and who counts as registered here."""
        return rules.jurisdiction_under(self.organization)

    def created_ids(self, db: BaseDatabaseWrapper, stored: Stored) -> list[int]:
        """The ids of the people a batch registered (one query per registry and 900 people)."""
        return [hit.person_id for hit in registered_in(stored.created, self.jurisdiction, db).values()]

    def conflict_message(self) -> str:
        """What the report says when someone registered the same person meanwhile."""
        return "导入时有人同时登记了相同的人员，未导入任何数据，请重新导入"

    def batch_stored(self, db: BaseDatabaseWrapper, stored: Stored) -> None:
        """After each batch's people were looked up (and, in a real run, written)."""

    def tally(self, report: ImportReport) -> None:
        """Put this kind's own counts in the report (the writer is done)."""

    def committed(self, report: ImportReport) -> None:
        """Every row was good and is written: leave the audit record (same transaction)."""


class PeopleImport(ImportKind):
    """A roster registered under an organisation, audited as one `kernel.person.imported`."""

    def __init__(self, organization: Organization, *, actor: User | None, source: str) -> None:
        super().__init__(organization)
        self.actor = actor
        self.source = source

    def committed(self, report: ImportReport) -> None:
        audit.record(None, "kernel.person.imported", actor=self.actor, username=self.source,
                     organization=self.organization if self.actor is None else None,
                     object_type="kernel.organization", object_id=str(self.organization.pk),
                     changes={"file_sha256": report.file_sha256, "rows": report.rows,
                              "created": report.created, "existing": report.existing,
                              "source": self.source})


def import_people(*, actor: User | None, organization: Organization, data: bytes, filename: str,
                  dry_run: bool = True, source: str = "web", batch_size: int = BATCH_SIZE) -> ImportReport:
    """Register the people of a roster under `organization` (or its villages, by the 村/社区 column).

    `actor` None means the command line (an operator on the server); otherwise the actor must be
    allowed to add people in the organisation."""
    if actor is not None:
        ensure_can(actor, "kernel.add_person", organization)
    return run_import(PeopleImport(organization, actor=actor, source=source), data=data, filename=filename,
                      dry_run=dry_run, batch_size=batch_size)


def registered_in(pairs: Iterable[tuple[str, str]], jurisdiction: rules.Jurisdiction,
                  db: BaseDatabaseWrapper) -> dict[tuple[str, str], rules.Registration]:
    """{(registry, ID blind index): Registration} of the numbers taken in their registry (county),
    asked per registry (`kernel.people.registrations`): a number registered only in another
    county is absent, exactly as one nobody has registered (ADR 0026). An import registers into
    one county unless its organisation's subtree spans two."""
    by_registry: dict[str, list[str]] = {}
    for registry, index in pairs:
        by_registry.setdefault(registry, []).append(index)
    found: dict[tuple[str, str], rules.Registration] = {}
    for registry, indexes in by_registry.items():
        for index, hit in rules.registrations(indexes, registry=registry, jurisdiction=jurisdiction,
                                              db=db).items():
            found[registry, index] = hit
    return found


class _Rollback(Exception):
    pass


def run_import(kind: ImportKind, *, data: bytes, filename: str, dry_run: bool,
               batch_size: int = BATCH_SIZE) -> ImportReport:
    """Run the pipeline for one file: checked row by row, all or nothing, idempotent."""
    report = ImportReport(kind=kind.kind, dry_run=dry_run)
    opened = open_table(data, filename, report)
    if opened is None:
        return report
    mapping, rows = opened
    run = _Run(kind, report, mapping, dry_run)
    writer = BatchWriter(run.store) if kind.on_writer_thread else InlineWriter(run.store)
    try:
        with transaction.atomic():
            with writer:
                try:
                    for batch in batched(rows, batch_size):
                        writer.submit(run.check(batch))
                except TableError as exc:
                    report.add_problem(0, exc.message)
            run.tally()
            if report.rows == 0 and report.problem_count == 0:
                report.add_problem(0, NO_DATA_MESSAGE)
            if dry_run or not report.ok:
                raise _Rollback
            kind.committed(report)
            report.committed = True
    except _Rollback:
        pass
    except IntegrityError:
        report.add_problem(0, kind.conflict_message())
    return report


def open_table(data: bytes, filename: str, report: ImportReport,
               ) -> tuple[dict[str, int], Iterator[Row]] | None:
    """(column mapping, rows of just those columns), or None with the file's problem reported."""
    report.file_sha256 = hashlib.sha256(data).hexdigest()
    try:
        table = stream_table(data, filename, header_aliases=PERSON_HEADER_ALIASES)
        mapping = table.map_headers(required=PEOPLE_REQUIRED)
    except TableError as exc:
        report.add_problem(0, exc.message)
        return None
    return table.select(mapping)


def batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class _Run:
    """The state of one run. `check` runs on the caller's thread; `store` on the writer, which
    keeps its findings apart (`created`, `existing`, `elsewhere`) until `tally`."""

    kind: ImportKind
    report: ImportReport
    mapping: dict[str, int]
    dry_run: bool
    seen: dict[str, int] = field(default_factory=dict)
    created: int = 0
    existing: int = 0
    elsewhere: list[RowProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        jurisdiction = self.kind.jurisdiction  # loaded here, on the caller's thread
        self.columns = person_columns(self.mapping)
        self.scope = RosterScope.of(self.kind.organization, jurisdiction)
        self.organization_ids = jurisdiction.organizations.keys()
        self.elsewhere_message = str(REGISTERED_ELSEWHERE)  # translated here, not on the writer

    def prepare(self, rows: list[Row]) -> list[Prepared | str]:
        """Check a batch; good rows become Prepared (sealed column values in a real run, else
        only the blind index for the lookup), bad rows their reason."""
        columns, scope = self.columns, self.scope
        results = [check_person_row(row, columns, scope) for row in rows]
        good = [r for r in results if not isinstance(r, str)]
        if self.dry_run:
            values: Iterator[tuple[Any, ...]] = iter([() for _ in good])
            indexes = iter(store.id_indexes([p.id_number for p in good]))
        else:
            sealed = store.seal([(p.id_number, p.mobile) for p in good])
            values = iter(store.person_values(good, sealed))
            indexes = iter([item[1] for item in sealed])
        return [r if isinstance(r, str)
                else Prepared(r.id_number, next(indexes), r.organization_id, r.registry, next(values))
                for r in results]

    def check(self, rows: list[Row]) -> Checked:
        """The batch's good rows; every bad row and in-file duplicate goes to the report."""
        report, seen = self.report, self.seen
        checked = Checked([], {})
        for row, result in zip(rows, self.prepare(rows), strict=True):
            number = row.number
            report.rows += 1
            if isinstance(result, str):
                report.add_problem(number, result)
                continue
            first = seen.get(result.id_number)
            if first is not None:
                report.add_problem(number, f"身份证号码与第 {first} 行重复")
                continue
            seen[result.id_number] = checked.numbers[result.id_number] = number
            if result.organization_id not in self.organization_ids:  # never outside the chosen organisation
                report.add_problem(number, "所属组织不在导入范围内")
                continue
            checked.good.append(result)
        return checked

    def sort_registered(self, db: BaseDatabaseWrapper, batch: list[Prepared], numbers: dict[str, int],
                        ) -> tuple[list[Prepared], list[int]]:
        """(those not registered yet, ids of those registered in the organisation's jurisdiction);
        one registered in the same county outside it is a problem that names nobody (an ID number
        is registered once per county), and one registered only in another county is new (ADR 0026)."""
        found = registered_in(((p.registry, p.id_index) for p in batch), self.kind.jurisdiction, db)
        new, existing = [], []
        for p in batch:
            hit = found.get((p.registry, p.id_index))
            if hit is None:
                new.append(p)
            elif hit.within_jurisdiction:
                existing.append(hit.person_id)
            else:
                self.elsewhere.append(RowProblem(numbers[p.id_number], self.elsewhere_message))
        return new, existing

    def store(self, db: BaseDatabaseWrapper, checked: Checked) -> None:
        """The database work of one batch (on the writer)."""
        batch, numbers = checked.good, checked.numbers
        if self.dry_run or self.report.problem_count or self.elsewhere:  # nothing will be kept: only count
            new, existing = self.sort_registered(db, batch, numbers)
            stored = Stored([(p.registry, p.id_index) for p in new], existing, written=False)
        elif store.upsert_limit(db) > 0:
            inserted = store.insert_unregistered([p.values for p in batch], db)
            # Only the rows the database skipped are looked up: registered here, or elsewhere?
            _none, existing = self.sort_registered(db, [p for p in batch if p.id_index not in inserted], numbers)
            stored = Stored([(p.registry, p.id_index) for p in batch if p.id_index in inserted], existing,
                            written=True)
        else:
            new, existing = self.sort_registered(db, batch, numbers)
            written = not (self.report.problem_count or self.elsewhere)
            if written:
                store.write_people([p.values for p in new], db)
            stored = Stored([(p.registry, p.id_index) for p in new], existing, written=written)
        self.created += len(stored.created)
        self.existing += len(stored.existing)
        self.kind.batch_stored(db, stored)

    def tally(self) -> None:
        report = self.report
        report.created, report.existing = self.created, self.existing
        report.merge_problems(self.elsewhere)
        self.kind.tally(report)
