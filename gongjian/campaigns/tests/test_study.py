"""学习教育: study documents issued downward, 学习心得 of cadres and women party members, the
counts per organisation and the figures offered to the other bodies of work."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjian.campaigns.demo import HUAYIN_TITLE, PINGLUO_TITLE, STUDY_TITLE, YEAR, demo_campaign
from gongjian.campaigns.models import StudyDocument, StudyNote
from gongjian.campaigns.selectors import study as selectors
from gongjian.campaigns.services import study as services
from gongjian.campaigns.tests import factories
from gongjian.kernel import access, figures
from gongjian.kernel.models import AuditEvent, Gender, Person, PoliticalStatus

pytestmark = pytest.mark.django_db


def this_year() -> tuple[date, date]:
    year = timezone.localdate().year
    return date(year, 1, 1), date(year, 12, 31)


def demo_year() -> tuple[date, date]:
    """The year the demo's notes, document, visit and meeting were written in (the demo keeps its
    own year: asked for the real year, a suite run in January finds none of them)."""
    return date(YEAR, 1, 1), date(YEAR, 12, 31)


def test_a_village_director_writes_a_note_that_counts_for_her_village_and_township(acting, org):
    director = acting("xiaoliu_women")
    village, township = org("小留村妇联"), org("太华路街道妇联")
    start, end = this_year()
    before = selectors.note_counts([village, township], start, end)
    note = factories.study_note(director, title="学做新时代女性")
    assert (note.organization, note.author) == (village, director.person)
    assert AuditEvent.objects.filter(event="campaigns.study_note.written", object_id=str(note.pk)).exists()
    after = selectors.note_counts([village, township], start, end)
    assert after[village.pk] == before[village.pk] + 1
    assert after[township.pk] == before[township.pk] + 1


def test_a_note_on_a_campaign_document_takes_the_documents_campaign(acting):
    document = StudyDocument.objects.get(title=STUDY_TITLE)
    note = factories.study_note(acting("xiaoliu_women"), document=document)
    assert note.campaign == demo_campaign(HUAYIN_TITLE)


def test_a_second_note_by_the_same_person_counts_as_a_note_but_not_as_a_writer(acting, org):
    director = acting("xiaoliu_women")
    village = org("小留村妇联")
    start, end = this_year()
    factories.study_note(director, title="第一篇")
    notes, writers = (selectors.note_counts([village], start, end)[village.pk],
                      selectors.writer_counts([village], start, end)[village.pk])
    factories.study_note(director, title="第二篇")
    assert selectors.note_counts([village], start, end)[village.pk] == notes + 1
    assert selectors.writer_counts([village], start, end)[village.pk] == writers


def test_a_note_on_a_document_of_a_draft_campaign_is_written_without_the_campaign(acting):
    from gongjian.campaigns.models import Campaign, CampaignState

    draft = Campaign.objects.create(title="筹备中的活动", organization=acting("huayin_fed").acting.organization,
                                    starts_on=timezone.localdate(), state=CampaignState.DRAFT)
    document = factories.study_document(acting("huayin_fed"), title="筹备学习材料", campaign=draft)
    village = acting("xiaoliu_women")
    assert not access.may(village, draft) and access.may(village, document)
    note = factories.study_note(village, document=document)
    assert note.document == document and note.campaign is None


def test_a_woman_party_member_of_the_village_may_be_the_author(acting, org):
    member = Person.objects.filter(organization=org("小留村妇联"), gender=Gender.FEMALE,
                                   political_status=PoliticalStatus.PARTY_MEMBER, positions__isnull=True).first()
    assert member is not None
    note = factories.study_note(acting("xiaoliu_women"), author=member)
    assert note.author == member


def test_a_resident_who_is_neither_a_cadre_nor_a_party_member_cannot_be_the_author(acting, org):
    resident = Person.objects.filter(organization=org("小留村妇联"), political_status=PoliticalStatus.MASSES,
                                     positions__isnull=True).first()
    before = StudyNote.objects.count()
    with pytest.raises(ValidationError) as caught:
        factories.study_note(acting("xiaoliu_women"), author=resident)
    assert "干部或女党员" in str(caught.value)
    assert StudyNote.objects.count() == before


def test_a_cadre_of_another_village_in_reach_cannot_write_in_her_villages_name(acting):
    guojia_director = acting("guojia_women").person
    with pytest.raises(ValidationError):
        factories.study_note(acting("taihua_fed"), author=guojia_director)


def test_a_person_out_of_reach_is_refused_as_author(acting):
    with pytest.raises(PermissionDenied):
        factories.study_note(acting("xiaoliu_women"), author=acting("lingsha_fed").person)


@pytest.mark.parametrize(("field", "data"), [
    ("text", {"text": "太短了"}),
    ("title", {"title": "  "}),
    ("written_on", {"written_on": date.today() + timedelta(days=2)}),
])
def test_a_bad_note_is_refused_in_chinese_and_nothing_is_saved(acting, field, data):
    before = StudyNote.objects.count()
    with pytest.raises(ValidationError) as caught:
        factories.study_note(acting("xiaoliu_women"), **data)
    assert field in caught.value.error_dict
    assert StudyNote.objects.count() == before


def test_a_note_on_a_document_out_of_reach_is_refused(acting):
    pingluo_doc = factories.study_document(acting("lingsha_fed"), title="灵沙乡学习提纲")
    with pytest.raises(PermissionDenied):
        factories.study_note(acting("xiaoliu_women"), document=pingluo_doc)


def test_a_campaign_out_of_reach_cannot_be_named(acting):
    with pytest.raises(PermissionDenied):
        factories.study_document(acting("taihua_fed"), campaign=demo_campaign(PINGLUO_TITLE))


def test_the_countys_document_reaches_down_but_not_across(acting):
    document = StudyDocument.objects.get(title=STUDY_TITLE)
    readers = {name for name in ("huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women", "lingsha_fed",
                                 "taihua_party", "xiaoliu_branch", "auditor")
               if access.visible(acting(name), StudyDocument.objects.filter(pk=document.pk)).exists()}
    assert readers == {"huayin_fed", "taihua_fed", "xiaoliu_women", "guojia_women"}


def test_a_villages_document_is_not_read_above_by_another_village(acting, org):
    document = factories.study_document(acting("xiaoliu_women"), title="小留村夜校学习材料")
    assert document.organization == org("小留村妇联")
    assert access.may(acting("taihua_fed"), document)
    assert not access.may(acting("guojia_women"), document)


def test_a_document_needs_a_body_a_summary_or_an_attachment(acting):
    with pytest.raises(ValidationError) as caught:
        factories.study_document(acting("taihua_fed"), body="", summary="")
    assert "body" in caught.value.error_dict


def test_an_attachment_is_checked_by_its_content(acting):
    fake = SimpleUploadedFile("提纲.pdf", b"not a pdf at all", content_type="application/pdf")
    before = StudyDocument.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.document_issue(actor=acting("taihua_fed"), data={
            "title": "提纲", "published_on": timezone.localdate()}, upload=fake)
    assert "attachment" in caught.value.error_dict
    assert StudyDocument.objects.count() == before
    good = SimpleUploadedFile("提纲.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    document = services.document_issue(actor=acting("taihua_fed"), data={
        "title": "提纲", "published_on": timezone.localdate()}, upload=good)
    assert document.attachment is not None and document.attachment.extension == "pdf"


def test_eligible_authors_are_the_cadres_and_women_party_members(org):
    village = org("小留村妇联")
    authors = list(selectors.eligible_authors(village))
    names = {p.name for p in authors}
    assert "刘桂兰" in names  # the director
    assert all(p.is_party_member or p.positions.filter(organization=village).exists() for p in authors)
    assert not any(p.political_status == PoliticalStatus.MASSES and not p.positions.exists() for p in authors)


def test_note_counts_take_the_same_queries_for_two_or_twenty_organisations(org):
    from gongjian.kernel.models import Organization

    township = org("太华路街道妇联")
    start, end = demo_year()
    many = [township, *access.children(township)]
    assert len(many) > 20
    with CaptureQueriesContext(connection) as few_queries:
        selectors.note_counts(many[:2], start, end)
    with CaptureQueriesContext(connection) as many_queries:
        counts = selectors.note_counts(many, start, end)
    assert len(few_queries) == len(many_queries) == 2
    assert counts[township.pk] == sum(counts[o.pk] for o in many[1:]) + StudyNote.objects.filter(
        organization=township, written_on__range=(start, end)).count()
    assert Organization.objects.filter(pk__in=[o.pk for o in many]).count() == len(many)


def test_the_figures_source_answers_for_many_organisations_and_honours_the_study_line(acting, org):
    county, township = org("华阴市妇联"), org("太华路街道妇联")
    start, end = demo_year()
    values = figures.read(user=acting("huayin_fed"), organizations=[county, township], start=start, end=end,
                          codes=["study.notes", "study.documents", "study.meetings", "study.visits"])
    assert values[county.pk]["study.notes"] >= values[township.pk]["study.notes"] >= 3
    assert values[county.pk]["study.documents"] >= 1
    assert values[county.pk]["study.meetings"] >= 1 and values[township.pk]["study.meetings"] == 0
    assert values[county.pk]["study.visits"] >= 1
    tagged = figures.read(user=acting("huayin_fed"), organizations=[county], start=start, end=end,
                          tag=figures.Line.STUDY, codes=["study.notes", "study.visits"])
    assert tagged[county.pk] == {"study.notes": values[county.pk]["study.notes"]}
    other = figures.read(user=acting("huayin_fed"), organizations=[county], start=start, end=end,
                         tag=figures.Line.LIVELIHOOD, codes=["study.notes"])
    assert other[county.pk] == {"study.notes": 0}


def test_the_figures_provider_takes_constant_queries(org):
    township = org("太华路街道妇联")
    start, end = this_year()
    kids = list(access.children(township))
    source = next(s for s in figures.sources() if s.name == "study")
    with CaptureQueriesContext(connection) as few:
        source.provide(figures.Ask(organizations=kids[:1], start=start, end=end))
    with CaptureQueriesContext(connection) as many:
        source.provide(figures.Ask(organizations=kids, start=start, end=end))
    assert len(few) == len(many) <= 8


# --- pages ---------------------------------------------------------------------------------------

def test_the_note_page_opens_with_the_director_as_author_and_saves(login, acting):
    client = login("xiaoliu_women")
    document = StudyDocument.objects.get(title=STUDY_TITLE)
    page = client.get(f"/work/campaigns/study/notes/new/?document={document.pk}")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    director = acting("xiaoliu_women").person
    assert f'value="{director.pk}" selected' in page.content.decode()
    response = client.post(f"/work/campaigns/study/notes/new/?document={document.pk}", {
        "author": director.pk, "document": document.pk, "title": "学习提纲心得", "text": "学习了提纲，收获很大，要落实到行动上。",
        "written_on": timezone.localdate().isoformat()})
    note = StudyNote.objects.get(title="学习提纲心得")
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert "学习提纲心得" in client.get(note.get_absolute_url()).content.decode()


def test_a_bad_note_page_post_shows_the_reason_and_saves_nothing(login):
    client = login("xiaoliu_women")
    before = StudyNote.objects.count()
    response = client.post("/work/campaigns/study/notes/new/", {"title": "", "text": "", "written_on": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写题目。" in body and "请填写心得内容。" in body
    assert StudyNote.objects.count() == before


def test_the_township_count_page_lists_its_villages_and_a_way_back_up_only_below_her(login, org):
    client = login("taihua_fed")
    body = client.get("/work/campaigns/study/counts/").content.decode()
    assert "小留村妇联" in body and "郭家村妇联" in body
    start, end = this_year()
    taihua = org("太华路街道妇联")
    assert f'id="total-notes">{selectors.note_counts([taihua], start, end)[taihua.pk]}<' in body
    assert "← 华阴市妇联" not in body
    village = client.get(f"/work/campaigns/study/counts/?org={org('小留村妇联').pk}").content.decode()
    assert "← 太华路街道妇联" in village


def test_the_county_count_page_lists_the_townships_with_their_totals(login, org):
    client = login("huayin_fed")
    response = client.get("/work/campaigns/study/counts/")
    body = response.content.decode()
    assert "太华路街道妇联" in body and "罗敷镇妇联" in body
    start, end = this_year()
    taihua = org("太华路街道妇联")
    expected = selectors.note_counts([taihua], start, end)[taihua.pk]
    assert 'data-org="太华路街道妇联">' in body
    row = body.split('data-org="太华路街道妇联">')[1].split("</a>")[0]
    assert f'<strong class="count">{expected}</strong>' in row


def test_a_count_page_of_an_organisation_out_of_reach_is_a_404(login, org):
    client = login("taihua_fed")
    assert client.get(f"/work/campaigns/study/counts/?org={org('灵沙乡妇联').pk}").status_code == 404
    assert client.get(f"/work/campaigns/study/counts/?org={org('华阴市妇联').pk}").status_code == 404
    assert client.get(f"/work/campaigns/study/counts/?org={org('小留村妇联').pk}").status_code == 200


def test_another_villages_note_and_a_foreign_document_are_404(login, acting):
    note = StudyNote.objects.filter(organization__name="小留村妇联").first()
    assert note is not None
    client = login("guojia_women")
    assert client.get(note.get_absolute_url()).status_code == 404
    foreign = factories.study_document(acting("lingsha_fed"), title="灵沙乡材料")
    assert client.get(foreign.get_absolute_url()).status_code == 404
    assert client.get(f"/work/campaigns/study/notes/new/?document={foreign.pk}").status_code == 404


def test_a_document_without_attachment_has_no_file(login):
    document = StudyDocument.objects.get(title=STUDY_TITLE)
    assert login("taihua_fed").get(f"/work/campaigns/study/documents/{document.pk}/file/").status_code == 404


def test_the_study_home_shows_the_countys_document_to_a_village(login):
    body = login("xiaoliu_women").get("/work/campaigns/study/").content.decode()
    assert STUDY_TITLE in body and "写学习心得" in body


def test_the_campaign_page_shows_study_and_supervision(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    assert campaign is not None
    body = login("huayin_fed").get(campaign.get_absolute_url()).content.decode()
    assert STUDY_TITLE in body
    assert "华阴市妇联 → 太华路街道妇联" in body
    assert "华阴市基层妇联组织创先争优活动现场推进会" in body
    assert "关于太华路街道村级妇联组织建设情况的调研报告" in body
    assert 'id="campaign-note-counts"' in body


def test_the_admin_roles_see_no_study_pages(login):
    for name in ("auditor", "secadmin", "sysadmin"):
        assert login(name).get("/work/campaigns/study/").status_code == 403


def test_the_campaign_page_shows_a_party_committee_only_what_it_reaches(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    assert campaign is not None
    response = login("taihua_party").get(campaign.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="campaign-study"' in body
    assert STUDY_TITLE not in body  # the federation line's document
    assert "华阴市妇联 → 太华路街道妇联" not in body


def test_a_document_with_an_attachment_is_issued_from_its_page_and_downloaded_below(login):
    client = login("taihua_fed")
    pdf = SimpleUploadedFile("学习材料.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post("/work/campaigns/study/documents/new/", {
        "title": "街道学习材料", "published_on": timezone.localdate().isoformat(), "attachment": pdf})
    document = StudyDocument.objects.get(title="街道学习材料")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    download = login("xiaoliu_women").get(f"/work/campaigns/study/documents/{document.pk}/file/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert login("lingsha_fed").get(f"/work/campaigns/study/documents/{document.pk}/file/").status_code == 404


def test_a_report_with_an_attachment_is_filed_from_its_page(login):
    client = login("taihua_fed")
    pdf = SimpleUploadedFile("调研.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post("/work/campaigns/supervision/reports/new/", {
        "title": "村妇联干部队伍调研", "written_on": timezone.localdate().isoformat(), "attachment": pdf})
    assert response.status_code == 302
    from gongjian.campaigns.models import ResearchReport

    report = ResearchReport.objects.get(title="村妇联干部队伍调研")
    assert client.get(f"/work/campaigns/supervision/reports/{report.pk}/file/").status_code == 200
    assert login("xiaoliu_women").get(f"/work/campaigns/supervision/reports/{report.pk}/file/").status_code == 404


def test_the_campaign_page_lists_the_units_that_wrote_first_and_leaves_leading_groups_out(login):
    campaign = demo_campaign(HUAYIN_TITLE)
    assert campaign is not None
    body = login("taihua_fed").get(campaign.get_absolute_url()).content.decode()
    counts = body[body.index('id="campaign-note-counts"'):]
    counts = counts[:counts.index("</details>")]
    assert "创先争优活动领导小组" not in counts  # a leading group writes no study notes
    assert "个已写" in counts and "个未写" in counts
    # 小留村 wrote in the demo: it comes before every unit that wrote nothing.
    assert counts.index("小留村妇联") < counts.index("郭家村妇联")
