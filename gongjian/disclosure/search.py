"""Chinese full-text search: jieba segments the text into a column; SQLite FTS5 or PostgreSQL
to_tsvector('simple', ...) indexes it (see migration 0002)."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection, models

from .models import SearchDocument

_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w", re.UNICODE)


def plain_text(html: str) -> str:
    import html as htmlmod

    return re.sub(r"\s+", " ", htmlmod.unescape(_TAGS.sub(" ", html or ""))).strip()


def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def segment(text: str) -> list[str]:
    """Words for the index: jieba's search-mode cut, lower-cased, punctuation dropped."""
    jieba = _jieba()

    words = []
    for token in jieba.cut_for_search(text or ""):
        token = token.strip().lower()
        if token and _WORD.search(token):
            words.append(token.replace('"', ""))
    return words


def index_text(title: str, body: str) -> str:
    return " ".join(segment(f"{title} {plain_text(body)}"))


def query_terms(q: str) -> list[str]:
    """The distinct words of a query (jieba's accurate mode), at most eight."""
    jieba = _jieba()

    out: list[str] = []
    for token in jieba.cut((q or "")[:100]):
        token = token.strip().lower().replace('"', "")
        if token and _WORD.search(token) and token not in out:
            out.append(token)
    return out[:8]


def matching(queryset: models.QuerySet[SearchDocument], q: str) -> models.QuerySet[SearchDocument]:
    """Documents containing every word of the query."""
    terms = query_terms(q)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        expr = " & ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)
        return queryset.extra(  # noqa: S610  (terms are quoted for to_tsquery and passed as a parameter)
            where=["to_tsvector('simple', disclosure_searchdocument.terms) @@ to_tsquery('simple', %s)"],
            params=[expr],
        )
    match = " AND ".join(f'"{t}"' for t in terms)
    return queryset.extra(  # noqa: S610  (the FTS5 query is passed as a parameter)
        where=["disclosure_searchdocument.id IN (SELECT rowid FROM disclosure_search_fts "
               "WHERE disclosure_search_fts MATCH %s)"],
        params=[match],
    )


def snippet(text: str, q: str, width: int = 60) -> str:
    """A piece of plain text around the first query word (escaped by the template)."""
    terms = query_terms(q)
    pos = -1
    for t in terms:
        pos = text.lower().find(t)
        if pos >= 0:
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    piece = text[start : start + width]
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")


def document_upsert(*, disclosure: Any, version: Any) -> None:
    """Keep the item's search document in line with its current public version (Z-04)."""
    if version is None or disclosure.visible_from is None or not disclosure.is_live:
        SearchDocument.objects.filter(disclosure=disclosure).delete()
        return
    SearchDocument.objects.update_or_create(
        disclosure=disclosure,
        defaults={"organization_id": disclosure.organization_id, "visible_from": disclosure.visible_from,
                  "terms": index_text(version.title, version.body)},
    )
