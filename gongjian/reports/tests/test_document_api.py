"""The documents API, a contract: paths, fields and enums as issue 14 names them, the same reach
and rules as the pages, Chinese errors."""

from __future__ import annotations

from datetime import date

import pytest

from gongjian.kernel.documents import Kind
from gongjian.reports.models import Document

from .document_helpers import (
    no_demo_documents,  # noqa: F401
    written,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_demo_documents")]

YEAR = date.today().year


@pytest.fixture
def taihua(api_client):
    return api_client("taihua_fed")


def _create(client, org_id, **extra):
    return client.post("/api/v1/documents", {"kind": "situation_report", "organization_id": org_id, **extra},
                       content_type="application/json")


def test_the_openapi_document_lists_the_kinds_as_an_enum(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/documents", "/api/v1/documents/{document_id}", "/api/v1/documents/{document_id}/issue",
                 "/api/v1/documents/{document_id}/docx", "/api/v1/documents/{document_id}/pdf"):
        assert path in paths, path
    assert set(paths["/api/v1/documents"]) >= {"get", "post"}
    assert "put" in paths["/api/v1/documents/{document_id}"]
    body = schema["components"]["schemas"]["DocumentIn"]["properties"]
    assert body["kind"]["enum"] == list(Kind.values)
    for name in ("organization_id", "period_from", "period_to", "campaign_id"):
        assert name in body
    for contract in ("situation_report", "implementation_plan", "name_list", "disclosure_catalogue", "notice",
                     "research_report"):
        assert contract in body["kind"]["enum"]


def test_a_document_is_drafted_read_issued_and_downloaded(taihua, org):
    taihua_org = org("太华路街道妇联")
    created = _create(taihua, taihua_org.pk)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["kind"], data["state"], data["period_from"], data["period_to"]) == (
        "situation_report", "draft", f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert data["version"]["content"]["sections"][0]["heading"] == "一、基本情况"
    pk = data["id"]
    refused = taihua.post(f"/api/v1/documents/{pk}/issue")
    assert refused.status_code == 400 and "还没有写内容" in str(refused.json())
    content = written(Document.objects.get(pk=pk)).to_dict()
    put = taihua.put(f"/api/v1/documents/{pk}", {"content": content}, content_type="application/json")
    assert put.status_code == 200 and put.json()["version"]["n"] == 1
    issued = taihua.post(f"/api/v1/documents/{pk}/issue")
    assert issued.status_code == 200
    assert issued.json()["version"]["number"] == f"太妇发〔{YEAR}〕1号" and issued.json()["state"] == "issued"
    assert taihua.get(f"/api/v1/documents/{pk}").json()["number"] == f"太妇发〔{YEAR}〕1号"
    docx = taihua.get(f"/api/v1/documents/{pk}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert [d["id"] for d in taihua.get("/api/v1/documents?kind=situation_report").json()] == [pk]
    assert taihua.get("/api/v1/documents?state=draft").json() == []


def test_a_wrong_kind_is_refused_in_chinese_listing_the_values(taihua, org):
    response = taihua.post("/api/v1/documents", {"kind": "poem", "organization_id": org("太华路街道妇联").pk},
                           content_type="application/json")
    assert response.status_code == 422
    assert "须为以下之一" in str(response.json())
    assert not Document.objects.exists()


def test_another_organisations_name_is_a_404_or_a_chinese_refusal(taihua, org):
    assert _create(taihua, org("灵沙乡妇联").pk).status_code == 404
    assert _create(taihua, org("华阴市妇联").pk).status_code == 404
    village = _create(taihua, org("郭家村妇联").pk)
    assert village.status_code == 400 and "本组织" in str(village.json())
    assert not Document.objects.exists()


def test_a_reversed_period_is_refused(taihua, org):
    response = _create(taihua, org("太华路街道妇联").pk, period_from=f"{YEAR}-12-01", period_to=f"{YEAR}-01-01")
    assert response.status_code == 400 and "截止日期" in str(response.json())


def test_out_of_reach_documents_are_404_and_the_admin_roles_403(api_client, taihua, org):
    pk = _create(taihua, org("太华路街道妇联").pk).json()["id"]
    lingsha = api_client("lingsha_fed")
    for path in (f"/api/v1/documents/{pk}", f"/api/v1/documents/{pk}/docx"):
        assert lingsha.get(path).status_code == 404
    assert lingsha.post(f"/api/v1/documents/{pk}/issue").status_code == 404
    county = api_client("huayin_fed")
    assert county.get(f"/api/v1/documents/{pk}").status_code == 200
    assert county.post(f"/api/v1/documents/{pk}/issue").status_code == 403
    replaced = county.put(f"/api/v1/documents/{pk}", {"content": {"title": "县里改的", "sections": []}},
                          content_type="application/json")
    assert replaced.status_code == 403 and "没有权限" in replaced.json()["detail"]
    assert Document.objects.get(pk=pk).title != "县里改的"


def test_a_pdf_that_cannot_be_made_is_a_chinese_503(taihua, org, monkeypatch):
    from gongjian.reports import layout

    def broken(content, head):
        raise layout.LayoutError("soffice missing")

    monkeypatch.setattr(layout, "pdf", broken)
    pk = _create(taihua, org("太华路街道妇联").pk).json()["id"]
    response = taihua.get(f"/api/v1/documents/{pk}/pdf")
    assert response.status_code == 503 and "下载 Word 版" in response.json()["detail"]


def test_a_malformed_content_is_refused_in_chinese(taihua, org):
    pk = _create(taihua, org("太华路街道妇联").pk).json()["id"]
    response = taihua.put(f"/api/v1/documents/{pk}", {"content": {"title": "x", "sections": [{"figures": [1]}]}},
                          content_type="application/json")
    assert response.status_code == 400 and "内容的结构不对" in str(response.json())
