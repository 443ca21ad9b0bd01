"""The portal's front page: each body of work's section, in the order they are registered with."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_hotlines_come_right_after_the_disclosure_boards():
    from gongjian.kernel.navigation import portal_sections

    assert portal_sections[:2] == ["portal/disclosure/_section.html", "portal/support/service/_section.html"]
    page = Client().get("/").content.decode()
    assert "12338" in page
    assert page.index('id="support-services-section"') < page.index('id="womenshome-section"')
