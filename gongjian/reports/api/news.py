"""API of 信息报送 (a contract; paths and fields as issue 14 names them): GET/POST
/api/v1/news-submissions, GET /api/v1/news-submissions/{id}, POST .../{id}/adopt and .../{id}/return.
Same reach, rules and Chinese errors as the pages (the services underneath). Photos are added on
the pages (a phone's camera); the API lists them with their captions and addresses."""

from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.selectors import paginate

from ..models.news import NewsState, NewsSubmission
from ..selectors import news as selectors
from ..services import news as services

router = Router(auth=token_auth)


class Box(models.TextChoices):
    """Which pieces a list answers with."""

    SENT = "sent", _("本单位报送的")
    RECEIVED = "received", _("报送给本单位的")


class PhotoOut(Schema):
    caption: str
    url: str


class NewsSubmissionOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    receiver_id: int
    receiver_name: str
    title: str
    body: str
    byline: str
    state: Choice[NewsState]
    state_label: str
    adopted_title: str
    adopted_body: str
    return_reason: str
    first_submitted_at: datetime
    submitted_at: datetime
    adopted_at: datetime | None
    photos: list[PhotoOut]

    @staticmethod
    def resolve_organization_name(obj: NewsSubmission) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_receiver_name(obj: NewsSubmission) -> str:
        return obj.receiver.name

    @staticmethod
    def resolve_state_label(obj: NewsSubmission) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_photos(obj: NewsSubmission) -> list[dict[str, str]]:
        return [{"caption": p.caption, "url": reverse("reports:news-photo", args=[p.file.token])}
                for p in obj.photos.all()]


@router.get("/news-submissions", response=list[NewsSubmissionOut])
@requires("reports.view_news")
def news_list(request: AuthedRequest, state: OptionalChoice[NewsState] = None, box: OptionalChoice[Box] = None,
              page: int = 1, per_page: int = 20) -> list[NewsSubmission]:
    """Pieces of the caller's organisation (`box=sent`, the default) or sent to it (`box=received`,
    undecided first), optionally in one state."""
    if box == Box.RECEIVED:
        rows = selectors.news_inbox(user=request.user, state=state or "")
    else:
        rows = selectors.news_list_of_own(user=request.user, state=state or "")
    return paginate(rows, page=page, per_page=per_page).rows


class NewsSubmissionIn(Schema):
    title: str
    body: str
    byline: str = ""
    receiver_id: int | None = None


@router.post("/news-submissions", response={201: NewsSubmissionOut})
@requires("reports.submit_news")
def news_submit(request: AuthedRequest, payload: NewsSubmissionIn) -> Status:
    """Send a piece up from the caller's organisation: to `receiver_id` (an organisation above it
    that receives pieces) or, without one, to the nearest; the byline defaults to the caller's."""
    piece = services.news_submit(actor=request.user, title=payload.title, body=payload.body,
                                 byline=payload.byline or services.default_byline(request.user),
                                 receiver=payload.receiver_id)
    return Status(201, selectors.news_get_for_user(user=request.user, submission_id=piece.pk))


@router.get("/news-submissions/{id}", response=NewsSubmissionOut)
@requires("reports.view_news", objects={"id": NewsSubmission})
def news_get(request: AuthedRequest, id: int) -> NewsSubmission:  # noqa: A002  (the contract's name)
    return selectors.news_get_for_user(user=request.user, submission_id=id)


class AdoptIn(Schema):
    title: str | None = None
    body: str | None = None


@router.post("/news-submissions/{id}/adopt", response=NewsSubmissionOut)
@requires("reports.decide_news", objects={"id": NewsSubmission})
def news_adopt(request: AuthedRequest, id: int, payload: AdoptIn) -> NewsSubmission:  # noqa: A002
    """Adopt a piece sent to the caller's organisation, with the editor's title and body if given
    (the submitted text is kept beside them); it appears on the portal at once."""
    piece = selectors.news_get_for_user(user=request.user, submission_id=id)
    services.news_adopt(actor=request.user, submission=piece, title=payload.title, body=payload.body)
    return selectors.news_get_for_user(user=request.user, submission_id=id)


class ReturnIn(Schema):
    reason: str


@router.post("/news-submissions/{id}/return", response=NewsSubmissionOut)
@requires("reports.decide_news", objects={"id": NewsSubmission})
def news_return(request: AuthedRequest, id: int, payload: ReturnIn) -> NewsSubmission:  # noqa: A002
    """Return a piece to its organisation with the reason it will read."""
    piece = selectors.news_get_for_user(user=request.user, submission_id=id)
    services.news_return(actor=request.user, submission=piece, reason=payload.reason)
    return selectors.news_get_for_user(user=request.user, submission_id=id)
