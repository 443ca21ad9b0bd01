"""Documents' services: drafting, editing in place, issuing (frozen, numbered without gaps or
repeats per organisation and year), editing after issue, the 代字, and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.kernel.models import AuditEvent
from gongjian.reports.models import Document, DocumentState, DocumentVersion
from gongjian.reports.models.document import content_hash
from gongjian.reports.services import document as services

from .document_helpers import (
    draft,
    no_demo_documents,  # noqa: F401
    staff_member,
    written,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_demo_documents")]

YEAR = date.today().year


def _events(document: Document) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="reports.document", object_id=str(document.pk))
                .order_by("chain_index").values_list("event", flat=True))


def test_a_draft_is_version_one_with_its_content_hash_and_an_audit_record(acting):
    document = draft(acting("taihua_fed"))
    version = services.current_version(document)
    assert (version.n, version.state, version.number) == (1, DocumentState.DRAFT, "")
    assert version.content_sha256 == content_hash(version.content)
    assert document.title == version.content["title"] and document.organization.name == "太华路街道妇联"
    assert _events(document) == ["reports.document.drafted"]


def test_a_draft_is_edited_in_place(acting):
    user = acting("taihua_fed")
    document = draft(user)
    content = written(document)
    saved = services.document_edit(actor=user, document=document, content=content)
    assert saved.n == 1 and document.versions.count() == 1
    assert saved.content["sections"][2]["paragraphs"] == ["第3节由干部补写的内容。"]
    assert _events(document) == ["reports.document.drafted", "reports.document.edited"]


def test_issuing_numbers_the_version_with_the_organisations_code_and_freezes_it(acting):
    user = acting("taihua_fed")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    issued = services.document_issue(actor=user, document=document)
    assert issued.number == f"太妇发〔{YEAR}〕1号"
    assert (issued.state, issued.issued_by_id, issued.number_seq) == (DocumentState.ISSUED, user.pk, 1)
    document.refresh_from_db()
    assert (document.state, document.number) == (DocumentState.ISSUED, issued.number)
    assert _events(document)[-1] == "reports.document.issued"
    with pytest.raises(ValidationError, match="已经印发"):
        services.document_issue(actor=user, document=document)


def test_an_edit_after_issue_is_a_new_draft_version_and_the_issued_one_never_changes(acting):
    user = acting("taihua_fed")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    issued = services.document_issue(actor=user, document=document)
    frozen = (dict(issued.content), issued.content_sha256, issued.number)
    content = written(document)
    content.sections[0].paragraphs.append("印发后补充的一段。")
    new = services.document_edit(actor=user, document=document, content=content)
    assert (new.n, new.state, new.number) == (2, DocumentState.DRAFT, "")
    issued.refresh_from_db()
    assert (issued.content, issued.content_sha256, issued.number) == frozen
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT and document.number == frozen[2]
    # Editing again edits version 2 in place; issuing it takes the next number.
    content.title = "改过的标题"
    assert services.document_edit(actor=user, document=document, content=content).n == 2
    second = services.document_issue(actor=user, document=document)
    assert second.number == f"太妇发〔{YEAR}〕2号"
    assert [v.n for v in document.versions.all()] == [1, 2]


def test_an_issued_version_cannot_be_rewritten_through_the_draft_path(acting):
    user = acting("taihua_fed")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    issued = services.document_issue(actor=user, document=document)
    # The service updates only draft rows: even a forged call against the issued row changes nothing.
    assert DocumentVersion.objects.filter(pk=issued.pk, state=DocumentState.DRAFT).update(content={}) == 0
    issued.refresh_from_db()
    assert issued.content and issued.content_sha256 == content_hash(issued.content)


def test_a_version_with_unwritten_sections_is_not_issued(acting):
    user = acting("taihua_fed")
    document = draft(user)
    with pytest.raises(ValidationError, match="三、存在的问题、四、下一步打算"):
        services.document_issue(actor=user, document=document)
    assert services.current_version(document).state == DocumentState.DRAFT


def test_numbers_run_per_organisation_and_year(acting):
    taihua, lingsha = acting("taihua_fed"), acting("lingsha_fed")
    numbers = []
    for user in (taihua, lingsha, taihua):
        document = draft(user)
        services.document_edit(actor=user, document=document, content=written(document))
        numbers.append(services.document_issue(actor=user, document=document).number)
    assert numbers == [f"太妇发〔{YEAR}〕1号", f"灵妇发〔{YEAR}〕1号", f"太妇发〔{YEAR}〕2号"]


def test_a_number_taken_meanwhile_is_retried_with_the_next(acting, monkeypatch):
    """Two issuers at the same moment: the second finds its number taken by the unique constraint
    and takes the next one, never a repeat."""
    user = acting("taihua_fed")
    first, second = draft(user), draft(user)
    for document in (first, second):
        services.document_edit(actor=user, document=document, content=written(document))
    services.document_issue(actor=user, document=first)
    real = services._next_seq
    stale = iter([1])  # what a concurrent issuer read before the first commit

    def racing(organization, year):
        return next(stale, None) or real(organization, year)

    monkeypatch.setattr(services, "_next_seq", racing)
    assert services.document_issue(actor=user, document=second).number == f"太妇发〔{YEAR}〕2号"


def test_the_lead_sets_the_code_and_the_next_number_uses_it(acting):
    user = acting("taihua_fed")
    assert services.issuing_code_of(user.acting.organization) == "太妇发"
    services.issuing_code_set(actor=user, organization=user.acting.organization, code="太华妇字")
    document = draft(user)
    services.document_edit(actor=user, document=document, content=written(document))
    assert services.document_issue(actor=user, document=document).number == f"太华妇字〔{YEAR}〕1号"
    assert AuditEvent.objects.filter(event="reports.issuing_code.set").exists()


@pytest.mark.parametrize("code", ["", "   ", "太妇〔发〕", "一二三四五六七八九十一二三", "太 妇"])
def test_a_malformed_code_is_refused_and_nothing_changes(acting, code):
    user = acting("taihua_fed")
    with pytest.raises(ValidationError):
        services.issuing_code_set(actor=user, organization=user.acting.organization, code=code)
    assert services.issuing_code_of(user.acting.organization) == "太妇发"


def test_the_party_line_has_its_own_code(acting):
    assert services.issuing_code_of(acting("taihua_party").acting.organization) == "太党发"


def test_nobody_drafts_in_another_organisations_name(acting, org):
    before = Document.objects.count()
    with pytest.raises(ValidationError, match="本组织"):
        services.document_draft(actor=acting("huayin_fed"), kind="situation_report", organization=org("太华路街道妇联"),
                                start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    assert Document.objects.count() == before


def test_a_kind_nobody_drafts_and_a_reversed_period_are_refused(acting):
    user = acting("taihua_fed")
    before = Document.objects.count()
    with pytest.raises(ValidationError):
        services.document_draft(actor=user, kind="no_such_kind", organization=user.acting.organization,
                                start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    with pytest.raises(ValidationError, match="截止日期"):
        services.document_draft(actor=user, kind="situation_report", organization=user.acting.organization,
                                start=date(YEAR, 12, 31), end=date(YEAR, 1, 1))
    assert Document.objects.count() == before


def test_a_plain_staff_member_drafts_but_does_not_issue(acting):
    clerk = staff_member("太华路街道妇联")
    document = draft(clerk)
    services.document_edit(actor=clerk, document=document, content=written(document))
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=clerk, document=document)
    assert services.document_issue(actor=acting("taihua_fed"), document=document).number.startswith("太妇发")


def test_an_empty_title_is_refused_and_the_draft_stays(acting):
    user = acting("taihua_fed")
    document = draft(user)
    before = services.current_version(document).content_sha256
    content = written(document)
    content.title = "  "
    with pytest.raises(ValidationError, match="标题"):
        services.document_edit(actor=user, document=document, content=content)
    assert services.current_version(document).content_sha256 == before


def test_the_database_refuses_a_repeated_number_of_an_organisation_and_year(acting):
    """What makes the retry safe under concurrency: whatever two issuers read, only one row may
    hold a number."""
    from django.db import IntegrityError, transaction

    user = acting("taihua_fed")
    first, second = draft(user), draft(user)
    for document in (first, second):
        services.document_edit(actor=user, document=document, content=written(document))
    issued = services.document_issue(actor=user, document=first)
    other = services.current_version(second)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.filter(pk=other.pk).update(
            state=DocumentState.ISSUED, number=issued.number, number_year=issued.number_year,
            number_seq=issued.number_seq, issued_at=issued.issued_at)
