"""Builders of campaign records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- campaigns (core) ---
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
# --- end pledges ---

# --- commendations ---
# --- end commendations ---

# --- study & supervision ---
NOTE_TEXT = "通过学习，我深刻认识到创先争优的重要意义。"

from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from django.utils import timezone  # noqa: E402

from gongjian.campaigns.models import (  # noqa: E402
    FollowUp,
    StudyDocument,
    StudyNote,
    SupervisionVisit,
)
from gongjian.campaigns.services import study as study_services  # noqa: E402
from gongjian.campaigns.services import supervision as supervision_services  # noqa: E402
from gongjian.kernel.models import Organization, User  # noqa: E402


def study_document(actor: User, **data: Any) -> StudyDocument:
    """A study document issued by the actor's organisation."""
    values = {"title": "学习提纲", "body": "学习内容", "published_on": timezone.localdate(), **data}
    return study_services.document_issue(actor=actor, data=values)


def study_note(actor: User, **data: Any) -> StudyNote:
    """A 学习心得 of the actor herself (a cadre of her organisation), written today."""
    author = data.pop("author", None) or actor.person
    values = {"title": "学习体会", "text": NOTE_TEXT, **data}
    return study_services.note_write(actor=actor, author=author, data=values)


def visit(actor: User, visited: Organization, **data: Any) -> SupervisionVisit:
    values = {"visited_on": timezone.localdate(), "findings": "台账不规范。", **data}
    return supervision_services.visit_record(actor=actor, visited=visited, data=values)


def followup(actor: User, visit: SupervisionVisit, *, due_on: date | None = None, item: str = "规范台账") -> FollowUp:
    due = due_on or timezone.localdate() + timedelta(days=10)
    return supervision_services.followup_add(actor=actor, visit=visit, item=item, due_on=due)
# --- end study & supervision ---
