"""Staff pages of the federations above (/work/support/cases/board/ and /cases/stats/): the oversight
board — open, overdue and risk cases per organisation below, counts only — and the statistics by
category, channel, outcome and time to close, small counts shown as "<5". Neither page ever shows
a case, a name or a number: the content stays with the handlers (Z-07)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from gongjian.kernel.decorators import staff_view
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization

from ..forms.case_public import PeriodForm
from ..selectors import case_oversight, case_stats


@staff_view("support.view_case_board", objects={"org": Organization})
def case_board(request: AuthedRequest) -> HttpResponse:
    org = case_oversight.board_organization(user=request.user, organization_id=request.GET.get("org"))
    board = case_oversight.case_board(user=request.user, organization=org)
    busy, quiet = case_oversight.busy_first(board.rows)
    return render(request, "support/case_board/board.html", {"board": board, "busy": busy, "quiet": quiet})


@staff_view("support.view_case_stats", objects={"org": Organization})
def case_statistics(request: AuthedRequest) -> HttpResponse:
    org = case_stats.stats_organization(user=request.user, organization_id=request.GET.get("org"))
    form = PeriodForm(request.GET or None)
    start, end = form.period(timezone.localdate())
    stats = case_stats.case_stats(user=request.user, organization=org, start=start, end=end)
    return render(request, "support/case_board/stats.html", {"stats": stats, "form": form})


urlpatterns = [
    path("cases/board/", case_board, name="case-board"),
    path("cases/stats/", case_statistics, name="case-stats"),
]
