"""The public's writes on commendation (no account): an objection to a nomination on public notice,
and following it with its code. They live in the app because the portal reads through selectors
only; the portal's URLconf mounts them. The objection machinery is the kernel's (kernel.notices),
guarded by rate limits (I-07) and a size cap: the pages are `kernel.public_objections`', as for
womenshome's honours."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from gongjian.kernel import public_objections
from gongjian.kernel.decorators import public_view

from .selectors import commendation as selectors

SCOPE = "campaigns"  # the rate limits' scope
MESSAGE = "portal/campaigns/commendation/message.html"


@public_view
def objection(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Object to a nomination on public notice; the answer is a tracking code and a password."""
    notice, nomination = selectors.notice_public_get(notice_id=notice_id)
    return public_objections.objection_page(
        request, notice, scope=SCOPE, template="portal/campaigns/commendation/objection.html",
        done_template="portal/campaigns/commendation/objection_done.html", message_template=MESSAGE,
        extra={"nomination": nomination})


@public_view
def objection_track(request: HttpRequest) -> HttpResponse:
    """Follow an objection with its code and password."""
    return public_objections.track_page(request, scope=SCOPE,
                                        template="portal/campaigns/commendation/objection_track.html",
                                        message_template=MESSAGE)
