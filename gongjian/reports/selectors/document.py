"""Reads of documents (公文), scoped in SQL by the access policy: out of reach is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongjian.kernel import access, documents
from gongjian.kernel.http import Reader

from ..models import Document, DocumentState, DocumentVersion


def document_list_visible_to(*, user: Reader, kind: str = "", state: str = "") -> QuerySet[Document]:
    """The documents of the user's subtree, newest change first; optionally one kind or state."""
    rows = access.visible(user, Document.objects.select_related("organization"))
    if kind in documents.Kind.values:
        rows = rows.filter(kind=kind)
    if state in DocumentState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-updated_at", "-pk")


def document_get_for_user(*, user: Reader, document_id: Any) -> Document:
    return access.get(user, Document.objects.select_related("organization", "created_by"), document_id)


def version_of(document: Document, n: Any = None) -> DocumentVersion:
    """A version of a document already fetched through `document_get_for_user` (the current one
    without `n`); Http404 for a version it does not have."""
    rows = document.versions.select_related("issued_by", "created_by")
    try:
        found = rows.order_by("-n").first() if n is None else rows.get(n=int(n))
    except (DocumentVersion.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if found is None:
        raise Http404
    return found


def versions_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("issued_by", "created_by").order_by("-n"))
