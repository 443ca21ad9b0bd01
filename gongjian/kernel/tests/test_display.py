"""The 大字 switch without JavaScript: a link that flips a cookie and comes back to the page, which
the server then renders large. Only a page of this site is ever gone back to."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_large_text_switch_as_a_plain_link():
    page = Client().get("/").content.decode()
    assert 'href="/display/large-text/?next=/"' in page and "data-large-text" in page
    assert "gongjian/display.js" in page.split("</head>")[0], "the mode must be set before the first paint"


def test_the_switch_without_javascript_turns_large_text_on_and_off_and_returns():
    client = Client()
    on = client.get("/display/large-text/", {"next": "/disclosure/"})
    assert on.status_code == 302 and on["Location"] == "/disclosure/"
    assert client.cookies["gj_large_text"].value == "1"
    page = client.get("/disclosure/").content.decode()
    assert '<html lang="zh-CN" class="gj-large">' in page and ">标准字</a>" in page
    off = client.get("/display/large-text/", {"next": "/disclosure/"})
    assert off.status_code == 302 and client.cookies["gj_large_text"].value == "0"
    assert 'class="gj-large"' not in client.get("/disclosure/").content.decode()


@pytest.mark.parametrize("target", ["https://example.com/", "//example.com/x", "javascript:alert(1)", ""])
def test_the_switch_never_sends_anyone_to_another_site(target):
    response = Client().get("/display/large-text/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_switch_link_carries_the_page_but_never_what_a_visitor_typed():
    page = Client().get("/disclosure/search/", {"q": "别处的字Z9"}).content.decode()
    assert 'href="/display/large-text/?next=/disclosure/search/"' in page
    assert "Z9" not in page.split('href="/display/large-text/', 1)[1].split('"', 1)[0]
