"""The document pages as a cadre uses them: draft from records, edit section by section (add, move,
remove, table cells), preview, issue with a confirmation step, history, .docx and PDF."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import unquote

import pytest
from docx import Document as DocxDocument

from gongjian.kernel import documents
from gongjian.kernel.documents import Content, Section, Table
from gongjian.reports import layout
from gongjian.reports.models import Document, DocumentState
from gongjian.reports.services import document as services

from .document_helpers import (
    draft,
    no_demo_documents,  # noqa: F401
    written,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_demo_documents")]

YEAR = date.today().year


def _post(content: Content, **extra: str) -> dict[str, str]:
    """The editor's fields for a content, as the browser posts them."""
    data = {"title": content.title, "addressee": content.addressee, "signature": content.signature,
            "dated": content.dated.isoformat() if content.dated else "", "cc": content.cc,
            "annexes": "\n".join(content.annexes), "sections": str(len(content.sections))}
    for i, section in enumerate(content.sections):
        data[f"s-{i}-from"] = str(i)
        data[f"s-{i}-heading"] = section.heading
        data[f"s-{i}-text"] = "\n".join(section.paragraphs)
        if section.table is not None:
            data[f"s-{i}-rows"] = str(len(section.table.rows))
            for c, cell in enumerate(section.table.header):
                data[f"s-{i}-h-{c}"] = cell
            for r, row in enumerate(section.table.rows):
                for c, cell in enumerate(row):
                    data[f"s-{i}-c-{r}-{c}"] = cell
    data.update(extra)
    return data


def _content(document: Document) -> Content:
    return Content.from_dict(services.current_version(document).content)


def test_the_new_page_offers_the_drafted_kinds_only_and_defaults_to_this_year(login, monkeypatch):
    monkeypatch.delitem(documents._DRAFTERS, "implementation_plan", raising=False)
    page = login("taihua_fed").get("/work/reports/documents/new/")
    assert page.status_code == 200
    kinds = [value for value, _label in page.context["form"].fields["kind"].choices if value]
    assert "situation_report" in kinds and "implementation_plan" not in kinds
    assert page.context["form"]["period_from"].value() == date(YEAR, 1, 1)
    assert page.context["form"]["period_to"].value() == date(YEAR, 12, 31)


def test_a_cadre_drafts_a_situation_report_and_lands_in_the_editor(login):
    client = login("taihua_fed")
    response = client.post("/work/reports/documents/new/", {
        "kind": "situation_report", "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work/reports/documents/{document.pk}/edit/"
    editor = client.get(response["Location"])
    html = editor.content.decode()
    assert editor.status_code == 200 and "一、基本情况" in html and "待写" in html and "本节数字的准确值" in html


def test_a_kind_nobody_offers_is_refused_in_chinese_and_nothing_is_made(login):
    response = login("taihua_fed").post("/work/reports/documents/new/", {
        "kind": "implementation_plan_x", "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31"})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not Document.objects.exists()


def test_a_reversed_period_is_refused(login):
    response = login("taihua_fed").post("/work/reports/documents/new/", {
        "kind": "situation_report", "period_from": f"{YEAR}-12-31", "period_to": f"{YEAR}-01-01"})
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    assert not Document.objects.exists()


def test_editing_a_paragraph_saves_the_text_and_keeps_its_quoted_figures(login, acting):
    document = draft(acting("taihua_fed"))
    content = _content(document)
    quoted_before = [q.phrase for q in content.sections[1].figures]
    content.sections[2].paragraphs = ["阵地建设还不平衡。", "经费不足。"]
    response = login("taihua_fed").post(f"/work/reports/documents/{document.pk}/edit/", _post(content))
    assert response.status_code == 302
    saved = _content(document)
    assert saved.sections[2].paragraphs == ["阵地建设还不平衡。", "经费不足。"]
    assert [q.phrase for q in saved.sections[1].figures] == quoted_before and quoted_before
    assert saved.sections[2].hint  # the prompt stays with its section


def test_a_quoted_figure_whose_phrase_was_edited_away_is_dropped(login, acting):
    document = draft(acting("taihua_fed"))
    content = _content(document)
    content.sections[1].paragraphs = ["全部重写的内容。"]
    login("taihua_fed").post(f"/work/reports/documents/{document.pk}/edit/", _post(content))
    assert _content(document).sections[1].figures == []


@pytest.mark.parametrize(("op", "headings"), [
    ("up-1", ["二、主要做法和成效", "一、基本情况", "三、存在的问题", "四、下一步打算"]),
    ("down-3", ["一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下一步打算"]),
    ("remove-2", ["一、基本情况", "二、主要做法和成效", "四、下一步打算"]),
    ("add-4", ["一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下一步打算", ""]),
    ("up-99", ["一、基本情况", "二、主要做法和成效", "三、存在的问题", "四、下一步打算"]),
])
def test_sections_are_added_moved_and_removed(login, acting, op, headings):
    document = draft(acting("taihua_fed"))
    content = _content(document)
    content.sections[2].paragraphs = ["已写的问题。"]
    response = login("taihua_fed").post(f"/work/reports/documents/{document.pk}/edit/", _post(content, op=op))
    assert response.status_code == 302 and "#s-" in response["Location"]
    saved = _content(document)
    assert [s.heading for s in saved.sections] == headings
    assert "已写的问题。" in [p for s in saved.sections for p in s.paragraphs] or op == "remove-2"


def test_table_cells_are_editable_and_a_row_can_be_added(login, acting):
    user = acting("taihua_fed")
    document = draft(user, "notice")
    content = _content(document)
    content.sections.append(Section(heading="附件", paragraphs=[""], table=Table(header=["姓名", "职务"],
                                                                                rows=[["王芳", "主席"]])))
    services.document_edit(actor=user, document=document, content=content)
    content = _content(document)
    table = content.sections[-1].table
    assert table is not None
    table.rows[0][1] = "副主席"
    client = login("taihua_fed")
    client.post(f"/work/reports/documents/{document.pk}/edit/", _post(content, op=f"row-{len(content.sections) - 1}"))
    table = _content(document).sections[-1].table
    assert table is not None and table.rows == [["王芳", "副主席"], ["", ""]]


def test_a_malformed_date_changes_nothing(login, acting):
    document = draft(acting("taihua_fed"))
    before = services.current_version(document).content_sha256
    content = _content(document)
    response = login("taihua_fed").post(f"/work/reports/documents/{document.pk}/edit/",
                                        _post(content, dated="2026-13-45"))
    assert response.status_code == 400 and "成文日期格式不对" in response.content.decode()
    assert services.current_version(document).content_sha256 == before


def test_html_typed_into_the_editor_is_text_not_markup(login, acting):
    document = draft(acting("taihua_fed"))
    content = _content(document)
    content.sections[2].paragraphs = ["<script>alert(1)</script>"]
    client = login("taihua_fed")
    client.post(f"/work/reports/documents/{document.pk}/edit/", _post(content))
    html = client.get(f"/work/reports/documents/{document.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_issue_asks_for_confirmation_then_numbers_the_document(login, acting):
    user = acting("taihua_fed")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    client = login("taihua_fed")
    confirm = client.get(f"/work/reports/documents/{document.pk}/issue/")
    assert confirm.status_code == 200 and "确认印发" in confirm.content.decode()
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT
    response = client.post(f"/work/reports/documents/{document.pk}/issue/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"太妇发〔{YEAR}〕1号" in page
    assert "文中数字的准确值" in page and "开展各类活动" in page
    assert "点“修改”会生成新的草稿版本" in page


def test_issuing_an_unwritten_draft_says_what_is_missing(login, acting):
    document = draft(acting("taihua_fed"))
    confirm = login("taihua_fed").get(f"/work/reports/documents/{document.pk}/issue/").content.decode()
    assert "以下部分还没有写内容：三、存在的问题、四、下一步打算" in confirm and "确认印发</button>" not in confirm
    response = login("taihua_fed").post(f"/work/reports/documents/{document.pk}/issue/", follow=True)
    assert "还没有写内容" in response.content.decode()
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT


def test_the_history_lists_every_version_and_each_downloads(login, acting):
    user = acting("taihua_fed")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    services.document_issue(actor=user, document=document)
    content = written(document)
    content.title = "第二版标题"
    services.document_edit(actor=user, document=document, content=content)
    client = login("taihua_fed")
    history = client.get(f"/work/reports/documents/{document.pk}/versions/").content.decode()
    assert "第1版" in history and "第2版" in history and f"太妇发〔{YEAR}〕1号" in history
    first = client.get(f"/work/reports/documents/{document.pk}/versions/1/docx/")
    assert first.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(first.content)).paragraphs)
    assert f"太妇发〔{YEAR}〕1号" in text and "第二版标题" not in text
    disposition = first["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]).endswith(f"（太妇发〔{YEAR}〕1号）.docx")
    second = client.get(f"/work/reports/documents/{document.pk}/versions/2/docx/")
    assert "第二版标题" in "\n".join(p.text for p in DocxDocument(io.BytesIO(second.content)).paragraphs)
    assert "草稿第2版" in unquote(second["Content-Disposition"])
    assert client.get(f"/work/reports/documents/{document.pk}/versions/3/docx/").status_code == 404


def test_a_pdf_that_cannot_be_made_is_a_chinese_503(login, acting, monkeypatch):
    document = draft(acting("taihua_fed"))

    def broken(content, head):
        raise layout.LayoutError("soffice missing")

    monkeypatch.setattr(layout, "pdf", broken)
    response = login("taihua_fed").get(f"/work/reports/documents/{document.pk}/versions/1/pdf/")
    assert response.status_code == 503
    assert "PDF 暂时无法生成，请稍后再试或下载 Word 版" in response.content.decode()


def test_a_draft_is_marked_as_a_draft_in_its_letterhead(login, acting, monkeypatch):
    document = draft(acting("taihua_fed"))
    seen = []

    def record(content, head):
        seen.append(head)
        return b"PK"

    monkeypatch.setattr(layout, "docx", record)
    login("taihua_fed").get(f"/work/reports/documents/{document.pk}/versions/1/docx/")
    assert seen and seen[0].draft and seen[0].number == "" and seen[0].issuer == "太华路街道妇联"


def test_the_list_filters_by_kind_and_state(login, acting):
    user = acting("taihua_fed")
    report, notice = draft(user), draft(user, "notice")
    client = login("taihua_fed")
    listed = client.get("/work/reports/documents/?kind=notice").context["page"].rows
    assert [d.pk for d in listed] == [notice.pk]
    assert client.get("/work/reports/documents/?state=issued").context["page"].rows == []
    assert {d.pk for d in client.get("/work/reports/documents/?kind=bogus").context["page"].rows} == {
        report.pk, notice.pk}


def test_the_lead_sets_the_code_on_its_page(login):
    client = login("taihua_fed")
    assert "太妇发〔" in client.get("/work/reports/documents/code/").content.decode()
    assert client.post("/work/reports/documents/code/", {"code": "太华妇"}).status_code == 302
    bad = client.post("/work/reports/documents/code/", {"code": "太〔华〕"})
    assert bad.status_code == 400 and "不含空格和括号" in bad.content.decode()


@pytest.mark.skipif(layout.soffice() is None, reason="LibreOffice is not installed")
def test_the_pdf_of_an_issued_version_is_made_by_libreoffice(login, acting):
    user = acting("taihua_fed")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    services.document_issue(actor=user, document=document)
    response = login("taihua_fed").get(f"/work/reports/documents/{document.pk}/versions/1/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1]).endswith(
        f"（太妇发〔{YEAR}〕1号）.pdf")


@pytest.fixture
def plan_drafter():
    """A body of work's drafter that needs a campaign (as campaigns offers 实施方案), for the picker."""
    asked = []

    def draft_plan(ask):
        asked.append(ask)
        return Content(title=f"活动{ask.campaign_id}实施方案", sections=[Section(heading="一、指导思想", paragraphs=["写好"])],
                       signature=ask.organization.name)

    previous = documents.drafter("implementation_plan")
    documents.offer(documents.Drafter(documents.Kind.IMPLEMENTATION_PLAN, draft_plan, needs_campaign=True,
                                      campaigns=lambda user, org: [(71, "巾帼建功活动"), (72, "文明家庭创建")]))
    yield asked
    documents.withdraw("implementation_plan")
    if previous is not None:
        documents.offer(previous)


def test_a_kind_that_needs_a_campaign_offers_the_drafters_campaigns_and_requires_one(login, plan_drafter):
    client = login("taihua_fed")
    page = client.get("/work/reports/documents/new/?kind=implementation_plan")
    assert page.context["form"].fields["campaign_id"].choices[1:] == [("71", "巾帼建功活动"), ("72", "文明家庭创建")]
    missing = client.post("/work/reports/documents/new/", {
        "kind": "implementation_plan", "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31"})
    assert missing.status_code == 400 and "这种文种要选择一个活动" in missing.content.decode()
    wrong = client.post("/work/reports/documents/new/", {
        "kind": "implementation_plan", "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31",
        "campaign_id": "99"})
    assert wrong.status_code == 400 and not plan_drafter
    made = client.post("/work/reports/documents/new/", {
        "kind": "implementation_plan", "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31",
        "campaign_id": "72"})
    assert made.status_code == 302
    document = Document.objects.get(kind="implementation_plan")
    assert (document.campaign_id, document.title) == (72, "活动72实施方案")
    assert [ask.campaign_id for ask in plan_drafter] == [72]


def test_a_report_drafted_with_a_campaign_given_keeps_none(login, plan_drafter):
    client = login("taihua_fed")
    client.post("/work/reports/documents/new/", {
        "kind": "situation_report", "period_from": f"{YEAR}-01-01", "period_to": f"{YEAR}-12-31",
        "campaign_id": "71"})
    assert Document.objects.get(kind="situation_report").campaign_id is None
