"""Records of campaigns for the role x route matrix (kernel/tests/test_matrix.py): one maker per
record type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gongjian.campaigns.models import Campaign, CampaignState, Phase
from gongjian.kernel.tests.matrix import Place


# --- campaigns (core) ---
def campaign(place: Place) -> Campaign:
    # A draft: an issued campaign is meant to reach the organisations below its issuer (a township
    # reads its county's campaign, `Below` in rules.py, tested there), which the matrix would count
    # as the county's record leaking. A draft reaches only the issuer's subtree.
    return Campaign.objects.create(title="矩阵测试活动", organization=place.federation, starts_on=date(2026, 3, 1),
                                   plan_due=date(2026, 4, 1), state=CampaignState.DRAFT)


def phase(place: Place) -> Phase:
    return Phase.objects.create(campaign=campaign(place), name="广泛发动", starts_on=date(2026, 3, 1))


from django.utils import timezone  # noqa: E402  (in this section: merges stay clean)

from gongjian.campaigns.models import PlanAttachment, PlanRevision, PlanStatus, PlanSubmission  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file  # noqa: E402


def plan(place: Place) -> PlanSubmission:
    # The place's own plan (its federation both issues and is targeted: the reach is the target's).
    return PlanSubmission.objects.create(campaign=campaign(place), organization=place.federation,
                                         status=PlanStatus.ON_TIME, title="矩阵测试方案",
                                         first_submitted_on=date(2026, 3, 10), submitted_at=timezone.now(),
                                         revision=1)


def plan_attachment(place: Place) -> PlanAttachment:
    found = plan(place)
    revision = PlanRevision.objects.create(plan=found, number=1, title=found.title, submitted_at=timezone.now())
    return PlanAttachment.objects.create(revision=revision, file=stored_file(place.federation))
# --- end campaigns ---

# --- assessments ---
# isort: split
from gongjian.campaigns.models import Assessment, CriteriaSet, Criterion, Evidence, Score  # noqa: E402


def criteria_set(place: Place) -> CriteriaSet:
    return CriteriaSet.objects.create(title="矩阵测试考评", organization=place.federation, year=2026)


def assessment(place: Place) -> Assessment:
    # The place's federation both owns the set and is its subject: its own staff reach it either way,
    # and the other places' personas through neither.
    return Assessment.objects.create(criteria_set=criteria_set(place), organization=place.federation)


def evidence(place: Place) -> Evidence:
    found = assessment(place)
    criterion = Criterion.objects.create(criteria_set=found.criteria_set, name="组织机构好")
    score = Score.objects.create(assessment=found, criterion=criterion)
    return Evidence.objects.create(score=score, file=stored_file(place.federation))
# --- end assessments ---

# --- pledges ---
from gongjian.campaigns.models import (  # noqa: E402
    Pledge,
    PledgeCategory,
    PledgeComment,
    PledgeState,
    PledgeUpdate,
)


def pledge(place: Place) -> Pledge:
    return Pledge.objects.create(organization=place.federation, category=PledgeCategory.SERVICE, title="矩阵测试承诺",
                                 content="矩阵测试承诺内容，每月走访。", due_on=date(2026, 12, 31),
                                 state=PledgeState.PUBLISHED)


def pledge_update(place: Place) -> PledgeUpdate:
    return PledgeUpdate.objects.create(pledge=pledge(place), date=date(2026, 4, 1), text="矩阵测试进展",
                                       photo=stored_file(place.federation))


def pledge_comment(place: Place) -> PledgeComment:
    return PledgeComment.objects.create(pledge=pledge(place), content="矩阵测试留言内容")
# --- end pledges ---

# --- commendations ---
from gongjian.campaigns.models import Nomination, NominationFile, NominationState, TitleKind  # noqa: E402
from gongjian.kernel.models import Organization  # noqa: E402


def nomination(place: Place) -> Nomination:
    """A submitted nomination of the place's federation, to be decided by the federation above."""
    parents = Organization.objects.filter(path=place.federation.path[:-place.federation.steplen],
                                          kind__in=Organization.FEDERATION_KINDS)
    decider = parents.first() or place.federation
    return Nomination.objects.create(
        organization=place.federation, deciding_organization=decider, kind=TitleKind.CIVILIZED_POST,
        year=2026, public_name="矩阵测试岗", deeds="矩阵测试的先进事迹，内容足够长，用于权限测试。",
        state=NominationState.SUBMITTED)


def nomination_file(place: Place) -> NominationFile:
    return NominationFile.objects.create(nomination=nomination(place), file=stored_file(place.federation))
# --- end commendations ---

# --- study & supervision ---
from gongjian.campaigns.models import (  # noqa: E402
    FollowUp,
    Meeting,
    MeetingKind,
    ResearchReport,
    StudyDocument,
    StudyNote,
    SupervisionVisit,
)
from gongjian.kernel.tests.matrix import person  # noqa: E402


def _downward_issuer(place: Place) -> Organization:
    """Who issues a record that reaches downward (a study document, a visit) for the place. At a
    county it is the county's party committee: the matrix's "another county" of a township lead is
    her own county when hers comes first in its list (灵沙乡 under 平罗县), and her county's
    federation's documents and visits to her are meant to reach her (`Below`, tested in
    test_study.py and test_supervision.py); the party line's do not."""
    return place.party if place.federation.depth == 1 else place.federation


def study_document(place: Place) -> StudyDocument:
    issuer = _downward_issuer(place)
    return StudyDocument.objects.create(organization=issuer, title="矩阵测试学习文件", body="正文",
                                        published_on=date(2026, 3, 1), attachment=stored_file(issuer))


def study_note(place: Place) -> StudyNote:
    return StudyNote.objects.create(organization=place.federation, author=person(place), title="矩阵测试心得",
                                    text="学习心得内容", written_on=date(2026, 3, 2))


def supervision_visit(place: Place) -> SupervisionVisit:
    # The visit of the place's superior to the place; of a county (nobody above it): the county
    # party committee's visit to the first committee below it (see `_downward_issuer`).
    issuer = _downward_issuer(place)
    parent = Organization.objects.get_parent(issuer) if issuer == place.federation else None
    visitor, visited = (parent, issuer) if parent is not None else (
        issuer, Organization.objects.get_children(issuer).first())
    return SupervisionVisit.objects.create(organization=visitor, visited=visited, visited_on=date(2026, 6, 1),
                                           findings="督查发现")


def followup(place: Place) -> FollowUp:
    return FollowUp.objects.create(visit=supervision_visit(place), item="整改事项", due_on=date(2026, 7, 1))


def meeting(place: Place) -> Meeting:
    return Meeting.objects.create(organization=place.federation, kind=MeetingKind.SYMPOSIUM, title="座谈会",
                                  held_on=date(2026, 5, 1), minutes="纪要", head_count=10)


def research_report(place: Place) -> ResearchReport:
    return ResearchReport.objects.create(organization=place.federation, title="调研报告", body="正文",
                                         written_on=date(2026, 5, 1), attachment=stored_file(place.federation))
# --- end study & supervision ---


RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- campaigns (core) ---
    Campaign: campaign,
    Phase: phase,
    PlanSubmission: plan,
    PlanAttachment: plan_attachment,
    # --- end campaigns ---

    # --- assessments ---
    CriteriaSet: criteria_set,
    Assessment: assessment,
    Evidence: evidence,
    # --- end assessments ---

    # --- pledges ---
    Pledge: pledge,
    PledgeUpdate: pledge_update,
    PledgeComment: pledge_comment,
    # --- end pledges ---

    # --- commendations ---
    Nomination: nomination,
    NominationFile: nomination_file,
    # --- end commendations ---

    # --- study & supervision ---
    StudyDocument: study_document,
    StudyNote: study_note,
    SupervisionVisit: supervision_visit,
    FollowUp: followup,
    Meeting: meeting,
    ResearchReport: research_report,
    # --- end study & supervision ---
}
