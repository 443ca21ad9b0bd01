"""The public side: the board (rendered once per change), item pages with versions and diffs,
search, the Atom feed, the poster, and Z-04: an internal item never reaches the public."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongjian.disclosure import services
from gongjian.disclosure.models import Category, Disclosure
from gongjian.kernel import attachments

from .factories import approved, published, republish

pytestmark = pytest.mark.django_db

MARKER = "内部测试标记Q7Z"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def board_url(org) -> str:
    return f"/disclosure/org/{org.pk}/"


def test_every_anonymous_visitor_gets_her_own_csrf_token_on_the_cached_board(acting, org):
    import re as re_

    url = board_url(org("中共小留村支部委员会"))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        response = client.get(url)
        page = response.content.decode()
        assert "__gongjian_csrf_token__" not in page
        tokens.append(re_.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
        # The language switch on the cached page works with the visitor's own token.
        switched = client.post("/i18n/setlang/", {"language": "en", "next": url,
                                                  "csrfmiddlewaretoken": tokens[-1]})
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_query_string_never_enters_the_shared_board_page(org):
    url = board_url(org("中共小留村支部委员会"))
    Client().get(url + "?x=%E6%B3%A8%E5%85%A5%E6%96%87%E5%AD%97")
    assert "x=" not in Client().get(url).content.decode()


def test_a_published_item_is_on_the_board_at_the_next_request(acting, org):
    branch = org("中共小留村支部委员会")
    client = Client()
    assert "党费收缴" not in client.get(board_url(branch)).content.decode()
    item, _ = published(acting)
    page = client.get(board_url(branch)).content.decode()
    assert item.title in page and "常规" in page


def test_a_withdrawn_item_leaves_the_board_at_the_next_request(acting, org):
    item, _ = published(acting, title="将被撤回的事项")
    client = Client()
    assert "将被撤回的事项" in client.get(board_url(item.organization)).content.decode()
    services.disclosure_withdraw(actor=acting("xiaoliu_branch"), disclosure=item, reason="内容有误")
    assert "将被撤回的事项" not in client.get(board_url(item.organization)).content.decode()


def test_the_cached_board_costs_the_same_few_queries_whatever_the_table_size(acting, org):
    branch = org("中共小留村支部委员会")
    published(acting, title="第一条")
    client = Client()
    client.get(board_url(branch))  # renders and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(board_url(branch)).status_code == 200
    item = Disclosure.objects.get(title="第一条")
    # Many more items on other boards (and hidden ones on this one) do not change the count.
    Disclosure.objects.bulk_create([
        Disclosure(organization_id=item.organization_id if i % 2 else org("中共郭家村支部委员会").pk,
                   title=f"批量{i}", category="other", channels=["web"], timing="fixed", scope="public",
                   created_by_id=item.created_by_id) for i in range(300)])
    with CaptureQueriesContext(connection) as large:
        assert client.get(board_url(branch)).status_code == 200
    assert len(small) == len(large) <= 2
    assert not any("COUNT(" in q["sql"].upper() for q in large.captured_queries)


def test_an_uncached_board_does_not_count_the_table(acting, org):
    published(acting)
    url = board_url(org("中共小留村支部委员会"))
    with CaptureQueriesContext(connection) as ctx:
        Client().get(url)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    assert len(ctx) <= 2 + len(Category.values)


def test_the_item_page_shows_both_versions_the_diff_and_the_correction_note(acting):
    item, _ = published(acting)
    republish(acting, item, body="收缴金额合计1,680元。", note="更正收缴金额")
    page = Client().get(f"/disclosure/item/{item.pk}/").content.decode()
    assert "第 1 版" in page and "第 2 版" in page
    assert "更正收缴金额" in page
    assert "<ins>" in page and "<del>" in page
    first = Client().get(f"/disclosure/item/{item.pk}/v1/").content.decode()
    assert "1,860" in first


def test_a_withdrawn_item_answers_410_with_its_history(acting):
    item, _ = published(acting)
    services.disclosure_withdraw(actor=acting("xiaoliu_branch"), disclosure=item, reason="与事实不符")
    response = Client().get(f"/disclosure/item/{item.pk}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "与事实不符" in page and "第 1 版" in page


def test_search_finds_public_items_by_chinese_words(acting):
    published(acting, title="村级道路硬化工程进展", body="东组道路硬化已完成八百米。", category="livelihood",
              timing="stage", period="")
    page = Client().get("/disclosure/search/", {"q": "道路硬化"}).content.decode()
    assert "村级道路硬化工程进展" in page
    assert "没有找到" in Client().get("/disclosure/search/", {"q": "不存在的词语组合"}).content.decode()


def test_the_atom_feed_lists_public_versions(acting):
    import xml.etree.ElementTree as ET

    item, _ = published(acting)
    response = Client().get("/disclosure/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert item.title in titles


def test_the_poster_is_an_a3_pdf_of_the_public_board(acting, org, monkeypatch):
    from gongjian.disclosure import poster

    published(acting)
    published(acting, title=MARKER, scope="party")
    seen = {}
    real = poster.render_poster

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(poster, "render_poster", spy)
    response = Client().get(f"/disclosure/org/{org('中共小留村支部委员会').pk}/poster.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    titles = [d.title for s in seen["sections"] for d in s["items"]]
    assert "2026年第三季度党费收缴情况" in titles and MARKER not in titles
    page = poster.poster_document(**seen).pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (297, 420)  # A3 in mm


def test_body_payloads_are_escaped_on_public_and_staff_pages(acting, login):
    item, _ = published(acting, title='"><svg onload=alert(1)>', body='<p>正文</p><svg onload=alert(1)><a href="javascript:alert(1)">x</a>')
    for client, url in ((Client(), f"/disclosure/item/{item.pk}/"),
                        (login("xiaoliu_branch"), f"/work/disclosure/{item.pk}/"),
                        (Client(), f"/disclosure/org/{item.organization_id}/")):
        page = client.get(url).content.decode()
        assert "<svg onload" not in page and 'href="javascript:' not in page, url


# --- Z-04 --------------------------------------------------------------------------------

@pytest.fixture
def internal_item(acting):
    item = approved(acting, title=f"发展党员公示 {MARKER}", body=f"<p>{MARKER} 名单</p>", scope="party",
                    category="self_building", timing="temporary", period="")
    item.attachments.add(attachments.store_upload(SimpleUploadedFile("名单.pdf", f"%PDF-1.4 {MARKER}".encode()),
                                                  actor=None, organization=item.organization))
    version = services.disclosure_publish(actor=acting("xiaoliu_branch"), disclosure=item)
    item.refresh_from_db()
    return item, version


def public_urls(item, version) -> list[str]:
    org = item.organization_id
    file_id = version.files.first().pk
    urls = ["/", "/disclosure/", f"/disclosure/org/{org}/", f"/disclosure/item/{item.pk}/",
            f"/disclosure/item/{item.pk}/v1/", f"/disclosure/item/{item.pk}/diff/?a=1&b=1",
            f"/disclosure/item/{item.pk}/files/{file_id}/", "/disclosure/search/?q=Q7Z",
            f"/disclosure/search/?q={MARKER}", f"/disclosure/search/?q=发展党员&org={org}",
            "/disclosure/feed.atom", f"/disclosure/org/{org}/feed.atom", f"/disclosure/org/{org}/subscribe/",
            "/disclosure/sitemap.xml",
            f"/disclosure/proof/{version.pk}/", "/disclosure/verify/", f"/disclosure/org/{org}/suggest/?item={item.pk}",
            f"/api/v1/public/disclosures?org={org}", f"/api/v1/public/disclosures/{item.pk}",
            f"/api/v1/public/publication-log/proof/{version.pk}", "/api/v1/public/publication-log/tree-head"]
    urls += [f"/disclosure/org/{org}/c/{c}/" for c in Category.values]
    return urls


@pytest.mark.parametrize("who", [None, "taihua_fed", "guojia_women", "huayin_fed", "sysadmin"])
def test_an_internal_item_appears_on_no_public_route_for_outsiders(internal_item, login, who):
    item, version = internal_item
    client = Client() if who is None else login(who)
    for url in public_urls(item, version):
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        if "/search/" in url:
            # The search box shows back what the visitor typed; the results must not.
            from urllib.parse import parse_qs, urlsplit

            typed = parse_qs(urlsplit(url).query)["q"][0]
            body = body.replace(f'value="{typed}"', "")
            body = re.sub(r'name="next" type="hidden" value="[^"]*"', "", body)
            assert "没有找到" in body, url
        # Random tokens on the page (CSRF, signatures) may contain "Q7Z" by chance: not a leak.
        untokened = re.sub(r"[A-Za-z0-9_\-+/=]{24,}", "", body)
        assert MARKER not in body and "Q7Z" not in untokened, url
        if "/files/" in url or f"/item/{item.pk}/" in url or "/proof/" in url or f"disclosures/{item.pk}" in url:
            assert response.status_code == 404, url


def test_party_members_of_the_scope_see_the_internal_item(internal_item, login):
    item, version = internal_item
    for who in ("xiaoliu_branch", "xiaoliu_women"):
        client = login(who)
        assert MARKER in client.get(f"/disclosure/org/{item.organization_id}/").content.decode()
        assert client.get(f"/disclosure/item/{item.pk}/").status_code == 200
        assert client.get(f"/disclosure/item/{item.pk}/files/{version.files.first().pk}/").status_code == 200
    # ...but the public board cache never learns it.
    assert MARKER not in Client().get(f"/disclosure/org/{item.organization_id}/").content.decode()


def test_a_party_first_item_opens_to_everyone_on_its_day(acting, org):
    with time_machine.travel("2026-11-20 09:00 +0800", tick=False):
        item, _ = published(acting, title="村两委换届人选（先党内后党外）", scope="party_first",
                            public_from="2026-11-25", category="cadres", timing="stage", period="")
        assert Client().get(f"/disclosure/item/{item.pk}/").status_code == 404
        assert "换届人选" not in Client().get(board_url(item.organization)).content.decode()
    with time_machine.travel("2026-11-25 08:00 +0800", tick=False):
        assert Client().get(f"/disclosure/item/{item.pk}/").status_code == 200
        assert "换届人选" in Client().get(board_url(item.organization)).content.decode()
        assert "换届人选" in Client().get("/disclosure/search/", {"q": "换届"}).content.decode()
        assert "换届人选" in Client().get("/disclosure/feed.atom").content.decode()
        assert services.boards_open_due() == 1


def test_the_public_verification_page_says_the_log_is_intact(acting):
    published(acting)
    page = Client().get("/disclosure/verify/").content.decode()
    assert "发布记录完整" in page


def test_the_proof_page_verifies_a_public_version(acting):
    _, version = published(acting)
    page = Client().get(f"/disclosure/proof/{version.pk}/").content.decode()
    assert "验证通过" in page


def test_the_verification_page_writes_nothing_even_when_no_log_row_exists(monkeypatch):
    from gongjian.disclosure import publication
    from gongjian.disclosure.models import PublicationLog

    monkeypatch.setattr(publication, "LOG_NAME", "a-log-nobody-created")  # as before a first publication
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/disclosure/verify/")
    assert response.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries
              if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE)
              and "django_session" not in q["sql"]]
    assert writes == []
    assert not PublicationLog.objects.filter(name="a-log-nobody-created").exists()


def test_the_proof_page_of_an_internal_version_is_a_404_to_the_public(acting):
    _, version = published(acting, scope="party")
    assert Client().get(f"/disclosure/proof/{version.pk}/").status_code == 404
    assert Client().get(f"/api/v1/public/publication-log/proof/{version.pk}").status_code == 404
