"""Builders of campaign records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- campaigns (core) ---
from datetime import date as _date
from typing import Any as _Any

from gongjian.campaigns.models import Campaign as _Campaign
from gongjian.campaigns.models import PlanSubmission as _PlanSubmission
from gongjian.campaigns.services import campaign as _campaign_services

FOUR_PHASES = [
    {"name": "广泛发动，安排部署", "starts_on": _date(2026, 3, 1), "ends_on": _date(2026, 3, 31), "tasks": "成立领导小组"},
    {"name": "全面争创，扎实推进", "starts_on": _date(2026, 4, 1), "ends_on": _date(2026, 9, 30), "tasks": ""},
    {"name": "树立典型，巩固提高", "starts_on": _date(2026, 10, 1), "ends_on": _date(2026, 11, 30), "tasks": ""},
    {"name": "系统总结，完善机制", "starts_on": _date(2026, 12, 1), "ends_on": _date(2026, 12, 31), "tasks": ""},
]


def draft_campaign(actor: _Any, *, title: str = "测试创先争优活动", plan_due: _date | None = _date(2026, 3, 20),
                   target_kinds: list[str] | None = None, targets: list[_Any] | None = None,
                   co_issuers: list[_Any] | None = None, **data: _Any) -> _Campaign:
    """A draft campaign of the actor's organisation (targets: the townships below it by default)."""
    fields = {"title": title, "theme": "strong_org", "lines": ["study", "livelihood"], "starts_on": _date(2026, 3, 1),
              "ends_on": _date(2026, 12, 31), "plan_due": plan_due,
              "target_kinds": ["township_fed"] if target_kinds is None and not targets else (target_kinds or []),
              **data}
    return _campaign_services.campaign_create(actor=actor, data=fields, co_issuers=co_issuers or [],
                                              targets=targets or [], phases=FOUR_PHASES)


def issued_campaign(actor: _Any, **kwargs: _Any) -> _Campaign:
    """A campaign issued by the actor (a federation lead): its plans exist."""
    campaign = draft_campaign(actor, **kwargs)
    return _campaign_services.campaign_issue(actor=actor, campaign=campaign)


def plan_of(campaign: _Campaign, org_name: str) -> _PlanSubmission:
    return _PlanSubmission.objects.get(campaign=campaign, organization__name=org_name)
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
PLEDGE_TITLE = "每月走访留守妇女"  # (a statement first: the imports below start their own block)

from datetime import date as _date  # noqa: E402

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
