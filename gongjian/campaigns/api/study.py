"""API of 学习教育 and 督查指导 for the cadres' phone clients: the study documents, 学习心得 (read
and written), the counts per organisation below, and the follow-ups an organisation answers.
Same rules, reach and errors as the pages (selectors for reads, services for writes)."""

from datetime import date

from ninja import Router, Schema, Status

from gongjian.kernel import access, deadlines
from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from ..forms.study import StudyNoteForm
from ..forms.supervision import AnswerForm
from ..models import FollowUp, FollowUpState, StudyDocument, StudyNote
from ..selectors import study as study_selectors
from ..selectors import supervision as supervision_selectors
from ..services import study as study_services
from ..services import supervision as supervision_services

router = Router(auth=token_auth)


class StudyDocumentOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    campaign_id: int | None
    title: str
    summary: str
    body: str
    published_on: date
    has_attachment: bool
    note_count: int

    @staticmethod
    def resolve_organization_name(obj: StudyDocument) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_has_attachment(obj: StudyDocument) -> bool:
        return obj.attachment_id is not None


@router.get("/study/documents", response=list[StudyDocumentOut])
@requires("campaigns.view_study")
def study_document_list(request: AuthedRequest, page: int = 1) -> list[StudyDocument]:
    return paginate(study_selectors.document_list_visible_to(user=request.user), page=page, per_page=50).rows


class StudyNoteOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    author_id: int
    author_name: str
    document_id: int | None
    campaign_id: int | None
    title: str
    text: str
    written_on: date

    @staticmethod
    def resolve_organization_name(obj: StudyNote) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_author_name(obj: StudyNote) -> str:
        return obj.author.name


@router.get("/study/notes", response=list[StudyNoteOut])
@requires("campaigns.view_study", objects={"org": Organization})
def study_note_list(request: AuthedRequest, org: int | None = None, page: int = 1) -> list[StudyNote]:
    organization = study_selectors.organization_for_user(user=request.user, organization_id=org)
    notes = study_selectors.note_list_visible_to(user=request.user, organization=organization)
    return paginate(notes, page=page, per_page=50).rows


class StudyNoteIn(Schema):
    author_id: int
    document_id: int | None = None
    title: str
    text: str
    written_on: date | None = None


@router.post("/study/notes", response={201: StudyNoteOut})
@requires("campaigns.write_study_note")
def study_note_write(request: AuthedRequest, payload: StudyNoteIn) -> Status:
    """Write a 学习心得 in the acting organisation's name (its cadres and women party members)."""
    form = StudyNoteForm(data={
        "author": payload.author_id, "document": payload.document_id or "", "title": payload.title,
        "text": payload.text, "written_on": payload.written_on or date.today()}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    note = study_services.note_write(actor=request.user, author=form.cleaned_data["author"], data=form.cleaned_data)
    return Status(201, note)


class CountOut(Schema):
    organization_id: int
    organization_name: str
    notes: int
    writers: int

    @staticmethod
    def resolve_organization_id(obj: study_selectors.CountRow) -> int:
        return obj.organization.pk

    @staticmethod
    def resolve_organization_name(obj: study_selectors.CountRow) -> str:
        return obj.organization.name


class CountBoardOut(Schema):
    start: date
    end: date
    total: CountOut
    rows: list[CountOut]


@router.get("/study/counts", response=CountBoardOut)
@requires("campaigns.view_study", objects={"org": Organization})
def study_counts(request: AuthedRequest, org: int | None = None, start: date | None = None,
                 end: date | None = None) -> dict[str, object]:
    """学习心得 written in the period by the organisation's subtree and by each unit directly below it."""
    organization = study_selectors.organization_for_user(user=request.user, organization_id=org)
    first, last = study_selectors.period(start, end)
    total, rows = study_selectors.count_board(organization=organization, start=first, end=last)
    return {"start": first, "end": last, "total": total, "rows": rows}


class FollowUpOut(Schema):
    id: int
    visit_id: int
    visitor_id: int
    visitor_name: str
    visited_id: int
    item: str
    due_on: date
    state: Choice[FollowUpState]
    due_status: Choice[deadlines.DueStatus]
    answer: str
    answered_on: date | None
    return_reason: str

    @staticmethod
    def resolve_visitor_id(obj: FollowUp) -> int:
        return obj.visit.organization_id

    @staticmethod
    def resolve_visitor_name(obj: FollowUp) -> str:
        return obj.visit.organization.name

    @staticmethod
    def resolve_visited_id(obj: FollowUp) -> int:
        return obj.visit.visited_id

    @staticmethod
    def resolve_due_status(obj: FollowUp) -> deadlines.DueStatus:
        return obj.due_status()


@router.get("/supervision/followups", response=list[FollowUpOut])
@requires("campaigns.view_supervision")
def followup_list(request: AuthedRequest) -> list[FollowUp]:
    """The follow-ups the acting organisation has to answer (or has answered, not yet confirmed)."""
    organization = access.acting_organization_required(request.user)
    return list(supervision_selectors.followups_for_organization(user=request.user, organization=organization)[:200])


class AnswerIn(Schema):
    answer: str


@router.post("/supervision/followups/{followup_id}/answer", response=FollowUpOut)
@requires("campaigns.answer_followup", objects={"followup_id": FollowUp})
def followup_answer(request: AuthedRequest, followup_id: int, payload: AnswerIn) -> FollowUp:
    followup = supervision_selectors.followup_get_for_user(user=request.user, followup_id=followup_id)
    form = AnswerForm(data={"answer": payload.answer})
    if not form.is_valid():
        raise form_invalid(form)
    return supervision_services.followup_answer(actor=request.user, followup=followup,
                                                answer=form.cleaned_data["answer"])
