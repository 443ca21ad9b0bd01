"""A 公示 printed as an official paper (issue 13): the issuing organisation (or one above it)
prints it from the workspace; the public prints it from the portal; both show the title, the
body, the period and where to object, the 落款 and the date, with room for the seal."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.kernel.models import PublicNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice() -> PublicNotice:
    found = PublicNotice.objects.filter(organization__name="太华路街道妇联").order_by("id").first()
    assert found is not None
    return found


def _assert_official(page: str, notice: PublicNotice) -> None:
    assert 'class="official-title" id="notice-title">' + notice.title in page
    assert f"公示期为{notice.starts_on.year}年{notice.starts_on.month}月{notice.starts_on.day}日至" in page
    assert "向太华路街道妇联反映" in page
    assert '<p class="official-org">太华路街道妇联</p>' in page
    assert f'<p class="official-date">{notice.starts_on.year}年{notice.starts_on.month}月' in page
    assert 'class="official-seal"' in page


def test_the_issuing_federation_prints_its_notice(login, notice):
    response = login("taihua_fed").get(f"/work/notices/{notice.pk}/print/")
    assert response.status_code == 200
    page = response.content.decode()
    _assert_official(page, notice)
    assert "data-print" in page and "gongjian/print.css" in page


def test_the_county_above_may_print_it_too(login, notice):
    assert login("huayin_fed").get(f"/work/notices/{notice.pk}/print/").status_code == 200


def test_a_village_below_cannot_print_the_townships_notice_from_the_workspace(login, notice):
    # Only the issuer (or above) seals and posts it; the village reads it on the portal.
    assert login("xiaoliu_women").get(f"/work/notices/{notice.pk}/print/").status_code == 404


def test_the_portal_notice_is_the_same_official_paper(notice):
    page = Client().get(f"/womenshome/notices/{notice.pk}/").content.decode()
    _assert_official(page, notice)
    assert "打印公示" in page


def test_the_leading_group_name_list_is_signed_by_the_committee_above_it(login):
    from gongjian.kernel.models import Organization

    group = Organization.objects.get(name="太华路街道党务公开工作领导小组")
    page = login("taihua_party").get(f"/work/organizations/{group.pk}/roster/").content.decode()
    assert f'<p class="official-org">{Organization.objects.get_parent(group).name}</p>' in page
    assert 'class="official-seal"' in page and "成员名单" in page
