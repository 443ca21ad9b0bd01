"""Public pages of 信息报送: the news pieces the federations and party committees adopted, newest
first, each with its photos, "来源：<organisation>" and the byline. Reads through the reports
selectors only (the "reader" audience): a piece waiting, returned or withdrawn does not exist here,
nor do its photos."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path

from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import public_view
from gongjian.kernel.selectors import paginate
from gongjian.reports.selectors import news as selectors


@public_view
def news_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.public_news(), page=request.GET.get("page"), per_page=10)
    return render(request, "portal/reports/news/list.html", {"page": page})


@public_view
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/reports/news/detail.html",
                  {"piece": selectors.public_news_get(submission_id=pk)})


@public_view
def news_photo(request: HttpRequest, token: str) -> HttpResponseBase:
    return file_response(request, selectors.public_photo_get(token=token).file, inline=True)


urlpatterns = [
    path("news/", news_list, name="reports-news"),
    path("news/<int:pk>/", news_detail, name="reports-news-detail"),
    path("news/photos/<str:token>/", news_photo, name="reports-news-photo"),
]
