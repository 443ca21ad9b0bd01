"""Builders of campaign records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- campaigns (core) ---
# --- end campaigns ---

# --- assessments ---
# --- end assessments ---

# --- pledges ---
PLEDGE_TITLE = "每月走访留守妇女"  # (a statement first: the imports below start their own block)

from datetime import date as _date  # noqa: E402
from typing import Any as _Any  # noqa: E402

from gongjian.campaigns.models import Pledge, PledgeCategory, PledgeComment  # noqa: E402
from gongjian.campaigns.services import pledge as _pledge_services  # noqa: E402
from gongjian.kernel.models import User  # noqa: E402


def make_pledge(actor: User, *, publish: bool = True, **fields: _Any) -> Pledge:
    """A pledge of the actor's organisation through the service (published unless told)."""
    data = {"category": PledgeCategory.WOMEN, "title": PLEDGE_TITLE,
            "content": "每月走访留守妇女家庭不少于10户，帮助解决实际困难。", "measures": "分片包户",
            "due_on": _date(2026, 12, 31), "is_public": True, **fields}
    return _pledge_services.pledge_create(actor=actor, data=data, publish=publish)


def make_comment(pledge: Pledge, content: str = "这项承诺很实在，希望坚持下去。") -> PledgeComment:
    return _pledge_services.comment_submit(pledge=pledge, content=content, nickname="村民")
# --- end pledges ---

# --- commendations ---
DEEDS = "扎根基层，热心服务妇女群众，带领姐妹们发展特色种植，年年被评为先进，群众口碑好。"

from typing import Any  # noqa: E402

from django.utils import timezone  # noqa: E402

from gongjian.campaigns.models import Nomination, TitleKind  # noqa: E402
from gongjian.campaigns.services import commendation as commendation_services  # noqa: E402
from gongjian.kernel.models import Organization, Person  # noqa: E402


def women_of(org_name: str, n: int = 5) -> list[Person]:
    """Women registered in an organisation who hold no position (residents, not cadres)."""
    return list(Person.objects.filter(organization__name=org_name, gender="F", positions__isnull=True)
                .order_by("id")[:n])


def nominate(actor: User, *, kind: str = TitleKind.CIVILIZED_POST, deciding: str = "华阴市妇联",
             public_name: str = "太华路街道便民服务中心", person: Person | None = None,
             nominee_organization: Organization | None = None, submit: bool = True,
             **extra: Any) -> Nomination:
    """A nomination by the actor's organisation, submitted upward unless `submit=False`."""
    assert actor.acting is not None
    nomination = commendation_services.nomination_create(actor=actor, data={
        "organization": actor.acting.organization, "deciding_organization": Organization.objects.get(name=deciding),
        "kind": kind, "year": timezone.localdate().year, "person": person,
        "nominee_organization": nominee_organization, "public_name": public_name, "deeds": DEEDS, **extra})
    if submit:
        nomination = commendation_services.nomination_submit(actor=actor, nomination=nomination)
    return nomination
# --- end commendations ---

# --- study & supervision ---
NOTE_TEXT = "通过学习，我深刻认识到创先争优的重要意义。"

from datetime import date, timedelta  # noqa: E402

from gongjian.campaigns.models import (  # noqa: E402
    FollowUp,
    StudyDocument,
    StudyNote,
    SupervisionVisit,
)
from gongjian.campaigns.services import study as study_services  # noqa: E402
from gongjian.campaigns.services import supervision as supervision_services  # noqa: E402


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
