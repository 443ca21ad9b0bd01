"""The printable board (公开栏): an A3 PDF poster with Noto CJK and a QR code to the online,
verifiable board. WeasyPrint renders it; segno draws the QR code as SVG."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone


def qr_data_uri(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def poster_document(*, organization: Any, sections: list[dict[str, Any]], url: str) -> Any:
    """The laid-out WeasyPrint document (pages of A3)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("portal/disclosure/poster.html", {
        "org": organization, "sections": sections, "url": url, "qr": qr_data_uri(url),
        "printed_on": timezone.localdate(),
    })
    # Nothing is fetched from outside: the QR code is inline and the fonts are the system's.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).render()


def render_poster(*, organization: Any, sections: list[dict[str, Any]], url: str) -> bytes:
    return bytes(poster_document(organization=organization, sections=sections, url=url).write_pdf())
