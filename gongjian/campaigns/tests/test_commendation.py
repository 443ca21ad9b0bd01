"""Commendation: a nomination travels upward (draft → submitted), the deciding organisation above
reviews it (returned / not selected / approved), puts it on 公示 with objections, and after the
period awards it or not; the year's 表彰名单; the figures offered to the campaign pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjian.campaigns.demo import YEAR
from gongjian.campaigns.models import Nomination, NominationState, TitleKind
from gongjian.campaigns.services import commendation as services
from gongjian.kernel import figures, notices
from gongjian.kernel.models import AuditEvent, Notification, Person

from .factories import DEEDS, nominate, women_of

pytestmark = pytest.mark.django_db

#: A day of the demo's commendation year, after its 三八 awards: the tests that read the demo's
#: nominations beside new ones pin the clock here (the board and a new nomination take the year
#: from the clock; the demo keeps its own year, so in January the two would differ).
IN_THE_DEMO_YEAR = f"{YEAR}-11-20 10:00 +0800"


def on_notice(acting, **kwargs):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道社区卫生服务中心妇产科", **kwargs)
    county = acting("huayin_fed")
    services.nomination_review(actor=county, nomination=nomination, decision="approve")
    services.nomination_notice_open(actor=county, nomination=nomination, days=7)
    nomination.refresh_from_db()
    return nomination


def test_a_street_nominates_a_civilized_post_and_the_county_puts_it_on_notice(acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道社区卫生服务中心妇产科", submit=False)
    assert nomination.state == NominationState.DRAFT and nomination.submitted_at is None
    services.nomination_submit(actor=acting("taihua_fed"), nomination=nomination)
    assert nomination.state == NominationState.SUBMITTED and nomination.submitted_at is not None
    county = acting("huayin_fed")
    services.nomination_review(actor=county, nomination=nomination, decision="approve")
    assert nomination.state == NominationState.APPROVED
    notice = services.nomination_notice_open(actor=county, nomination=nomination, days=7)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ON_NOTICE
    assert notice.organization.name == "华阴市妇联" and notice.is_running()
    assert (notice.ends_on - notice.starts_on).days == 6
    assert "巾帼文明岗" in notice.title and nomination.public_name in notice.body


def test_the_nominating_street_cannot_decide_on_what_it_put_forward(acting, login):
    nomination = nominate(acting("taihua_fed"), kind=TitleKind.CIVILIZED_POST, deciding="华阴市妇联",
                          public_name="太华路街道政务大厅")
    with pytest.raises(PermissionDenied):
        services.nomination_review(actor=acting("taihua_fed"), nomination=nomination, decision="approve")
    response = login("taihua_fed").post(f"/work/campaigns/commendations/{nomination.pk}/review/",
                                        {"decision": "approve"})
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED


def test_only_the_chosen_deciding_organisation_decides_not_the_one_above_it(acting):
    woman = women_of("小留村妇联")[2]
    nomination = nominate(acting("xiaoliu_women"), kind=TitleKind.ENTREPRENEUR, deciding="太华路街道妇联",
                          public_name="", person=woman)
    assert nomination.public_name == woman.name
    with pytest.raises(PermissionDenied):
        services.nomination_review(actor=acting("huayin_fed"), nomination=nomination, decision="approve")
    services.nomination_review(actor=acting("taihua_fed"), nomination=nomination, decision="approve")
    assert nomination.state == NominationState.APPROVED


def test_a_returned_nomination_is_revised_and_sent_up_again(acting, django_capture_on_commit_callbacks):
    street, county = acting("taihua_fed"), acting("huayin_fed")
    nomination = nominate(street, public_name="太华路街道妇女儿童活动中心")
    with pytest.raises(ValidationError) as err:
        services.nomination_review(actor=county, nomination=nomination, decision="return", reason="")
    assert "reason" in err.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_review(actor=county, nomination=nomination, decision="return", reason="请补充服务数据。")
    assert nomination.state == NominationState.RETURNED
    assert Notification.objects.filter(organization__name="太华路街道妇联", code="campaigns.nomination.returned").exists()
    changed = services.nomination_update(actor=street, nomination=nomination,
                                         data={"deeds": DEEDS + "全年服务群众八千余人次。"})
    assert changed.deeds.endswith("八千余人次。")
    services.nomination_submit(actor=street, nomination=changed)
    assert changed.state == NominationState.SUBMITTED


def test_a_submitted_nomination_can_no_longer_be_changed(acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道综治中心")
    with pytest.raises(ValidationError):
        services.nomination_update(actor=acting("taihua_fed"), nomination=nomination, data={"deeds": DEEDS})


def test_a_nomination_not_selected_ends_there(acting):
    nomination = nominate(acting("taihua_fed"), public_name="太华路街道文化站")
    services.nomination_review(actor=acting("huayin_fed"), nomination=nomination, decision="reject",
                               reason="名额有限，本年度不予推荐。")
    assert nomination.state == NominationState.NOT_SELECTED
    with pytest.raises(ValidationError):
        services.nomination_notice_open(actor=acting("huayin_fed"), nomination=nomination)


def test_the_award_waits_for_the_end_of_the_notice(acting):
    nomination = on_notice(acting)
    with pytest.raises(ValidationError) as err:
        services.nomination_decide(actor=acting("huayin_fed"), nomination=nomination, award=True)
    assert "期满后才能确认通过" in str(err.value)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ON_NOTICE


def test_after_the_period_the_county_awards_and_the_street_is_told(acting, django_capture_on_commit_callbacks):
    nomination = on_notice(acting)
    with time_machine.travel(timezone.now() + timedelta(days=8)), django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(actor=acting("huayin_fed"), nomination=nomination, award=True)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.AWARDED and nomination.awarded_on is not None
    notice = notices.notice_for(nomination)
    assert notice.state == notices.State.CLOSED and notice.outcome == notices.Outcome.PASSED
    assert Notification.objects.filter(organization__name="太华路街道妇联", code="campaigns.nomination.awarded").exists()


def test_an_objection_upheld_blocks_the_award_and_leads_to_no_award(acting):
    nomination = on_notice(acting)
    objection, _password = notices.objection_submit(notice=notices.notice_for(nomination),
                                                    content="该科室今年发生过医疗纠纷，请核实。")
    county = acting("huayin_fed")
    services.nomination_answer_objection(actor=county, nomination=nomination, objection=objection,
                                         reply="经核实，情况属实。", upheld=True)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        with pytest.raises(ValidationError) as err:
            services.nomination_decide(actor=county, nomination=nomination, award=True)
        assert "异议经核实成立" in str(err.value)
        with pytest.raises(ValidationError):
            services.nomination_decide(actor=county, nomination=nomination, award=False, reason="")
        services.nomination_decide(actor=county, nomination=nomination, award=False, reason="异议经核实成立。")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOT_AWARDED
    assert notices.notice_for(nomination).outcome == notices.Outcome.REJECTED


def test_an_unanswered_objection_blocks_the_award(acting):
    nomination = on_notice(acting)
    notices.objection_submit(notice=notices.notice_for(nomination), content="请核实服务数据是否真实。")
    with time_machine.travel(timezone.now() + timedelta(days=8)), pytest.raises(ValidationError) as err:
        services.nomination_decide(actor=acting("huayin_fed"), nomination=nomination, award=True)
    assert "还有异议没有答复" in str(err.value)


def test_an_objection_of_another_notice_is_refused(acting, org):
    first = on_notice(acting)
    second = on_notice(acting, kind=TitleKind.ADVANCED_ORGANIZATION, nominee_organization=org("郭家村妇联"))
    objection, _password = notices.objection_submit(notice=notices.notice_for(second), content="请核实这个组织的情况。")
    with pytest.raises(ValidationError):
        services.nomination_answer_objection(actor=acting("huayin_fed"), nomination=first, objection=objection,
                                             reply="已核实。", upheld=False)


def test_a_title_for_women_needs_a_woman_of_the_nominators_subtree(acting):
    street = acting("taihua_fed")
    with pytest.raises(ValidationError) as err:
        nominate(street, kind=TitleKind.RED_BANNER, public_name="")
    assert "person" in err.value.message_dict
    man = Person.objects.get(name="刘振华")
    with pytest.raises(ValidationError) as err:
        nominate(street, kind=TitleKind.RED_BANNER, public_name="", person=man)
    assert err.value.message_dict["person"] == ["被推荐人应为女性。"]
    stranger = women_of("灵沙乡妇联")[0] if women_of("灵沙乡妇联") else Person.objects.filter(
        organization__name__startswith="灵沙", gender="F").first()
    with pytest.raises(PermissionDenied):
        nominate(street, kind=TitleKind.RED_BANNER, public_name="", person=stranger)


def test_a_title_for_cadres_needs_a_serving_federation_cadre(acting):
    street = acting("taihua_fed")
    with pytest.raises(ValidationError) as err:
        nominate(street, kind=TitleKind.EXCELLENT_CADRE, public_name="", person=women_of("小留村妇联")[0])
    assert "现任妇联干部" in err.value.message_dict["person"][0]
    cadre = nominate(street, kind=TitleKind.EXCELLENT_CADRE, public_name="", person=acting("xiaoliu_women").person)
    assert cadre.public_name == "刘桂兰" and cadre.category == "妇联干部"


def test_an_advanced_organisation_must_be_a_federation_below_the_nominator(acting, org):
    street = acting("taihua_fed")
    with pytest.raises(ValidationError) as err:
        nominate(street, kind=TitleKind.ADVANCED_ORGANIZATION, public_name="")
    assert "nominee_organization" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        nominate(street, kind=TitleKind.ADVANCED_ORGANIZATION, public_name="", nominee_organization=org("灵沙乡妇联"))
    assert "nominee_organization" in err.value.message_dict
    done = nominate(street, kind=TitleKind.ADVANCED_ORGANIZATION, public_name="", nominee_organization=org("郭家村妇联"))
    assert done.public_name == "郭家村妇联"


def test_the_deciding_organisation_must_be_a_federation_above_the_nominator(acting):
    with pytest.raises(ValidationError) as err:
        nominate(acting("taihua_fed"), deciding="太华路街道妇联", public_name="太华路街道图书室")
    assert "deciding_organization" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        nominate(acting("taihua_fed"), deciding="平罗县妇联", public_name="太华路街道图书室")
    assert "deciding_organization" in err.value.message_dict


def test_deeds_are_required_and_nothing_is_saved_on_bad_input(acting):
    before = Nomination.objects.count()
    with pytest.raises(ValidationError) as err:
        nominate(acting("taihua_fed"), public_name="太华路街道图书室", deeds="很好")
    assert "至少" in err.value.message_dict["deeds"][0]
    assert Nomination.objects.count() == before


def test_the_same_nominee_cannot_be_put_forward_twice_for_a_title_in_a_year(acting):
    nominate(acting("taihua_fed"), public_name="太华路街道老年活动中心")
    with pytest.raises(ValidationError) as err:
        nominate(acting("taihua_fed"), public_name="太华路街道老年活动中心")
    assert "已被推荐" in str(err.value)


def test_every_step_is_audited(acting):
    nomination = on_notice(acting)
    codes = set(AuditEvent.objects.filter(object_id=str(nomination.pk), object_type="campaigns.nomination")
                .values_list("event", flat=True))
    assert {"campaigns.nomination.created", "campaigns.nomination.submitted", "campaigns.nomination.approved",
            "campaigns.nomination.on_notice"} <= codes


def test_the_deciding_organisation_is_told_when_a_nomination_arrives(acting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(acting("taihua_fed"), public_name="太华路街道儿童之家")
    note = Notification.objects.get(organization__name="华阴市妇联", code="campaigns.nomination.submitted",
                                    link=nomination.get_absolute_url())
    assert "太华路街道儿童之家" in note.message


def test_the_march_8_roll_lists_the_years_awards_by_title(login):
    page = login("huayin_fed").get(f"/work/campaigns/commendations/roll/?year={YEAR}")  # the demo's awards
    text = page.content.decode()
    assert page.status_code == 200
    assert "三八红旗手" in text and "先进妇联组织" in text and "小留村妇联" in text
    assert text.index("先进妇联组织") < text.index("三八红旗手")  # in the order of the titles
    assert "巾帼文明岗" not in text.split('id="roll"')[1]  # on notice, not awarded yet


def test_the_board_shows_the_deciding_organisations_work(login, acting):
    with time_machine.travel(IN_THE_DEMO_YEAR, tick=False):
        nomination = nominate(acting("taihua_fed"), public_name="太华路街道便民服务站")
        text = login("huayin_fed").get("/work/campaigns/commendations/board/").content.decode()
        street = login("taihua_fed").get("/work/campaigns/commendations/board/").content.decode()
    assert nomination.year == YEAR
    assert nomination.public_name in text and "太华路街道便民服务中心" in text  # the demo's, on notice
    assert nomination.public_name not in street


def test_figures_count_nominations_and_awards_per_subtree_in_constant_queries(acting, org,
                                                                             django_assert_max_num_queries):
    county = acting("huayin_fed")
    with time_machine.travel(IN_THE_DEMO_YEAR, tick=False):
        nominate(acting("taihua_fed"), public_name="太华路街道妇女微家")
    year = YEAR  # the demo's awards, and the nomination just made
    asked = [org("华阴市妇联"), org("太华路街道妇联"), org("罗敷镇妇联"), org("小留村妇联")]
    with django_assert_max_num_queries(6):
        values = figures.read(user=county, organizations=asked, start=date(year, 1, 1), end=date(year, 12, 31),
                              codes=["commendations.nominated", "commendations.awarded"])
    county_id, street_id = asked[0].pk, asked[1].pk
    assert values[county_id]["commendations.awarded"] >= 3
    assert values[street_id]["commendations.nominated"] >= 1
    assert values[asked[2].pk] == {"commendations.nominated": 0, "commendations.awarded": 0}


def test_the_demo_is_loaded_once_with_a_civilized_post_on_notice_and_this_years_march_8_awards():
    from gongjian.campaigns import demo

    before = Nomination.objects.count()
    demo.load_commendations(None)
    assert Nomination.objects.count() == before
    post = Nomination.objects.get(public_name=demo.CIVILIZED_POST_NAME)
    assert post.state == NominationState.ON_NOTICE and notices.notice_for(post).is_running()
    assert post.campaign is not None and post.campaign.title == demo.HUAYIN_TITLE
    awarded = set(Nomination.objects.filter(state=NominationState.AWARDED, year=demo.YEAR,
                                            deciding_organization__name="华阴市妇联").values_list("kind", flat=True))
    assert {TitleKind.RED_BANNER, TitleKind.ADVANCED_ORGANIZATION, TitleKind.DOUBLE_LEARNING} <= awarded


def test_the_board_counts_each_notices_objections_without_a_query_per_row(acting, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjian.kernel.models import Objection

    def board_queries() -> tuple[int, str]:
        client = login("huayin_fed")
        client.get("/work/")  # her first request also loads her snapshot (kernel.principal)
        with CaptureQueriesContext(connection) as captured:
            text = client.get("/work/campaigns/commendations/board/").content.decode()
        return len(captured), text

    with time_machine.travel(IN_THE_DEMO_YEAR, tick=False):
        before, first = board_queries()
        county = acting("huayin_fed")
        for public_name in ("太华路街道妇女微家", "太华路街道巾帼志愿驿站"):
            nomination = nominate(acting("taihua_fed"), public_name=public_name)
            services.nomination_review(actor=county, nomination=nomination, decision="approve")
            services.nomination_notice_open(actor=county, nomination=nomination, days=7)
            objection = Objection(notice=notices.notice_for(nomination), content="异议内容，请核实情况。")
            objection.issue_credentials()
            objection.save()
        after, text = board_queries()
    assert "太华路街道便民服务中心" in first  # one row on notice already (the demo's): 1 row, then 3
    assert after == before
    assert "1 条异议" in text
