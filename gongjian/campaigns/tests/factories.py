"""Builders of campaign records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- campaigns (core) ---
# --- end campaigns ---

# --- assessments ---
# isort: split
from gongjian.campaigns.models import Assessment, Campaign, CriteriaSet  # noqa: E402
from gongjian.campaigns.services import assessment as assessment_services  # noqa: E402
from gongjian.kernel.tests.matrix import persona  # noqa: E402


def criteria_set_made(*, owner: str = "huayin_fed", year: int = 2026, campaign: Campaign | None = None,
                      kind: str = "five_good", subjects: str = "township_fed") -> CriteriaSet:
    """A set made by `owner` from a template, with every organisation of `subjects` below it."""
    actor = persona(owner)
    made = assessment_services.criteria_set_create(actor=actor, kind=kind, year=year, campaign=campaign)
    if subjects and made.subject_kind == "organization":
        assessment_services.assessments_create_for_kind(actor=actor, criteria_set=made, kind=subjects)
    return made


def self_assessed(assessment: Assessment, *, by: str, scores: list[int | str | None],
                  submit: bool = True) -> Assessment:
    """The subject's self-scores, one per criterion in order (a note and a link each)."""
    rows = list(assessment.scores.order_by("criterion__sort_order"))
    entries = {row.criterion_id: {"self_score": value, "self_note": "自查说明", "evidence_links": "/work/records/1"}
               for row, value in zip(rows, scores, strict=False)}
    return assessment_services.assessment_self_assess(actor=persona(by), assessment=assessment, entries=entries,
                                                      summary="自评总结", submit=submit)


def scored(assessment: Assessment, *, by: str = "huayin_fed", scores: list[int | str | None]) -> Assessment:
    """The superior's scores for the criteria scored by hand, in order."""
    rows = [r for r in assessment.scores.select_related("criterion").order_by("criterion__sort_order")
            if not r.criterion.figure_code]
    entries = {row.criterion_id: {"score": value, "comment": "评语"} for row, value in zip(rows, scores, strict=False)}
    return assessment_services.assessment_score(actor=persona(by), assessment=assessment, entries=entries)
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
# --- end study & supervision ---
