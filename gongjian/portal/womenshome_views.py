"""Public pages of 妇女之家 work: activity news and honours on public notice.

Reads through the womenshome selectors only: what is marked public, never personal data (no
names of attendees, no mobiles, no ID numbers; photos only when marked public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from gongjian.kernel import notices
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import public_view
from gongjian.kernel.selectors import paginate
from gongjian.womenshome import selectors
from gongjian.womenshome.models import Honour


@public_view
def activity_news(request: HttpRequest) -> HttpResponse:
    org_id = request.GET.get("org") or None
    page = paginate(selectors.public_activities(organization_id=org_id), page=request.GET.get("page"), per_page=12)
    return render(request, "portal/womenshome/activity_list.html", {
        "page": page, "organizations": selectors.public_organizations_with_news(), "org_id": str(org_id or "")})


@public_view
def activity_news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.public_activity_get(activity_id=pk)
    return render(request, "portal/womenshome/activity_detail.html", {
        "activity": activity, "taking_part": selectors.public_attendance_count(activity)})


@public_view
def activity_photo(request: HttpRequest, token: str) -> HttpResponseBase:
    return file_response(request, selectors.public_photo_get(token=token).file, inline=True)


@public_view
def honour_notices(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/womenshome/notice_list.html", {
        "running": selectors.honours_on_notice(), "awarded": selectors.honours_awarded_public()})


@public_view
def honour_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notices.notice_get_public(notice_id=notice_id, model=Honour)
    return render(request, "portal/womenshome/notice_detail.html", {
        "notice": notice, "honour": selectors.honour_of_notice(notice), "running": notice.is_running()})
