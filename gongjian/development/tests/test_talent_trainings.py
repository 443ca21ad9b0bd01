"""Trainings offered above (第二篇 四): the county offers a training with places per township, a
township nominates women of its pool within its places, the county records attendance afterwards
and it shows on her talent record; who may do what, walked over every demo persona."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjian.development.models import TrainingNomination
from gongjian.development.selectors import talent as selectors
from gongjian.development.services import talent as services
from gongjian.kernel.permissions import can

from .factories import talent_accepted, talent_reported, woman_of

pytestmark = pytest.mark.django_db

PERSONAS = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
            "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]


def offer(acting, org, *, starts=-1, places=1, **data):
    today = timezone.localdate()
    fields = {"title": "新型女农民果树管理培训", "kind": "", "starts_on": today + timedelta(days=starts),
              "ends_on": today + timedelta(days=starts + 2), "place": "华阴市妇女儿童活动中心", "note": "", **data}
    return services.training_offer_create(actor=acting("huayin_fed"), organization=org("华阴市妇联"), data=fields,
                                          places={org("太华路街道妇联").pk: places})


def test_a_township_nominates_from_its_pool_and_attendance_shows_on_her_record(acting, org, login):
    training = offer(acting, org)
    talent = talent_accepted()
    assert talent in selectors.nominees_for(user=acting("taihua_fed"), offer=training)
    row = services.training_nominate(actor=acting("taihua_fed"), offer=training, talent=talent)
    assert talent not in selectors.nominees_for(user=acting("taihua_fed"), offer=training)
    services.training_attendance_record(actor=acting("huayin_fed"), nomination=row, attended=True)
    page = login("xiaoliu_women").get(f"/work/development/talents/{talent.pk}/").content.decode()
    assert "新型女农民果树管理培训" in page and "已参训" in page


def test_places_are_kept_and_only_pool_women_are_nominated(acting, org):
    training = offer(acting, org, places=1)
    first, second = talent_accepted(), talent_accepted(kind="broker", trade="经纪", woman=woman_of("小留村妇联", 3))
    services.training_nominate(actor=acting("taihua_fed"), offer=training, talent=first)
    with pytest.raises(ValidationError, match="已被推荐"):
        services.training_nominate(actor=acting("taihua_fed"), offer=training, talent=first)
    with pytest.raises(ValidationError, match="名额已满"):
        services.training_nominate(actor=acting("taihua_fed"), offer=training, talent=second)
    other = offer(acting, org, places=3)
    with pytest.raises(ValidationError, match="人才库"):
        services.training_nominate(actor=acting("taihua_fed"), offer=other,
                                   talent=talent_reported(kind="able", trade="手工"))
    assert TrainingNomination.objects.filter(offer=training).count() == 1


def test_an_offer_needs_places_for_its_own_townships(acting, org):
    with pytest.raises(ValidationError) as caught:
        offer(acting, org, places=0, place=" ")
    assert "请至少给一个乡镇" in str(caught.value) and "地点" in str(caught.value)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="名额应分配给本县"):
        services.training_offer_create(actor=acting("huayin_fed"), organization=org("华阴市妇联"), data={
            "title": "培训", "starts_on": today, "ends_on": today, "place": "某地"}, places={org("灵沙乡妇联").pk: 2})


def test_attendance_waits_for_the_start_and_is_the_offering_federations(acting, org):
    training = offer(acting, org, starts=5)
    row = services.training_nominate(actor=acting("taihua_fed"), offer=training, talent=talent_accepted())
    with pytest.raises(ValidationError, match="培训开始后"):
        services.training_attendance_record(actor=acting("huayin_fed"), nomination=row, attended=True)
    with pytest.raises(PermissionDenied):
        services.training_attendance_record(actor=acting("taihua_fed"), nomination=row, attended=True)


@pytest.mark.parametrize("username", PERSONAS)
def test_who_offers_who_sees_and_who_nominates(username, acting, org, login):
    training = offer(acting, org)
    user = acting(username)
    federation = username in {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
    assert can(user, "development.offer_training") is (username == "huayin_fed")
    # The county's training reaches every federation below it; not 灵沙乡 of another county.
    assert can(user, "development.view_training", training) is (
        username in {"huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women"})
    assert can(user, "development.nominate_training", training) is (username == "taihua_fed")
    status = login(username).get(f"/work/development/trainings/{training.pk}/").status_code
    assert status == (200 if can(user, "development.view_training", training) else 404 if federation else 403)


def test_the_county_offers_a_training_on_its_page_and_the_figures_count_the_trained(acting, org, login):
    from datetime import date

    from gongjian.kernel import figures

    today = timezone.localdate()
    client = login("huayin_fed")
    form = client.get("/work/development/trainings/new/").content.decode()
    assert "太华路街道妇联" in form
    response = client.post("/work/development/trainings/new/", {
        "title": "女经纪人培训", "kind": "broker", "starts_on": today.isoformat(), "ends_on": today.isoformat(),
        "place": "华阴市", f"places_{org('太华路街道妇联').pk}": "2"})
    assert response.status_code == 302, response.content.decode()[:2000]
    training = offer(acting, org)
    row = services.training_nominate(actor=acting("taihua_fed"), offer=training, talent=talent_accepted())
    services.training_attendance_record(actor=acting("huayin_fed"), nomination=row, attended=True)
    answer = figures.read(user=acting("huayin_fed"), organizations=[org("太华路街道妇联"), org("郭家村妇联")],
                          start=date(2000, 1, 1), end=date(2100, 1, 1), codes=["talents.trained"])
    assert answer[org("太华路街道妇联").pk]["talents.trained"] >= 1
    assert answer[org("郭家村妇联").pk]["talents.trained"] == 0
