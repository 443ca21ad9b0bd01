"""Importing rosters of people from .xlsx/.csv: checked row by row, all or nothing, idempotent.

One pipeline (`pipeline.run_import`) serves the staff page, `gongjian import-people FILE --org ID`
and, through a small hook (`ImportKind`), the attendance import of womenshome:

* rows are streamed from the file (`tabular.stream_table`) and handled in batches, so memory
  stays flat however long the roster is;
* every row is checked by `people.check_person_row`, which asks the person rule book
  (`kernel.people.person_clean`): an import says of a bad value what the staff form says;
  every bad row is listed with its spreadsheet row number and a reason in Chinese; a dry run
  writes nothing, and a real run writes nothing unless every row is good (one transaction);
* the natural key is the ID number (its blind index), so importing the same file twice adds
  nothing (B-04): a person already registered in the organisation's subtree is left as is; a
  number is registered once per county (ADR 0026): one taken elsewhere in the county is a row
  problem naming nobody, one taken only in another county is new, as if unregistered;
* each batch's database work (`store`: plain SQL) runs on a writer thread (`writer`) while the
  next batch is checked and sealed (ADR 0021);
* one audit record per import names the file by its SHA-256, the organisation and the counts.
  People are written in bulk, so django-simple-history keeps no per-row history for an import;
  the audit record is the trail.
"""

from .people import (
    PEOPLE_TEMPLATE_HEADERS,
    PEOPLE_TEMPLATE_NOTES,
    PERSON_HEADER_ALIASES,
    POLITICAL_STATUS_LABELS,
    PersonRow,
    check_person_row,
    people_template,
    quick_id,
)
from .pipeline import BATCH_SIZE, ImportKind, Stored, import_people, registered_in, run_import
from .report import ImportReport, RowProblem
from .store import PERSON_COLUMNS

__all__ = [
    "BATCH_SIZE",
    "PEOPLE_TEMPLATE_HEADERS",
    "PEOPLE_TEMPLATE_NOTES",
    "PERSON_COLUMNS",
    "PERSON_HEADER_ALIASES",
    "POLITICAL_STATUS_LABELS",
    "ImportKind",
    "ImportReport",
    "PersonRow",
    "RowProblem",
    "Stored",
    "check_person_row",
    "import_people",
    "people_template",
    "quick_id",
    "registered_in",
    "run_import",
]
