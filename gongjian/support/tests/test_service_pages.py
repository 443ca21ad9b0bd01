"""The staff pages of service sites and health rounds, and the public page: lists, forms that save
through the services (Chinese errors, nothing saved), the year's health totals, closing a site; the
portal shows public sites and lines, never a contact's mobile and her name only where marked public."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from gongjian.kernel.models import Person, User
from gongjian.support.models import HealthRound, ServiceSite, SiteKind

from .factories import make_round, make_site

pytestmark = pytest.mark.django_db

FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def person_of(username: str) -> Person:
    return User.objects.select_related("person").get(username=username).person


# --- staff: sites --------------------------------------------------------------------------------

def test_the_home_page_has_the_service_tiles_and_tabs(login):
    page = login("taihua_fed").get("/work/support/").content.decode()
    assert "/work/support/sites/" in page and "/work/support/health/" in page
    assert "妇女健康服务" in page


def test_the_site_list_shows_the_subtrees_sites_only(login):
    page = login("taihua_fed").get("/work/support/sites/").content.decode()
    assert "太华路街道妇女维权投诉站" in page and "郭家村留守流动儿童活动室" in page
    assert "灵沙乡妇女悄悄话热线" not in page
    village = login("guojia_women").get("/work/support/sites/").content.decode()
    assert "郭家村留守流动儿童活动室" in village and "太华路街道妇女维权投诉站" not in village


def test_the_site_page_shows_the_contact_masked_and_is_not_cached(login):
    site = ServiceSite.objects.get(name="太华路街道妇女维权投诉站")
    response = login("taihua_fed").get(f"/work/support/sites/{site.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert site.contact is not None and site.contact.name in page
    assert site.contact.mobile not in page and site.contact.mobile_masked in page


def test_a_site_is_added_from_the_form(login, org):
    township = org("太华路街道妇联")
    response = login("taihua_fed").post("/work/support/sites/new/", {
        "kind": SiteKind.COUNSELLING, "organization": township.pk, "name": "太华路街道妇女心理咨询室",
        "address": "太华路街道便民服务中心三楼", "hours": "每周三 14:00-17:00", "open_days": ["3"],
        "phone": "0913-4669999", "contact": person_of("taihua_fed").pk, "is_public": "on",
        "opened_on": timezone.localdate().isoformat()})
    site = ServiceSite.objects.get(name="太华路街道妇女心理咨询室")
    assert response.status_code == 302 and response["Location"] == f"/work/support/sites/{site.pk}/"
    assert site.open_days == "3" and site.is_public and not site.contact_is_public


def test_a_bad_site_form_is_answered_in_chinese_and_saves_nothing(login, org):
    before = ServiceSite.objects.count()
    response = login("taihua_fed").post("/work/support/sites/new/", {
        "kind": SiteKind.COMPLAINT_STATION, "organization": org("太华路街道妇联").pk, "name": "某投诉站",
        "address": "某地", "hours": "周一", "phone": "2338", "opened_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "请填写正确的电话" in response.content.decode()
    assert ServiceSite.objects.count() == before


def test_a_site_is_changed_and_closed_from_its_page(login, acting):
    site = make_site(acting("taihua_fed"), name="测试维权站（页面）")
    client = login("taihua_fed")
    form = client.get(f"/work/support/sites/{site.pk}/edit/")
    assert form.status_code == 200 and "测试维权站（页面）" in form.content.decode()
    response = client.post(f"/work/support/sites/{site.pk}/edit/", {
        "kind": site.kind, "organization": site.organization_id, "name": site.name, "address": "新地址",
        "hours": site.hours, "phone": site.phone, "is_public": "on", "opened_on": site.opened_on.isoformat()})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.address == "新地址"
    response = client.post(f"/work/support/sites/{site.pk}/close/", {"reason": "合并"})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.closed_on == timezone.localdate()
    assert client.get(f"/work/support/sites/{site.pk}/edit/").status_code == 302  # back to the page
    assert "已停用" in client.get("/work/support/sites/?closed=1").content.decode()


def test_another_township_gets_a_404_for_the_site(login, acting):
    site = make_site(acting("taihua_fed"))
    assert login("lingsha_fed").get(f"/work/support/sites/{site.pk}/").status_code == 404
    assert login("lingsha_fed").post(f"/work/support/sites/{site.pk}/close/").status_code == 404
    site.refresh_from_db()
    assert site.closed_on is None


# --- staff: health rounds ------------------------------------------------------------------------

def test_a_township_records_a_round_and_sees_the_years_total(login, org):
    client = login("taihua_fed")
    before = client.get("/work/support/health/").content.decode()
    day = timezone.localdate()  # held today: counted in this year's total
    response = client.post("/work/support/health/new/", {
        "kind": "cancer_screening", "organization": org("太华路街道妇联").pk, "starts_on": day.isoformat(),
        "place": "太华社区卫生服务站", "partner": "华阴市卫健局", "partner_kind": "health_bureau", "served": "85",
        "cervical_screened": "80", "breast_screened": "76"})
    assert response.status_code == 302 and response["Location"] == "/work/support/health/"
    found = HealthRound.objects.get(place="太华社区卫生服务站")
    assert found.served == 85 and found.organization.name == "太华路街道妇联"
    page = client.get(f"/work/support/health/?year={day.year}").content.decode()
    assert "太华社区卫生服务站" in page
    served = int(re.search(r'data-figure="served"><strong>(\d+)', page).group(1))
    served_before = int(re.search(r'data-figure="served"><strong>(\d+)', before).group(1))
    assert served == served_before + 85


def test_a_future_round_with_counts_is_refused_on_the_form(login, org):
    before = HealthRound.objects.count()
    response = login("taihua_fed").post("/work/support/health/new/", {
        "kind": "premarital", "organization": org("太华路街道妇联").pk,
        "starts_on": (timezone.localdate() + timedelta(days=3)).isoformat(), "place": "婚姻登记处",
        "partner": "华阴市妇幼保健院", "partner_kind": "maternal_child", "served": "10"})
    assert response.status_code == 400
    assert "已开展的服务，日期不能晚于今天" in response.content.decode()
    assert HealthRound.objects.count() == before


def test_a_negative_count_is_refused_in_chinese(login, org):
    response = login("taihua_fed").post("/work/support/health/new/", {
        "kind": "other", "organization": org("太华路街道妇联").pk, "starts_on": timezone.localdate().isoformat(),
        "place": "某地", "partner": "某单位", "partner_kind": "other", "served": "-5"})
    assert response.status_code == 400 and "人数应为0或正整数。" in response.content.decode()


def test_a_round_is_corrected_from_its_form(login, acting):
    found = make_round(acting("taihua_fed"))
    client = login("taihua_fed")
    assert client.get(f"/work/support/health/{found.pk}/edit/").status_code == 200
    response = client.post(f"/work/support/health/{found.pk}/edit/", {
        "kind": found.kind, "organization": found.organization_id, "starts_on": found.starts_on.isoformat(),
        "place": found.place, "partner": found.partner, "partner_kind": found.partner_kind, "served": "60",
        "cervical_screened": "55", "breast_screened": "50"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.served == 60


# --- the portal ----------------------------------------------------------------------------------

def test_the_portal_page_lists_public_sites_and_hotlines_without_a_login(client):
    response = client.get("/support/services/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "维权与关爱服务" in page and "12338" in page
    assert "灵沙乡妇女悄悄话热线" in page and "0952-6012338" in page
    assert "太华路街道妇女维权投诉站" in page and "周一至周五 8:30-12:00，14:30-17:30" in page
    assert "郭家村留守流动儿童活动室" in page and "郭家村村委会院内西侧" in page
    assert "太华路街道司法所" in page


def test_the_portal_never_shows_a_contacts_mobile_and_her_name_only_when_public(client):
    page = client.get("/support/services/").content.decode()
    for site in ServiceSite.objects.filter(contact__isnull=False).select_related("contact"):
        assert site.contact.mobile not in page, site.name
        assert site.contact.mobile_masked not in page, site.name
    assert not FULL_MOBILE.search(page)
    line = ServiceSite.objects.select_related("contact").get(name="灵沙乡妇女悄悄话热线")
    assert line.contact_is_public and line.contact.name in page
    station = ServiceSite.objects.select_related("contact").get(name="郭家村留守流动儿童活动室")
    assert not station.contact_is_public and f"联系人：{station.contact.name}" not in page


def test_the_portal_leaves_out_private_and_closed_sites(client, acting):
    hidden = make_site(acting("taihua_fed"), name="内部使用的测试站点", is_public=False)
    closed = make_site(acting("taihua_fed"), name="已经停用的测试站点")
    ServiceSite.objects.filter(pk=closed.pk).update(closed_on=timezone.localdate())
    page = client.get("/support/services/").content.decode()
    assert hidden.name not in page and closed.name not in page


def test_the_portal_announces_upcoming_public_rounds_only(client, acting):
    make_round(acting("taihua_fed"), place="测试已开展地点")
    make_round(acting("taihua_fed"), place="测试内部预告地点", starts_on=timezone.localdate() + timedelta(days=5),
               served=0, cervical_screened=None, breast_screened=None)
    page = client.get("/support/services/").content.decode()
    assert "灵沙乡卫生院" in page and "35-64岁农村妇女" in page  # the demo's announcement
    assert "测试已开展地点" not in page and "测试内部预告地点" not in page
    assert "太华路街道社区卫生服务中心" not in page  # a held round is not announced


def test_the_portal_home_has_the_support_section(client):
    page = client.get("/").content.decode()
    assert 'id="support-services-section"' in page and "12338" in page and "0952-6012338" in page
    assert "/support/services/" in page


def test_an_organisation_with_no_line_gets_no_hotline_but_12338_stays(client):
    ServiceSite.objects.filter(kind=SiteKind.WHISPER_LINE).update(is_public=False)
    page = client.get("/support/services/").content.decode()
    assert "12338" in page and "0952-6012338" not in page
