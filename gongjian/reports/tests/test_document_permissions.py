"""Every document permission walked over every demo persona (docs/permissions.md ## reports, 公文),
and who opens which page: out of reach is a 404, a page the persona may not use a 403."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can

from .document_helpers import (
    draft,
    no_demo_documents,  # noqa: F401
    staff_member,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_demo_documents")]

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "lingsha_line", "xiaoliu_women", "guojia_women",
         "taihua_party", "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
STAFF = {"huayin_fed", "taihua_fed", "lingsha_fed", "lingsha_line", "xiaoliu_women", "guojia_women",
         "taihua_party", "xiaoliu_branch"}
LEADS = STAFF - {"lingsha_line"}  # 灵沙乡's 悄悄话 line volunteer is plain staff (工作人员)
# A document of 太华路街道妇联 is read by the township and the county federation above it.
READS_TAIHUA = {"huayin_fed", "taihua_fed"}
# Only the township's own staff edit it; only its lead or deputy issues it (all demo personas are leads).
OWNS_TAIHUA = {"taihua_fed"}
PERMISSIONS = ["reports.view_document", "reports.draft_document", "reports.issue_document",
               "reports.set_issuing_code"]


@pytest.fixture
def taihua_document(acting):
    return draft(acting("taihua_fed"))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_staff_of_either_line_hold_the_document_permissions_and_the_admin_roles_do_not(acting, username,
                                                                                        permission):
    holders = LEADS if permission in ("reports.issue_document", "reports.set_issuing_code") else STAFF
    assert can(acting(username), permission) == (username in holders)


@pytest.mark.parametrize("username", ROLES)
def test_a_township_document_is_read_by_the_township_and_the_county(acting, taihua_document, username):
    assert can(acting(username), "reports.view_document", taihua_document) == (username in READS_TAIHUA)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", ["reports.draft_document", "reports.issue_document"])
def test_only_the_townships_own_people_edit_and_issue_its_document(acting, taihua_document, username, permission):
    assert can(acting(username), permission, taihua_document) == (username in OWNS_TAIHUA)


def test_a_plain_staff_member_edits_but_neither_issues_nor_sets_the_code(taihua_document):
    clerk = staff_member("太华路街道妇联")
    assert can(clerk, "reports.view_document", taihua_document)
    assert can(clerk, "reports.draft_document", taihua_document)
    assert not can(clerk, "reports.issue_document", taihua_document)
    assert not can(clerk, "reports.set_issuing_code")


def _status(username: str, allowed: set[str], reads: set[str], holders: set[str] = STAFF) -> int:
    if username in allowed:
        return 200
    if username not in holders:
        return 403
    return 403 if username in reads else 404


@pytest.mark.parametrize("username", ROLES)
def test_the_document_pages_open_in_reach_only(login, taihua_document, username):
    client = login(username)
    pk = taihua_document.pk
    assert client.get(f"/work/reports/documents/{pk}/").status_code == _status(username, READS_TAIHUA, READS_TAIHUA)
    assert client.get(f"/work/reports/documents/{pk}/versions/").status_code == _status(
        username, READS_TAIHUA, READS_TAIHUA)
    assert client.get(f"/work/reports/documents/{pk}/edit/").status_code == _status(username, OWNS_TAIHUA,
                                                                                     READS_TAIHUA)
    assert client.get(f"/work/reports/documents/{pk}/issue/").status_code == _status(username, OWNS_TAIHUA,
                                                                                      READS_TAIHUA, LEADS)


@pytest.mark.parametrize("username", ROLES)
def test_issuing_out_of_reach_changes_nothing(login, taihua_document, username):
    response = login(username).post(f"/work/reports/documents/{taihua_document.pk}/issue/")
    if username in OWNS_TAIHUA:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == (403 if username not in LEADS or username in READS_TAIHUA else 404)
    taihua_document.refresh_from_db()
    assert taihua_document.number == ""


@pytest.mark.parametrize("username", ROLES)
def test_the_list_shows_the_acting_subtree_only(login, taihua_document, username):
    response = login(username).get("/work/reports/documents/")
    if username not in STAFF:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert (taihua_document.title in response.content.decode()) == (username in READS_TAIHUA)
