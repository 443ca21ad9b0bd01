"""The public's writes of 承诺机制 (no account): a comment on a pledge on the portal. It lives in the
app because the portal reads through selectors only; gongjian/portal/campaigns_urls.py mounts it.

Guarded by rate limits (I-07) per source address and per pledge, a size cap, length limits and
a honeypot field; the comment waits for the pledging organisation's staff before it shows, and
nothing about who wrote it is kept (no contact, no address stored with it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel import context, ratelimit
from gongjian.kernel.decorators import public_view
from gongjian.kernel.forms import add_service_errors

from .forms.pledge import CommentForm
from .models import Pledge
from .selectors import pledge as selectors
from .services import pledge as services

MAX_BODY_BYTES = 16 * 1024
COMMENTS_PER_ADDRESS = 5  # per source address per hour: a family may share one phone network
COMMENTS_PER_PLEDGE = 30  # per pledge per hour, whoever sends them


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _message(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return _private(render(request, "portal/campaigns/pledge/message.html",
                           {"title": title, "message": message}, status=status))


def _too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True


def pledge_page(request: HttpRequest, pledge: Pledge, form: CommentForm, status: int = 200) -> HttpResponse:
    """The portal's page of one pledge (also drawn by the portal's read view)."""
    return render(request, "portal/campaigns/pledge/detail.html", {
        "pledge": pledge, "updates": selectors.public_updates(pledge), "comments": selectors.public_comments(pledge),
        "form": form}, status=status)


@public_view
@require_POST
def pledge_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a comment on a pledge on the portal; it shows once the pledging organisation approves it."""
    pledge = selectors.public_pledge_get(pledge_id=pk)
    if _too_large(request):
        return _message(request, _("内容太长"), _("提交的内容太长，请精简后再提交。"), 413)
    address = context.current().ip or "unknown"
    if not ratelimit.hit(f"campaigns.pledge_comment:{address}", limit=COMMENTS_PER_ADDRESS, window_seconds=3600):
        return _message(request, _("留言过于频繁"), _("同一网络一小时内最多留言5条，请稍后再试。"), 429)
    if not ratelimit.hit(f"campaigns.pledge_comment.pledge:{pledge.pk}", limit=COMMENTS_PER_PLEDGE,
                         window_seconds=3600):
        return _message(request, _("留言过于频繁"), _("这项承诺近一小时收到的留言较多，请稍后再试。"), 429)
    form = CommentForm(request.POST)
    if form.is_robot:
        # The same answer as a real comment, and nothing saved: robots learn nothing.
        return _private(render(request, "portal/campaigns/pledge/comment_done.html", {"pledge": pledge}))
    if form.is_valid():
        try:
            services.comment_submit(pledge=pledge, content=form.cleaned_data["content"],
                                    nickname=form.cleaned_data["nickname"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _private(render(request, "portal/campaigns/pledge/comment_done.html", {"pledge": pledge},
                                   status=201))
    return _private(pledge_page(request, pledge, form, status=400))
