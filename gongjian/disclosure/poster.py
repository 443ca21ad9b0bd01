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


def render_poster(*, organization: Any, sections: list[dict[str, Any]], url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string("portal/disclosure/poster.html", {
        "org": organization, "sections": sections, "url": url, "qr": qr_data_uri(url),
        "printed_on": timezone.localdate(),
    })
    # Nothing is fetched from outside: the QR code is inline and the fonts are the system's.
    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint import default_url_fetcher

        return dict(default_url_fetcher(url))
    raise ValueError("external resources are not loaded into the poster")
