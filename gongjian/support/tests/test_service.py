"""Service sites and health rounds through their services: kept by the organisation and the
federations above, audited, refused in Chinese with nothing saved, closed and never deleted; health
rounds hold counts only; the figures sources in constant queries; the hotlines a woman is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.kernel import access, figures
from gongjian.kernel.models import AuditEvent, Organization, Person, User
from gongjian.support.models import HealthKind, HealthRound, ServiceSite, SiteKind
from gongjian.support.selectors import service as selectors
from gongjian.support.services import service as services

from .factories import make_round, make_site

pytestmark = pytest.mark.django_db


def cadre(username: str) -> Person:
    """The person behind a demo account."""
    return User.objects.select_related("person").get(username=username).person


# --- sites ---------------------------------------------------------------------------------------

def test_a_township_adds_a_complaint_station_and_it_is_audited(acting):
    site = make_site(acting("taihua_fed"), organization="太华路街道妇联", contact=cadre("taihua_fed"))
    assert site.pk and site.organization.name == "太华路街道妇联" and site.closed_on is None
    event = AuditEvent.objects.get(event="support.site.created", object_id=str(site.pk))
    assert event.changes["name"] == [None, "测试妇女维权投诉站"]


def test_a_site_defaults_to_the_acting_organisation(acting):
    site = make_site(acting("guojia_women"))
    assert site.organization.name == "郭家村妇联"


@pytest.mark.parametrize("phone", ["13912345678", "0913-1234567", "09131234567", "010-12345678", "12338", "110",
                                   "400-123-4567", "０９１３－１２３４５６７", "0952 601 2338"])
def test_a_public_phone_may_be_a_mobile_a_landline_or_a_hotline(acting, phone):
    site = make_site(acting("taihua_fed"), organization="太华路街道妇联", phone=phone)
    assert services.is_valid_phone(site.phone) and " " not in site.phone


@pytest.mark.parametrize("phone", ["12345678901", "2338", "0913-12", "电话", "1391234567", "139123456789"])
def test_a_wrong_phone_is_refused_in_chinese_and_nothing_is_saved(acting, phone):
    before = ServiceSite.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_site(acting("taihua_fed"), organization="太华路街道妇联", phone=phone)
    assert "请填写正确的电话：手机号（11位）、固定电话（如0913-1234567）或服务热线（如12338）。" in exc.value.messages
    assert ServiceSite.objects.count() == before


def test_a_whisper_line_needs_its_number_but_no_address(acting):
    with pytest.raises(ValidationError) as exc:
        make_site(acting("lingsha_fed"), kind=SiteKind.WHISPER_LINE, address="", phone="")
    assert exc.value.message_dict == {"phone": ["热线请填写电话号码。"]}
    line = make_site(acting("lingsha_fed"), kind=SiteKind.WHISPER_LINE, address="", phone="0952-6019999")
    assert line.is_line and line.address == ""


def test_a_site_needs_its_name_address_and_hours(acting):
    with pytest.raises(ValidationError) as exc:
        make_site(acting("taihua_fed"), name=" ", address="", hours="", open_days="189")
    assert set(exc.value.message_dict) == {"name", "address", "hours", "open_days"}
    assert "请填写开放时间，如：周一至周五 8:30-17:30。" in exc.value.messages


def test_the_opening_day_cannot_be_in_the_future(acting):
    with pytest.raises(ValidationError) as exc:
        make_site(acting("taihua_fed"), opened_on=timezone.localdate() + timedelta(days=1))
    assert exc.value.message_dict == {"opened_on": ["启用日期不能晚于今天。"]}


def test_a_village_cannot_add_a_site_to_another_village(acting, org):
    with pytest.raises(PermissionDenied):
        make_site(acting("guojia_women"), organization=org("小留村妇联"))


def test_a_village_cannot_add_a_site_to_its_township(acting, org):
    with pytest.raises(PermissionDenied):
        make_site(acting("guojia_women"), organization=org("太华路街道妇联"))


def test_the_contact_must_belong_to_the_sites_organisation(acting):
    with pytest.raises(ValidationError) as exc:
        make_site(acting("taihua_fed"), organization="郭家村妇联", contact=cadre("taihua_fed"))
    assert exc.value.message_dict == {"contact": ["联系人应是本组织（或下级组织）的人员。"]}
    # A contact out of the actor's reach is refused even where the organisation would fit.
    with pytest.raises(ValidationError):
        make_site(acting("guojia_women"), contact=cadre("xiaoliu_women"))


def test_a_site_without_a_contact_never_shows_one(acting):
    site = make_site(acting("taihua_fed"), contact_is_public=True)
    assert site.contact is None and site.contact_is_public is False


def test_a_change_is_audited_with_before_and_after(acting):
    township = acting("taihua_fed")
    site = make_site(township)
    services.service_site_update(actor=township, site=site, data={"hours": "每天 9:00-18:00"})
    site.refresh_from_db()
    assert site.hours == "每天 9:00-18:00"
    event = AuditEvent.objects.get(event="support.site.updated", object_id=str(site.pk))
    assert event.changes == {"hours": ["周一至周五 8:30-17:30", "每天 9:00-18:00"]}


def test_a_village_cannot_change_its_townships_site_but_the_county_can(acting):
    site = make_site(acting("taihua_fed"), organization="太华路街道妇联")
    with pytest.raises(PermissionDenied):
        services.service_site_update(actor=acting("guojia_women"), site=site, data={"hours": "随时"})
    services.service_site_update(actor=acting("huayin_fed"), site=site, data={"hours": "随时"})
    site.refresh_from_db()
    assert site.hours == "随时"


def test_a_closed_site_is_kept_leaves_the_portal_and_cannot_be_changed(acting):
    township = acting("taihua_fed")
    site = make_site(township, name="测试关闭的投诉站")
    assert site in selectors.public_sites()
    services.service_site_close(actor=township, site=site, reason="搬迁合并")
    site.refresh_from_db()
    assert site.closed_on == timezone.localdate() and site.close_reason == "搬迁合并"
    assert site not in selectors.public_sites()
    assert ServiceSite.objects.filter(pk=site.pk).exists()
    with pytest.raises(ValidationError):
        services.service_site_update(actor=township, site=site, data={"hours": "随时"})
    with pytest.raises(ValidationError):
        services.service_site_close(actor=township, site=site)
    assert AuditEvent.objects.filter(event="support.site.closed", object_id=str(site.pk)).count() == 1


def test_a_site_not_marked_public_stays_off_the_portal(acting):
    site = make_site(acting("taihua_fed"), is_public=False)
    assert site not in selectors.public_sites()


# --- hotlines for the help form ------------------------------------------------------------------

def test_hotlines_for_a_village_are_the_public_lines_of_it_and_above_nearest_first(acting, org):
    county_line = make_site(acting("huayin_fed"), kind=SiteKind.WHISPER_LINE, name="华阴市妇女悄悄话热线",
                            phone="0913-4600000")
    township_line = make_site(acting("taihua_fed"), kind=SiteKind.WHISPER_LINE, name="太华路妇女悄悄话热线",
                              phone="0913-4611111")
    hidden = make_site(acting("taihua_fed"), kind=SiteKind.WHISPER_LINE, name="不公开的热线", phone="0913-4622222",
                       is_public=False)
    closed = make_site(acting("taihua_fed"), kind=SiteKind.WHISPER_LINE, name="停用的热线", phone="0913-4633333")
    services.service_site_close(actor=acting("taihua_fed"), site=closed)
    make_site(acting("taihua_fed"), name="不是热线的投诉站")  # another kind: not a hotline
    found = selectors.hotlines_for(org("郭家村妇联"))
    assert found == [township_line, county_line]
    assert hidden not in found and closed not in found


def test_hotlines_never_come_from_a_sibling_or_another_county(org):
    lines = selectors.hotlines_for(org("灵沙村妇联"))
    assert [line.name for line in lines] == ["灵沙乡妇女悄悄话热线"]  # the demo's line at 灵沙乡
    assert selectors.hotlines_for(org("小留村妇联")) == []


# --- health rounds -------------------------------------------------------------------------------

def test_a_health_round_has_no_relation_to_any_person():
    related = {f.related_model for f in HealthRound._meta.get_fields() if f.is_relation}
    assert Person not in related
    assert related <= {Organization, HealthRound._meta.get_field("created_by").related_model}
    assert not [f.name for f in HealthRound._meta.get_fields()
                if isinstance(f, models.Field) and any(w in f.name for w in ("person", "result", "name", "mobile"))]


def test_a_township_records_a_cancer_screening_round(acting):
    found = make_round(acting("taihua_fed"), organization="太华路街道妇联")
    assert found.served == 50 and found.cervical_screened == 48
    assert AuditEvent.objects.filter(event="support.health_round.recorded", object_id=str(found.pk)).exists()


def test_a_held_round_cannot_be_dated_in_the_future(acting):
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = HealthRound.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_round(acting("taihua_fed"), starts_on=tomorrow)
    assert exc.value.message_dict == {
        "starts_on": ["已开展的服务，日期不能晚于今天；尚未开展的请先不填人数（作为预告）。"]}
    with pytest.raises(ValidationError) as exc:
        make_round(acting("taihua_fed"), ends_on=tomorrow)
    assert "ends_on" in exc.value.message_dict
    assert HealthRound.objects.count() == before


def test_an_upcoming_round_without_counts_is_an_announcement(acting):
    found = make_round(acting("taihua_fed"), starts_on=timezone.localdate() + timedelta(days=7), served=0,
                       cervical_screened=None, breast_screened=None, is_public=True)
    assert found.is_upcoming and found in selectors.public_rounds_announced()


@pytest.mark.parametrize(("extra", "field"), [
    ({"served": -1}, "served"),
    ({"cervical_screened": -3}, "cervical_screened"),
    ({"served": 10, "cervical_screened": 11}, "cervical_screened"),
    ({"served": 10, "breast_screened": 11, "cervical_screened": 1}, "breast_screened"),
    ({"place": ""}, "place"),
    ({"partner": " "}, "partner"),
    ({"kind": "xray"}, "kind"),
])
def test_bad_counts_and_missing_details_are_refused_in_chinese(acting, extra, field):
    before = HealthRound.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_round(acting("taihua_fed"), **extra)
    assert field in exc.value.message_dict
    assert all("\u4e00" <= m[0] <= "\u9fff" for m in exc.value.messages)
    assert HealthRound.objects.count() == before


def test_an_end_before_the_start_is_refused(acting):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        make_round(acting("taihua_fed"), starts_on=today - timedelta(days=3), ends_on=today - timedelta(days=5))
    assert exc.value.message_dict == {"ends_on": ["结束日期不能早于开始日期。"]}


def test_screenings_are_counted_only_for_the_cancer_screening(acting):
    found = make_round(acting("taihua_fed"), kind=HealthKind.PREMARITAL, served=12, cervical_screened=5,
                       breast_screened=5)
    assert found.cervical_screened is None and found.breast_screened is None


def test_an_announcement_gets_its_counts_once_held_and_the_change_is_audited(acting):
    township = acting("taihua_fed")
    found = make_round(township, starts_on=timezone.localdate() + timedelta(days=3), served=0,
                       cervical_screened=None, breast_screened=None)
    HealthRound.objects.filter(pk=found.pk).update(starts_on=timezone.localdate() - timedelta(days=1))
    found.refresh_from_db()
    services.health_round_update(actor=township, health_round=found, data={"served": 88, "cervical_screened": 80})
    found.refresh_from_db()
    assert found.served == 88
    event = AuditEvent.objects.get(event="support.health_round.updated", object_id=str(found.pk))
    assert event.changes["served"] == [0, 88]


def test_a_village_cannot_record_for_its_township(acting, org):
    with pytest.raises(PermissionDenied):
        make_round(acting("guojia_women"), organization=org("太华路街道妇联"))


def test_the_year_totals_add_up_per_kind_and_leave_announcements_apart(acting):
    township = acting("taihua_fed")
    make_round(township, served=40, cervical_screened=40, breast_screened=30)
    make_round(township, kind=HealthKind.MOTHER_EXPRESS, served=15)
    make_round(township, starts_on=timezone.localdate() + timedelta(days=5), served=0, cervical_screened=None,
               breast_screened=None)
    rows = HealthRound.objects.filter(created_by__username="taihua_fed")
    totals = selectors.health_year_totals(rows)
    assert (totals.rounds, totals.served, totals.upcoming) == (2, 55, 1)
    by_kind = {k.kind: k for k in totals.kinds}
    assert (by_kind["cancer_screening"].rounds, by_kind["cancer_screening"].served,
            by_kind["cancer_screening"].cervical, by_kind["cancer_screening"].breast) == (1, 40, 40, 30)
    assert by_kind["mother_express"].served == 15


# --- figures -------------------------------------------------------------------------------------

def _read(user, orgs, codes):
    today = timezone.localdate()
    return figures.read(user=user, organizations=orgs, start=today - timedelta(days=365), end=today, codes=codes)


def test_the_health_figures_count_each_subtree_in_constant_queries(acting, org):
    county = acting("huayin_fed")
    huayin, taihua, guojia = org("华阴市妇联"), org("太华路街道妇联"), org("郭家村妇联")
    codes = ["health.rounds", "health.served", "health.cancer_served", "health.cervical"]
    before = _read(county, [huayin, taihua, guojia], codes)
    make_round(acting("guojia_women"), served=30, cervical_screened=28, breast_screened=20)
    make_round(acting("guojia_women"), starts_on=timezone.localdate() + timedelta(days=2), served=0,
               cervical_screened=None, breast_screened=None)  # an announcement counts nothing yet
    after = _read(county, [huayin, taihua, guojia], codes)
    for pk in (huayin.pk, taihua.pk, guojia.pk):
        assert after[pk]["health.rounds"] - before[pk]["health.rounds"] == 1
        assert after[pk]["health.served"] - before[pk]["health.served"] == 30
        assert after[pk]["health.cervical"] - before[pk]["health.cervical"] == 28
    assert after[huayin.pk]["health.served"] >= after[taihua.pk]["health.served"] + 120  # the county's own round
    with CaptureQueriesContext(connection) as two:
        _read(county, [huayin, taihua], codes)
    everyone = list(access.visible(county, Organization.objects.filter(kind__in=Organization.FEDERATION_KINDS)))
    assert len(everyone) > 20
    with CaptureQueriesContext(connection) as many:
        _read(county, everyone, codes)
    assert len(many.captured_queries) == len(two.captured_queries)


def test_the_site_figures_count_open_sites_by_kind(acting, org):
    county, taihua = acting("huayin_fed"), org("太华路街道妇联")
    before = _read(county, [taihua], ["sites.sites", "sites.sites_legal_aid"])[taihua.pk]
    site = make_site(acting("taihua_fed"), kind=SiteKind.LEGAL_AID, partner="太华路街道司法所")
    after = _read(county, [taihua], ["sites.sites", "sites.sites_legal_aid"])[taihua.pk]
    assert after["sites.sites"] - before["sites.sites"] == 1
    assert after["sites.sites_legal_aid"] - before["sites.sites_legal_aid"] == 1
    ServiceSite.objects.filter(pk=site.pk).update(closed_on=timezone.localdate() - timedelta(days=1),
                                                  opened_on=timezone.localdate() - timedelta(days=30))
    assert _read(county, [taihua], ["sites.sites"])[taihua.pk]["sites.sites"] == before["sites.sites"]


def test_the_demo_has_the_sites_and_rounds_the_issue_names():
    kinds = set(ServiceSite.objects.values_list("organization__name", "kind"))
    assert {("灵沙乡妇联", "whisper_line"), ("太华路街道妇联", "complaint_station"), ("太华路街道妇联", "legal_aid"),
            ("郭家村妇联", "children_room")} <= kinds
    assert ServiceSite.objects.get(kind="legal_aid", organization__name="太华路街道妇联").partner == "太华路街道司法所"
    cancer = HealthRound.objects.get(kind="cancer_screening", partner="华阴市卫健局")
    assert cancer.served > 0 and cancer.starts_on <= timezone.localdate()
    assert HealthRound.objects.filter(kind="mother_express").exists()


def test_the_demo_loads_twice_without_a_second_copy():
    from gongjian.support.demo import load_service

    before = (ServiceSite.objects.count(), HealthRound.objects.count())
    load_service(None)
    assert (ServiceSite.objects.count(), HealthRound.objects.count()) == before
