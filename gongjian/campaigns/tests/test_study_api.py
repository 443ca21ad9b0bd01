"""The study and supervision API: the same reach, rules and Chinese errors as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongjian.campaigns.demo import STUDY_TITLE
from gongjian.campaigns.models import FollowUp, FollowUpState, StudyDocument, StudyNote
from gongjian.campaigns.tests import factories

pytestmark = pytest.mark.django_db


def test_a_village_director_writes_a_note_through_the_api(api_client, acting):
    client = api_client("xiaoliu_women")
    document = StudyDocument.objects.get(title=STUDY_TITLE)
    director = acting("xiaoliu_women").person
    response = client.post("/api/v1/study/notes", {
        "author_id": director.pk, "document_id": document.pk, "title": "接口写的心得",
        "text": "通过学习提纲，进一步明确了创先争优的目标任务。"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author_name"] == "刘桂兰" and body["organization_name"] == "小留村妇联"
    assert body["campaign_id"] == document.campaign_id and body["written_on"] == timezone.localdate().isoformat()
    listed = client.get("/api/v1/study/notes").json()
    assert "接口写的心得" in [n["title"] for n in listed]
    documents = client.get("/api/v1/study/documents").json()
    assert STUDY_TITLE in [d["title"] for d in documents]


def test_a_note_with_a_wrong_author_is_a_400_in_chinese_and_nothing_is_saved(api_client, acting):
    before = StudyNote.objects.count()
    response = api_client("xiaoliu_women").post("/api/v1/study/notes", {
        "author_id": acting("guojia_women").person.pk, "title": "标题", "text": "这是一篇学习心得的内容。"},
        content_type="application/json")
    assert response.status_code == 400
    assert "干部或女党员" in response.content.decode()
    assert StudyNote.objects.count() == before


def test_the_counts_answer_per_village_and_refuse_an_organisation_out_of_reach(api_client, acting, org):
    # Two notes of 小留村 written today: the counts' default period is this year, and the demo's
    # notes keep the demo's year (a suite run in January would find none of them).
    director = acting("xiaoliu_women")
    factories.study_note(director, title="接口统计的第一篇")
    factories.study_note(director, title="接口统计的第二篇")
    client = api_client("taihua_fed")
    board = client.get("/api/v1/study/counts").json()
    today = timezone.localdate()
    assert (board["start"], board["end"]) == (f"{today.year}-01-01", f"{today.year}-12-31")
    assert board["total"]["organization_name"] == "太华路街道妇联"
    rows = {r["organization_name"]: r for r in board["rows"]}
    assert rows["小留村妇联"]["notes"] >= 2
    own = StudyNote.objects.filter(organization=org("太华路街道妇联"), written_on__gte=board["start"],
                                   written_on__lte=board["end"]).count()
    assert board["total"]["notes"] == own + sum(r["notes"] for r in board["rows"])
    assert client.get(f"/api/v1/study/counts?org={org('灵沙乡妇联').pk}").status_code == 404
    assert client.get(f"/api/v1/study/notes?org={org('华阴市妇联').pk}").status_code == 404


def test_the_street_answers_its_followup_through_the_api(api_client, acting, org):
    county = acting("huayin_fed")
    visit = factories.visit(county, org("太华路街道妇联"), visited_on=timezone.localdate() - timedelta(days=9))
    followup = factories.followup(county, visit, due_on=timezone.localdate() - timedelta(days=1), item="接口整改")
    client = api_client("taihua_fed")
    listed = {f["id"]: f for f in client.get("/api/v1/supervision/followups").json()}
    assert listed[followup.pk]["due_status"] == "overdue" and listed[followup.pk]["state"] == "open"
    empty = client.post(f"/api/v1/supervision/followups/{followup.pk}/answer", {"answer": ""},
                        content_type="application/json")
    assert empty.status_code == 400 and "请填写整改情况。" in empty.content.decode()
    done = client.post(f"/api/v1/supervision/followups/{followup.pk}/answer", {"answer": "已整改。"},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "answered" and done.json()["due_status"] == "late"
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.ANSWERED


def test_only_the_visited_organisation_answers_through_the_api(api_client, acting, org):
    county = acting("huayin_fed")
    followup = factories.followup(county, factories.visit(county, org("太华路街道妇联")))
    payload = {"answer": "越权反馈"}
    assert api_client("huayin_fed").post(f"/api/v1/supervision/followups/{followup.pk}/answer", payload,
                                         content_type="application/json").status_code == 403
    assert api_client("xiaoliu_women").post(f"/api/v1/supervision/followups/{followup.pk}/answer", payload,
                                            content_type="application/json").status_code == 404
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.OPEN
