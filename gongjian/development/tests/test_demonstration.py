"""示范, 转移 and 牵手结对: the township proposes, the county designates with criteria and
evaluation, yearly reviews (a second 不合格 revokes), the portal shows designated ones only and no
personal data; placements are counted by period; the API; the figures source in constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.development.models import Demonstration, DemonstrationState, ReviewResult
from gongjian.development.services import demonstration as services
from gongjian.kernel import access, figures
from gongjian.kernel.models import AuditEvent, Organization

from .factories import designated_demonstration, propose_demonstration, record_placement, woman_of

pytestmark = pytest.mark.django_db


def test_a_township_proposal_designated_by_the_county_is_on_the_portal(acting, client):
    found = propose_demonstration(acting("taihua_fed"), name="南营村巾帼蔬菜示范基地（测试）")
    assert found.state == DemonstrationState.PROPOSED
    assert "巾帼蔬菜示范基地（测试）" not in client.get("/development/demonstrations/").content.decode()
    services.demonstration_designate(actor=acting("huayin_fed"), demonstration=found, criteria="带动妇女10人以上",
                                     evaluation="示范带动作用明显")
    found.refresh_from_db()
    assert found.state == DemonstrationState.DESIGNATED and found.designated_on == timezone.localdate()
    assert found.designated_by_organization.name == "华阴市妇联"
    assert "巾帼蔬菜示范基地（测试）" in client.get("/development/demonstrations/").content.decode()
    assert client.get(f"/development/demonstrations/{found.pk}/").status_code == 200
    assert AuditEvent.objects.filter(event="development.demonstration.designated", object_id=str(found.pk)).exists()


def test_the_township_cannot_designate_what_it_proposed(acting):
    found = propose_demonstration(acting("taihua_fed"))
    with pytest.raises(PermissionDenied):
        services.demonstration_designate(actor=acting("taihua_fed"), demonstration=found, criteria="标准标准",
                                         evaluation="意见意见")


def test_a_designation_without_criteria_is_refused_in_chinese_and_nothing_changes(acting):
    found = propose_demonstration(acting("taihua_fed"))
    with pytest.raises(ValidationError) as exc:
        services.demonstration_designate(actor=acting("huayin_fed"), demonstration=found, criteria="",
                                         evaluation="")
    assert "请写明认定标准。" in exc.value.messages
    found.refresh_from_db()
    assert found.state == DemonstrationState.PROPOSED


def test_a_household_needs_its_head_and_the_portal_never_names_her(acting, client):
    head = woman_of("南营村妇联", 1)
    with pytest.raises(ValidationError) as exc:
        propose_demonstration(acting("taihua_fed"), kind="household", name="南营村李家示范户")
    assert "示范户请选择本辖区内的户主。" in exc.value.messages
    found = designated_demonstration(acting("taihua_fed"), acting("huayin_fed"), kind="household",
                                     name="南营村李家示范户", person=head)
    page = client.get(f"/development/demonstrations/{found.pk}/").content.decode()
    assert "南营村李家示范户" in page
    assert head.name not in page and (head.mobile or "unused-mobile") not in page
    assert head.id_number not in page


def test_a_village_cannot_propose_for_another_village(acting):
    with pytest.raises((ValidationError, PermissionDenied)):
        propose_demonstration(acting("guojia_women"), village="南营村妇联")


def test_a_second_failed_review_revokes_the_designation(acting, client):
    found = designated_demonstration(acting("taihua_fed"), acting("huayin_fed"))
    found.designated_on = date(timezone.localdate().year - 1, 1, 10)
    Demonstration.objects.filter(pk=found.pk).update(designated_on=found.designated_on)
    county = acting("huayin_fed")
    year = timezone.localdate().year
    services.demonstration_review(actor=county, demonstration=found, year=year - 1, result=ReviewResult.FAILED)
    assert found.state == DemonstrationState.DESIGNATED
    with pytest.raises(ValidationError):
        services.demonstration_review(actor=county, demonstration=found, year=year - 1, result=ReviewResult.PASSED)
    services.demonstration_review(actor=county, demonstration=found, year=year, result=ReviewResult.FAILED)
    found.refresh_from_db()
    assert found.state == DemonstrationState.REVOKED and found.revoke_reason == "两次年度复核不合格"
    assert client.get(f"/development/demonstrations/{found.pk}/").status_code == 404


def test_the_county_revokes_by_decision_with_a_reason(acting):
    found = designated_demonstration(acting("taihua_fed"), acting("huayin_fed"))
    with pytest.raises(ValidationError):
        services.demonstration_revoke(actor=acting("huayin_fed"), demonstration=found, reason="")
    services.demonstration_revoke(actor=acting("huayin_fed"), demonstration=found, reason="基地已停止经营")
    assert found.state == DemonstrationState.REVOKED


def test_the_county_designates_on_its_page(login, acting):
    found = propose_demonstration(acting("taihua_fed"))
    client = login("huayin_fed")
    response = client.post(f"/work/development/demonstrations/{found.pk}/designate/", {
        "decision": "designate", "criteria": "带动妇女10人以上", "evaluation": "同意认定"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.state == DemonstrationState.DESIGNATED
    assert login("taihua_fed").post(f"/work/development/demonstrations/{found.pk}/review/", {
        "year": timezone.localdate().year, "result": "passed"}).status_code == 403


def test_a_proposal_on_the_phone_form_with_a_bad_count_saves_nothing(login, org):
    before = Demonstration.objects.count()
    response = login("taihua_fed").post("/work/development/demonstrations/new/", {
        "kind": "base", "organization": org("南营村妇联").pk, "name": "测试基地", "trade": "蔬菜",
        "description": "大棚蔬菜种植基地的基本情况。", "women_count": "-3"})
    assert response.status_code == 400
    assert Demonstration.objects.count() == before


def test_placements_are_counted_by_period_local_and_away(acting, login):
    actor = acting("taihua_fed")
    today = timezone.localdate()
    record_placement(actor, woman_of("南营村妇联", 2), employer="测试甲公司", placed_on=today - timedelta(days=400))
    record_placement(actor, woman_of("小留村妇联", 3), employer="测试乙公司", scope="away", place="西安市")
    with pytest.raises(ValidationError) as exc:
        record_placement(actor, woman_of("小留村妇联", 4), employer="测试丙公司", scope="away", place="")
    assert "外出务工请填写就业地点。" in exc.value.messages
    start = (today - timedelta(days=30)).isoformat()
    page = login("taihua_fed").get(f"/work/development/placements/?from={start}&to={today.isoformat()}")
    counts = page.context["counts"]
    names = {p.employer for p in page.context["page"].rows}
    assert "测试乙公司" in names and "测试甲公司" not in names
    assert counts["away"] >= 1 and counts["total"] == counts["local"] + counts["away"]


def test_a_placement_of_a_woman_out_of_reach_is_refused(acting):
    with pytest.raises(ValidationError) as exc:
        record_placement(acting("guojia_women"), woman_of("小留村妇联", 3))
    assert "请选择本辖区内的妇女。" in exc.value.messages


def test_the_api_lists_and_proposes_with_enums(api_client, org):
    client = api_client("taihua_fed")
    response = client.post("/api/v1/demonstrations", {
        "organization_id": org("南营村妇联").pk, "kind": "village", "name": "南营村巾帼科技致富示范村（接口）",
        "trade": "蔬菜", "description": "全村发展设施蔬菜的基本情况。", "women_count": 40},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "proposed" and response.json()["kind_label"] == "巾帼科技致富示范村"
    assert client.post("/api/v1/demonstrations", {"organization_id": org("南营村妇联").pk, "kind": "park",
                                                   "name": "x", "trade": "x", "description": "x"},
                       content_type="application/json").status_code == 422
    bad = client.post("/api/v1/demonstrations", {"organization_id": org("南营村妇联").pk, "kind": "base",
                                                 "name": "x", "trade": "x", "description": "太短"},
                      content_type="application/json")
    assert bad.status_code == 400 and "description" in bad.json()["errors"]
    listed = api_client("huayin_fed").get("/api/v1/demonstrations?state=proposed").json()
    assert "南营村巾帼科技致富示范村（接口）" in {row["name"] for row in listed}
    assert "南营村巾帼科技致富示范村（接口）" not in {
        row["name"] for row in api_client("guojia_women").get("/api/v1/demonstrations").json()}


def test_the_demo_holds_the_nanying_base_on_the_portal(client):
    page = client.get("/").content.decode()
    assert "南营村巾帼科技致富示范基地" in page


def test_the_figures_source_answers_many_organisations_in_constant_queries(acting):
    actor = acting("taihua_fed")
    record_placement(actor, woman_of("南营村妇联", 2), employer="测试丁公司", scope="away", place="西安市")
    today = timezone.localdate()
    county = Organization.objects.get(name="华阴市妇联")
    villages = list(access.visible(acting("huayin_fed"), Organization.objects.filter(
        kind=Organization.Kind.VILLAGE_FEDERATION)))
    asked = [county, *villages]
    with CaptureQueriesContext(connection) as few:
        answer = figures.read(user=acting("huayin_fed"), organizations=asked[:3], start=today.replace(month=1, day=1),
                              end=today, codes=["demonstrations.placements", "demonstrations.designated"])
    with CaptureQueriesContext(connection) as many:
        figures.read(user=acting("huayin_fed"), organizations=asked, start=today.replace(month=1, day=1), end=today,
                     codes=["demonstrations.placements", "demonstrations.designated"])
    assert len(many) == len(few)
    assert answer[county.pk]["demonstrations.designated"] >= 2
    assert answer[county.pk]["demonstrations.placements"] >= 1


def test_a_pairing_is_made_and_a_meeting_logged_on_the_pages(login):
    from gongjian.kernel.models import Pairing

    client = login("xiaoliu_women")
    mentor, mentee = woman_of("小留村妇联", 5), woman_of("小留村妇联", 6)
    response = client.post("/work/development/pairings/new/", {
        "mentor": mentor.pk, "mentee": mentee.pk, "started_on": timezone.localdate().isoformat(),
        "interval_days": 30, "note": "苹果种植技术帮带"})
    assert response.status_code == 302, response.content.decode()
    found = Pairing.objects.get(mentor=mentor, mentee=mentee)
    response = client.post(f"/work/development/pairings/{found.pk}/", {
        "date": timezone.localdate().isoformat(), "content": "到果园学习疏花疏果"})
    assert response.status_code == 302
    assert found.meetings.count() == 1
    assert "到果园学习疏花疏果" in client.get(f"/work/development/pairings/{found.pk}/").content.decode()
    assert login("guojia_women").get(f"/work/development/pairings/{found.pk}/").status_code == 404
    assert login("taihua_party").post(f"/work/development/pairings/{found.pk}/", {
        "date": timezone.localdate().isoformat(), "content": "越权登记"}).status_code == 403


def test_the_demo_pairing_shows_its_meetings_to_the_township(login):
    from gongjian.kernel.models import Pairing

    # The note is encrypted at rest: found by the demo's pair, read back in clear.
    found = next(p for p in Pairing.objects.filter(kind="development") if p.note.startswith("帮助学习温室蔬菜种植技术"))
    page = login("taihua_fed").get(f"/work/development/pairings/{found.pk}/").content.decode()
    assert "上门指导温室定植和病虫害防治。" in page and "一起到示范基地学习育苗。" in page


def _png(name: str = "基地.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (46, 125, 50)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def test_the_portal_shows_a_photo_only_when_marked_public(acting, client):
    county, township = acting("huayin_fed"), acting("taihua_fed")
    shown = services.demonstration_propose(actor=township, photo=_png(), data={
        "organization": Organization.objects.get(name="南营村妇联"), "kind": "base", "name": "照片公开的示范基地",
        "trade": "蔬菜", "description": "大棚蔬菜种植基地的基本情况。", "women_count": 3, "photo_is_public": True})
    hidden = services.demonstration_propose(actor=township, photo=_png("内部.png"), data={
        "organization": Organization.objects.get(name="南营村妇联"), "kind": "base", "name": "照片不公开的示范基地",
        "trade": "蔬菜", "description": "大棚蔬菜种植基地的基本情况。", "women_count": 3})
    assert shown.photo is not None and hidden.photo is not None
    assert client.get(f"/development/demonstrations/photos/{shown.photo.token}/").status_code == 404  # not yet designated
    for found in (shown, hidden):
        services.demonstration_designate(actor=county, demonstration=found, criteria="标准达到", evaluation="同意认定")
    assert client.get(f"/development/demonstrations/photos/{shown.photo.token}/").status_code == 200
    assert client.get(f"/development/demonstrations/photos/{hidden.photo.token}/").status_code == 404
    assert shown.photo.token in client.get(f"/development/demonstrations/{shown.pk}/").content.decode()
