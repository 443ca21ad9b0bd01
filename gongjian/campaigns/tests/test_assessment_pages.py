"""The 考评 pages: the county builds a set and scores on a desktop table, a township fills its
self-assessment on a phone form, the ranking and the year-end view; out of reach is 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.campaigns.demo import FIVE_GOOD_TITLE, HUAYIN_TITLE, demo_campaign
from gongjian.campaigns.models import AssessmentState, CriteriaSet, Evidence

pytestmark = pytest.mark.django_db


def test_the_county_makes_a_five_good_set_for_its_townships_from_the_form(login):
    client = login("huayin_fed")
    campaign = demo_campaign(HUAYIN_TITLE)
    assert client.get("/work/campaigns/assessments/sets/new/").status_code == 200
    response = client.post("/work/campaigns/assessments/sets/new/", {
        "kind": "five_good", "title": "", "year": "2026", "campaign": str(campaign.pk), "self_due": "2026-12-20",
        "target_kind": "township_fed"})
    made = CriteriaSet.objects.exclude(title=FIVE_GOOD_TITLE).get(campaign=campaign)
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.title == "2026年度五好基层妇联组织考评" and made.assessments.count() == 2
    page = client.get(made.get_absolute_url()).content.decode()
    assert "组织机构好" in page and "太华路街道妇联" in page


def test_a_bad_set_form_says_why_in_chinese_and_saves_nothing(login):
    before = CriteriaSet.objects.count()
    response = login("huayin_fed").post("/work/campaigns/assessments/sets/new/", {"kind": "five_good", "year": "1990"})
    assert response.status_code == 400 and "2000" in response.content.decode()
    assert CriteriaSet.objects.count() == before


def test_a_township_fills_its_self_assessment_with_evidence_and_the_county_scores_it(login):
    county = login("huayin_fed")
    county.post("/work/campaigns/assessments/sets/new/", {"kind": "five_good", "year": "2026",
                                                          "target_kind": "township_fed"})
    made = CriteriaSet.objects.exclude(title=FIVE_GOOD_TITLE).latest("pk")
    taihua = made.assessments.get(organization__name="太华路街道妇联")
    township = login("taihua_fed")
    form = township.get(f"/work/campaigns/assessments/{taihua.pk}/self/")
    assert form.status_code == 200 and "提交自评" in form.content.decode()
    criteria = list(made.criteria.all())
    data = {f"c{c.pk}_score": "18" for c in criteria} | {f"c{c.pk}_note": "自查" for c in criteria}
    data[f"c{criteria[0].pk}_links"] = "/work/womenshome/activities/1/"
    saved = township.post(f"/work/campaigns/assessments/{taihua.pk}/self/", {**data, "save": "1"})
    assert saved.status_code == 302
    uploaded = township.post(f"/work/campaigns/assessments/{taihua.pk}/evidence/", {
        "criterion": str(criteria[0].pk), "file": SimpleUploadedFile("制度.pdf", b"%PDF-1.4 rules")})
    assert uploaded.status_code == 302 and Evidence.objects.filter(score__assessment=taihua).count() == 1
    submitted = township.post(f"/work/campaigns/assessments/{taihua.pk}/self/", {**data, "submit": "1"})
    assert submitted.status_code == 302
    taihua.refresh_from_db()
    assert taihua.state == AssessmentState.SELF_ASSESSED
    evidence = Evidence.objects.get(score__assessment=taihua)
    assert county.get(f"/work/campaigns/assessments/evidence/{evidence.pk}/").status_code == 200
    assert login("lingsha_fed").get(f"/work/campaigns/assessments/evidence/{evidence.pk}/").status_code == 404
    scoring = county.get(f"/work/campaigns/assessments/{taihua.pk}/score/")
    assert scoring.status_code == 200 and "制度.pdf" in scoring.content.decode()
    scores = {f"c{c.pk}_score": "17" for c in criteria} | {f"c{criteria[4].pk}_comment": "经费保障待加强"}
    assert county.post(f"/work/campaigns/assessments/{taihua.pk}/score/", scores).status_code == 302
    taihua.refresh_from_db()
    assert taihua.state == AssessmentState.SCORED
    assert "85" in county.get(made.get_absolute_url()).content.decode()
    county.post(f"/work/campaigns/assessments/sets/{made.pk}/publish/")
    detail = township.get(taihua.get_absolute_url()).content.decode()
    assert "已公布" in detail and "经费保障待加强" in detail


def test_a_score_form_with_a_missing_score_is_shown_again_with_the_reason(login):
    county = login("huayin_fed")
    county.post("/work/campaigns/assessments/sets/new/", {"kind": "five_good", "year": "2026",
                                                          "target_kind": "township_fed"})
    made = CriteriaSet.objects.exclude(title=FIVE_GOOD_TITLE).latest("pk")
    taihua = made.assessments.get(organization__name="太华路街道妇联")
    taihua.state = AssessmentState.SELF_ASSESSED
    taihua.save()
    response = county.post(f"/work/campaigns/assessments/{taihua.pk}/score/", {})
    assert response.status_code == 400 and "请为“组织机构好”评分" in response.content.decode()


def test_the_ranking_the_year_view_and_the_campaign_page_show_the_demo_result(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    county = login("huayin_fed")
    ranking = county.get(f"/work/campaigns/{campaign.pk}/ranking/").content.decode()
    assert ranking.index("太华路街道妇联") < ranking.index("罗敷镇妇联") and "评先评优" in ranking
    year = county.get("/work/campaigns/assessments/year/", {"year": "2026"}).content.decode()
    assert FIVE_GOOD_TITLE in year and "87" in year
    page = county.get(campaign.get_absolute_url()).content.decode()
    assert FIVE_GOOD_TITLE in page and "查看排名" in page
    township = login("taihua_fed").get(f"/work/campaigns/{campaign.pk}/ranking/").content.decode()
    assert "太华路街道妇联" in township and "罗敷镇妇联" not in township


def test_the_party_co_issuer_sees_the_campaign_without_its_assessments(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    page = login("taihua_party").get(campaign.get_absolute_url())
    assert page.status_code == 200 and FIVE_GOOD_TITLE not in page.content.decode()


def test_out_of_reach_pages_are_404_and_the_party_line_is_refused(login):
    demo = CriteriaSet.objects.get(title=FIVE_GOOD_TITLE)
    luofu = demo.assessments.get(organization__name="罗敷镇妇联")
    assert login("lingsha_fed").get(demo.get_absolute_url()).status_code == 404
    assert login("taihua_fed").get(luofu.get_absolute_url()).status_code == 404
    assert login("xiaoliu_women").get(demo.get_absolute_url()).status_code == 404
    assert login("taihua_party").get("/work/campaigns/assessments/").status_code == 403
    assert login("huayin_fed").get("/work/campaigns/assessments/987654321/").status_code == 404


def test_a_township_assesses_a_village_cadre_by_the_five_models(login):
    from gongjian.kernel.models import User

    township = login("taihua_fed")
    township.post("/work/campaigns/assessments/sets/new/", {"kind": "five_models", "year": "2026"})
    made = CriteriaSet.objects.filter(organization__name="太华路街道妇联").latest("pk")
    assert made.subject_kind == "cadre" and [c.name for c in made.criteria.all()][0] == "自觉学习"
    cadre = User.objects.get(username="xiaoliu_women").person
    page = township.get(made.get_absolute_url()).content.decode()
    assert "被考评干部" in page and cadre.name in page
    township.post(f"/work/campaigns/assessments/sets/{made.pk}/subjects/", {"subject": str(cadre.pk)})
    assessment = made.assessments.get()
    assert assessment.person == cadre and assessment.organization.name == "小留村妇联"
    village = login("xiaoliu_women").get(assessment.get_absolute_url()).content.decode()
    assert "填写自评" in village and cadre.name in village
