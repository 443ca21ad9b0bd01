"""Reports permissions: the table docs/permissions.md describes (## reports).

Documents, news pieces and reports are written by the staff of either line for their own
organisation and read within the organisation's subtree. Each record type's reach is declared
below, once, per topic."""

from __future__ import annotations

from gongjian.kernel.permissions import acts_as_staff, is_authenticated, register

staff = is_authenticated & acts_as_staff

# The home page of the app: any staff member (each topic's pages check their own permission).
register({"reports.view": staff})

# --- document ---
# A document belongs to the organisation that issues it: its subtree reads it (the organisation and
# the organisations above it, never a sibling or one below); its own staff draft and edit it; its
# lead or deputy issues it (签发) and sets its 代字. Staff of either line: a party committee issues
# 公文 as a federation does.
# isort: split
from gongjian.kernel import access as _doc_access  # noqa: E402
from gongjian.kernel.access import Own as _DocOwn  # noqa: E402
from gongjian.kernel.access import Subtree as _DocSubtree  # noqa: E402
from gongjian.kernel.permissions import acts_as_lead as _doc_acts_as_lead  # noqa: E402

from .models import Document as _Document  # noqa: E402

_doc_access.declare(_Document, _DocSubtree())

register({
    "reports.view_document": staff & _doc_access.reaches(),
    "reports.draft_document": staff & _doc_access.reaches(_DocOwn()),
    "reports.issue_document": staff & _doc_acts_as_lead & _doc_access.reaches(_DocOwn()),
    "reports.set_issuing_code": staff & _doc_acts_as_lead,
})
# --- end document ---
# --- news ---
# --- end news ---
# --- county ---
# --- end county ---
