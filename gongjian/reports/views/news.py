"""Staff pages of 信息报送 (/work/reports/news/): her organisation's pieces with their state and the
editor's reason, writing a piece on a phone (title, body, photos from the camera, byline), the
receiving organisation's inbox (undecided first), the decide page (adopt, perhaps edited, or
return), and the year's ranking of the subtree with its Excel."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import access
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import add_service_errors, run_posted
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate
from gongjian.kernel.tabular import Heading, add_up, rate, write_rows_xlsx

from ..forms.news import AdoptForm, NewsForm, ReturnForm
from ..models.news import NewsPhoto, NewsState, NewsSubmission
from ..selectors import news as selectors
from ..services import news as services


def _state(raw: str | None) -> str:
    return raw if raw in NewsState.values else ""


def _status(form: NewsForm | AdoptForm) -> int:
    return 400 if form.is_bound and form.errors else 200


@staff_view("reports.submit_news")
def mine(request: AuthedRequest) -> HttpResponse:
    state = _state(request.GET.get("state"))
    rows = selectors.news_list_of_own(user=request.user, state=state)
    organization = access.acting_organization_required(request.user)
    return render(request, "reports/news/mine.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=20), "state": state,
        "receivers_missing": not selectors.receivers_of(organization),
        "states": NewsState.choices, "can_decide": can(request.user, "reports.decide_news")})


def _posted_news(request: AuthedRequest, form: NewsForm, save: Callable[[], NewsSubmission]) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        if request.method == "POST" and request.FILES:
            form.add_error(None, _("照片没有保存，改正后请重新选择照片。"))
        return None
    try:
        piece = save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        if request.FILES:
            form.add_error(None, _("照片没有保存，改正后请重新选择照片。"))
        return None
    return redirect(piece)


@staff_view("reports.submit_news")
def submit(request: AuthedRequest) -> HttpResponse:
    organization = access.acting_organization_required(request.user)
    receivers = selectors.receivers_of(organization)
    initial = {"byline": services.default_byline(request.user),
               "receiver": str(receivers[0].pk) if receivers else ""}
    form = NewsForm(request.POST or None, request.FILES or None, receivers=receivers, initial=initial)

    def save() -> NewsSubmission:
        data = form.cleaned_data
        piece = services.news_submit(actor=request.user, title=data["title"], body=data["body"],
                                     byline=data["byline"], receiver=data.get("receiver"), photos=form.photos())
        messages.success(request, _("已报送给%(org)s，等待采用。") % {"org": piece.receiver.name})
        return piece

    done = _posted_news(request, form, save)
    return done or render(request, "reports/news/form.html", {
        "form": form, "piece": None, "receivers": receivers, "organization": organization}, status=_status(form))


@staff_view("reports.view_news", objects={"pk": NewsSubmission})
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    piece = selectors.news_get_for_user(user=request.user, submission_id=pk)
    user = request.user
    acting = access.acting_organization(user)
    return render(request, "reports/news/detail.html", {
        "piece": piece, "events": selectors.events_of(piece),
        "section": "inbox" if acting is not None and piece.receiver_id == acting.pk else "mine",
        "changes": selectors.difference(piece.body, piece.adopted_body) if piece.edited else None,
        "title_changed": piece.is_adopted and piece.adopted_title != piece.title,
        "can_withdraw": piece.state == NewsState.SUBMITTED and can(user, "reports.submit_news", piece),
        "can_revise": piece.state == NewsState.RETURNED and can(user, "reports.submit_news", piece),
        "can_decide": piece.state == NewsState.SUBMITTED and can(user, "reports.decide_news", piece)})


@staff_view("reports.submit_news", objects={"pk": NewsSubmission})
def revise(request: AuthedRequest, pk: int) -> HttpResponse:
    piece = selectors.news_get_for_user(user=request.user, submission_id=pk)
    if not can(request.user, "reports.submit_news", piece):
        raise PermissionDenied("reports.submit_news")
    if piece.state != NewsState.RETURNED:
        messages.info(request, _("只有被退回的稿件可以修改后重新报送。"))
        return redirect(piece)
    receivers = selectors.receivers_of(piece.organization)
    form = NewsForm(request.POST or None, request.FILES or None, receivers=receivers, piece=piece, initial={
        "title": piece.title, "body": piece.body, "byline": piece.byline, "receiver": str(piece.receiver_id)})

    def save() -> NewsSubmission:
        data = form.cleaned_data
        saved = services.news_revise(actor=request.user, submission=piece, title=data["title"], body=data["body"],
                                     byline=data["byline"], receiver=data.get("receiver"), photos=form.photos(),
                                     remove_photos=form.removed(), captions=form.kept_captions())
        messages.success(request, _("已修改并重新报送给%(org)s。") % {"org": saved.receiver.name})
        return saved

    done = _posted_news(request, form, save)
    return done or render(request, "reports/news/form.html", {
        "form": form, "piece": piece, "receivers": receivers, "organization": piece.organization},
        status=_status(form))


@staff_view("reports.submit_news", objects={"pk": NewsSubmission})
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    piece = selectors.news_get_for_user(user=request.user, submission_id=pk)
    if not can(request.user, "reports.submit_news", piece):
        raise PermissionDenied("reports.submit_news")
    try:
        services.news_withdraw(actor=request.user, submission=piece)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("稿件已撤回。"))
    return redirect(piece)


@staff_view("reports.decide_news")
def inbox(request: AuthedRequest) -> HttpResponse:
    state = _state(request.GET.get("state"))
    rows = selectors.news_inbox(user=request.user, state=state)
    return render(request, "reports/news/inbox.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=20), "state": state,
        "states": [c for c in NewsState.choices if c[0] != NewsState.WITHDRAWN],
        "waiting": selectors.news_inbox_waiting(user=request.user)})


def _decidable(request: AuthedRequest, pk: int) -> NewsSubmission:
    piece = selectors.news_get_for_user(user=request.user, submission_id=pk)
    if not can(request.user, "reports.decide_news", piece):
        raise PermissionDenied("reports.decide_news")
    return piece


@staff_view("reports.decide_news", objects={"pk": NewsSubmission})
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Read the piece, change its title and body if needed, then adopt it; or return it with a reason."""
    piece = _decidable(request, pk)
    if piece.state != NewsState.SUBMITTED:
        return redirect(piece)
    form = AdoptForm(request.POST or None, initial={"title": piece.title, "body": piece.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.news_adopt(actor=request.user, submission=piece, title=form.cleaned_data["title"],
                                body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已采用，稿件已在门户“工作信息”栏目发布。"))
            return redirect(piece)
    return render(request, "reports/news/decide.html", {
        "piece": piece, "form": form, "return_form": ReturnForm(),
        "changes": selectors.difference(piece.body, form.data.get("body", "")) if form.is_bound else None},
        status=_status(form))


@staff_view("reports.decide_news", objects={"pk": NewsSubmission})
@require_POST
def send_back(request: AuthedRequest, pk: int) -> HttpResponse:
    piece = _decidable(request, pk)
    run_posted(request, ReturnForm(request.POST),
               lambda data: services.news_return(actor=request.user, submission=piece, reason=data["reason"]),
               _("已退回，报送单位会看到退回原因。"))
    return redirect(piece)


@staff_view("reports.view_news", objects={"token": NewsPhoto})
def photo(request: AuthedRequest, token: str) -> HttpResponseBase:
    return file_response(request, selectors.news_photo_get_for_user(user=request.user, token=token).file, inline=True)


def _year(raw: str | None) -> int:
    years = selectors.ranking_years()
    try:
        year = int(raw or years[0])
    except ValueError:
        return years[0]
    return year if year in years else years[0]


@staff_view("reports.view_news_ranking")
def ranking(request: AuthedRequest) -> HttpResponse:
    organization = access.acting_organization_required(request.user)
    year = _year(request.GET.get("year"))
    rows = selectors.ranking(user=request.user, organization=organization, year=year)
    return render(request, "reports/news/ranking.html", {
        "rows": rows, "year": year, "years": selectors.ranking_years(), "organization": organization,
        "submitted": sum(r.submitted for r in rows), "adopted": sum(r.adopted for r in rows)})


@staff_view("reports.view_news_ranking")
def ranking_xlsx(request: AuthedRequest) -> HttpResponse:
    organization = access.acting_organization_required(request.user)
    year = _year(request.GET.get("year"))
    rows = selectors.ranking(user=request.user, organization=organization, year=year)
    title = _("%(year)d年信息报送排名") % {"year": year}
    lines = [[r.rank, r.organization.name, r.submitted, r.adopted, r.rate] for r in rows]
    total = add_up(lines, label=_("合计"), columns=(2, 3))
    total[4] = rate(total[3], total[2])
    body = write_rows_xlsx(
        [_("名次"), _("单位"), _("报送篇数"), _("采用篇数"), _("采用率（%）")], lines, sheet_title=title,
        heading=Heading(title=f"{organization.name}{title}", unit=organization.name,
                        period=_("%(year)d年1月1日至12月31日") % {"year": year}),
        total=total if lines else None,
        notes=[_("各单位只计本单位自己报送的篇数，合计为所列单位之和。"),
               _("%(org)s 导出，%(at)s") % {"org": organization.name,
                                           "at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    services.news_ranking_exported(actor=request.user, organization=organization, year=year, rows=len(rows))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(organization.name + title)}.xlsx"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", mine, name="news-mine"),
    path("new/", submit, name="news-submit"),
    path("inbox/", inbox, name="news-inbox"),
    path("ranking/", ranking, name="news-ranking"),
    path("ranking.xlsx", ranking_xlsx, name="news-ranking-xlsx"),
    path("photos/<str:token>/", photo, name="news-photo"),
    path("<int:pk>/", detail, name="news-detail"),
    path("<int:pk>/revise/", revise, name="news-revise"),
    path("<int:pk>/withdraw/", withdraw, name="news-withdraw"),
    path("<int:pk>/decide/", decide, name="news-decide"),
    path("<int:pk>/return/", send_back, name="news-return"),
]
