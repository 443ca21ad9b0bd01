"""承诺 → 践诺 → 评诺 through the services: who may do what, what is refused (nothing saved), what
is audited and who is told; the figures the app offers through kernel.figures."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.campaigns.models import (
    Campaign,
    CampaignState,
    Pledge,
    PledgeCategory,
    PledgeRating,
    PledgeState,
)
from gongjian.campaigns.selectors.pledge import provide_figures
from gongjian.campaigns.services import pledge as services
from gongjian.kernel import figures
from gongjian.kernel.models import AuditEvent, Notification, Organization, Person

from .factories import make_pledge

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (183, 28, 28)).save(buf, "PNG")
    return SimpleUploadedFile("践诺.png", buf.getvalue(), content_type="image/png")


def test_a_village_publishes_a_pledge_and_the_township_is_told(acting, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pledge = make_pledge(acting("xiaoliu_women"))
    assert pledge.state == PledgeState.PUBLISHED and pledge.organization == org("小留村妇联")
    assert pledge.published_at is not None and pledge.on_portal
    assert Notification.objects.filter(organization=org("太华路街道妇联"), code="campaigns.pledge.published",
                                       message__contains=pledge.title).exists()
    events = set(AuditEvent.objects.filter(object_id=str(pledge.pk), object_type="campaigns.pledge")
                 .values_list("event", flat=True))
    assert {"campaigns.pledge.created", "campaigns.pledge.published"} <= events


def test_a_pledge_without_content_or_due_date_is_refused_and_nothing_saved(acting):
    before = Pledge.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_pledge(acting("xiaoliu_women"), content="太短", due_on=None, title=" ")
    assert set(caught.value.message_dict) == {"content", "due_on", "title"}
    assert "至少10个字" in caught.value.message_dict["content"][0]
    assert Pledge.objects.count() == before


def test_a_due_date_far_in_the_future_is_refused(acting):
    with pytest.raises(ValidationError) as caught:
        make_pledge(acting("xiaoliu_women"), due_on=timezone.localdate() + timedelta(days=3000))
    assert "五年" in caught.value.message_dict["due_on"][0]


def test_a_cadre_pledge_keeps_her_title_and_a_non_cadre_is_refused(acting, org):
    director = acting("xiaoliu_women")
    pledge = make_pledge(director, cadre=director.person, category=PledgeCategory.INTEGRITY)
    assert pledge.cadre_title == "妇女主任"
    resident = Person.objects.filter(organization=org("小留村妇联"), positions__isnull=True).first()
    with pytest.raises(ValidationError) as caught:
        make_pledge(director, cadre=resident)
    assert "在任干部" in caught.value.message_dict["cadre"][0]


def test_a_draft_can_be_changed_but_a_published_pledge_cannot(acting):
    director = acting("xiaoliu_women")
    draft = make_pledge(director, publish=False)
    changed = services.pledge_update(actor=director, pledge=draft, data={"title": "每月走访20户"})
    assert changed.title == "每月走访20户" and changed.state == PledgeState.DRAFT
    services.pledge_publish(actor=director, pledge=changed)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.pledge_update(actor=director, pledge=changed, data={"title": "改了"})


def test_a_withdrawn_draft_is_kept_and_cannot_be_published(acting):
    director = acting("xiaoliu_women")
    draft = make_pledge(director, publish=False)
    services.pledge_withdraw(actor=director, pledge=draft)
    assert Pledge.objects.get(pk=draft.pk).state == PledgeState.WITHDRAWN
    with pytest.raises(ValidationError, match="不能变为"):
        services.pledge_publish(actor=director, pledge=draft)


def test_only_the_pledging_organisation_writes_its_pledge(acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    for username in ("taihua_fed", "guojia_women", "huayin_fed"):
        with pytest.raises(PermissionDenied):
            services.pledge_report_progress(actor=acting(username), pledge=pledge, day=timezone.localdate(),
                                            text="替村里填报的进展")
    assert pledge.updates.count() == 0


def test_progress_is_reported_with_a_photo_and_audited(acting):
    director = acting("xiaoliu_women")
    pledge = make_pledge(director)
    update = services.pledge_report_progress(actor=director, pledge=pledge, day=timezone.localdate(),
                                             text="本月走访留守妇女12户", percent=40, photo=png(),
                                             photo_is_public=True)
    assert update.percent == 40 and update.photo is not None and update.photo_is_public
    assert AuditEvent.objects.filter(event="campaigns.pledge.progress", object_id=str(pledge.pk)).exists()


@pytest.mark.parametrize(("day", "text", "percent", "field"), [
    (None, "本月走访12户", None, "date"),
    ("tomorrow", "本月走访12户", None, "date"),
    ("today", "走访", None, "text"),
    ("today", "本月走访12户", 120, "percent"),
])
def test_a_bad_progress_report_is_refused(acting, day, text, percent, field):
    director = acting("xiaoliu_women")
    pledge = make_pledge(director)
    days = {"today": timezone.localdate(), "tomorrow": timezone.localdate() + timedelta(days=1), None: None}
    with pytest.raises(ValidationError) as caught:
        services.pledge_report_progress(actor=director, pledge=pledge, day=days[day], text=text, percent=percent)
    assert field in caught.value.message_dict
    assert pledge.updates.count() == 0


def test_no_progress_on_a_draft(acting):
    director = acting("xiaoliu_women")
    with pytest.raises(ValidationError, match="已承诺"):
        services.pledge_report_progress(actor=director, pledge=make_pledge(director, publish=False),
                                        day=timezone.localdate(), text="本月走访12户")


def test_the_township_lead_rates_a_village_pledge_and_it_closes(acting, org, django_capture_on_commit_callbacks):
    pledge = make_pledge(acting("xiaoliu_women"))
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_evaluate(actor=acting("taihua_fed"), pledge=pledge, rating=PledgeRating.SATISFIED,
                                 comment="走访到位，群众满意。")
    pledge.refresh_from_db()
    assert pledge.state == PledgeState.EVALUATED and pledge.kept
    assert pledge.evaluated_by_organization == org("太华路街道妇联")
    assert Notification.objects.filter(organization=org("小留村妇联"), code="campaigns.pledge.evaluated").exists()
    with pytest.raises(ValidationError):
        services.pledge_report_progress(actor=acting("xiaoliu_women"), pledge=pledge, day=timezone.localdate(),
                                        text="评诺后又填的进展")


@pytest.mark.parametrize("username", ["xiaoliu_women", "guojia_women", "lingsha_fed", "taihua_party"])
def test_nobody_but_a_lead_above_rates_a_pledge(acting, username):
    pledge = make_pledge(acting("xiaoliu_women"))
    with pytest.raises(PermissionDenied):
        services.pledge_evaluate(actor=acting(username), pledge=pledge, rating=PledgeRating.SATISFIED,
                                 comment="很好")
    assert Pledge.objects.get(pk=pledge.pk).state == PledgeState.PUBLISHED


def test_a_rating_needs_a_comment_and_a_known_value(acting):
    pledge = make_pledge(acting("xiaoliu_women"))
    with pytest.raises(ValidationError) as caught:
        services.pledge_evaluate(actor=acting("taihua_fed"), pledge=pledge, rating="excellent", comment=" ")
    assert set(caught.value.message_dict) == {"rating", "comment"}


def test_a_draft_cannot_be_rated(acting):
    pledge = make_pledge(acting("xiaoliu_women"), publish=False)
    with pytest.raises(ValidationError, match="不能变为"):
        services.pledge_evaluate(actor=acting("taihua_fed"), pledge=pledge, rating=PledgeRating.FAIRLY,
                                 comment="基本做到")


def test_a_pledge_links_only_to_an_issued_campaign_the_village_reaches(acting, org):
    director = acting("xiaoliu_women")
    issued = Campaign.objects.get(title__startswith="强组织创先进")
    assert make_pledge(director, campaign=issued).campaign == issued
    elsewhere = Campaign.objects.create(title="郭家村的活动", organization=org("郭家村妇联"),
                                        starts_on=date(2026, 3, 1), state=CampaignState.ISSUED)
    with pytest.raises(ValidationError) as caught:
        make_pledge(director, campaign=elsewhere)
    assert "campaign" in caught.value.message_dict


def test_figures_count_pledges_made_and_kept_per_subtree(acting, org):
    pledge = make_pledge(acting("xiaoliu_women"))
    make_pledge(acting("xiaoliu_women"), publish=False)
    services.pledge_evaluate(actor=acting("taihua_fed"), pledge=pledge, rating=PledgeRating.FAIRLY, comment="基本做到")
    today = timezone.localdate()
    got = figures.read(user=acting("huayin_fed"), organizations=[org("华阴市妇联"), org("太华路街道妇联"),
                                                                 org("郭家村妇联")],
                       start=today, end=today, codes=["pledges.made", "pledges.kept"])
    assert got[org("太华路街道妇联").pk] == {"pledges.made": 1, "pledges.kept": 1}
    assert got[org("华阴市妇联").pk]["pledges.made"] == 1
    assert got[org("郭家村妇联").pk] == {"pledges.made": 0, "pledges.kept": 0}


def test_figures_take_the_same_queries_for_one_or_many_organisations(acting, org):
    make_pledge(acting("xiaoliu_women"))
    today = timezone.localdate()
    many = list(Organization.objects.filter(kind__in=Organization.FEDERATION_KINDS)[:200])

    def count(orgs: list[Organization]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            provide_figures(figures.Ask(organizations=orgs, start=today, end=today))
        return len(ctx.captured_queries)

    assert count([org("小留村妇联")]) == count(many) <= 3


def test_the_demo_holds_xiaoliu_pledges_and_loads_only_once():
    from gongjian.campaigns.demo import load_pledges
    from gongjian.campaigns.models import PledgeComment
    from gongjian.kernel.demo import DemoResult

    pledges = Pledge.objects.filter(organization__name="小留村妇联")
    assert pledges.count() == 4
    assert pledges.filter(state=PledgeState.EVALUATED, rating=PledgeRating.SATISFIED).count() == 1
    assert pledges.filter(cadre__isnull=False, cadre_title="妇女主任").count() == 1
    assert pledges.filter(updates__isnull=False).distinct().count() == 3
    assert PledgeComment.objects.filter(pledge__in=pledges, state=PledgeComment.State.SHOWN).count() == 1
    result = DemoResult()
    load_pledges(result)
    assert pledges.count() == 4 and "campaigns.pledge" not in result.created
