"""The talent pool's life: a village collects a woman and reports her, the township forwards, the
county accepts; any step returns her with a reason; the pools are accepted entries of a subtree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.development.models import Talent, TalentState
from gongjian.development.selectors import talent as selectors
from gongjian.development.services import talent as services
from gongjian.kernel.models import AuditEvent, Notification, Person

from .factories import (
    talent_accepted,
    talent_collected,
    talent_forwarded,
    talent_reported,
    woman_of,
)

pytestmark = pytest.mark.django_db


def test_a_village_reports_a_woman_the_township_forwards_and_the_county_accepts(acting, org, django_capture_on_commit_callbacks):
    talent = talent_collected(income=Decimal("12.5"))
    assert talent.state == TalentState.DRAFT and talent.holder == org("小留村妇联")
    with django_capture_on_commit_callbacks(execute=True):
        services.talent_report(actor=acting("xiaoliu_women"), talent=talent)
    assert talent.state == TalentState.REPORTED and talent.holder == org("太华路街道妇联")
    assert Notification.objects.filter(organization=org("太华路街道妇联"), code="development.talent.reported").exists()
    services.talent_forward(actor=acting("taihua_fed"), talent=talent)
    assert talent.state == TalentState.FORWARDED and talent.holder == org("华阴市妇联")
    services.talent_accept(actor=acting("huayin_fed"), talent=talent)
    talent.refresh_from_db()
    assert talent.state == TalentState.ACCEPTED and talent.accepted_at is not None
    events = list(AuditEvent.objects.filter(object_id=str(talent.pk), event__startswith="development.talent.")
                  .values_list("event", flat=True))
    assert {"development.talent.created", "development.talent.reported", "development.talent.forwarded",
            "development.talent.accepted"} <= set(events)


def test_the_township_cannot_accept_into_the_county_pool(acting):
    talent = talent_reported()
    with pytest.raises(ValidationError, match="县级妇联审核入库"):
        services.talent_accept(actor=acting("taihua_fed"), talent=talent)
    assert Talent.objects.get(pk=talent.pk).state == TalentState.REPORTED


def test_a_returned_entry_goes_back_to_the_village_with_the_reason_and_can_be_reported_again(acting, org):
    talent = talent_forwarded()
    with pytest.raises(ValidationError):
        services.talent_return(actor=acting("huayin_fed"), talent=talent, reason=" ")
    services.talent_return(actor=acting("huayin_fed"), talent=talent, reason="请补充合作社营业执照。")
    talent.refresh_from_db()
    assert talent.state == TalentState.RETURNED and talent.holder == org("小留村妇联")
    assert talent.return_reason == "请补充合作社营业执照。"
    services.talent_update(actor=acting("xiaoliu_women"), talent=talent, data={"enterprise": "小留村苹果合作社"})
    services.talent_report(actor=acting("xiaoliu_women"), talent=talent)
    talent.refresh_from_db()
    assert talent.state == TalentState.REPORTED and talent.return_reason == ""


def test_the_county_can_take_an_accepted_entry_out_of_the_pool_with_a_reason(acting):
    talent = talent_accepted()
    services.talent_return(actor=acting("huayin_fed"), talent=talent, reason="核实后不符合条件。")
    assert talent.state == TalentState.RETURNED and talent.accepted_at is None


def test_the_township_may_not_move_an_entry_waiting_at_the_county(acting):
    talent = talent_forwarded()
    with pytest.raises(PermissionDenied):
        services.talent_return(actor=acting("taihua_fed"), talent=talent, reason="越级退回。")


def test_bad_entries_are_refused_with_chinese_reasons_and_nothing_saved(acting):
    before = Talent.objects.count()
    man = Person.objects.filter(organization__name="小留村妇联", gender="M").first()
    with pytest.raises(ValidationError) as caught:
        talent_collected(woman=man, trade=" ", jobs=-1)
    errors = caught.value.message_dict
    assert "只收录妇女" in errors["person"][0] and "行业" in errors["trade"][0] and "就业" in errors["jobs"][0]
    other_village = woman_of("郭家村妇联")
    with pytest.raises(PermissionDenied):
        talent_collected(woman=other_village)
    assert Talent.objects.count() == before


def test_the_same_woman_is_not_entered_twice_under_the_same_kind():
    talent_collected()
    with pytest.raises(ValidationError, match="已以“致富女能手”录入人才库"):
        talent_collected()
    talent_collected(kind="broker")  # another kind is another entry


def test_only_drafts_and_returned_entries_change(acting):
    talent = talent_reported()
    with pytest.raises(ValidationError, match="只有草稿或退回"):
        services.talent_update(actor=acting("xiaoliu_women"), talent=talent, data={"jobs": 9})


def test_the_pools_are_the_accepted_entries_of_each_subtree_and_the_queue_what_waits_here(acting, org):
    accepted = talent_accepted()
    waiting = talent_reported(kind="broker", trade="农产品经纪")
    for username in ("huayin_fed", "taihua_fed", "xiaoliu_women"):
        pool = set(selectors.talent_list_visible_to(user=acting(username), scope="pool"))
        assert accepted in pool and waiting not in pool
    assert not set(selectors.talent_list_visible_to(user=acting("guojia_women"), scope="pool")) & {accepted}
    assert not selectors.talent_list_visible_to(user=acting("lingsha_fed"), scope="pool").filter(pk=accepted.pk)
    assert list(selectors.talent_list_visible_to(user=acting("taihua_fed"), scope="queue").filter(
        pk__in=[accepted.pk, waiting.pk])) == [waiting]
    assert not selectors.talent_list_visible_to(user=acting("huayin_fed"), scope="queue").filter(pk=waiting.pk)


def test_the_pool_is_searched_by_kind_skill_trade_and_place(acting, org):
    apple = talent_accepted(skills="果树修剪、电商销售")
    broker = talent_accepted(kind="broker", trade="农产品经纪", skills="直播带货", woman=woman_of("小留村妇联", 3))
    county = acting("huayin_fed")

    def found(**filters):
        return set(selectors.talent_list_visible_to(user=county, scope="pool", **filters)
                   .filter(pk__in=[apple.pk, broker.pk]))

    assert found(kind="broker") == {broker}
    assert found(q="修剪") == {apple}
    assert found(trade="经纪") == {broker}
    assert found(place=org("小留村妇联")) == {apple, broker}
    assert found(place=org("郭家村妇联")) == set()


def test_a_page_of_the_list_is_the_searchs_rows_for_whoever_reads_it(acting, org):
    talent_accepted(skills="果树修剪、电商销售")
    talent_accepted(kind="broker", trade="农产品经纪", skills="直播带货", woman=woman_of("小留村妇联", 3))
    talent_reported(kind="broker", trade="农产品经纪")
    searches = [{"scope": "pool"}, {"scope": "pool", "kind": "broker", "q": "直播"}, {"scope": "queue"},
                {"scope": "all", "trade": "经纪"}, {"scope": "mine"}, {"scope": "pool", "place": org("小留村妇联")},
                {"scope": "all", "state": "reported"}]
    for username in ("huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women", "huayin_fed"):
        user = acting(username)
        for search in searches:
            rows = selectors.brief_rows(selectors.talent_list_visible_to(user=user, brief=True, **search))
            for number in (1, 2):
                page = selectors.talent_page(user=user, page=number, per_page=1, **search)
                assert page.rows == rows[number - 1 : number], (username, search)
                assert page.has_next == (len(rows) > number)


def test_the_demo_holds_xiaoliu_s_apple_grower_in_the_county_pool(acting):
    demo = Talent.objects.get(trade="苹果种植", organization__name="小留村妇联", state=TalentState.ACCEPTED)
    assert demo.jobs == 8 and demo.holder.name == "华阴市妇联"
    assert demo in selectors.talent_list_visible_to(user=acting("huayin_fed"), scope="pool")


def test_the_figures_count_the_pool_per_subtree_in_constant_queries(acting, org):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjian.kernel import figures
    from gongjian.kernel.models import Organization

    talent_accepted()
    talent_reported(kind="broker", trade="农产品经纪")
    asked = [org("太华路街道妇联"), org("小留村妇联"), org("郭家村妇联")]
    codes = ["talents.pool", "talents.jobs", "talents.reported", "talents.accepted"]
    county = acting("huayin_fed")

    def ask(organizations):
        with CaptureQueriesContext(connection) as queries:
            found = figures.read(user=county, organizations=organizations, start=date(2000, 1, 1),
                                 end=date(2100, 1, 1), codes=codes)
        return found, len(queries)

    answer, few = ask(asked)
    many = list(Organization.objects.filter(path__startswith=org("华阴市妇联").path,
                                            kind__in=Organization.FEDERATION_KINDS))
    assert len(many) > 10 and ask(many)[1] == few
    street, xiaoliu, guojia = (answer[o.pk] for o in asked)
    assert street == xiaoliu  # every entry so far comes from 小留村
    assert xiaoliu["talents.pool"] >= 2 and xiaoliu["talents.jobs"] >= 16  # the demo's and this one
    assert xiaoliu["talents.reported"] >= 3
    assert guojia == dict.fromkeys(codes, 0)
