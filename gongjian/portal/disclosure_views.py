"""Public pages of the disclosure body of work (no login; Chinese; phone first).

Reads only, through `gongjian.disclosure.selectors`; what the public may not see does not exist
here (Z-04). The board is rendered once per change: its template caches the fragment under the
organisation's board revision, which every publication, withdrawal and opening bumps."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongjian.disclosure import publication, selectors
from gongjian.disclosure.models import Category, Scope
from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import public_view
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

#: Whoever reads a public page: an account, an anonymous visitor, or nobody in particular (the
#: shared cached page). Local until the kernel offers one (kernel/http.py).


class LazyBoard:
    """The board's sections, queried only when the cached fragment is missing."""

    def __init__(self, organization: Organization, user: Reader = None) -> None:
        self.organization = organization
        self.user = user

    @cached_property
    def sections(self) -> list[dict[str, Any]]:
        return selectors.board_for(organization=self.organization, user=self.user)


@public_view
def index(request: HttpRequest) -> HttpResponse:
    """Every board, or those whose name matches what is typed (pinyin initials too): a plain GET,
    which htmx repeats as she types."""
    query = request.GET.get("q", "").strip()[:50]
    orgs = selectors.public_organizations_matching(query)
    return render(request, "portal/disclosure/index.html", {"orgs": orgs, "board_q": query})


CSRF_PLACEHOLDER = "__gongjian_csrf_token__"
_CSRF_IN_PAGE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@public_view
def board(request: HttpRequest, org_id: int) -> HttpResponse:
    """An organisation's board. Anonymous visitors get the page rendered once per board revision
    (ADR 0008): one indexed read, a cache hit and the visitor's own CSRF token put in."""
    state = selectors.board_state(organization_id=org_id)
    # Only the plain page is shared: no query string (the page echoes its own URL) and no
    # pending message meant for this one visitor.
    shareable = not request.GET and not len(get_messages(request))
    if shareable and not request.user.is_authenticated:
        key = state.cache_key(variant=f"page:{get_language()}")
        page = cache.get(key)
        if page is None:
            org = selectors.public_organization_get(organization_id=org_id)
            response = _render_board(request, org, False, state.cache_key())
            page = response.content.decode()
            found = _CSRF_IN_PAGE.search(page)
            if found is None or response.status_code != 200:
                return response
            # The form token of the first visitor must never be served to the next one.
            page = page.replace(found.group(1), CSRF_PLACEHOLDER)
            cache.set(key, page, 24 * 3600)
        return HttpResponse(page.replace(CSRF_PLACEHOLDER, get_token(request)))
    org = selectors.public_organization_get(organization_id=org_id)
    return _render_board(request, org, selectors.party_member_of(request.user, org), state.cache_key())


def _render_board(request: HttpRequest, org: Organization, member: bool, fragment_key: str) -> HttpResponse:
    context: dict[str, Any] = {"org": org, "member": member, "today": timezone.localdate()}
    if member:
        # A party member of this scope also sees internal items: never from the public cache.
        context["board"] = LazyBoard(org, request.user)
        context["cache_key"] = None
    else:
        context["board"] = LazyBoard(org)
        context["cache_key"] = fragment_key
    return render(request, "portal/disclosure/board.html", context)


@public_view
def category(request: HttpRequest, org_id: int, category: str) -> HttpResponse:
    org = selectors.public_organization_get(organization_id=org_id)
    if category not in Category.values:
        raise Http404
    items = selectors.public_items(organization=org, category=category, user=request.user)
    return render(request, "portal/disclosure/category.html", {
        "org": org, "category": category, "label": dict(Category.choices)[category],
        "page": paginate(items, page=request.GET.get("page"), per_page=20)})


def _item_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    item = selectors.public_disclosure_get(disclosure_id=pk, user=request.user)
    versions = selectors.public_versions(disclosure=item)
    return {"item": item, "versions": versions, "org": item.organization,
            "internal": item.visible_from is None or item.visible_from > timezone.localdate()}


@public_view
def item(request: HttpRequest, pk: int) -> HttpResponse:
    context = _item_context(request, pk)
    disclosure = context["item"]
    versions = context["versions"]
    context["version"] = versions[-1]
    context["diff"] = selectors.version_diff(versions[-2], versions[-1]) if len(versions) > 1 else None
    context["previous"] = versions[-2] if len(versions) > 1 else None
    context["replies"] = disclosure.suggestions.filter(reply_public=True, status="answered").order_by("-answered_at")[:20]
    context["withdrawal"] = disclosure.withdrawals.order_by("-at").first()
    status = 410 if context["withdrawal"] is not None else 200
    return render(request, "portal/disclosure/item.html", context, status=status)


@public_view
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    context = _item_context(request, pk)
    context["version"] = selectors.public_version_get(disclosure=context["item"], number=number)
    context["withdrawal"] = context["item"].withdrawals.order_by("-at").first()
    return render(request, "portal/disclosure/item.html", context)


@public_view
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    context = _item_context(request, pk)
    versions = context["versions"]
    by_number = {v.number: v for v in versions}
    try:
        a = by_number[int(request.GET.get("a", len(versions) - 1))]
        b = by_number[int(request.GET.get("b", len(versions)))]
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    context.update({"a": a, "b": b, "diff": selectors.version_diff(a, b)})
    return render(request, "portal/disclosure/diff.html", context)


@public_view
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    disclosure = selectors.public_disclosure_get(disclosure_id=pk, user=request.user)
    found = selectors.public_attachment_get(disclosure=disclosure, attachment_id=attachment_id)
    return file_response(request, found.stored)


@public_view
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    org = None
    if request.GET.get("org"):
        org = selectors.public_organization_get(organization_id=request.GET.get("org"))
    results = selectors.public_search(q=q, organization=org) if q else []
    return render(request, "portal/disclosure/search.html", {"q": q, "org": org, "results": results})


def _feed(request: HttpRequest, org: Organization | None) -> HttpResponse:
    title = _("%(org)s 党务公开") % {"org": org.name} if org else _("党务公开")
    link = request.build_absolute_uri(reverse("portal:disclosure-board", args=[org.pk]) if org
                                      else reverse("portal:disclosure-index"))
    feed = feedgenerator.Atom1Feed(title=title, link=link, description=title, language="zh-CN",
                                   feed_url=request.build_absolute_uri())
    for v in selectors.public_feed_items(organization=org):
        url = request.build_absolute_uri(reverse("portal:disclosure-version", args=[v.disclosure_id, v.number]))
        description = v.correction_note or ""
        feed.add_item(title=f"{v.title}（{_('第%(n)s版') % {'n': v.number}}）" if v.number > 1 else v.title,
                      link=url, unique_id=url, pubdate=v.published_at, updateddate=v.published_at,
                      description=description or v.organization.name, categories=[str(v.get_category_display())],
                      author_name=v.organization.name)
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@public_view
def feed(request: HttpRequest) -> HttpResponse:
    return _feed(request, None)


@public_view
def org_feed(request: HttpRequest, org_id: int) -> HttpResponse:
    return _feed(request, selectors.public_organization_get(organization_id=org_id))


@public_view
def org_subscribe(request: HttpRequest, org_id: int) -> HttpResponse:
    """What "订阅" opens: a page saying how to follow the board in a reader, with the feed's
    address to copy. A phone that opened the feed itself would show raw XML."""
    org = selectors.public_organization_get(organization_id=org_id)
    feed_url = request.build_absolute_uri(reverse("portal:disclosure-org-feed", args=[org.pk]))
    return render(request, "portal/disclosure/subscribe.html", {"org": org, "feed_url": feed_url})


@public_view
def sitemap(request: HttpRequest) -> HttpResponse:
    urls = [request.build_absolute_uri(reverse("portal:disclosure-version", args=[v.disclosure_id, v.number]))
            for v in selectors.public_feed_items(limit=1000)]
    body = render_to_string("portal/disclosure/sitemap.xml", {"urls": urls})
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@public_view
def poster(request: HttpRequest, org_id: int) -> HttpResponse:
    """The printable board: an A3 PDF for the physical 公开栏, with a QR code to the online,
    verifiable board. Public items only; rendered once per board revision."""
    from gongjian.disclosure.poster import render_poster

    org = selectors.public_organization_get(organization_id=org_id)
    key = selectors.board_cache_key(organization=org, variant="pdf")
    url = request.build_absolute_uri(reverse("portal:disclosure-board", args=[org.pk]))
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_poster(organization=org, sections=selectors.board_for(organization=org), url=url)
        cache.set(key, pdf, 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-{org.pk}.pdf"'
    return response


@public_view
def proof(request: HttpRequest, version_id: int) -> HttpResponse:
    v = selectors.public_version_by_id(version_id=version_id, user=request.user)
    return render(request, "portal/disclosure/proof.html", {
        "v": v, "proof": publication.inclusion_for(v), "item": v.disclosure})


@public_view
def verify(request: HttpRequest) -> HttpResponse:
    """Check the whole log against the latest signed tree head (cached per tree head)."""
    head = publication.latest_tree_head()
    log = publication.get_log()
    key = f"disclosure:verify:{head.pk if head else 0}:{log.size}"
    result = cache.get(key)
    if result is None:
        problems, size = publication.verify_publications(attachments=True)
        result = {"problems": [p.detail for p in problems], "size": size}
        cache.set(key, result, 600)
    return render(request, "portal/disclosure/verify.html", {
        "head": publication.tree_head_json(head, log.algo) if head else None, "result": result,
        "algo": log.algo, "public_scope": Scope.PUBLIC})
